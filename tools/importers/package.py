"""Write data/ and data/datapackage.json: every resource, its declared checks (expected
rows and coverage, plausible ranges) and its SHA-256.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pandas as pd
from importers import curated
from importers.checks import provincial_resources
from importers.common import Resource, write_table
from importers.figure1 import digital_literacy_resource
from importers.metadata import (
    breaks_resource,
    conflicts_resource,
    curated_conflicts,
    flags_resource,
)
from importers.national import DROPPED_NATIONAL, national_resource
from importers.provinces import provinces_resource
from importers.raw import raw_resources

from helpers.data.descriptor import DESCRIPTOR_NAME, hash_string

# --------------------------------------------------------------------------------------
# Writing data/ and the descriptor
# --------------------------------------------------------------------------------------

PACKAGE_META = {
    # holds raw (non-tabular) files too; "tabular-data-package" would be invalid
    "profile": "data-package",
    "name": "nqpf-urban-rural-data",
    "title": (
        "Data for the NQPF and urban-rural integration teaching and replication book"
    ),
    "description": (
        "Tidy copies of public statistics behind the book on Liu Yuyang (2024), "
        "rebuilt by `make data SOURCES=folder` (tools/import_sources.py) from the "
        "inputs listed with their SHA-256 in sources/inputs.csv, with raw files kept "
        "where their original form matters. Every value traces to a named public "
        "source; nothing is interpolated or filled. Each resource states its own "
        "sources and licence; 'kind' says how helpers.data uses it (reference, figure, "
        "national, provincial_panel, provincial_points, metadata, raw). Beyond the "
        "Table Schema (types, constraints incl. unique, keys, foreign keys) and the "
        "hash, each table declares what `python -m helpers validate` checks: "
        "'encoding' (UTF-8, no byte-order mark), 'expected' (rows; for provincial "
        "panels the years and provinces per year) and, on numeric fields, 'plausible' "
        "(or 'plausibleBy' an indicator): the observed range widened four-fold and "
        "rounded outward, outside which a value fails unless value_flags flags it "
        "suspect. These checks are the project's own rather than Frictionless's: "
        "measured, Frictionless 5.21 caught one of six checksum-consistent "
        "corruptions, at about twice the CPU time and 43 extra packages (README, "
        "'Validation beyond the checksum'); this descriptor stays valid for it."
    ),
    "licenses": [
        {"name": "various", "title": "Per resource (see each resource's licenses)"}
    ],
}


# Plausible ranges: the observed range of a column (values flagged suspect left out)
# widened by this factor and rounded outward to one significant digit. A unit slip (x or
# / 100, 10,000) lands outside; a value that is right but outside must be flagged
# suspect in value_flags (the validator then accepts it).
PLAUSIBLE_FACTOR = 4
KEY_FIELDS = {
    "province_code",
    "year",
    "point_id",
    "group_order",
    "difference_from_panel",
}


def one_digit(value: float, up: bool) -> float:
    """value rounded to one significant digit, up (away from zero) or down (towards
    zero).
    """
    if value == 0:
        return 0.0
    exponent = math.floor(math.log10(abs(value)))
    mantissa = abs(value) / 10**exponent
    digit = math.ceil(mantissa - 1e-9) if up else math.floor(mantissa + 1e-9)
    return math.copysign(float(f"{digit}e{exponent}"), value)


def plausible_bounds(values: pd.Series) -> list[float]:
    """[minimum, maximum] a column may plausibly hold: observed range widened by
    PLAUSIBLE_FACTOR, one digit.
    """
    low, high = float(values.min()), float(values.max())
    lower = (
        one_digit(low / PLAUSIBLE_FACTOR, up=False)
        if low > 0
        else one_digit(low * PLAUSIBLE_FACTOR, up=True)
    )
    upper = (
        one_digit(high * PLAUSIBLE_FACTOR, up=True)
        if high > 0
        else one_digit(high / PLAUSIBLE_FACTOR, up=False)
    )
    return [lower, upper]


def unflagged(
    frame: pd.DataFrame,
    resource: str,
    column: str,
    suspect: list[tuple],
    key: str | None = None,
) -> pd.Series:
    """Numeric values of `column`, without cells a suspect flag covers (key: column
    naming the indicator, long tables).
    """
    keep = frame[column].notna()
    for flag_resource, flag_column, code, year in suspect:
        if flag_resource != resource:
            continue
        hit = (
            (frame[key] == flag_column)
            if key
            else pd.Series(flag_column == column, index=frame.index)
        )
        if code is not None and not pd.isna(code) and "province_code" in frame:
            hit &= frame["province_code"] == code
        if year is not None and not pd.isna(year) and "year" in frame:
            hit &= frame["year"] == year
        keep &= ~hit
    return pd.to_numeric(frame.loc[keep, column])


def declared_fields(resource: Resource, suspect: list[tuple]) -> list[dict]:
    """The schema fields with a 'plausible' range on each numeric value column (or
    'plausibleBy' indicator).
    """
    fields = [dict(spec) for spec in resource.fields]
    if resource.kind not in (
        "provincial_panel",
        "provincial_points",
        "national",
        "figure",
    ):
        return fields
    for spec in fields:
        if spec["type"] not in ("number", "integer") or spec["name"] in KEY_FIELDS:
            continue
        if resource.kind == "national":
            ranges = {}
            for indicator, rows in resource.frame.groupby("indicator", sort=True):
                values = unflagged(
                    rows, resource.name, spec["name"], suspect, key="indicator"
                )
                if len(values):
                    ranges[indicator] = plausible_bounds(values)
            spec["plausibleBy"] = {"field": "indicator", "ranges": ranges}
            continue
        values = unflagged(resource.frame, resource.name, spec["name"], suspect)
        if len(values):
            low, high = plausible_bounds(values)
            # never wider than the hard limits (e.g. a share's 0-100)
            hard = spec.get("constraints", {})
            low = max(low, hard["minimum"]) if "minimum" in hard else low
            high = min(high, hard["maximum"]) if "maximum" in hard else high
            spec["plausible"] = {"minimum": low, "maximum": high}
    return fields


def expected_shape(resource: Resource) -> dict:
    """Rows (and, for provincial panels, years and provinces per year) the validator
    must find.
    """
    expected = {"rows": len(resource.frame)}
    if resource.kind == "provincial_panel":
        counts = resource.frame.groupby("year")["province_code"].nunique()
        expected["years"] = [int(year) for year in counts.index]
        same = counts.nunique() == 1
        expected["provinces_per_year"] = (
            int(counts.iloc[0]) if same else {str(y): int(n) for y, n in counts.items()}
        )
    return expected


def resource_entry(
    resource: Resource, data_dir: Path, suspect: list[tuple] = ()
) -> dict:
    """The descriptor entry for one written file (hash and size computed from the
    file).
    """
    path = data_dir / resource.path
    entry = {
        "name": resource.name,
        "path": resource.path,
        "title": resource.title,
        "description": resource.description,
        "kind": resource.kind,
    }
    if resource.fields:
        entry.update(
            {
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
            }
        )
    else:
        entry.update(
            {
                "profile": "data-resource",
                "format": path.suffix.lstrip(".").lower() or "bin",
            }
        )
    entry.update(
        {
            "bytes": path.stat().st_size,
            "hash": hash_string(path),
            "sources": resource.sources,
            "licenses": resource.licenses,
        }
    )
    if resource.source_line:
        entry["source_line"] = resource.source_line
    if resource.coverage:
        entry["coverage"] = resource.coverage
    entry.update(resource.extra)
    if resource.fields:
        entry["expected"] = expected_shape(resource)
        schema = {
            "fields": declared_fields(resource, list(suspect)),
            "missingValues": [""],
            "primaryKey": resource.primary_key,
        }
        if resource.foreign_keys:
            schema["foreignKeys"] = resource.foreign_keys
        entry["schema"] = schema
    return entry


def write_resource(resource: Resource, data_dir: Path) -> None:
    """Write a tidy table, or copy a raw file byte for byte."""
    target = data_dir / resource.path
    if resource.raw_from is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(resource.raw_from, target)
    else:
        write_table(resource.frame, resource.fields, target)


def check_unique_panel_columns(resources: list[Resource]) -> None:
    """Panel column names must be unique across resources (provincial_panel joins by
    name).
    """
    seen = {}
    for resource in resources:
        if resource.kind != "provincial_panel":
            continue
        for spec in resource.fields:
            if spec["name"] in ("province_code", "year"):
                continue
            if spec["name"] in seen:
                raise ValueError(
                    f"column {spec['name']!r} in both {seen[spec['name']]} and "
                    f"{resource.name}"
                )
            seen[spec["name"]] = resource.name


def build_resources(src: Path) -> list[Resource]:
    """Every resource of data/, in descriptor order."""
    national, moved_national = national_resource(src)
    resources = [provinces_resource(), digital_literacy_resource(src), national]
    conflicts = curated_conflicts()
    flags = curated.flags()
    provincial, more_conflicts, more_flags = provincial_resources(src)
    resources += provincial
    conflicts += more_conflicts
    flags += more_flags
    resources += [
        breaks_resource(),
        conflicts_resource(conflicts),
        flags_resource(flags),
    ]
    resources += raw_resources(src)
    if len(moved_national) != len(DROPPED_NATIONAL):
        raise ValueError(
            f"expected {len(DROPPED_NATIONAL)} national rows moved to conflicts, "
            f"found {len(moved_national)}"
        )
    return resources


def write_package(resources: list[Resource], data_dir: Path) -> None:
    """Write every resource, remove stale files, and write datapackage.json."""
    check_unique_panel_columns(resources)
    names = [r.name for r in resources]
    if len(names) != len(set(names)):
        raise ValueError(
            "duplicate resource names: "
            f"{sorted(n for n in names if names.count(n) > 1)}"
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    keep = {r.path for r in resources} | {DESCRIPTOR_NAME}
    for path in sorted(data_dir.rglob("*"), reverse=True):
        relative = path.relative_to(data_dir).as_posix()
        if path.is_file() and relative not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    for resource in resources:
        write_resource(resource, data_dir)
    descriptor = dict(PACKAGE_META)
    flags = next(r.frame for r in resources if r.name == "value_flags")
    suspect = [
        (f.resource, f.column, f.province_code, f.year)
        for f in flags[flags["flag"] == "suspect"].itertuples()
    ]
    descriptor["resources"] = [resource_entry(r, data_dir, suspect) for r in resources]
    descriptor["not_redistributed"] = curated.not_redistributed()
    descriptor["not_available"] = curated.not_available()
    (data_dir / DESCRIPTOR_NAME).write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
