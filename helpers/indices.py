"""Composite indices for provincial (or county) panels.

Entropy weight method (熵值法) pooled over the whole panel, entropy-TOPSIS, equal
weights, the coupling coordination degree (耦合协调度) of two subsystems, and the Theil
index of the urban-rural income gap. Formulas and references are in
book/appendix/methods.md.

Conventions used by every function here:

- A panel is a DataFrame with one row per unit-year and one column per indicator. The
  functions never read files; the caller passes the data.
- Indicator directions are given as a mapping ``{column: +1 or -1}`` (``"+"``/``"-"``
  also accepted). Positive indicators are "more is better", negative ones "less is
  better".
- Nothing is imputed. Rows with a missing indicator are dropped *listwise* and listed by
  :func:`missing_report` together with the indicators that were missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

#: Default shift A added to normalised values before taking logs (z' = z + A).
#: 1e-4 is the smallest of the values used in the literature (1e-4, 1e-3, 1e-2); a large
#: shift flattens differences and pushes the weights towards equality.
DEFAULT_SHIFT = 1e-4

_SIGN_WORDS = {1: 1, -1: -1, "+": 1, "-": -1, "positive": 1, "negative": -1}


# --------------------------------------------------------------------------------------
# Input checks and missing-value accounting
# --------------------------------------------------------------------------------------


def parse_signs(signs: Mapping[str, object]) -> dict[str, int]:
    """Map each indicator's direction to +1 (more is better) or -1 (less is better)."""
    if not signs:
        raise ValueError("no indicators given: signs mapping is empty")
    parsed = {}
    for column, sign in signs.items():
        key = sign.strip().lower() if isinstance(sign, str) else sign
        if key not in _SIGN_WORDS:
            raise ValueError(
                f"indicator {column!r}: sign must be +1/-1 or '+'/'-', found {sign!r}"
            )
        parsed[column] = _SIGN_WORDS[key]
    return parsed


def check_indicators(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    """Raise ValueError naming the indicator if a column is absent, non-numeric, empty,
    all-missing or infinite.
    """
    if len(frame) == 0:
        raise ValueError(f"the panel has no rows; indicators {list(columns)} are empty")
    for column in columns:
        if column not in frame.columns:
            raise ValueError(
                f"indicator {column!r} not found; columns present: "
                f"{list(frame.columns)}"
            )
        values = frame[column]
        if not pd.api.types.is_numeric_dtype(values):
            raise ValueError(
                f"indicator {column!r}: expected numbers, found dtype {values.dtype}"
            )
        if values.isna().all():
            raise ValueError(
                f"indicator {column!r} is all missing ({len(values)} rows, none "
                "observed)"
            )
        infinite = np.isinf(values.to_numpy(dtype=float))
        if infinite.any():
            first = values.index[infinite][0]
            raise ValueError(
                f"indicator {column!r}: infinite value at row {first!r} "
                "(expected finite numbers; check a division by zero upstream)"
            )


def missing_report(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """List the rows with at least one missing indicator and name the missing
    indicators.
    """
    missing = frame[list(columns)].isna()
    rows = missing.any(axis=1)
    names = np.array(list(columns), dtype=object)
    reasons = [
        "missing: " + ", ".join(names[flags]) for flags in missing[rows].to_numpy()
    ]
    return pd.DataFrame(
        {"n_missing": missing[rows].sum(axis=1).astype(int), "reason": reasons},
        index=frame.index[rows],
    )


def complete_rows(
    frame: pd.DataFrame, columns: Sequence[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a panel into rows with every indicator observed and a report of the dropped
    rows.
    """
    check_indicators(frame, columns)
    dropped = missing_report(frame, columns)
    kept = frame.drop(index=dropped.index)
    if len(kept) < 2:
        raise ValueError(
            f"only {len(kept)} row(s) have all of {list(columns)} observed; "
            "need at least 2 to normalise"
        )
    return kept, dropped


def coverage_table(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Per indicator: rows observed, rows missing, and rows the listwise-complete index
    can use.
    """
    check_indicators(frame, columns)
    missing = frame[list(columns)].isna()
    table = pd.DataFrame(
        {
            "rows_observed": (~missing).sum().astype(int),
            "rows_missing": missing.sum().astype(int),
        }
    )
    table["rows_total"] = len(frame)
    table["rows_used_by_index"] = int((~missing.any(axis=1)).sum())
    table.index.name = "indicator"
    return table


# --------------------------------------------------------------------------------------
# Entropy weight method
# --------------------------------------------------------------------------------------


def minmax_normalise(frame: pd.DataFrame, signs: Mapping[str, object]) -> pd.DataFrame:
    """Pooled min-max: z = (x - min)/(max - min) for positive, (max - x)/(max - min) for
    negative; constant -> 0.
    """
    parsed = parse_signs(signs)
    columns = list(parsed)
    check_indicators(frame, columns)
    values = frame[columns].to_numpy(dtype=float)
    low = np.nanmin(values, axis=0)
    high = np.nanmax(values, axis=0)
    span = high - low
    # A constant indicator carries no information; z = 0 everywhere gives it entropy 1.
    safe_span = np.where(span > 0, span, 1.0)
    direction = np.array([parsed[c] for c in columns])
    z = np.where(direction > 0, (values - low) / safe_span, (high - values) / safe_span)
    z = np.where(span > 0, z, 0.0)
    z = np.where(np.isnan(values), np.nan, z)
    return pd.DataFrame(z, index=frame.index, columns=columns)


def entropy_of_columns(z: np.ndarray, shift: float = DEFAULT_SHIFT) -> np.ndarray:
    """Entropy e_j = -k * sum_i p_ij ln p_ij with p_ij = z'_ij / sum_i z'_ij, z' = z +
    shift, k = 1/ln(n rows).
    """
    if shift < 0:
        raise ValueError(f"shift must be >= 0, found {shift}")
    z = np.asarray(z, dtype=float)
    n_rows = z.shape[0]
    if n_rows < 2:
        raise ValueError(f"entropy needs at least 2 rows, found {n_rows}")
    if np.isnan(z).any():
        raise ValueError(
            "normalised values contain NaN; drop incomplete rows first (complete_rows)"
        )
    shifted = z + shift
    totals = shifted.sum(axis=0)
    constant = np.ptp(z, axis=0) == 0
    # Constant columns have uniform shares, hence e = 1 exactly (also when shift = 0 and
    # z = 0).
    p = shifted / np.where(totals > 0, totals, 1.0)
    # With shift = 0 some p are 0; the limit convention 0 * ln 0 = 0 applies.
    plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    entropy = -plogp.sum(axis=0) / np.log(n_rows)
    return np.where(constant, 1.0, entropy)


def entropy_weights(
    frame: pd.DataFrame, signs: Mapping[str, object], shift: float = DEFAULT_SHIFT
) -> pd.Series:
    """Entropy weights w_j = (1 - e_j) / sum_j (1 - e_j) on the pooled, min-max
    normalised panel (rows complete).
    """
    z = minmax_normalise(frame, signs)
    if z.isna().any().any():
        raise ValueError(
            "panel has missing values; call complete_rows first (nothing is imputed)"
        )
    redundancy = 1.0 - entropy_of_columns(z.to_numpy(), shift)
    total = redundancy.sum()
    if total <= 0:
        raise ValueError(
            f"every indicator in {list(z.columns)} is constant; no weights can be "
            "formed"
        )
    return pd.Series(redundancy / total, index=z.columns, name="entropy_weight")


def equal_weights(columns: Sequence[str]) -> pd.Series:
    """Equal weights w_j = 1/m for m indicators."""
    if len(columns) == 0:
        raise ValueError("no indicators given for equal weights")
    return pd.Series(1.0 / len(columns), index=list(columns), name="equal_weight")


def composite_score(z: pd.DataFrame, weights: pd.Series) -> pd.Series:
    """Composite score S_i = sum_j w_j z_ij (z normalised to [0, 1], so S lies in [0,
    1]).
    """
    _check_weights(z, weights)
    return pd.Series(
        z[weights.index].to_numpy() @ weights.to_numpy(), index=z.index, name="score"
    )


def topsis_closeness(z: pd.DataFrame, weights: pd.Series) -> pd.Series:
    """TOPSIS closeness C_i = D-_i/(D+_i + D-_i), D+/- = Euclidean distance of w*z to
    the pooled best/worst.
    """
    _check_weights(z, weights)
    weighted = z[weights.index].to_numpy() * weights.to_numpy()
    best = weighted.max(axis=0)
    worst = weighted.min(axis=0)
    to_best = np.sqrt(((weighted - best) ** 2).sum(axis=1))
    to_worst = np.sqrt(((weighted - worst) ** 2).sum(axis=1))
    total = to_best + to_worst
    if (total == 0).any():
        raise ValueError(
            "TOPSIS undefined: every weighted indicator is constant (best = worst)"
        )
    return pd.Series(to_worst / total, index=z.index, name="topsis")


def _check_weights(z: pd.DataFrame, weights: pd.Series) -> None:
    """Raise ValueError if weights do not match the columns of z or do not sum to 1."""
    absent = [c for c in weights.index if c not in z.columns]
    if absent:
        raise ValueError(f"weights name indicators absent from the data: {absent}")
    if not np.isclose(weights.sum(), 1.0):
        raise ValueError(f"weights must sum to 1, found {weights.sum():.6f}")
    if (weights < 0).any():
        raise ValueError(
            f"weights must be non-negative: {weights[weights < 0].to_dict()}"
        )
    if z[weights.index].isna().any().any():
        raise ValueError(
            "normalised values contain NaN; drop incomplete rows first (complete_rows)"
        )


@dataclass(frozen=True)
class IndexResult:
    """A composite index with everything needed to report it: scores, weights,
    normalised data, dropped rows.
    """

    score: pd.Series
    weights: pd.Series
    normalised: pd.DataFrame
    dropped: pd.DataFrame
    method: str

    @property
    def n_used(self) -> int:
        """Number of unit-years that entered the index."""
        return int(self.score.notna().sum())


def build_index(
    frame: pd.DataFrame,
    signs: Mapping[str, object],
    method: str = "entropy",
    shift: float = DEFAULT_SHIFT,
    weights: pd.Series | None = None,
) -> IndexResult:
    """Composite index on complete rows: method 'entropy' (S = sum w z), 'topsis'
    (entropy-TOPSIS), 'equal' or 'custom'.
    """
    parsed = parse_signs(signs)
    kept, dropped = complete_rows(frame, list(parsed))
    z = minmax_normalise(kept, parsed)
    if method in ("entropy", "topsis"):
        w = entropy_weights(kept, parsed, shift)
    elif method == "equal":
        w = equal_weights(list(parsed))
    elif method == "custom":
        if weights is None:
            raise ValueError("method 'custom' needs a weights Series")
        w = (weights / weights.sum()).rename("custom_weight")
    else:
        raise ValueError(
            f"method must be entropy, topsis, equal or custom; found {method!r}"
        )
    score = topsis_closeness(z, w) if method == "topsis" else composite_score(z, w)
    return IndexResult(score.rename(method), w, z, dropped, method)


# --------------------------------------------------------------------------------------
# Coupling coordination degree
# --------------------------------------------------------------------------------------

#: Ten classes of the coupling coordination degree D, lower bound inclusive:
#: [0, 0.1) extreme imbalance ... [0.9, 1] high-quality coordination.
COORDINATION_CLASSES = (
    ("极度失调", "extreme imbalance"),
    ("严重失调", "serious imbalance"),
    ("中度失调", "moderate imbalance"),
    ("轻度失调", "mild imbalance"),
    ("濒临失调", "on the verge of imbalance"),
    ("勉强协调", "barely coordinated"),
    ("初级协调", "primary coordination"),
    ("中级协调", "intermediate coordination"),
    ("良好协调", "good coordination"),
    ("优质协调", "high-quality coordination"),
)


def coupling_coordination(u1, u2, alpha: float = 0.5) -> pd.DataFrame:
    """Two subsystems: C = 2*sqrt(U1*U2)/(U1+U2), T = alpha*U1 + (1-alpha)*U2, D =
    sqrt(C*T).
    """
    if not 0 <= alpha <= 1:
        raise ValueError(f"alpha must lie in [0, 1], found {alpha}")
    first, second = _as_series(u1), _as_series(u2)
    _check_same_index((first, second), ("U1", "U2"))
    for name, values in (("U1", first), ("U2", second)):
        outside = values[(values < 0) | (values > 1)]
        if len(outside):
            raise ValueError(
                f"{name} must lie in [0, 1] (normalised index); row "
                f"{outside.index[0]!r} has {outside.iloc[0]}"
            )
    total = first + second
    # Both subsystems at 0: coupling is undefined (0/0); leave NaN rather than invent a
    # value.
    coupling = (2.0 * np.sqrt(first * second) / total.where(total > 0)).rename("C")
    development = (alpha * first + (1 - alpha) * second).rename("T")
    coordination = np.sqrt(coupling * development).rename("D")
    return pd.concat([coupling, development, coordination], axis=1)


def coordination_class(d) -> pd.DataFrame:
    """Ten-class grade of D: class k = floor(10*D) for D in [0, 1) and k = 9 for D = 1
    (lower bound inclusive).
    """
    values = pd.Series(d, dtype=float)
    outside = values[(values < 0) | (values > 1)]
    if len(outside):
        raise ValueError(
            f"D must lie in [0, 1]; row {outside.index[0]!r} has {outside.iloc[0]}"
        )
    # floor(10*D) misclassifies values such as 0.3 (10*0.3 = 2.9999999999999996); round
    # first.
    grade = np.floor(np.round(values * 10, 9)).clip(upper=9)
    zh = grade.map(lambda k: COORDINATION_CLASSES[int(k)][0] if pd.notna(k) else None)
    en = grade.map(lambda k: COORDINATION_CLASSES[int(k)][1] if pd.notna(k) else None)
    return pd.DataFrame(
        {"grade": grade.astype("Int64"), "class_zh": zh, "class_en": en},
        index=values.index,
    )


# --------------------------------------------------------------------------------------
# Theil index of the urban-rural income gap
# --------------------------------------------------------------------------------------


def theil_urban_rural(urban_income, rural_income, urban_pop, rural_pop) -> pd.Series:
    """Theil = sum_j (I_j/I) ln[(I_j/I)/(P_j/P)], j in {urban, rural}, I_j = per-capita
    income_j * P_j.
    """
    parts = [_as_series(v) for v in (urban_income, rural_income, urban_pop, rural_pop)]
    names = ("urban_income", "rural_income", "urban_pop", "rural_pop")
    _check_same_index(parts, names)
    for name, values in zip(names, parts):
        bad = values[values <= 0]
        if len(bad):
            raise ValueError(
                f"{name} must be positive; row {bad.index[0]!r} has {bad.iloc[0]}"
            )
    inc_u, inc_r, pop_u, pop_r = parts
    income_u, income_r = inc_u * pop_u, inc_r * pop_r
    income_total, pop_total = income_u + income_r, pop_u + pop_r
    theil = sum(
        (inc / income_total) * np.log((inc / income_total) / (pop / pop_total))
        for inc, pop in ((income_u, pop_u), (income_r, pop_r))
    )
    # NaN inputs give NaN output (never filled); the caller reports them with
    # missing_report.
    return theil.rename("theil")


def _as_series(values) -> pd.Series:
    """Return values as a float Series (a Series keeps its index; arrays get 0..n-1)."""
    if isinstance(values, pd.Series):
        return values.astype(float)
    return pd.Series(np.asarray(values, dtype=float))


def _check_same_index(parts: Sequence[pd.Series], names: Sequence[str]) -> None:
    """Raise ValueError if the inputs do not share one index (pandas would otherwise
    misalign them).
    """
    for name, part in zip(names[1:], parts[1:]):
        if not part.index.equals(parts[0].index):
            raise ValueError(
                f"{name} has a different index (or length {len(part)}) from {names[0]} "
                f"(length {len(parts[0])}); pass aligned Series or equal-length arrays"
            )
