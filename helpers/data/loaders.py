"""One way to read data/: validated, typed pandas frames for every resource in the
descriptor.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data.descriptor import find_resource, read_descriptor, resolve_data_dir
from helpers.data.provinces import alias_map, code_for, codes_for
from helpers.data.validate import DataValidationError, validate_resource

PANEL_KEYS = ["province_code", "year"]
PROVINCE_COLUMNS = ["province_code", "province_zh", "province_en", "region"]
# Cache of typed frames, keyed by file identity so an edited file is re-validated.
_FRAMES: dict[tuple, pd.DataFrame] = {}


def typed_frame(path: Path, schema: dict) -> pd.DataFrame:
    """Read a CSV as text, then give each column the pandas type its schema field
    declares.
    """
    missing = schema.get("missingValues", [""])
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for field in schema.get("fields", []):
        column = frame[field["name"]].where(~frame[field["name"]].isin(missing))
        kind = field.get("type", "string")
        if kind == "integer":
            frame[field["name"]] = pd.to_numeric(column).astype("Int64")
        elif kind == "number":
            frame[field["name"]] = pd.to_numeric(column).astype(float)
        elif kind == "boolean":
            frame[field["name"]] = column.map({"true": True, "false": False}).astype(
                "boolean"
            )
        else:
            frame[field["name"]] = column
    return frame


def load(name: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The resource `name` as a typed DataFrame, after validating it against
    datapackage.json.
    """
    data_dir = resolve_data_dir(data_dir)
    descriptor = read_descriptor(data_dir)
    resource = find_resource(descriptor, name)
    if "schema" not in resource:
        raise ValueError(
            f"resource {name!r} is a raw file ({resource['path']}), not a table; "
            "see resource_info(name) for what it is"
        )
    path = data_dir / resource["path"]
    stat = path.stat() if path.is_file() else None
    key = (
        str(path.resolve()),
        stat.st_mtime_ns if stat else None,
        stat.st_size if stat else None,
        resource.get("hash"),
    )
    if key not in _FRAMES:
        issues = validate_resource(data_dir, descriptor, resource)
        if issues:
            raise DataValidationError(issues)
        _FRAMES[key] = typed_frame(path, resource["schema"])
    return _FRAMES[key].copy()


def package_descriptor(data_dir: str | Path | None = None) -> dict:
    """The parsed data/datapackage.json (resources, not_redistributed,
    not_available).
    """
    return read_descriptor(data_dir)


def resource_source_line(resource: dict) -> str:
    """Short 'Source: ...' text of one descriptor entry: its source_line, or its first
    two sources.
    """
    if resource.get("source_line"):
        return resource["source_line"]
    sources = resource.get("sources", [])
    return (
        "Source: " + "; ".join(s.get("title", "") for s in sources[:2])
        if sources
        else ""
    )


def resource_info(name: str, data_dir: str | Path | None = None) -> dict:
    """Title, description, source line, sources, licence, URL, units and coverage of a
    resource.
    """
    resource = find_resource(read_descriptor(data_dir), name)
    licences = resource.get("licenses", [])
    sources = resource.get("sources", [])
    fields = resource.get("schema", {}).get("fields", [])
    return {
        "name": name,
        "title": resource.get("title", ""),
        "description": resource.get("description", ""),
        "path": resource.get("path", ""),
        "kind": resource.get("kind", ""),
        "source_line": resource_source_line(resource),
        "sources": sources,
        "licence": licences[0].get("title", licences[0].get("name", ""))
        if licences
        else "not stated",
        "redistribution": licences[0].get("redistribution", "") if licences else "",
        "url": sources[0].get("path", "") if sources else "",
        "units": {f["name"]: f.get("unit", "") for f in fields},
        "coverage": resource.get("coverage", ""),
    }


def provinces(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The 31 provinces: GB/T 2260 code, Chinese and English names, NBS four-region
    group.
    """
    return load("provinces", data_dir)


def province_code(name, data_dir: str | Path | None = None) -> int:
    """GB/T 2260 code for a province name in any spelling the reference table knows;
    error if unknown.
    """
    return code_for(name, alias_map(provinces(data_dir)))


def province_codes(
    names, data_dir: str | Path | None = None, source: str = ""
) -> list[int]:
    """Codes for many names; UnknownProvinceError names the first unknown name and its
    position.
    """
    return codes_for(names, alias_map(provinces(data_dir)), source)


def resources_of_kind(kind: str, data_dir: str | Path | None = None) -> list[dict]:
    """Descriptor entries whose custom 'kind' property equals `kind` (e.g.
    'provincial_panel').
    """
    return [
        r
        for r in read_descriptor(data_dir).get("resources", [])
        if r.get("kind") == kind
    ]


def panel_catalogue(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every provincial indicator column: its resource, title, unit, basis and
    description.
    """
    rows = []
    for resource in resources_of_kind("provincial_panel", data_dir):
        for field in resource["schema"]["fields"]:
            if field["name"] not in PANEL_KEYS:
                rows.append(
                    {
                        "column": field["name"],
                        "resource": resource["name"],
                        "title": field.get("title", ""),
                        "unit": field.get("unit", ""),
                        "basis": field.get("basis", ""),
                        "description": field.get("description", ""),
                    }
                )
    return pd.DataFrame(
        rows, columns=["column", "resource", "title", "unit", "basis", "description"]
    )


def blank_suspect_values(frame: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """Copy of a panel with cells flagged 'suspect' in value_flags set to missing
    (explicit opt-in).
    """
    frame = frame.copy()
    for flag in flags[flags["flag"] == "suspect"].itertuples():
        if flag.column not in frame.columns:
            continue
        rows = pd.Series(True, index=frame.index)
        if not pd.isna(flag.province_code):
            rows &= frame["province_code"] == flag.province_code
        if not pd.isna(flag.year):
            rows &= frame["year"] == flag.year
        frame.loc[rows, flag.column] = pd.NA
    return frame


def provincial_panel(
    columns: list[str] | None = None,
    data_dir: str | Path | None = None,
    drop_suspect: bool = False,
) -> pd.DataFrame:
    """Wide province-year frame of the requested indicator columns, joined across
    resources.

    Columns on different bases (across a series break) are separate columns, so nothing
    is spliced. Rows are the province-years where at least one requested column has a
    value.
    """
    catalogue = panel_catalogue(data_dir)
    wanted = list(catalogue["column"]) if columns is None else list(columns)
    unknown = [c for c in wanted if c not in set(catalogue["column"])]
    if unknown:
        raise KeyError(
            f"unknown provincial column(s) {unknown}; see "
            f"helpers.data.panel_catalogue() for the {len(catalogue)} available columns"
        )
    panel = None
    for resource_name, group in catalogue[catalogue["column"].isin(wanted)].groupby(
        "resource", sort=False
    ):
        part = load(resource_name, data_dir)[PANEL_KEYS + list(group["column"])]
        panel = part if panel is None else panel.merge(part, on=PANEL_KEYS, how="outer")
    panel = panel.dropna(subset=wanted, how="all")
    if drop_suspect:
        panel = blank_suspect_values(panel, value_flags(data_dir))
    names = provinces(data_dir)[PROVINCE_COLUMNS]
    panel = names.merge(panel, on="province_code", how="right")
    ordered = PROVINCE_COLUMNS + ["year"] + wanted
    return panel[ordered].sort_values(PANEL_KEYS).reset_index(drop=True)


# Long-form columns shown beside a wide column where set: long column -> wide suffix.
WIDE_MARKERS = {"qualifier": "qualifier", "flag": "flag", "reference_date": "date"}


def national_column_name(indicator: str, basis: str, period: str) -> str:
    """Wide column name: the indicator, plus '__<basis>' off the current basis,
    '__<period>' if not annual.
    """
    name = indicator
    if basis != "current":
        name += f"__{basis}"
    if period != "year":
        name += f"__{period}"
    return name


def national_series(
    indicators: list[str] | None = None,
    period: str | None = "year",
    wide: bool = True,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """National urban-rural series, one row per year (wide) or per observation
    (wide=False).

    Each (indicator, basis, period) is its own column, so old-basis or pre-census values
    never join the current series. Bounds such as '>90' keep their number in the value
    column and their sign in a '<column>__qualifier' column; flagged values (e.g.
    suspect) get a '<column>__flag' column; values stated during the year rather than at
    its end (e.g. 5G villages, July 2024) get a '<column>__date' column with the ISO
    date. The long form also has a 'note' column (e.g. 2012 values that NBS
    back-calculated on the 2013 integrated-survey basis).
    """
    frame = load("national_urban_rural", data_dir)
    if indicators is not None:
        unknown = sorted(set(indicators) - set(frame["indicator"]))
        if unknown:
            raise KeyError(
                f"unknown national indicator(s) {unknown}; known: "
                f"{sorted(set(frame['indicator']))}"
            )
        frame = frame[frame["indicator"].isin(indicators)]
    if period is not None:
        frame = frame[frame["period"] == period]
    if not wide:
        return frame.reset_index(drop=True)
    frame = frame.assign(
        column=[
            national_column_name(i, b, p)
            for i, b, p in zip(frame["indicator"], frame["basis"], frame["period"])
        ]
    )
    wide_frame = frame.pivot(index="year", columns="column", values="value")
    for extra, suffix in WIDE_MARKERS.items():
        marked = (
            frame[frame[extra].fillna("=").ne("=") & frame[extra].notna()]
            if extra == "qualifier"
            else frame[frame[extra].notna()]
        )
        for column in sorted(set(marked["column"])):
            values = frame[frame["column"] == column].set_index("year")[extra]
            wide_frame[f"{column}__{suffix}"] = values
    wide_frame = wide_frame[sorted(wide_frame.columns)]
    wide_frame.columns.name = None
    return wide_frame.reset_index()


def series_breaks(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Known series breaks (definition, survey or census changes): one row per break."""
    return load("series_breaks", data_dir)


def value_conflicts(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Values on which sources disagree: both values, their sources, the one used and
    why.
    """
    return load("value_conflicts", data_dir)


def value_flags(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Values kept as published but flagged (suspect, weak source, caveat), with the
    reason.
    """
    return load("value_flags", data_dir)
