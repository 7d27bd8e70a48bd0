"""The provinces reference table is checked against the GB/T 2260 codes and names the
descriptor declares ('official'): a renamed province, a wrong code, a missing or an
extra row fails `python -m helpers validate`, naming row, column and the expected
value, even when the checksum has been updated to match.
"""

import json
import shutil
import sys
from pathlib import Path

import pytest

from helpers.__main__ import main
from helpers.data.validate import check_official
from helpers.paths import DATA_DIR, ROOT
from tests.test_data_corruptions import corrupt

PROVINCES = "provinces.csv"


@pytest.fixture()
def copy(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def validate(data_dir: Path, capsys) -> tuple[int, str]:
    code = main(["validate", str(data_dir)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def replace(old: str, new: str):
    def change(data: bytes) -> bytes:
        text = data.decode("utf-8")
        assert text.count(old) == 1, old
        return text.replace(old, new).encode("utf-8")

    return change


def official_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "official" in line]


def test_a_renamed_province_fails_naming_row_column_and_the_official_name(copy, capsys):
    corrupt(copy, PROVINCES, replace(",Beijing,", ",Pekingshire,"))
    code, output = validate(copy, capsys)
    assert code != 0
    assert official_lines(output) == [
        f"{copy / PROVINCES}, row 1 (CSV line 2), column 'province_en': "
        "[not-official] expected 'Beijing' for 110000 (declared in the descriptor, "
        "'official'), found 'Pekingshire'"
    ]


def test_a_changed_chinese_name_fails_in_its_column(copy, capsys):
    corrupt(copy, PROVINCES, replace(",内蒙古自治区,", ",内蒙自治区,"))
    code, output = validate(copy, capsys)
    assert code != 0
    (line,) = official_lines(output)
    assert "row 5 (CSV line 6), column 'province_zh_full'" in line
    assert "expected '内蒙古自治区' for 150000" in line


def test_a_wrong_code_fails_and_the_official_row_is_missing(copy, capsys):
    corrupt(copy, PROVINCES, replace("130000,河北", "130001,河北"))
    code, output = validate(copy, capsys)
    assert code != 0
    lines = official_lines(output)
    assert any(
        "row 3 (CSV line 4), column 'province_code': [not-official]" in line
        and "found '130001'" in line
        for line in lines
    )
    assert any(
        "[missing-official-row] expected a row for 130000 (河北, 河北省, Hebei)" in line
        for line in lines
    )


def test_a_missing_row_and_an_extra_row_fail(copy, capsys):
    def swap_last_row(data: bytes) -> bytes:
        lines = data.decode("utf-8").splitlines(keepends=True)
        assert lines[-1].startswith("650000,")
        extra = "710000,台湾,台湾省,Taiwan,CN-TW,East,东部,false\n"
        return "".join(lines[:-1] + [extra]).encode("utf-8")

    corrupt(copy, PROVINCES, swap_last_row)
    code, output = validate(copy, capsys)
    assert code != 0
    lines = official_lines(output)
    assert any("row 31" in line and "found '710000'" in line for line in lines)
    assert any("expected a row for 650000 (新疆" in line for line in lines)


def test_official_check_worked_by_hand_on_a_small_table():
    resource = {
        "official": {
            "key": "code",
            "fields": ["code", "name"],
            "rows": [[1, "A"], [2, "B"]],
        }
    }
    header = ["code", "name", "other"]
    assert (
        check_official([["1", "A", "x"], ["2", "B", "y"]], header, resource, "t") == []
    )
    issues = check_official([["1", "a", "x"], ["3", "C", "y"]], header, resource, "t")
    assert [(i.row, i.column, i.problem) for i in issues] == [
        (1, "name", "not-official"),
        (2, "code", "not-official"),
        (None, "code", "missing-official-row"),
    ]
    # no declaration, nothing to check
    assert check_official([["9", "Z", ""]], header, {}, "t") == []


def test_the_declaration_is_what_the_importer_writes_from_the_curated_source():
    sys.path.insert(0, str(ROOT / "tools"))
    from importers import curated
    from importers.provinces import official_declaration

    descriptor = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    (provinces,) = [r for r in descriptor["resources"] if r["name"] == "provinces"]
    assert provinces["official"] == official_declaration(curated.provinces())
    assert len(provinces["official"]["rows"]) == 31
    codes = [row[0] for row in provinces["official"]["rows"]]
    assert codes == sorted(codes) and all(code % 10000 == 0 for code in codes)
