"""Checksum-consistent corruptions: each broken copy of data/ has its descriptor hash
and size updated (as a maintainer re-running an import or editing a hash by hand would),
so only the checks behind the checksum can catch it. Each must fail `python -m helpers
validate` naming the file, with no traceback, and the loader a page uses must fail early
with the same message.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.__main__ import main
from helpers.data import DataValidationError, load, province_code
from helpers.data.descriptor import hash_string
from helpers.paths import DATA_DIR, ROOT


@pytest.fixture()
def copy(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def rehash(data_dir: Path, name: str) -> None:
    """Record the file's current hash and size in the descriptor, as if the change were
    intended.
    """
    path = data_dir / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["path"] == name:
            resource["hash"] = hash_string(data_dir / name)
            resource["bytes"] = (data_dir / name).stat().st_size
    path.write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def corrupt(data_dir: Path, name: str, change) -> Path:
    """Apply change(bytes) -> bytes to a file, then make the checksum agree."""
    path = data_dir / name
    path.write_bytes(change(path.read_bytes()))
    rehash(data_dir, name)
    return path


def validate(data_dir: Path, capsys) -> tuple[int, str]:
    code = main(["validate", str(data_dir)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def cut_half(data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    return b"".join(lines[: 1 + (len(lines) - 1) // 2])


def header_only(data: bytes) -> bytes:
    return data.splitlines(keepends=True)[0]


def duplicate_name(data: bytes) -> bytes:
    return data.decode("utf-8").replace(",Shaanxi,", ",Shanxi,").encode("utf-8")


def income_in_10k_yuan(data: bytes) -> bytes:
    """Urban income written in 10,000 yuan (a unit slip): 73848.51 -> 7.384851."""
    lines = data.decode("utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    position = header.index("urban_disposable_income_yuan")
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.rstrip("\n").split(",")
        if cells[position]:
            cells[position] = repr(float(cells[position]) / 10_000)
        out.append(",".join(cells) + "\n")
    return "".join(out).encode("utf-8")


def gbk(data: bytes) -> bytes:
    return data.decode("utf-8").encode("gbk")


def bom(data: bytes) -> bytes:
    return b"\xef\xbb\xbf" + data


CASES = {
    # name: (file, change, resource loaded by pages, text the message must contain)
    "half_of_population_cut": (
        "population.csv",
        cut_half,
        "population",
        "[row-count] expected 310 data rows",
    ),
    "header_only": (
        "internet_penetration.csv",
        header_only,
        "internet_penetration",
        "[empty-table] expected data rows under the header, found none",
    ),
    "duplicate_province_name": (
        "provinces.csv",
        duplicate_name,
        "provinces",
        "[duplicate-value] expected each province_en only once (unique), found "
        "'Shanxi' again (first at row 4)",
    ),
    "unit_slip": (
        "income_consumption.csv",
        income_in_10k_yuan,
        "income_consumption",
        "[implausible] expected a value between 4000 and 400000",
    ),
    "gbk_file": (
        "provinces.csv",
        gbk,
        "provinces",
        "[encoding] expected UTF-8 (declared encoding utf-8), found a byte sequence "
        "that is not UTF-8 at byte offset",
    ),
    "bom": (
        "population.csv",
        bom,
        "population",
        "byte-order mark (BOM, bytes EF BB BF)",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_corruption_fails_validate_naming_the_file(case, copy, capsys):
    name, change, _resource, message = CASES[case]
    path = corrupt(copy, name, change)
    code, output = validate(copy, capsys)
    assert code == 1, output
    assert f"{path}: " in output or f"{path}, " in output, output
    assert message in output, output
    assert "Traceback" not in output
    assert (
        "[checksum]" not in output
    )  # the corruption is checksum-consistent: another check caught it


@pytest.mark.parametrize("case", sorted(CASES))
def test_page_loader_fails_early_with_the_same_message(case, copy, capsys):
    name, change, resource, message = CASES[case]
    corrupt(copy, name, change)
    _code, output = validate(copy, capsys)
    with pytest.raises(DataValidationError) as caught:
        load(resource, copy)
    text = str(caught.value)
    assert message in text
    for line in text.splitlines()[1:]:
        assert line in output  # the same lines as validate prints


def test_unit_slip_message_names_row_column_value_and_range(copy, capsys):
    corrupt(copy, "income_consumption.csv", income_in_10k_yuan)
    _code, output = validate(copy, capsys)
    first = next(line for line in output.splitlines() if "[implausible]" in line)
    # Row 1 is Beijing 2013: 44564 yuan -> 4.4564 (10,000 yuan).
    assert first == (
        f"{copy / 'income_consumption.csv'}, row 1 (CSV line 2), column "
        "'urban_disposable_income_yuan': [implausible] expected a value between 4000 "
        "and 400000 (plausible range declared in datapackage.json, unit: yuan per "
        "capita), found 4.4564: a unit slip? (if the value is right, flag it "
        "'suspect' in value_flags.csv)"
    )


def test_gbk_message_gives_offset_line_and_hint(copy, capsys):
    corrupt(copy, "provinces.csv", gbk)
    _code, output = validate(copy, capsys)
    line = next(line for line in output.splitlines() if "[encoding]" in line)
    data = (copy / "provinces.csv").read_bytes()
    offset = next(
        i for i, b in enumerate(data) if b >= 0x80
    )  # first non-ASCII byte: 北 in GBK
    assert f"at byte offset {offset} (CSV line 2" in line
    assert "GBK/GB18030" in line and "iconv" in line


def test_half_cut_names_missing_provinces_per_year(copy, capsys):
    corrupt(copy, "population.csv", cut_half)
    _code, output = validate(copy, capsys)
    coverage = [line for line in output.splitlines() if "[coverage]" in line]
    assert coverage and all("population.csv" in line for line in coverage)
    assert any(
        "expected 31 provinces in 2024, found 15 (missing: Henan, Hubei, Hunan, "
        "Guangdong, Guangxi, Hainan, "
        "Chongqing, Sichuan ...)" in line
        for line in coverage
    ), coverage


def test_duplicate_name_stops_province_lookup(copy):
    corrupt(copy, "provinces.csv", duplicate_name)
    with pytest.raises(DataValidationError, match="duplicate-value"):
        province_code("Shanxi", copy)


def test_flagged_value_outside_plausible_range_is_accepted(capsys):
    # Ningxia 2020 energy consumption 0.79 (a unit slip in the source) is outside
    # 30-300000 but flagged suspect.
    frame = load("energy")
    value = frame.loc[
        (frame["province_code"] == 640000) & (frame["year"] == 2020),
        "energy_consumption_10k_tce",
    ]
    assert float(value.iloc[0]) == 0.79
    code, output = validate(DATA_DIR, capsys)
    assert code == 0, output


def test_unflagged_out_of_range_value_fails(copy, capsys):
    path = copy / "energy.csv"
    text = path.read_text(encoding="utf-8").replace(
        "\n640000,2020,0.79,", "\n640000,2020,0.79,", 1
    )
    assert "\n640000,2020,0.79," in text
    flags = copy / "value_flags.csv"
    kept = [
        line
        for line in flags.read_text(encoding="utf-8").splitlines(keepends=True)
        if not line.startswith("energy,energy_consumption_10k_tce,640000,2020,suspect")
    ]
    flags.write_text("".join(kept), encoding="utf-8")
    rehash(copy, "value_flags.csv")
    code, output = validate(copy, capsys)
    assert code == 1
    assert (
        "energy.csv" in output and "[implausible]" in output and "found 0.79" in output
    )


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"\x00\x01\x02\xff\xfe",
        b'a,b\n1\n"unclosed',
        b"\xff\xfe" + "省".encode("utf-16-le"),
    ],
)
def test_arbitrary_bytes_never_give_a_traceback(copy, garbage):
    corrupt(copy, "population.csv", lambda _data: garbage)
    result = subprocess.run(
        [sys.executable, "-m", "helpers", "validate", str(copy)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(copy / "population.csv") in result.stderr


def test_broken_descriptor_never_gives_a_traceback(copy, capsys):
    (copy / "datapackage.json").write_text('{"resources": 5}', encoding="utf-8")
    code, output = validate(copy, capsys)
    assert code == 1 and "[descriptor]" in output
    (copy / "datapackage.json").write_text(
        '{"resources": [{"name": "x"}]}', encoding="utf-8"
    )
    code, output = validate(copy, capsys)
    assert code == 1 and "[descriptor]" in output and "Traceback" not in output
