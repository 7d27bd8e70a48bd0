"""Facts that several modules need, each read from its one place in data/ (never
re-typed in code).

- region names in Chinese and the municipalities: data/provinces.csv (region_zh,
  is_municipality);
- chart source lines: each resource's source_line in data/datapackage.json;
- which resource holds a provincial column: the descriptor's schemas (panel_catalogue);
- values the book does not use: the 'suspect' flags of data/value_flags.csv.
The one coverage rule that several charts share (latest year in which a score covers as
many provinces as its best-covered year) is here too, because it is a fact about data
coverage, not about a chart.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from helpers.data.loaders import load, panel_catalogue, resource_info


def region_names(data_dir: str | Path | None = None) -> dict[str, str]:
    """NBS region (English) -> Chinese name, from provinces.csv (e.g. 'East' ->
    '东部').
    """
    table = load("provinces", data_dir)
    return dict(zip(table["region"], table["region_zh"]))


def region_label(region: str, data_dir: str | Path | None = None) -> str:
    """'东部 East' style label for an NBS region (the region itself if provinces.csv
    does not know it).
    """
    chinese = region_names(data_dir).get(region)
    return f"{chinese} {region}" if chinese else region


def municipality_codes(data_dir: str | Path | None = None) -> list[int]:
    """GB/T 2260 codes of the four municipalities (is_municipality in provinces.csv):
    110000, 120000, ...
    """
    table = load("provinces", data_dir)
    return sorted(
        int(code)
        for code in table.loc[table["is_municipality"].astype(bool), "province_code"]
    )


def source_line(
    resources: Iterable[str], note: str = "", data_dir: str | Path | None = None
) -> str:
    """Chart source line: 'Source(s): <each resource's source_line>' (descriptor), then
    the note if any.

    Each resource's own source_line is used as written after its 'Source: ' prefix;
    resources are named in the order given, without repeats.
    """
    names = list(dict.fromkeys(resources))
    if not names:
        raise ValueError("source_line needs at least one data resource name")
    parts = [
        resource_info(name, data_dir)["source_line"]
        .removeprefix("Source: ")
        .removeprefix("Sources: ")
        for name in names
    ]
    text = ("Source: " if len(parts) == 1 else "Sources: ") + "; ".join(parts)
    return f"{text}. {note}" if note else text


def resources_for(
    columns: Iterable[str],
    catalogue: pd.DataFrame | None = None,
    data_dir: str | Path | None = None,
) -> list[str]:
    """Data resources (descriptor names, in first-use order) that hold the given
    provincial panel columns.
    """
    catalogue = panel_catalogue(data_dir) if catalogue is None else catalogue
    lookup = dict(zip(catalogue["column"], catalogue["resource"]))
    columns = list(columns)
    unknown = [c for c in columns if c not in lookup]
    if unknown:
        raise KeyError(
            f"unknown provincial column(s) {unknown}; see "
            "helpers.data.panel_catalogue()"
        )
    return list(dict.fromkeys(lookup[c] for c in columns))


def latest_full_year(
    frame: pd.DataFrame, column: str, entity: str = "province_code", time: str = "year"
) -> int:
    """Latest year in which `column` covers as many entities (provinces) as in its
    best-covered year.
    """
    counts = frame.dropna(subset=[column]).groupby(time)[entity].nunique()
    if counts.empty:
        raise ValueError(
            f"column {column!r} has no values, so it has no latest full year"
        )
    return int(counts[counts == counts.max()].index.max())


def suspect_values(
    columns: Iterable[str] | None = None, data_dir: str | Path | None = None
) -> pd.DataFrame:
    """Cells flagged 'suspect' in value_flags.csv (province_code, year, column, reason),
    optionally for some columns.

    Only cell-level flags (a province and a year) are returned; these are the published
    values the book does not use in computations, with the reason recorded once, in
    data/.
    """
    flags = load("value_flags", data_dir)
    rows = flags[
        (flags["flag"] == "suspect")
        & flags["province_code"].notna()
        & flags["year"].notna()
    ]
    if columns is not None:
        rows = rows[rows["column"].isin(list(columns))]
    out = rows[["province_code", "year", "column", "reason"]].astype(
        {"province_code": int, "year": int}
    )
    return out.sort_values(["column", "province_code", "year"]).reset_index(drop=True)
