"""The import runs from a clone: recorded inputs (sources/inputs.csv), checksums
verified before anything is read, curated facts as data files (sources/curated/), no
absolute path in tools/ or helpers/.

These tests never read the gathered sources outside the repository. The full import
(every input, data/ regenerated and compared byte for byte) runs only when NQPF_SOURCES
names a folder of inputs, e.g. NQPF_SOURCES=../shared/data-sources; otherwise it is
skipped.
"""

import ast
import csv
import hashlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.paths import DATA_DIR, ROOT

sys.path.insert(0, str(ROOT / "tools"))
from importers import curated, inputs  # noqa: E402

SCRIPT = ROOT / "tools" / "import_sources.py"
ABSOLUTE = re.compile(
    r"^(/(work|home|tmp|usr|opt|mnt|root|var|srv|Users|private)(/|$)|[A-Za-z]:\\\\)"
)


def string_literals(path: Path):
    """(line, text) of every string constant in a Python file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_no_absolute_path_in_tools_or_helpers():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for folder in ("tools", "helpers")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line, text in string_literals(path)
        if ABSOLUTE.match(text)
    ]
    assert not found, "absolute paths:\n" + "\n".join(found)


def test_recorded_inputs_are_complete_and_well_formed():
    items = inputs.recorded()
    assert len(items) == len({i.path for i in items}) >= 80
    for item in items:
        assert re.fullmatch(r"[0-9a-f]{64}", item.sha256), item.path
        assert (
            item.bytes > 0
            and not item.path.startswith("/")
            and ".." not in item.path.split("/")
        )
        assert item.relation in ("copy", "converted", "gathered"), item.path
        if item.relation != "gathered":
            assert item.upstream_repository and re.fullmatch(
                r"[0-9a-f]{40}", item.upstream_commit
            ), item.path
    fetchable = [i for i in items if i.url()]
    assert fetchable and all(
        i.url().startswith("https://raw.githubusercontent.com/") for i in fetchable
    )


def make_folder(tmp_path: Path, files: dict[str, bytes]) -> tuple[Path, list]:
    """A folder of inputs and the matching recorded list."""
    folder = tmp_path / "in"
    items = []
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
        items.append(
            inputs.Input(
                name,
                hashlib.sha256(data).hexdigest(),
                len(data),
                "o/r",
                "a" * 40,
                name,
                "copy",
                "",
            )
        )
    return folder, items


def test_verify_refuses_a_changed_input_naming_it(tmp_path):
    folder, items = make_folder(
        tmp_path, {"a.csv": b"x,y\n1,2\n", "sub/b.csv": b"z\n3\n"}
    )
    inputs.verify(folder, items)  # matches: quiet
    (folder / "sub/b.csv").write_bytes(b"z\n4\n")
    (folder / "a.csv").unlink()
    with pytest.raises(inputs.InputError) as caught:
        inputs.verify(folder, items)
    text = str(caught.value)
    assert "2 input file(s) do not match" in text
    assert f"{folder / 'a.csv'}: missing" in text
    assert (
        f"{folder / 'sub/b.csv'}: checksum differs: expected sha256 {items[1].sha256}"
        in text
    )


def test_check_used_names_unlisted_and_unread_files(tmp_path):
    folder, items = make_folder(tmp_path, {"a.csv": b"1\n", "b.csv": b"2\n"})
    inputs.check_used(folder, {folder / "a.csv", folder / "b.csv"}, items)
    with pytest.raises(
        inputs.InputError,
        match=r"read but not listed: c.csv[\s\S]*listed but not read: b.csv",
    ):
        inputs.check_used(folder, {folder / "a.csv", folder / "c.csv"}, items)


def test_fetch_downloads_plain_copies_and_checks_them(tmp_path):
    good, bad = b"province,value\n", b"tampered\n"
    _folder, items = make_folder(tmp_path, {"copy.csv": good})
    items.append(
        inputs.Input("made.csv", "0" * 64, 1, "o/r", "a" * 40, "x", "converted", "")
    )
    served = {}

    def opener(url, timeout):
        served["url"] = url
        return io.BytesIO(served.get("body", good))

    target = tmp_path / "fetched"
    assert inputs.fetch(target, items, opener) == [
        "made.csv"
    ]  # converted: cannot be fetched
    assert (target / "copy.csv").read_bytes() == good
    assert (
        served["url"]
        == "https://raw.githubusercontent.com/o/r/" + "a" * 40 + "/copy.csv"
    )
    (target / "copy.csv").unlink()
    served["body"] = bad
    with pytest.raises(inputs.InputError, match="downloaded file has sha256"):
        inputs.fetch(target, items, opener)
    assert not (target / "copy.csv").exists() and not list(target.glob("*.part"))


def test_fetch_offline_is_a_clear_error(tmp_path):
    _folder, items = make_folder(tmp_path, {"copy.csv": b"1\n"})

    def offline(url, timeout):
        raise OSError("network is unreachable")

    with pytest.raises(
        inputs.InputError, match="could not download copy.csv .*network is unreachable"
    ):
        inputs.fetch(tmp_path / "fetched", items, offline)


def test_import_script_refuses_a_changed_input(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "urban_rural_national.csv").write_text(
        "year,indicator\n2024,x\n", encoding="utf-8"
    )
    result = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--sources",
            str(folder),
            "--data-dir",
            str(tmp_path / "d"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 2, result.stderr
    assert (
        f"{folder / 'urban_rural_national.csv'}: checksum differs: expected sha256 "
        in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "d").exists()  # nothing written


@pytest.mark.skipif(
    not (ROOT / ".venv" / "bin" / "python").exists(),
    reason="make data runs the project's .venv",
)
def test_make_data_refuses_a_changed_input(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "digital_literacy_2021.csv").write_bytes(b"changed\n")
    result = subprocess.run(
        [
            "make",
            "-s",
            "-o",
            "env",
            "-o",
            ".venv/.installed-from-lock",
            "data",
            f"SOURCES={folder}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert f"{folder / 'digital_literacy_2021.csv'}: checksum differs" in result.stderr
    assert "Traceback" not in result.stderr


def test_make_data_without_a_folder_prints_usage():
    result = subprocess.run(
        ["make", "-s", "-o", "env", "-o", ".venv/.installed-from-lock", "data"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "usage: make data SOURCES=folder" in result.stderr


def read_csv_text(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_curated_breaks_and_flags_are_the_ones_in_data():
    assert read_csv_text(curated.CURATED_DIR / "series_breaks.csv") == read_csv_text(
        DATA_DIR / "series_breaks.csv"
    )
    published = read_csv_text(DATA_DIR / "value_flags.csv")
    for row in read_csv_text(curated.CURATED_DIR / "value_flags.csv"):
        assert row in published, row
    conflicts = read_csv_text(DATA_DIR / "value_conflicts.csv")
    ids = [row["conflict_id"] for row in conflicts]
    for row in read_csv_text(curated.CURATED_DIR / "value_conflicts.csv"):
        assert row["conflict_id"] in ids


def test_curated_provinces_are_the_reference_table():
    assert read_csv_text(curated.CURATED_DIR / "provinces.csv") == read_csv_text(
        DATA_DIR / "provinces.csv"
    )


def test_importers_hold_no_curated_literals():
    text = "\n".join(
        p.read_text(encoding="utf-8")
        for p in (ROOT / "tools" / "importers").glob("*.py")
    )
    for name in (
        "SERIES_BREAKS = [",
        "NATIONAL_CONFLICTS = [",
        "NATIONAL_FLAGS = [",
        "PROVINCES = [",
        "REGION_ZH = {",
        "NOT_REDISTRIBUTED = [",
        "NOT_AVAILABLE = [",
        "DATED_STATEMENTS = {",
    ):
        assert name not in text


@pytest.mark.skipif(
    not os.environ.get("NQPF_SOURCES"),
    reason="set NQPF_SOURCES to a folder of inputs "
    "(e.g. ../shared/data-sources) to run the full import",
)
def test_full_import_regenerates_data_byte_for_byte(tmp_path):
    target = tmp_path / "data"
    result = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--sources",
            os.environ["NQPF_SOURCES"],
            "--data-dir",
            str(target),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    ours = sorted(
        p.relative_to(DATA_DIR)
        for p in DATA_DIR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    theirs = sorted(p.relative_to(target) for p in target.rglob("*") if p.is_file())
    assert ours == theirs
    different = [
        str(p) for p in ours if (DATA_DIR / p).read_bytes() != (target / p).read_bytes()
    ]
    assert not different, different
