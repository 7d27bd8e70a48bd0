"""`python -m helpers validate` passes on data/ and names file, row and column on broken
copies.

Each test copies data/ to a temporary folder, breaks one thing, and checks the exit code
and the exact location in the message. Rows are 1-based data rows; the CSV line is row +
1 (header).
"""

import csv
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.__main__ import main
from helpers.data import DataValidationError, load
from helpers.data.validate import check_cell, validate_package
from helpers.paths import DATA_DIR, ROOT


@pytest.fixture()
def copy(tmp_path) -> Path:
    """A fresh copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def read(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def set_cell(path: Path, row: int, column: str, text: str) -> str:
    """Put `text` in data row `row` (1-based) of `column`; return the old text."""
    rows = read(path)
    position = rows[0].index(column)
    old = rows[row][position]
    rows[row][position] = text
    write(path, rows)
    return old


def run(data_dir: Path, capsys) -> tuple[int, str]:
    """Exit code and combined output of the validate command."""
    code = main(["validate", str(data_dir)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def location(data_dir: Path, name: str, row: int, column: str) -> str:
    return f"{data_dir / name}, row {row} (CSV line {row + 1}), column '{column}': "


def test_validate_passes_on_project_data(capsys):
    code, output = run(DATA_DIR, capsys)
    assert code == 0, output
    assert output.startswith("OK")


def test_validate_command_runs_as_module():
    result = subprocess.run(
        [sys.executable, "-m", "helpers", "validate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_module_command_fails_on_broken_copy(copy):
    (copy / "provinces.csv").unlink()
    result = subprocess.run(
        [sys.executable, "-m", "helpers", "validate", str(copy)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert f"{copy / 'provinces.csv'}: [missing-file]" in result.stderr


def test_missing_file(copy, capsys):
    (copy / "population.csv").unlink()
    code, output = run(copy, capsys)
    assert code == 1
    assert (
        f"{copy / 'population.csv'}: [missing-file] expected the file of resource "
        "'population'" in output
    )


def test_checksum_mismatch(copy, capsys):
    old = set_cell(copy / "digital_literacy_2021.csv", 1, "score", "43.7")
    assert old == "43.6"
    code, output = run(copy, capsys)
    assert code == 1
    lines = [line for line in output.splitlines() if not line.startswith("FAILED")]
    # the change is a valid value: only the checksum can catch it
    assert len(lines) == 1
    assert lines[0].startswith(
        f"{copy / 'digital_literacy_2021.csv'}: [checksum] expected hash sha256:"
    )
    assert ", found sha256:" in lines[0]


def test_missing_column(copy, capsys):
    rows = read(copy / "digital_literacy_2021.csv")
    position = rows[0].index("score")
    write(
        copy / "digital_literacy_2021.csv",
        [r[:position] + r[position + 1 :] for r in rows],
    )
    code, output = run(copy, capsys)
    assert code == 1
    assert (
        f"{copy / 'digital_literacy_2021.csv'}, column 'score': [missing-column] "
        "expected column 'score'" in output
    )


def test_extra_column(copy, capsys):
    rows = read(copy / "provinces.csv")
    write(
        copy / "provinces.csv",
        [r + (["note"] if i == 0 else ["x"]) for i, r in enumerate(rows)],
    )
    code, output = run(copy, capsys)
    assert code == 1
    assert f"{copy / 'provinces.csv'}, column 'note': [extra-column]" in output
    assert "found an extra column 'note'" in output


def test_non_numeric_value(copy, capsys):
    set_cell(copy / "national_urban_rural.csv", 7, "value", "abc")
    code, output = run(copy, capsys)
    assert code == 1
    assert (
        location(copy, "national_urban_rural.csv", 7, "value")
        + "[type] expected a number (digits, optional sign and decimal point), found "
        "'abc'" in output
    )


def test_number_with_thousands_separator_is_not_numeric(copy, capsys):
    set_cell(copy / "income_consumption.csv", 12, "rural_consumption_yuan", "12,345")
    code, output = run(copy, capsys)
    assert code == 1
    assert (
        location(copy, "income_consumption.csv", 12, "rural_consumption_yuan")
        + "[type]"
        in output
    )
    assert "found '12,345'" in output


def test_duplicate_key(copy, capsys):
    rows = read(copy / "population.csv")
    write(copy / "population.csv", rows + [rows[3]])
    code, output = run(copy, capsys)
    assert code == 1
    duplicate_row = len(rows)  # the appended copy is the last data row
    assert (
        f"{copy / 'population.csv'}, row {duplicate_row} (CSV line "
        f"{duplicate_row + 1}), "
        f"column 'province_code, year': [duplicate-key]" in output
    )
    assert "(first at row 3)" in output


def test_unknown_province(copy, capsys):
    set_cell(copy / "income_consumption.csv", 5, "province_code", "990000")
    code, output = run(copy, capsys)
    assert code == 1
    assert (
        location(copy, "income_consumption.csv", 5, "province_code")
        + "[unknown-province] expected a "
        "province_code listed in resource 'provinces' (provinces.csv), found '990000'"
        in output
    )


def test_year_out_of_range(copy, capsys):
    set_cell(copy / "internet_penetration.csv", 3, "year", "2031")
    code, output = run(copy, capsys)
    assert code == 1
    assert (
        location(copy, "internet_penetration.csv", 3, "year")
        + "[range] year out of range: expected a year between 2010 and 2016, found 2031"
        in output
    )


def test_negative_value_where_impossible(copy, capsys):
    set_cell(copy / "transport.csv", 4, "highway_mileage_10k_km", "-1.5")
    code, output = run(copy, capsys)
    assert code == 1
    assert (
        location(copy, "transport.csv", 4, "highway_mileage_10k_km")
        + "[range] negative value where impossible: expected a value >= 0, found -1.5"
        in output
    )


def test_share_outside_0_100(copy, capsys):
    rows = read(copy / "nbs_macro.csv")
    column = rows[0].index("urbanisation_rate_pct")
    # first row that has a rate
    row = next(i for i, r in enumerate(rows) if i and r[column])
    set_cell(copy / "nbs_macro.csv", row, "urbanisation_rate_pct", "130.2")
    code, output = run(copy, capsys)
    assert code == 1
    assert (
        location(copy, "nbs_macro.csv", row, "urbanisation_rate_pct")
        + "[range] share outside 0-100: expected a percentage between 0 and 100, "
        "found 130.2" in output
    )


def test_value_outside_enum(copy, capsys):
    set_cell(copy / "provinces.csv", 2, "region", "Middle")
    code, output = run(copy, capsys)
    assert code == 1
    assert (
        location(copy, "provinces.csv", 2, "region")
        + "[enum] expected one of 'East', 'Central', 'West', "
        "'Northeast', found 'Middle'" in output
    )


def test_required_value_missing(copy, capsys):
    set_cell(copy / "national_urban_rural.csv", 2, "source_url", "")
    code, output = run(copy, capsys)
    assert code == 1
    assert (
        location(copy, "national_urban_rural.csv", 2, "source_url") + "[missing-value]"
        in output
    )


def test_row_with_wrong_number_of_fields(copy, capsys):
    path = copy / "provinces.csv"
    path.write_text(path.read_text(encoding="utf-8") + "999999,bad\n", encoding="utf-8")
    code, output = run(copy, capsys)
    assert code == 1
    assert (
        f"{path}, row 32 (CSV line 33): [row-length] expected 8 fields, found 2"
        in output
    )


def test_undescribed_file(copy, capsys):
    (copy / "raw" / "stray.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    code, output = run(copy, capsys)
    assert code == 1
    assert f"{copy / 'raw' / 'stray.csv'}: [undescribed-file]" in output


def test_missing_descriptor(copy, capsys):
    (copy / "datapackage.json").unlink()
    code, output = run(copy, capsys)
    assert code == 1
    assert "datapackage.json" in output and "[descriptor]" in output


def test_loader_refuses_broken_data(copy):
    set_cell(copy / "income_consumption.csv", 5, "province_code", "990000")
    with pytest.raises(DataValidationError) as error:
        load("income_consumption", copy)
    assert location(
        copy, "income_consumption.csv", 5, "province_code"
    ) + "[unknown-province]" in str(error.value)


def test_many_bad_cells_are_capped_and_counted(copy, capsys):
    rows = read(copy / "population.csv")
    column = rows[0].index("resident_population_10k")
    for row in rows[1:21]:
        row[column] = "n/a"
    write(copy / "population.csv", rows)
    code, output = run(copy, capsys)
    assert code == 1
    # 5 listed + 1 summary
    assert output.count("column 'resident_population_10k': [type]") == 6
    assert "... and 15 more like this" in output


def data_row(path: Path, **match) -> int:
    """1-based data row whose cells equal `match` (exactly one must)."""
    rows = read(path)
    header = rows[0]
    hits = [
        i
        for i, row in enumerate(rows)
        if i and all(row[header.index(k)] == v for k, v in match.items())
    ]
    assert len(hits) == 1, (match, hits)
    return hits[0]


def test_series_break_that_contradicts_a_value_basis(copy, capsys):
    # Without its back-calculation year the income-survey break puts 2012 on the old
    # basis, and the 2012 Engel coefficients on the current basis contradict it.
    breaks = copy / "series_breaks.csv"
    set_cell(
        breaks,
        data_row(breaks, break_id="income_survey_2013"),
        "first_year_backcast",
        "",
    )
    row = data_row(
        copy / "national_urban_rural.csv",
        indicator="engel_coefficient_urban",
        year="2012",
    )
    code, output = run(copy, capsys)
    assert code == 1
    assert (
        location(copy, "national_urban_rural.csv", row, "basis")
        + "[break-basis] expected basis 'old_survey' for engel_coefficient_urban in "
        "2012: series_breaks.csv break "
        "'income_survey_2013' has basis 'current' only from 2013, found 'current'"
        in output
    )


def test_old_basis_value_after_the_break(copy, capsys):
    national = copy / "national_urban_rural.csv"
    row = data_row(national, indicator="per_capita_net_income_rural", year="2014")
    set_cell(national, row, "year", "2016")
    code, output = run(copy, capsys)
    assert code == 1
    assert (
        location(copy, "national_urban_rural.csv", row, "basis")
        + "[break-basis] expected basis 'current' for per_capita_net_income_rural in "
        "2016" in output
    )


def test_reference_date_must_be_an_iso_date(copy, capsys):
    national = copy / "national_urban_rural.csv"
    row = data_row(national, indicator="admin_villages_5g_share", year="2024")
    set_cell(national, row, "reference_date", "July 2024")
    code, output = run(copy, capsys)
    assert code == 1
    assert (
        location(copy, "national_urban_rural.csv", row, "reference_date")
        + r"[pattern] expected text matching the pattern \d{4}-\d{2}-\d{2}, found "
        r"'July 2024'" in output
    )


def file_hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_validation_and_loading_never_modify_data():
    before = file_hashes(DATA_DIR)
    validate_package(DATA_DIR)
    from helpers.data.descriptor import read_descriptor

    for resource in read_descriptor(DATA_DIR)["resources"]:
        if "schema" in resource:
            load(resource["name"])
    assert file_hashes(DATA_DIR) == before


@pytest.mark.parametrize(
    "text, field, expected",
    [
        ("+5", {"name": "x", "type": "integer"}, None),
        ("5.0", {"name": "x", "type": "integer"}, "type"),
        ("1e3", {"name": "x", "type": "number"}, None),
        ("nan", {"name": "x", "type": "number"}, "type"),
        ("inf", {"name": "x", "type": "number"}, "type"),
        (
            "",
            {"name": "x", "type": "number", "constraints": {"required": True}},
            "missing-value",
        ),
        ("", {"name": "x", "type": "number"}, None),
        (
            "-0.1",
            {"name": "x", "type": "number", "constraints": {"minimum": 0}},
            "range",
        ),
        (
            "100",
            {
                "name": "x",
                "type": "number",
                "constraints": {"minimum": 0, "maximum": 100},
            },
            None,
        ),
        ("yes", {"name": "x", "type": "boolean"}, "type"),
        (
            "2024-07-24",
            {
                "name": "x",
                "type": "string",
                "constraints": {"pattern": r"\d{4}-\d{2}-\d{2}"},
            },
            None,
        ),
        (
            "2024-07",
            {
                "name": "x",
                "type": "string",
                "constraints": {"pattern": r"\d{4}-\d{2}-\d{2}"},
            },
            "pattern",
        ),
        (
            "",
            {
                "name": "x",
                "type": "string",
                "constraints": {"pattern": r"\d{4}-\d{2}-\d{2}"},
            },
            None,
        ),
    ],
)
def test_check_cell_known_answers(text, field, expected):
    problem = check_cell(text, field, [""])
    assert (problem[0] if problem else None) == expected
