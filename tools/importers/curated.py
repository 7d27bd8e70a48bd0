"""Curated facts kept as data files in sources/curated/ (not as Python literals): the
provinces table, Figure 1's group labels, series breaks, value conflicts and flags
decided by reading the sources, notes on national rows, rows moved out of the national
series, extra national rows read from the gathering notes, and the lists of sources not
redistributed or not available.

Each file is UTF-8 CSV with a header; empty cells are missing values. The importers read
them through the functions here, which give each column its type.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import pandas as pd

CURATED_DIR = Path(__file__).resolve().parents[2] / "sources" / "curated"


def read_rows(name: str) -> list[dict[str, str]]:
    """Rows of sources/curated/<name> as {column: text}."""
    path = CURATED_DIR / name
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def integer(text: str) -> int | None:
    """int of a cell, None if empty."""
    return int(text) if text != "" else None


def number(text: str) -> float | None:
    """float of a cell, None if empty."""
    return float(text) if text != "" else None


@lru_cache(maxsize=None)
def provinces() -> pd.DataFrame:
    """The 31 provinces: code, names, ISO code, NBS region (English, Chinese),
    municipality (bool).
    """
    frame = pd.DataFrame(read_rows("provinces.csv"))
    frame["province_code"] = frame["province_code"].astype(int)
    frame["is_municipality"] = frame["is_municipality"].map(
        {"true": True, "false": False}
    )
    return frame


def figure1_groups() -> dict[str, tuple[int, str, str, str]]:
    """Group label as published -> (order, group id, clean Chinese label, note on the
    label).
    """
    return {
        row["group_zh_as_published"]: (
            int(row["group_order"]),
            row["group_id"],
            row["group_zh"],
            row["label_note"],
        )
        for row in read_rows("figure1_groups.csv")
    }


def series_breaks() -> pd.DataFrame:
    """Known series breaks (one row per break), years as nullable integers."""
    frame = pd.DataFrame(read_rows("series_breaks.csv"))
    for column in ("last_year_before", "first_year_after", "first_year_backcast"):
        frame[column] = pd.array([integer(v) for v in frame[column]], dtype="Int64")
    return frame


def series_break(break_id: str) -> dict:
    """One break row as a dict (indicators split into a list)."""
    frame = series_breaks()
    rows = frame[frame["break_id"] == break_id]
    if len(rows) != 1:
        raise KeyError(
            f"sources/curated/series_breaks.csv: no single break {break_id!r}"
        )
    row = rows.iloc[0].to_dict()
    row["indicator_list"] = [name.strip() for name in row["indicators"].split(";")]
    return row


def conflicts() -> list[tuple]:
    """Value conflicts decided by reading the sources: rows in CONFLICT_COLUMNS order,
    typed.
    """
    out = []
    for row in read_rows("value_conflicts.csv"):
        out.append(
            (
                row["conflict_id"],
                row["scope"],
                row["resource"],
                row["indicator"],
                integer(row["province_code"]),
                int(row["year"]),
                number(row["value_used"]),
                row["value_used_source"],
                number(row["value_other"]),
                row["value_other_as_published"],
                row["value_other_source"],
                row["kind"],
                row["decision"],
                row["reason"],
            )
        )
    return out


def flags() -> list[tuple]:
    """Flags decided by reading the sources: (resource, column, province_code, year,
    flag, reason).
    """
    return [
        (
            row["resource"],
            row["column"],
            integer(row["province_code"]),
            integer(row["year"]),
            row["flag"],
            row["reason"],
        )
        for row in read_rows("value_flags.csv")
    ]


def national_flags() -> dict[tuple[str, int], tuple[str, str]]:
    """(indicator, year) -> (flag, reason) for national rows, from the curated flags."""
    return {
        (resource_column, year): (flag, reason)
        for resource, resource_column, _code, year, flag, reason in flags()
        if resource == "national_urban_rural"
    }


def national_dropped() -> set[tuple[str, int, str]]:
    """(indicator, year, value as published) of gathered national rows moved to
    value_conflicts.
    """
    return {
        (row["indicator"], int(row["year"]), row["value"])
        for row in read_rows("national_dropped.csv")
    }


def national_notes(kind: str) -> dict[tuple[str, int], tuple[str, str]]:
    """(indicator, year) -> (reference_date, note) of national rows of one kind
    ('dated_statement', 'backcast').
    """
    return {
        (row["indicator"], int(row["year"])): (row["reference_date"], row["note"])
        for row in read_rows("national_notes.csv")
        if row["kind"] == kind
    }


def national_extra_rows() -> pd.DataFrame:
    """National values recorded in the gathering notes but not in the gathered CSV, as
    rows of that CSV.
    """
    return pd.DataFrame(read_rows("national_extra_rows.csv"), dtype=str)


def not_redistributed() -> list[dict]:
    """Sources cited but not copied into data/: title, path, reason."""
    return [dict(row) for row in read_rows("not_redistributed.csv")]


def not_available() -> list[dict]:
    """Data the analysis would want but no gathered source has: what, missing,
    where_online.
    """
    return [dict(row) for row in read_rows("not_available.csv")]
