"""National totals built from provincial panels, growth indices, and a screen for doubtful province-years.

Functions take a province-year panel (helpers.data.provincial_panel) and return tables; nothing is read
from files and nothing is filled in: a year with a province missing has no total.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def national_total(panel: pd.DataFrame, column: str, expected_units: int | None = None, year: str = "year",
                   unit: str = "province_code") -> pd.Series:
    """Sum of a column over provinces for each year in which every expected province has a value."""
    for name in (year, unit, column):
        if name not in panel.columns:
            raise KeyError(f"column {name!r} not found; columns present: {list(panel.columns)}")
    expected = panel[unit].nunique() if expected_units is None else expected_units
    present = panel.dropna(subset=[column])
    counts = present.groupby(year)[unit].nunique()
    totals = present.groupby(year)[column].sum()
    complete = counts[counts == expected].index
    result = totals.loc[complete].astype(float)
    result.index = result.index.astype(int)
    return result.rename(column)


def incomplete_years(panel: pd.DataFrame, column: str, expected_units: int | None = None, year: str = "year",
                     unit: str = "province_code", name: str = "province_en") -> pd.DataFrame:
    """Years in which some provinces lack a value for column, with the provinces missing."""
    expected_codes = set(panel[unit].unique())
    rows = []
    for when, group in panel.groupby(year):
        have = set(group.dropna(subset=[column])[unit])
        if not have:
            continue
        missing = sorted(expected_codes - have)
        if missing or (expected_units is not None and len(have) != expected_units):
            names = panel.loc[panel[unit].isin(missing), [unit, name]].drop_duplicates()[name].tolist() \
                if name in panel.columns else missing
            rows.append({year: int(when), "provinces": len(have), "missing": ", ".join(map(str, names))})
    return pd.DataFrame(rows, columns=[year, "provinces", "missing"])


def index_to_base(series: pd.Series, base_year: int) -> pd.Series:
    """The series as an index with base_year = 100: 100 * x_t / x_base."""
    if base_year not in series.index or pd.isna(series.loc[base_year]) or series.loc[base_year] == 0:
        raise ValueError(f"series {series.name!r} has no non-zero value in base year {base_year}")
    return 100.0 * series / float(series.loc[base_year])


def reversing_jumps(panel: pd.DataFrame, column: str, threshold: float = 0.3, year: str = "year",
                    unit: str = "province_code") -> pd.DataFrame:
    """Province-years whose value moves by more than threshold (as a share) and moves back as far the next year.

    A spike or a dip of this kind in a slow-moving stock (e.g. machinery power) is more likely a data
    error than a real change; the rows are listed for the reader, not removed.
    """
    rows = []
    for code, group in panel.dropna(subset=[column]).sort_values(year).groupby(unit):
        values = group.set_index(year)[column].astype(float)
        years = list(values.index)
        for before, current, after in zip(years[:-2], years[1:-1], years[2:]):
            if current - before != 1 or after - current != 1:
                continue
            change_in = values[current] / values[before] - 1.0
            change_out = values[after] / values[current] - 1.0
            if abs(change_in) > threshold and abs(change_out) > threshold and np.sign(change_in) != np.sign(change_out):
                rows.append({unit: code, year: int(current), "previous": values[before], "value": values[current],
                             "next": values[after], "change_in_pct": 100 * change_in,
                             "change_out_pct": 100 * change_out})
    return pd.DataFrame(rows, columns=[unit, year, "previous", "value", "next", "change_in_pct", "change_out_pct"])


def edge_jumps(panel: pd.DataFrame, column: str, threshold: float = 0.3, year: str = "year",
               unit: str = "province_code") -> pd.DataFrame:
    """First-year values that differ from the next year's by more than threshold (a jump that cannot be checked
    for reversal because the series starts there)."""
    rows = []
    for code, group in panel.dropna(subset=[column]).sort_values(year).groupby(unit):
        values = group.set_index(year)[column].astype(float)
        if len(values) >= 2 and values.index[1] - values.index[0] == 1:
            change = values.iloc[1] / values.iloc[0] - 1.0
            if abs(change) > threshold:
                rows.append({unit: code, year: int(values.index[0]), "value": values.iloc[0],
                             "next": values.iloc[1], "change_pct": 100 * change})
    return pd.DataFrame(rows, columns=[unit, year, "value", "next", "change_pct"])
