"""How concentrated an amount is across units (provinces): Lorenz curve, Gini
coefficient, top-k share.

Amounts are totals per unit (e.g. R&D spending of each province). Without weights every
unit counts once, so the Gini answers "how unequally is the total shared among the
provinces?". With weights (e.g. population) the units are ordered by amount per weight
and the Gini answers "how unequally is it shared per person?". Nothing is imputed: a
missing amount is an error, so the caller decides and says which units are left out.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd


def _amounts_and_weights(
    amounts: Sequence[float], weights: Sequence[float] | None
) -> tuple[np.ndarray, np.ndarray]:
    """Checked float arrays: amounts finite and >= 0 with a positive total, weights
    finite and > 0.
    """
    labels = (
        list(amounts.index)
        if isinstance(amounts, pd.Series)
        else list(range(len(amounts)))
    )
    values = np.asarray(amounts, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(
            f"need a non-empty 1-D list of amounts, found shape {values.shape}"
        )
    bad = [labels[i] for i in np.flatnonzero(~np.isfinite(values))]
    if bad:
        raise ValueError(
            f"amounts are missing or not finite for unit(s) {bad}; drop them "
            "explicitly first"
        )
    bad = [labels[i] for i in np.flatnonzero(values < 0)]
    if bad:
        raise ValueError(f"amounts must be >= 0; negative for unit(s) {bad}")
    if values.sum() <= 0:
        raise ValueError("amounts sum to zero: concentration is undefined")
    if weights is None:
        return values, np.ones_like(values)
    weight_values = np.asarray(weights, dtype=float)
    if weight_values.shape != values.shape:
        raise ValueError(
            f"weights have shape {weight_values.shape}, amounts {values.shape}"
        )
    bad = [
        labels[i]
        for i in np.flatnonzero(~np.isfinite(weight_values) | (weight_values <= 0))
    ]
    if bad:
        raise ValueError(f"weights must be finite and > 0; not so for unit(s) {bad}")
    return values, weight_values


def lorenz_curve(
    amounts: Sequence[float], weights: Sequence[float] | None = None
) -> pd.DataFrame:
    """Lorenz curve points from (0, 0) to (1, 1): cumulative unit (or weight) share
    against cumulative amount share.

    Units are sorted by amount / weight, smallest first.
    """
    values, weight_values = _amounts_and_weights(amounts, weights)
    order = np.argsort(values / weight_values, kind="stable")
    units = np.concatenate(
        [[0.0], np.cumsum(weight_values[order]) / weight_values.sum()]
    )
    shares = np.concatenate([[0.0], np.cumsum(values[order]) / values.sum()])
    return pd.DataFrame({"population_share": units, "amount_share": shares})


def gini_from_lorenz(curve: pd.DataFrame) -> float:
    """Gini = 1 - sum_k (X_k - X_{k-1}) (Y_k + Y_{k-1}): one minus twice the area under
    the Lorenz curve.
    """
    x = curve["population_share"].to_numpy()
    y = curve["amount_share"].to_numpy()
    return float(1.0 - np.sum(np.diff(x) * (y[1:] + y[:-1])))


def gini(amounts: Sequence[float], weights: Sequence[float] | None = None) -> float:
    """Gini coefficient of the amounts across units (0 = equal shares, (n-1)/n = all in
    one of n units).
    """
    return gini_from_lorenz(lorenz_curve(amounts, weights))


def gini_pairwise(amounts: Sequence[float]) -> float:
    """Unweighted Gini by its definition: sum_i sum_j |x_i - x_j| / (2 n^2 mean); a
    cross-check of gini().
    """
    values, _ = _amounts_and_weights(amounts, None)
    differences = np.abs(values[:, None] - values[None, :]).sum()
    return float(differences / (2.0 * values.size**2 * values.mean()))


def top_share(amounts: Sequence[float], k: int) -> float:
    """Share of the total held by the k largest units, in percent: 100 * sum(top k) /
    sum(all).
    """
    values, _ = _amounts_and_weights(amounts, None)
    if not 1 <= k <= values.size:
        raise ValueError(
            f"k must be between 1 and the number of units ({values.size}), found {k}"
        )
    return float(100.0 * np.sort(values)[::-1][:k].sum() / values.sum())


def concentration_by_year(
    panel: pd.DataFrame,
    column: str,
    k: int = 5,
    year: str = "year",
    unit: str = "province_code",
) -> pd.DataFrame:
    """For each year: units with a value, Gini across them, and the top-k share in
    percent.

    Units without a value in a year are left out of that year and counted in 'missing';
    'complete' says whether the year has every unit that appears anywhere in the panel,
    because Ginis over different sets of units are not comparable.
    """
    for name in (year, unit, column):
        if name not in panel.columns:
            raise KeyError(
                f"column {name!r} not found; columns present: {list(panel.columns)}"
            )
    all_units = panel[unit].nunique()
    rows = []
    for when, group in panel.groupby(year, sort=True):
        present = group.dropna(subset=[column])
        if present.empty:
            continue
        values = present[column].astype(float)
        rows.append(
            {
                year: int(when),
                "units": len(present),
                "missing": all_units - len(present),
                "complete": len(present) == all_units,
                "gini": gini(values),
                f"top{k}_share": top_share(values, k) if len(present) >= k else np.nan,
            }
        )
    return pd.DataFrame(
        rows, columns=[year, "units", "missing", "complete", "gini", f"top{k}_share"]
    )


def complete_span(table: pd.DataFrame, year: str = "year") -> tuple[int, int]:
    """First and last year in which every unit has a value (the 'complete' rows of
    concentration_by_year).
    """
    complete = table.loc[table["complete"], year]
    if complete.empty:
        raise ValueError("no year has a value for every unit")
    return int(complete.min()), int(complete.max())


def gini_change(table: pd.DataFrame, year: str = "year") -> dict:
    """Gini in the first and last complete years, the change and the change per year
    (complete years only).
    """
    first, last = complete_span(table, year)
    rows = table.set_index(year)
    start, end = float(rows.loc[first, "gini"]), float(rows.loc[last, "gini"])
    return {
        "first_year": first,
        "last_year": last,
        "gini_first": start,
        "gini_last": end,
        "change": end - start,
        "change_per_year": (end - start) / (last - first) if last > first else np.nan,
    }
