"""Check data/ against its descriptor: files, checksums, encoding, columns, types,
ranges, keys, provinces, expected rows and coverage, unique names, plausible ranges, and
that national values sit on the basis the series-break table gives their year.

What each file must satisfy is declared in data/datapackage.json (written by
tools/importers):
- Table Schema: field types, constraints (required, minimum/maximum, enum, pattern,
  unique), primaryKey, foreignKeys; the resource's `encoding` ("utf-8": no byte-order
  mark, valid UTF-8);
- `expected` on a resource: {"rows": n} and, for provincial panels, {"years": [...],
  "provinces_per_year": n or {year: n}}: a cut file, a header-only file or a lost year
  fails even when its checksum was updated;
- `plausible` on a numeric field ({"minimum": a, "maximum": b}), or `plausibleBy`
  ({"field": "indicator", "ranges": {indicator: [a, b]}}) for a long table: a value
  outside fails (a unit slip, e.g. yuan written in 10,000 yuan) unless value_flags.csv
  flags that cell 'suspect'.

Every problem is reported as an Issue naming the file, the row (1-based data row; the
CSV line is row + 1 because of the header), the column, what was expected and what was
found. Nothing here writes to the data folder.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path

from helpers.data.descriptor import (
    DESCRIPTOR_NAME,
    read_descriptor,
    resolve_data_dir,
    sha256_of,
)

UTF8_BOM = b"\xef\xbb\xbf"
FLAGS_RESOURCE = "value_flags"

# How many issues of one kind in one column are listed before the rest are summarised.
MAX_ISSUES_PER_COLUMN = 5
BOOLEAN_VALUES = {"true", "false"}


@dataclass(frozen=True)
class Issue:
    """One validation problem, located by file, data row and column."""

    path: str
    problem: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.path]
        if self.row is not None:
            where.append(f"row {self.row} (CSV line {self.row + 1})")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: [{self.problem}] {self.message}"


class DataValidationError(ValueError):
    """Raised by the loaders when a data file does not match its descriptor."""

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
        lines = [str(issue) for issue in self.issues]
        super().__init__(f"{len(lines)} data problem(s):\n" + "\n".join(lines))


def parse_number(text: str) -> float | None:
    """The float in `text`, or None if it is not a finite decimal number."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_integer(text: str) -> int | None:
    """The int in `text` (optional sign, digits only), or None."""
    stripped = text[1:] if text[:1] in "+-" else text
    return int(text) if stripped.isdigit() else None


def parse_cell(text: str, field_type: str):
    """Typed value of one non-missing cell, or None if it does not parse as
    `field_type`.
    """
    if field_type == "integer":
        return parse_integer(text)
    if field_type == "number":
        return parse_number(text)
    if field_type == "boolean":
        return (text == "true") if text in BOOLEAN_VALUES else None
    return text


def describe_type(field_type: str) -> str:
    """Words for what a cell of this type must look like (for messages)."""
    return {
        "integer": "an integer",
        "number": "a number (digits, optional sign and decimal point)",
        "boolean": "'true' or 'false'",
    }.get(field_type, "text")


def range_expectation(field: dict) -> str:
    """Words for a field's allowed range, naming the usual cases (year, share,
    non-negative).
    """
    constraints = field.get("constraints", {})
    low, high = constraints.get("minimum"), constraints.get("maximum")
    if field["name"] == "year":
        return f"year out of range: expected a year between {low} and {high}"
    if low == 0 and high == 100:
        return "share outside 0-100: expected a percentage between 0 and 100"
    if low == 0 and high is None:
        return "negative value where impossible: expected a value >= 0"
    if high is None:
        return f"value out of range: expected a value >= {low}"
    if low is None:
        return f"value out of range: expected a value <= {high}"
    return f"value out of range: expected a value between {low} and {high}"


def check_range(value, field: dict) -> bool:
    """True if a typed value respects the field's minimum/maximum constraints."""
    constraints = field.get("constraints", {})
    low, high = constraints.get("minimum"), constraints.get("maximum")
    return (low is None or value >= low) and (high is None or value <= high)


def check_cell(
    text: str, field: dict, missing_values: list[str]
) -> tuple[str, str] | None:
    """(problem, message) for one cell that breaks its field's type or constraints, else
    None.
    """
    constraints = field.get("constraints", {})
    if text in missing_values:
        if constraints.get("required"):
            return (
                "missing-value",
                "expected a value (the field is required), found an empty cell",
            )
        return None
    value = parse_cell(text, field.get("type", "string"))
    if value is None:
        return "type", f"expected {describe_type(field['type'])}, found {text!r}"
    if "enum" in constraints and text not in [str(v) for v in constraints["enum"]]:
        allowed = ", ".join(repr(str(v)) for v in constraints["enum"])
        return "enum", f"expected one of {allowed}, found {text!r}"
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], text):
        return (
            "pattern",
            f"expected text matching the pattern {constraints['pattern']}, found "
            f"{text!r}",
        )
    if field.get("type") in ("integer", "number") and not check_range(value, field):
        return "range", f"{range_expectation(field)}, found {text}"
    return None


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and data rows of a UTF-8 CSV file, exactly as text."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        return [], []
    return rows[0], rows[1:]


class IssueCollector:
    """Collects issues, capping how many of one kind in one column are listed."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []
        self.counts: dict[tuple, int] = {}

    def add(self, issue: Issue) -> None:
        """Record an issue unless its (file, problem, column) already has
        MAX_ISSUES_PER_COLUMN.
        """
        key = (issue.path, issue.problem, issue.column)
        self.counts[key] = self.counts.get(key, 0) + 1
        if self.counts[key] <= MAX_ISSUES_PER_COLUMN:
            self.issues.append(issue)

    def summarise(self) -> list[Issue]:
        """The issues, plus one line per capped group saying how many more there
        were.
        """
        extra = [
            Issue(
                path,
                problem,
                f"... and {count - MAX_ISSUES_PER_COLUMN} more like this",
                column=column,
            )
            for (path, problem, column), count in self.counts.items()
            if count > MAX_ISSUES_PER_COLUMN
        ]
        return self.issues + extra


def check_header(header: list[str], fields: list[dict], shown: str) -> list[Issue]:
    """Issues for columns the schema expects but the file lacks, extra columns, and
    wrong order.
    """
    expected = [f["name"] for f in fields]
    issues = [
        Issue(
            shown,
            "missing-column",
            f"expected column '{name}' (schema columns: {', '.join(expected)}), "
            f"found header: {', '.join(header)}",
            column=name,
        )
        for name in expected
        if name not in header
    ]
    issues += [
        Issue(
            shown,
            "extra-column",
            f"expected only the schema columns ({', '.join(expected)}), "
            f"found an extra column '{name}'",
            column=name,
        )
        for name in header
        if name not in expected
    ]
    if not issues and header != expected:
        issues.append(
            Issue(
                shown,
                "column-order",
                f"expected columns in order {expected}, found {header}",
            )
        )
    return issues


def check_cells(
    rows, header, fields, missing_values, shown, collector: IssueCollector
) -> None:
    """Type, enum and range checks for every cell whose column is in the schema."""
    positions = {name: i for i, name in enumerate(header)}
    for row_number, row in enumerate(rows, start=1):
        if len(row) != len(header):
            collector.add(
                Issue(
                    shown,
                    "row-length",
                    f"expected {len(header)} fields, found {len(row)}",
                    row=row_number,
                )
            )
            continue
        for field in fields:
            if field["name"] not in positions:
                continue
            problem = check_cell(row[positions[field["name"]]], field, missing_values)
            if problem:
                collector.add(
                    Issue(
                        shown,
                        problem[0],
                        problem[1],
                        row=row_number,
                        column=field["name"],
                    )
                )


def check_unique_fields(
    rows, header, fields, missing_values, shown, collector: IssueCollector
) -> None:
    """Issues for repeated values in fields whose constraints say unique (e.g. province
    names).
    """
    for field in fields:
        if (
            not field.get("constraints", {}).get("unique")
            or field["name"] not in header
        ):
            continue
        position = header.index(field["name"])
        first_seen: dict[str, int] = {}
        for row_number, row in enumerate(rows, start=1):
            if len(row) != len(header) or row[position] in missing_values:
                continue
            value = row[position]
            if value in first_seen:
                collector.add(
                    Issue(
                        shown,
                        "duplicate-value",
                        f"expected each {field['name']} only once (unique), found "
                        f"{value!r} again (first at row {first_seen[value]})",
                        row=row_number,
                        column=field["name"],
                    )
                )
            else:
                first_seen[value] = row_number


def check_expected(
    rows, header, resource: dict, shown: str, names: dict
) -> list[Issue]:
    """Issues for an empty table, a row count or a province-by-year coverage other than
    the descriptor expects.
    """
    issues = []
    if not rows:
        issues.append(
            Issue(
                shown,
                "empty-table",
                "expected data rows under the header, found none "
                "(a header-only or empty file)",
            )
        )
    expected = resource.get("expected", {})
    if "rows" in expected and len(rows) != expected["rows"]:
        issues.append(
            Issue(
                shown,
                "row-count",
                f"expected {expected['rows']} data rows (declared in "
                f"{DESCRIPTOR_NAME}), found {len(rows)}"
                + (
                    "; rows are missing (was the file cut short?)"
                    if len(rows) < expected["rows"]
                    else ""
                ),
            )
        )
    per_year = expected.get("provinces_per_year")
    if per_year is None or not {"province_code", "year"} <= set(header):
        return issues
    code_at, year_at = header.index("province_code"), header.index("year")
    seen: dict[str, set[str]] = {}
    for row in rows:
        if len(row) == len(header):
            seen.setdefault(row[year_at], set()).add(row[code_at])
    years = [str(y) for y in expected.get("years", sorted(seen))]
    # every province the reference table knows, and any other code seen
    every = set(names).union(*seen.values())
    for year in years:
        want = per_year.get(year) if isinstance(per_year, dict) else per_year
        found = seen.get(year, set())
        if want is not None and len(found) != want:
            missing = sorted(every - found, key=str)
            named = ", ".join(names.get(code, code) for code in missing[:8]) + (
                " ..." if len(missing) > 8 else ""
            )
            issues.append(
                Issue(
                    shown,
                    "coverage",
                    f"expected {want} provinces in {year}, found {len(found)}"
                    + (f" (missing: {named})" if missing else ""),
                    column="province_code",
                )
            )
    extra = sorted(set(seen) - set(years))
    if extra and "years" in expected:
        issues.append(
            Issue(
                shown,
                "coverage",
                f"expected only the years {years[0]}-{years[-1]}, found rows "
                f"for {', '.join(extra)}",
                column="year",
            )
        )
    return issues


def check_official(
    rows: list[list[str]], header: list[str], resource: dict, shown: str
) -> list[Issue]:
    """Issues for rows of a reference table that differ from the values its descriptor
    declares under 'official' (the GB/T 2260 codes and names of the provinces): a
    changed cell, a row with a code not declared, a declared code without a row.
    """
    official = resource.get("official")
    if not official:
        return []
    columns = official["fields"]
    key = official["key"]
    if not set(columns) <= set(header):
        return []  # check_header names the missing column
    declared = {str(row[columns.index(key)]): row for row in official["rows"]}
    at = {column: header.index(column) for column in columns}
    issues, seen = [], set()
    for number, row in enumerate(rows, start=1):
        if len(row) != len(header):
            continue
        code = row[at[key]]
        if code not in declared:
            issues.append(
                Issue(
                    shown,
                    "not-official",
                    f"expected one of the {len(declared)} codes declared in the "
                    f"descriptor ('official': GB/T 2260), found {code!r}",
                    number,
                    key,
                )
            )
            continue
        seen.add(code)
        for column, want in zip(columns, declared[code]):
            if row[at[column]] != str(want):
                issues.append(
                    Issue(
                        shown,
                        "not-official",
                        f"expected {str(want)!r} for {code} (declared in the "
                        f"descriptor, 'official'), found {row[at[column]]!r}",
                        number,
                        column,
                    )
                )
    for code, want in declared.items():
        if code not in seen:
            names = ", ".join(str(v) for v in want if str(v) != code)
            issues.append(
                Issue(
                    shown,
                    "missing-official-row",
                    f"expected a row for {code} ({names}), declared in the descriptor "
                    "('official'), found none",
                    column=key,
                )
            )
    return issues


def flagged_cells(flags: list[dict]) -> list[tuple]:
    """(resource, column, province_code or '', year or '') of every 'suspect' flag:
    values allowed outside plausible ranges.
    """
    return [
        (
            f.get("resource", ""),
            f.get("column", ""),
            f.get("province_code", ""),
            f.get("year", ""),
        )
        for f in flags
        if f.get("flag") == "suspect"
    ]


def is_flagged(
    cells: list[tuple], resource: str, column: str, code: str, year: str
) -> bool:
    """True if a suspect flag covers this cell (an empty province or year in the flag
    covers all).
    """
    return any(
        r == resource and c == column and p in ("", code) and y in ("", year)
        for r, c, p, y in cells
    )


def plausible_range(field: dict, row: list[str], header: list[str]) -> tuple | None:
    """(minimum, maximum) a value of this field may plausibly take in this row, or None
    if none is declared.
    """
    if "plausible" in field:
        return field["plausible"].get("minimum"), field["plausible"].get("maximum")
    by = field.get("plausibleBy")
    if by and by.get("field") in header:
        bounds = by.get("ranges", {}).get(row[header.index(by["field"])])
        return tuple(bounds) if bounds else None
    return None


def check_plausible(
    rows,
    header,
    fields,
    missing_values,
    resource: dict,
    flags: list[tuple],
    shown,
    collector: IssueCollector,
) -> None:
    """Issues for numbers outside their declared plausible range (a unit slip) that no
    suspect flag covers.
    """
    code_at = header.index("province_code") if "province_code" in header else None
    year_at = header.index("year") if "year" in header else None
    for field in fields:
        if field["name"] not in header or not (
            "plausible" in field or "plausibleBy" in field
        ):
            continue
        position = header.index(field["name"])
        for row_number, row in enumerate(rows, start=1):
            if len(row) != len(header) or row[position] in missing_values:
                continue
            value, bounds = (
                parse_number(row[position]),
                plausible_range(field, row, header),
            )
            if value is None or bounds is None:
                continue
            low, high = bounds
            if (low is None or value >= low) and (high is None or value <= high):
                continue
            column = field["name"]
            if "plausibleBy" in field:
                column_flagged = row[header.index(field["plausibleBy"]["field"])]
            else:
                column_flagged = column
            code = row[code_at] if code_at is not None else ""
            year = row[year_at] if year_at is not None else ""
            if is_flagged(flags, resource["name"], column_flagged, code, year):
                continue
            unit = field.get("unit", "")
            what = f" for {column_flagged}" if "plausibleBy" in field else ""
            collector.add(
                Issue(
                    shown,
                    "implausible",
                    f"expected a value between {low:g} and {high:g}{what} (plausible "
                    "range declared in "
                    f"{DESCRIPTOR_NAME}{', unit: ' + unit if unit else ''}), found "
                    f"{row[position]}: a unit slip? (if the value is right, flag it "
                    "'suspect' in value_flags.csv)",
                    row=row_number,
                    column=field["name"],
                )
            )


def check_primary_key(
    rows, header, key: list[str], shown, collector: IssueCollector
) -> None:
    """Issues for rows whose primary-key values repeat an earlier row."""
    if not key or any(k not in header for k in key):
        return
    positions = [header.index(k) for k in key]
    first_seen: dict[tuple, int] = {}
    for row_number, row in enumerate(rows, start=1):
        if len(row) != len(header):
            continue
        value = tuple(row[p] for p in positions)
        if value in first_seen:
            collector.add(
                Issue(
                    shown,
                    "duplicate-key",
                    f"expected a unique primary key ({', '.join(key)}), found {value} "
                    f"again (first at row {first_seen[value]})",
                    row=row_number,
                    column=", ".join(key),
                )
            )
        else:
            first_seen[value] = row_number


def check_foreign_keys(
    rows, header, schema, reference_values: dict, shown, collector
) -> None:
    """Issues for values (e.g. province codes) that are not in the referenced
    resource.
    """
    for foreign in schema.get("foreignKeys", []):
        column = (
            foreign["fields"]
            if isinstance(foreign["fields"], str)
            else foreign["fields"][0]
        )
        reference = foreign["reference"]
        allowed = reference_values.get((reference["resource"], reference["fields"]))
        if allowed is None or column not in header:
            continue
        position = header.index(column)
        problem = (
            "unknown-province"
            if reference["resource"] == "provinces"
            else "unknown-reference"
        )
        for row_number, row in enumerate(rows, start=1):
            if (
                len(row) == len(header)
                and row[position] not in schema.get("missingValues", [""])
                and row[position] not in allowed
            ):
                collector.add(
                    Issue(
                        shown,
                        problem,
                        f"expected a {column} listed in resource "
                        f"'{reference['resource']}' ({reference['resource']}.csv), "
                        f"found {row[position]!r}",
                        row=row_number,
                        column=column,
                    )
                )


def validate_table(
    path: Path,
    resource: dict,
    reference_values: dict,
    shown: str,
    context: dict | None = None,
) -> list[Issue]:
    """All schema issues of one tabular resource (header, rows and coverage, cells,
    unique values, keys, plausible ranges).

    context: {'flags': suspect-flag cells, 'names': province_code -> English name} (read
    once per package).
    """
    context = context or {}
    schema = resource.get("schema", {})
    fields = schema.get("fields", [])
    missing_values = schema.get("missingValues", [""])
    header, rows = read_rows(path)
    if not header:
        return [
            Issue(
                shown,
                "empty-table",
                "expected a header row and data rows, found an empty file",
            )
        ]
    header_issues = check_header(header, fields, shown)
    expected_issues = check_expected(
        rows, header, resource, shown, context.get("names", {})
    )
    collector = IssueCollector()
    check_cells(rows, header, fields, missing_values, shown, collector)
    key = schema.get("primaryKey", [])
    check_primary_key(
        rows, header, [key] if isinstance(key, str) else key, shown, collector
    )
    check_unique_fields(rows, header, fields, missing_values, shown, collector)
    check_foreign_keys(rows, header, schema, reference_values, shown, collector)
    check_plausible(
        rows,
        header,
        fields,
        missing_values,
        resource,
        context.get("flags", []),
        shown,
        collector,
    )
    official_issues = check_official(rows, header, resource, shown)
    return header_issues + expected_issues + official_issues + collector.summarise()


def referenced_values(data_dir: Path, descriptor: dict) -> dict:
    """{(resource, field): set of values} for every resource/field named by a foreign
    key.
    """
    wanted = set()
    for resource in descriptor.get("resources", []):
        for foreign in resource.get("schema", {}).get("foreignKeys", []):
            ref = foreign["reference"]
            wanted.add(
                (
                    ref["resource"],
                    ref["fields"]
                    if isinstance(ref["fields"], str)
                    else ref["fields"][0],
                )
            )
    values = {}
    for name, field in wanted:
        target = next(
            (r for r in descriptor["resources"] if r.get("name") == name), None
        )
        if target is None or not (data_dir / target["path"]).is_file():
            continue
        header, rows = read_rows(data_dir / target["path"])
        if field in header:
            position = header.index(field)
            values[(name, field)] = {
                row[position] for row in rows if len(row) == len(header)
            }
    return values


def check_file(data_dir: Path, resource: dict, shown: str) -> list[Issue]:
    """Issues for a described file that is missing or whose SHA-256 differs from the
    descriptor.
    """
    path = data_dir / resource["path"]
    if not path.is_file():
        return [
            Issue(
                shown,
                "missing-file",
                f"expected the file of resource '{resource['name']}' (listed in "
                f"{DESCRIPTOR_NAME}), found no such file",
            )
        ]
    expected = resource.get("hash", "")
    found = f"sha256:{sha256_of(path)}"
    if expected != found:
        return [
            Issue(
                shown,
                "checksum",
                f"expected hash {expected or '(none recorded)'}, found {found}; the "
                "file changed since the descriptor was written (if the change is "
                "intended, rebuild data/ with `make data SOURCES=folder`, which "
                "records the new hash)",
            )
        ]
    return []


def undescribed_files(data_dir: Path, descriptor: dict) -> list[Issue]:
    """Issues for files under the data folder that no resource describes."""
    described = {
        Path(r["path"]).as_posix()
        for r in descriptor.get("resources", [])
        if "path" in r
    }
    issues = []
    for path in sorted(data_dir.rglob("*")):
        relative = path.relative_to(data_dir).as_posix()
        if (
            path.is_file()
            and relative != DESCRIPTOR_NAME
            and relative not in described
            and "__pycache__" not in relative
        ):
            issues.append(
                Issue(
                    str(path),
                    "undescribed-file",
                    "expected every file under data/ to be a resource in "
                    f"{DESCRIPTOR_NAME}, found a file no resource describes",
                )
            )
    return issues


def check_encoding(path: Path, resource: dict, shown: str) -> list[Issue]:
    """Issues for a text file that is not in its declared encoding (UTF-8): a BOM, or
    bytes that do not decode.
    """
    declared = str(resource.get("encoding", "")).lower().replace("_", "-")
    if declared not in ("utf-8", "utf8"):
        return []
    data = path.read_bytes()
    if data.startswith(UTF8_BOM):
        return [
            Issue(
                shown,
                "encoding",
                "expected UTF-8 without a byte-order mark (declared encoding utf-8), "
                "found a UTF-8 byte-order mark (BOM, bytes EF BB BF) at byte 0: "
                "re-save the file as UTF-8 without BOM (e.g. Excel's 'CSV UTF-8' adds "
                "one)",
            )
        ]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        return [
            Issue(
                shown,
                "encoding",
                "expected UTF-8 (declared encoding utf-8), found a byte sequence "
                f"that is not UTF-8 at byte offset {err.start} (CSV line {line}, "
                f"bytes {data[err.start : err.start + 4].hex(' ')}): "
                f"{encoding_hint(data)}",
            )
        ]
    return []


def encoding_hint(data: bytes) -> str:
    """A guess at the encoding a non-UTF-8 file was saved in, as advice for the
    reader.
    """
    for name, label in (
        ("gb18030", "GBK/GB18030 (the Chinese Windows default)"),
        ("utf-16", "UTF-16"),
    ):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if name == "gb18030" and any("\u4e00" <= ch <= "\u9fff" for ch in text):
            return (
                f"the bytes read as {label}; convert the file to UTF-8 "
                "(e.g. iconv -f GB18030 -t UTF-8)"
            )
    return "convert the file to UTF-8"


def package_context(data_dir: Path, descriptor: dict) -> dict:
    """What every table check needs from other resources: suspect flags and province
    names (read as text once).
    """
    context: dict = {"flags": [], "names": {}}
    paths = {
        r.get("name"): data_dir / r.get("path", "")
        for r in descriptor.get("resources", [])
    }
    for name, key in ((FLAGS_RESOURCE, "flags"), ("provinces", "names")):
        path = paths.get(name)
        if path is None or not path.is_file():
            continue
        try:
            records = read_records(path)
        except (UnicodeDecodeError, csv.Error):
            continue  # reported when that resource itself is checked
        if key == "flags":
            context["flags"] = flagged_cells(records)
        else:
            context["names"] = {
                r.get("province_code", ""): r.get("province_en", "") for r in records
            }
    return context


def validate_resource(
    data_dir: Path,
    descriptor: dict,
    resource: dict,
    reference_values: dict | None = None,
    context: dict | None = None,
) -> list[Issue]:
    """Issues for one resource: file present, checksum, encoding, and (if tabular) its
    schema and declarations.

    Never raises on bad input: anything unexpected while reading the file becomes an
    'unreadable' issue naming the file.
    """
    shown = str(
        data_dir
        / resource.get("path", f"<resource {resource.get('name', '?')} has no path>")
    )
    if "path" not in resource:
        return [
            Issue(
                shown,
                "descriptor",
                f"expected a 'path' for resource {resource.get('name', '?')!r}",
            )
        ]
    try:
        issues = check_file(data_dir, resource, shown)
        if any(i.problem == "missing-file" for i in issues) or "schema" not in resource:
            return issues
        encoding = check_encoding(data_dir / resource["path"], resource, shown)
        if encoding:
            return issues + encoding
        if reference_values is None:
            reference_values = referenced_values(data_dir, descriptor)
        if context is None:
            context = package_context(data_dir, descriptor)
        return issues + validate_table(
            data_dir / resource["path"], resource, reference_values, shown, context
        )
    except (
        OSError,
        UnicodeDecodeError,
        csv.Error,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
    ) as err:
        return [
            Issue(
                shown,
                "unreadable",
                f"expected a file the checks can read, found one they cannot: "
                f"{type(err).__name__}: {err}",
            )
        ]


BREAKS_RESOURCE = "series_breaks"
NATIONAL_RESOURCE = "national_urban_rural"


def break_year(row: dict, name: str) -> int | None:
    """The year in column `name` of a break row (text), or None if empty."""
    text = row.get(name, "").strip()
    return int(text) if text.isdigit() else None


def basis_problem(value: dict, brk: dict) -> str | None:
    """Why one national value's basis contradicts one break row for its year, or None if
    it does not.

    A value on the break's new basis must not be older than first_year_backcast (or
    first_year_after); a value on the old basis must not be newer than last_year_before.
    The two may overlap.
    """
    year, basis = int(value["year"]), value.get("basis", "")
    before, after = brk.get("basis_before", ""), brk.get("basis_after", "")
    first_new = break_year(brk, "first_year_backcast") or break_year(
        brk, "first_year_after"
    )
    last_old = break_year(brk, "last_year_before")
    where = f"{BREAKS_RESOURCE}.csv break '{brk['break_id']}'"
    if basis == after and first_new is not None and year < first_new:
        return (
            f"expected basis '{before}' for {value['indicator']} in {year}: {where} "
            f"has basis '{after}' only from {first_new}, found '{basis}'"
        )
    if basis == before and last_old is not None and year > last_old:
        return (
            f"expected basis '{after}' for {value['indicator']} in {year}: {where} has "
            f"basis '{before}' only up to {last_old}, found '{basis}'"
        )
    return None


def break_basis_issues(
    national: list[dict], breaks: list[dict], shown: str
) -> list[Issue]:
    """Issues for national values (text rows) whose basis the break table does not allow
    in their year.
    """
    issues = []
    for brk in breaks:
        if brk.get("scope") != "national" or NATIONAL_RESOURCE not in brk.get(
            "resource", ""
        ).split("; "):
            continue
        indicators = {name.strip() for name in brk.get("indicators", "").split(";")}
        for number, value in enumerate(national, start=1):
            if value.get("indicator") in indicators and value.get("year", "").isdigit():
                problem = basis_problem(value, brk)
                if problem:
                    issues.append(
                        Issue(shown, "break-basis", problem, row=number, column="basis")
                    )
    return issues


def read_records(path: Path) -> list[dict]:
    """Data rows of a CSV as {column: text} (rows of the wrong length are skipped:
    reported elsewhere).
    """
    header, rows = read_rows(path)
    return [dict(zip(header, row)) for row in rows if len(row) == len(header)]


def check_break_bases(data_dir: Path, descriptor: dict) -> list[Issue]:
    """Cross-check: every national value's basis agrees with the series-break table for
    its year.
    """
    paths = {
        r.get("name"): data_dir / r["path"] for r in descriptor.get("resources", [])
    }
    if not all(
        name in paths and paths[name].is_file()
        for name in (BREAKS_RESOURCE, NATIONAL_RESOURCE)
    ):
        return []
    return break_basis_issues(
        read_records(paths[NATIONAL_RESOURCE]),
        read_records(paths[BREAKS_RESOURCE]),
        str(paths[NATIONAL_RESOURCE]),
    )


def validate_package(data_dir: str | Path | None = None) -> list[Issue]:
    """Every issue in the data folder: each resource, plus files that no resource
    describes.
    """
    data_dir = resolve_data_dir(data_dir)
    try:
        descriptor = read_descriptor(data_dir)
    except (FileNotFoundError, ValueError) as err:
        return [Issue(str(data_dir / DESCRIPTOR_NAME), "descriptor", str(err))]
    if not isinstance(descriptor.get("resources"), list) or not all(
        isinstance(r, dict) for r in descriptor["resources"]
    ):
        return [
            Issue(
                str(data_dir / DESCRIPTOR_NAME),
                "descriptor",
                "expected 'resources' to be a list of objects",
            )
        ]
    try:
        reference_values = referenced_values(data_dir, descriptor)
    except (UnicodeDecodeError, csv.Error, OSError):
        # the referenced file's own check reports why it cannot be read
        reference_values = {}
    context = package_context(data_dir, descriptor)
    issues = []
    for resource in descriptor["resources"]:
        issues += validate_resource(
            data_dir, descriptor, resource, reference_values, context
        )
    try:
        issues += check_break_bases(data_dir, descriptor)
    except (UnicodeDecodeError, csv.Error, ValueError, KeyError, OSError):
        pass  # the files involved already carry an encoding or format issue
    return issues + undescribed_files(data_dir, descriptor)
