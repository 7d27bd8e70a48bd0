"""Building blocks shared by every importer: the Resource record, Table Schema fields,
sources and licences, CSV writing, province codes, and the pinned upstream repositories.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

import pandas as pd
from importers import curated

from helpers.data.provinces import alias_map, codes_for

PROVINCIAL = "provincial"  # folder of the provincial inputs under the sources folder

# --------------------------------------------------------------------------------------
# Descriptor building blocks
# --------------------------------------------------------------------------------------


@dataclass
class Resource:
    """One file of data/ with everything the descriptor says about it."""

    name: str
    path: str
    title: str
    description: str
    kind: str
    sources: list[dict]
    licenses: list[dict]
    frame: pd.DataFrame | None = None
    fields: list[dict] = dataclass_field(default_factory=list)
    primary_key: list[str] = dataclass_field(default_factory=list)
    foreign_keys: list[dict] = dataclass_field(default_factory=list)
    source_line: str = ""
    coverage: str = ""
    raw_from: Path | None = None
    extra: dict = dataclass_field(default_factory=dict)


def field(
    name,
    ftype,
    title,
    unit="",
    description="",
    minimum=None,
    maximum=None,
    enum=None,
    required=False,
    basis="",
    pattern=None,
    unique=False,
):
    """A Table Schema field with our custom 'unit' (and 'basis') properties."""
    spec = {"name": name, "type": ftype, "title": title}
    if unit:
        spec["unit"] = unit
    if description:
        spec["description"] = description
    if basis:
        spec["basis"] = basis
    constraints = {}
    if required:
        constraints["required"] = True
    if minimum is not None:
        constraints["minimum"] = minimum
    if maximum is not None:
        constraints["maximum"] = maximum
    if enum is not None:
        constraints["enum"] = list(enum)
    if pattern is not None:
        constraints["pattern"] = pattern
    if unique:
        constraints["unique"] = True
    if constraints:
        spec["constraints"] = constraints
    return spec


def share(name, title, description="", basis=""):
    """A percentage field constrained to 0-100."""
    return field(name, "number", title, "percent", description, 0, 100, basis=basis)


def amount(name, title, unit, description="", basis=""):
    """A non-negative quantity field."""
    return field(name, "number", title, unit, description, 0, basis=basis)


def province_key_fields(first_year, last_year):
    """province_code + year fields of a provincial panel."""
    return [
        field(
            "province_code",
            "integer",
            "Province code (GB/T 2260)",
            "",
            "Six-digit GB/T 2260 code; see resource 'provinces'.",
            required=True,
        ),
        field(
            "year",
            "integer",
            "Year",
            "calendar year",
            "",
            first_year,
            last_year,
            required=True,
        ),
    ]


PROVINCE_FK = [
    {
        "fields": "province_code",
        "reference": {"resource": "provinces", "fields": "province_code"},
    }
]


def source(title, publisher, path="", table="", year=None, **more):
    """A Data Package source entry (path = URL)."""
    entry = {"title": title, "publisher": publisher}
    if table:
        entry["table"] = table
    if path:
        entry["path"] = path
    if year is not None:
        entry["year"] = year
    entry.update(more)
    return entry


LICENCE_OFFICIAL_NONE = {
    "name": "not-stated",
    "title": "Not stated (official statistics)",
    "redistribution": (
        "No licence is stated by the compiler. The values are official statistics "
        "published by a government body (NBS and others); we redistribute them as "
        "facts with attribution. Any rights in the compiler's file stay with the "
        "compiler, which is why only values are kept, with their source."
    ),
}


def licence_mit(holder):
    """MIT licence of a compilation whose values are official statistics."""
    return {
        "name": "MIT",
        "path": "https://opensource.org/licenses/MIT",
        "title": f"MIT (compilation, {holder}); the values are official statistics",
        "redistribution": (
            "Redistribution allowed with the copyright notice of the compilation."
        ),
    }


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def format_number(value) -> str:
    """Text for a number in a CSV: '' for missing, integers without '.0', else the
    shortest repr.
    """
    if (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or value is pd.NA
    ):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value)) if isinstance(value, float) else str(value)


def write_table(frame: pd.DataFrame, fields: list[dict], path: Path) -> None:
    """Write a frame with exactly the schema's columns, numbers formatted, UTF-8, LF
    line ends.
    """
    out = pd.DataFrame()
    for spec in fields:
        column = frame[spec["name"]]
        if spec["type"] in ("number", "integer"):
            out[spec["name"]] = [format_number(v) for v in column]
        elif spec["type"] == "boolean":
            out[spec["name"]] = [
                "" if pd.isna(v) else ("true" if v else "false") for v in column
            ]
        else:
            # Newlines inside a cell would break the 'CSV line = row + 1' rule of the
            # validator.
            out[spec["name"]] = [
                "" if pd.isna(v) else str(v).replace("\n", " ").replace("\r", " ")
                for v in column
            ]
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


# Every input file an importer opens, so the run can be checked against the recorded
# list (sources/inputs.csv).
INPUTS_USED: set[Path] = set()


def read_csv(path: Path, **kwargs) -> pd.DataFrame:
    """A source CSV (UTF-8, with or without BOM); the path is recorded as an input
    used.
    """
    INPUTS_USED.add(Path(path))
    return pd.read_csv(path, encoding="utf-8-sig", **kwargs)


# --------------------------------------------------------------------------------------
# Provincial panels
# --------------------------------------------------------------------------------------

ALIASES = alias_map(curated.provinces())
NATIONAL_LABELS = {"全国", "全国合计", "national", "China"}


def with_codes(frame: pd.DataFrame, name_column: str, source_name: str) -> pd.DataFrame:
    """Frame with province_code from the names in `name_column`; national rows must be
    dropped before.
    """
    frame = frame.copy()
    frame["province_code"] = codes_for(frame[name_column], ALIASES, source_name)
    return frame


def drop_national(frame: pd.DataFrame, name_column: str) -> pd.DataFrame:
    """Rows that are not national totals."""
    return frame[~frame[name_column].astype(str).str.strip().isin(NATIONAL_LABELS)]


def wide_from_long(
    long: pd.DataFrame,
    mapping: dict,
    source_name: str,
    indicator="indicator",
    value="value",
) -> pd.DataFrame:
    """Wide province-year frame: one column per mapped indicator; error on duplicate
    keys.
    """
    picked = long[long[indicator].isin(mapping)].copy()
    picked["column"] = picked[indicator].map(mapping)
    duplicated = picked.duplicated(["province_code", "year", "column"], keep=False)
    if duplicated.any():
        raise ValueError(
            f"{source_name}: duplicate province-year "
            f"values:\n{picked[duplicated].head()}"
        )
    wide = picked.pivot(
        index=["province_code", "year"], columns="column", values=value
    ).reset_index()
    wide.columns.name = None
    return wide


def coverage_text(frame: pd.DataFrame, columns: list[str]) -> str:
    """'column: first-last (n values); ...' for a panel's indicator columns."""
    parts = []
    for column in columns:
        years = frame.loc[frame[column].notna(), "year"]
        if len(years):
            parts.append(
                f"{column}: {years.min()}-{years.max()} ({len(years)} province-years)"
            )
    return "; ".join(parts)


def panel_resource(
    name,
    title,
    description,
    frame,
    value_fields,
    sources,
    licenses,
    source_line,
    first_year,
    last_year,
    extra=None,
) -> Resource:
    """A provincial panel resource keyed by province_code + year (rows with no value
    dropped).
    """
    columns = [f["name"] for f in value_fields]
    frame = frame[["province_code", "year"] + columns].dropna(subset=columns, how="all")
    frame = frame.sort_values(["province_code", "year"]).reset_index(drop=True)
    return Resource(
        name=name,
        path=f"{name}.csv",
        title=title,
        description=description,
        kind="provincial_panel",
        sources=sources,
        licenses=licenses,
        frame=frame,
        fields=province_key_fields(first_year, last_year) + value_fields,
        primary_key=["province_code", "year"],
        foreign_keys=PROVINCE_FK,
        source_line=source_line,
        coverage=coverage_text(frame, columns),
        extra=extra or {},
    )


def github_source(title, repo, commit, path, publisher, table="", year=None):
    """Source entry for a file in a public GitHub repository at a commit."""
    return source(
        title,
        publisher,
        f"https://github.com/{repo}/blob/{commit}/{path}",
        table=table,
        year=year,
        repository=repo,
        commit=commit,
    )


NBS = "National Bureau of Statistics of China (NBS)"
NBS_FSND = "https://data.stats.gov.cn/easyquery.htm?cn=E0103"
RAIN118 = (
    "Rain-118/China-s-agricultural-green-transformation-monitoring-screen",
    "8c3f6b10db5db3285bdd4b3ab7ec36e03801569e",
)
VERVAIN = ("vervain1902/human-capital", "7186f2fe6cba332407ce96501fe28cbf60b55d16")
AHIA11 = ("ahia11/SHU-CES---ttc-platform", "151eb23771662afbb2d75e5b16658f094f386193")
RENJIYI = (
    "RenJiyi163/panel_data_analysis_for_thesis",
    "e6d65372ec36319dd3d838f5c5e12841f7c77f26",
)
TECHME = ("huhuaping/techme", "9ad60a190dec4a56953da9c478d42cd44c80762a")
TECEXP = ("1376524890/tec_expenditure", "e84be71b604e212df566bfb0886bf2a77c9a0449")
WANGMENG = (
    "WangMeng0734/china-provincial-energy-consumption-panel",
    "b55589e1e406719d98d8a91fd3166a3139901e95",
)
OPENCLIMATE = (
    "Open-Earth-Foundation/OpenClimate",
    "822037b737999c397f58b442a5a31e4098dd42e1",
)
PKU_REPO = (
    "pedrohcgs/claude-code-my-workflow",
    "f97ce33c8bd0084937fcd2c98b37e26c8ca24198",
)
STUDENT_INTERNET = (
    "yangyanghuiming/python-final",
    "82307f6566cabb8d1db25e140e63ed2f8296d0d5",
)
LMQ = ("1lmq/FYP_QMM2_Chinese_Railways", "ad20598b1532abab0d369ba66e7204df0bffdf87")

PROVINCE_EN = dict(
    zip(curated.provinces()["province_code"], curated.provinces()["province_en"])
)
IDENTITY_TOLERANCE = (
    1.0  # provinces vs national total: rounding differences stay below this (10,000 kW)
)


def thousands(value: float) -> str:
    """'8,987.3' for a number (shortest form up to 2 decimals, thousands separated)."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text


def cell(frame: pd.DataFrame, column: str, code: int, year: int) -> float:
    """One province-year value of a panel frame (error if absent)."""
    hit = frame.loc[(frame["province_code"] == code) & (frame["year"] == year), column]
    if hit.empty or pd.isna(hit.iloc[0]):
        raise ValueError(
            f"{column}: no value for {PROVINCE_EN[code]} {year}, which a flag check "
            "expects"
        )
    return float(hit.iloc[0])
