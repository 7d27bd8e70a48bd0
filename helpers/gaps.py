"""Gaps between two groups (percent lower, percentage points, ratios) and series that
respect breaks.

All functions take numbers or pandas objects as arguments and never read files. A
*series break* is given as the first year of a new statistical basis: a segment never
holds a year before the break together with a year on or after it, so a chart drawn
segment by segment never joins two bases with a line.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd


def _positive(value: float, name: str) -> float:
    """The value as a float, or ValueError if it is missing, not finite or not > 0."""
    number = float(value)
    if not np.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a positive finite number, found {value!r}")
    return number


def percent_lower(value: float, reference: float) -> float:
    """How much lower value is than reference, in percent of reference: 100 * (reference
    - value) / reference.
    """
    reference = _positive(reference, "reference")
    return 100.0 * (reference - float(value)) / reference


def percentage_points(value: float, reference: float) -> float:
    """The gap in percentage points (or score points): reference - value."""
    return float(reference) - float(value)


def ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, e.g. urban over rural income (rural = 1)."""
    return float(numerator) / _positive(denominator, "denominator")


def percent_lower_range(
    value: float, reference: float, half_unit: float = 0.05
) -> tuple[float, float]:
    """Smallest and largest percent_lower when both inputs were rounded to the nearest 2
    * half_unit.

    percent_lower = 100 * (1 - value / reference) rises with reference and falls with
    value, so the extremes are (reference - h, value + h) and (reference + h, value -
    h).
    """
    if half_unit < 0:
        raise ValueError(f"half_unit must be >= 0, found {half_unit}")
    lowest = percent_lower(value + half_unit, reference - half_unit)
    highest = percent_lower(value - half_unit, reference + half_unit)
    return lowest, highest


def ratio_series(
    frame: pd.DataFrame, numerator: str, denominator: str, year: str = "year"
) -> pd.Series:
    """Year-indexed numerator / denominator for the years where both columns have a
    value.

    Both columns must be on the same statistical basis; the data layer keeps each basis
    in its own column, so pairing two columns never mixes bases.
    """
    for column in (year, numerator, denominator):
        if column not in frame.columns:
            raise KeyError(
                f"column {column!r} not found; columns present: {list(frame.columns)}"
            )
    both = frame[[year, numerator, denominator]].dropna()
    if (both[denominator] <= 0).any():
        bad = both.loc[both[denominator] <= 0, year].tolist()
        raise ValueError(
            f"denominator {denominator!r} is not positive in year(s) {bad}"
        )
    values = both[numerator].astype(float) / both[denominator].astype(float)
    return pd.Series(
        values.to_numpy(),
        index=both[year].astype(int).to_numpy(),
        name=f"{numerator}/{denominator}",
    )


def segments_between_breaks(
    series: pd.Series, breaks: Iterable[int]
) -> list[pd.Series]:
    """Split a year-indexed series into pieces so that no piece spans a break year.

    A break b means years < b and years >= b are on different bases. Missing values are
    dropped; empty pieces are left out. The pieces come back in year order.
    """
    clean = series.dropna().sort_index()
    if not clean.index.is_unique:
        duplicated = sorted(set(clean.index[clean.index.duplicated()]))
        raise ValueError(
            f"series {series.name!r} has more than one value for year(s) {duplicated}"
        )
    edges = sorted(set(int(b) for b in breaks))
    segment_of = np.searchsorted(edges, clean.index.to_numpy(), side="right")
    return [clean[segment_of == k] for k in sorted(set(segment_of))]


def crosses_break(years: Sequence[int], breaks: Iterable[int]) -> bool:
    """True if the years include one before and one on or after any break year."""
    years = list(years)
    return any(min(years) < b <= max(years) for b in breaks) if years else False


def consecutive_runs(years: Sequence[int]) -> list[list[int]]:
    """Sorted years grouped into runs of consecutive calendar years, e.g. [2015, 2016,
    2020] -> [[2015, 2016], [2020]].
    """
    runs: list[list[int]] = []
    for year in sorted(int(y) for y in years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return runs


def change_per_year(series: pd.Series) -> float:
    """Average change per year between the first and the last observation: (last -
    first) / (years apart).
    """
    clean = series.dropna().sort_index()
    if len(clean) < 2:
        raise ValueError(
            f"series {series.name!r} needs two observations, found {len(clean)}"
        )
    return float(clean.iloc[-1] - clean.iloc[0]) / float(
        clean.index[-1] - clean.index[0]
    )


def compound_growth(series: pd.Series) -> float:
    """Compound annual growth rate in percent between first and last observation: 100 *
    ((last/first)^(1/years) - 1).
    """
    clean = series.dropna().sort_index()
    if len(clean) < 2:
        raise ValueError(
            f"series {series.name!r} needs two observations, found {len(clean)}"
        )
    first = _positive(clean.iloc[0], f"first value of {series.name!r}")
    span = float(clean.index[-1] - clean.index[0])
    return 100.0 * ((float(clean.iloc[-1]) / first) ** (1.0 / span) - 1.0)


def growth_summary(
    series_by_label: dict[str, pd.Series],
    start: int | None = None,
    end: int | None = None,
) -> pd.DataFrame:
    """For each labelled series: first and last year within [start, end] and the
    compound growth per year (%).
    """
    rows = []
    for label, series in series_by_label.items():
        clean = series.dropna().sort_index()
        if start is not None:
            clean = clean[clean.index >= start]
        if end is not None:
            clean = clean[clean.index <= end]
        rows.append(
            {
                "label": label,
                "first_year": int(clean.index[0]),
                "last_year": int(clean.index[-1]),
                "first": float(clean.iloc[0]),
                "last": float(clean.iloc[-1]),
                "growth_pct_per_year": compound_growth(clean.rename(label)),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "label",
            "first_year",
            "last_year",
            "first",
            "last",
            "growth_pct_per_year",
        ],
    )
