"""National totals built from provincial panels, and a screen for doubtful
province-years.

Functions take a province-year panel (helpers.data.provincial_panel) and return tables;
nothing is read from files and nothing is filled in: a year with a province missing has
no total.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def national_total(
    panel: pd.DataFrame,
    column: str,
    expected_units: int | None = None,
    year: str = "year",
    unit: str = "province_code",
) -> pd.Series:
    """Sum of a column over provinces for each year in which every expected province has
    a value.
    """
    for name in (year, unit, column):
        if name not in panel.columns:
            raise KeyError(
                f"column {name!r} not found; columns present: {list(panel.columns)}"
            )
    expected = panel[unit].nunique() if expected_units is None else expected_units
    present = panel.dropna(subset=[column])
    counts = present.groupby(year)[unit].nunique()
    totals = present.groupby(year)[column].sum()
    complete = counts[counts == expected].index
    result = totals.loc[complete].astype(float)
    result.index = result.index.astype(int)
    return result.rename(column)


def reversing_jumps(
    panel: pd.DataFrame,
    column: str,
    threshold: float = 0.3,
    year: str = "year",
    unit: str = "province_code",
) -> pd.DataFrame:
    """Province-years whose value moves by more than threshold (as a share) and moves
    back as far the next year.

    A spike or a dip of this kind in a slow-moving stock (e.g. machinery power) is more
    likely a data error than a real change; the rows are listed for the reader, not
    removed.
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
            if (
                abs(change_in) > threshold
                and abs(change_out) > threshold
                and np.sign(change_in) != np.sign(change_out)
            ):
                rows.append(
                    {
                        unit: code,
                        year: int(current),
                        "previous": values[before],
                        "value": values[current],
                        "next": values[after],
                        "change_in_pct": 100 * change_in,
                        "change_out_pct": 100 * change_out,
                    }
                )
    return pd.DataFrame(
        rows,
        columns=[
            unit,
            year,
            "previous",
            "value",
            "next",
            "change_in_pct",
            "change_out_pct",
        ],
    )


def edge_jumps(
    panel: pd.DataFrame,
    column: str,
    threshold: float = 0.3,
    year: str = "year",
    unit: str = "province_code",
) -> pd.DataFrame:
    """First-year values that differ from the next year's by more than threshold (a jump
    that cannot be checked for reversal because the series starts there).
    """
    rows = []
    for code, group in panel.dropna(subset=[column]).sort_values(year).groupby(unit):
        values = group.set_index(year)[column].astype(float)
        if len(values) >= 2 and values.index[1] - values.index[0] == 1:
            change = values.iloc[1] / values.iloc[0] - 1.0
            if abs(change) > threshold:
                rows.append(
                    {
                        unit: code,
                        year: int(values.index[0]),
                        "value": values.iloc[0],
                        "next": values.iloc[1],
                        "change_pct": 100 * change,
                    }
                )
    return pd.DataFrame(rows, columns=[unit, year, "value", "next", "change_pct"])
