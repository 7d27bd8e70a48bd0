"""Scenario levers: move one indicator by an amount and read the implied change in the
outcome.

Two kinds of lever, both linear in the amount:

- a *direct* lever is a regressor of the fitted model: dY = beta_x * dx;
- an *index* lever is one indicator inside a weighted-sum index (e.g. R&D intensity
  inside NQPF) that is the regressor: d(index) = sign_j * w_j * dx / (max_j - min_j)
  under pooled min-max normalisation, then dY = beta_index * d(index).

Intervals come from helpers.panel.implied_change (clustered covariance, t with G - 1
df). The weights and the normalisation span are treated as fixed, so the interval
reflects only the sampling uncertainty of beta. Every result is a partial, illustrative
extrapolation from an association, not a forecast: all else is held fixed and nothing
here identifies a causal effect.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers import indices
from helpers.panel import PanelFit, implied_change
from helpers.style import MUTED, PALETTE, add_source, bilingual, use_house_style
from helpers.tables import readable_table

# Reader-facing names of the columns both scenario tables share (index_change only in
# index scenarios).
COLUMN_LABELS = {
    "amount": "Rise in the lever",
    "index_change": "Change in NQPF 新质生产力",
    "estimate": "Change in URI 城乡融合",
    "ci_low": "95% CI low",
    "ci_high": "95% CI high",
}
# Index and URI changes are small (hundredths); the amount keeps readable_table's one
# decimal.
COLUMN_DECIMALS = {"index_change": 4, "estimate": 4, "ci_low": 4, "ci_high": 4}
CAVEAT_ZH = "局部、示意性外推，并非预测"
CAVEAT_EN = "partial, illustrative extrapolation, not a forecast"


def scenario_table(result: pd.DataFrame):
    """A scenario result as a readable_table: the columns a reader needs
    (COLUMN_LABELS), with their names and decimals.
    """
    return readable_table(
        result.filter(items=list(COLUMN_LABELS)),
        columns=COLUMN_LABELS,
        decimals=COLUMN_DECIMALS,
    )


def as_amounts(amount) -> np.ndarray:
    """The lever change(s) as a 1-d float array; error if empty, non-numeric or not
    finite.
    """
    try:
        values = np.atleast_1d(np.asarray(amount, dtype=float))
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"lever amount must be a number or a list of numbers; found {amount!r}"
        ) from error
    if values.size == 0:
        raise ValueError("lever amount is empty; give at least one number")
    if not np.isfinite(values).all():
        raise ValueError(f"lever amount must be finite; found {values.tolist()}")
    return values


def direct_scenario(
    fit: PanelFit, lever: str, amount, level: float = 0.95, per_unit: float = 1.0
) -> pd.DataFrame:
    """dY = beta_lever * dx with its CI, dx = per_unit * amount (e.g. per_unit = 0.01
    for a % change of a log).
    """
    if lever not in fit.params.index:
        raise ValueError(
            f"lever {lever!r} is not a regressor of the model of {fit.outcome!r}; "
            f"regressors: {list(fit.params.index)}"
        )
    if not np.isfinite(per_unit) or per_unit == 0:
        raise ValueError(
            f"per_unit must be a finite, non-zero number; found {per_unit!r}"
        )
    amounts = as_amounts(amount)
    table = implied_change(fit, {lever: amounts * per_unit}, level=level)
    table.insert(0, "lever", lever)
    table.insert(1, "amount", amounts)
    return table.drop(columns=[f"change_{lever}"])


def index_step(
    lever: str, weights: pd.Series, signs: Mapping[str, object], spans: pd.Series
) -> float:
    """Change in a weighted-sum min-max index per unit of the lever: sign_j * w_j /
    (max_j - min_j).
    """
    if lever not in weights.index:
        raise ValueError(
            f"lever {lever!r} is not an indicator of the index; indicators: "
            f"{list(weights.index)}"
        )
    if lever not in spans.index or not np.isfinite(spans[lever]) or spans[lever] <= 0:
        raise ValueError(
            f"lever {lever!r} needs a positive normalisation span (max - min); "
            f"found {spans.get(lever, 'none')}"
        )
    sign = indices.parse_signs({lever: signs[lever]})[lever]
    return float(sign * weights[lever] / spans[lever])


def normalisation_spans(panel: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """Pooled max - min of each indicator over the rows given (the span used by min-max
    normalisation).
    """
    indices.check_indicators(panel, list(columns))
    frame = panel[list(columns)]
    return (frame.max() - frame.min()).rename("span")


def index_scenario(
    fit: PanelFit,
    index_term: str,
    lever: str,
    amount,
    weights: pd.Series,
    signs: Mapping[str, object],
    spans: pd.Series,
    level: float = 0.95,
) -> pd.DataFrame:
    """dY = beta_index * sign_j * w_j * dx / span_j with its CI, for a lever inside the
    index regressor.
    """
    if index_term not in fit.params.index:
        raise ValueError(
            f"index {index_term!r} is not a regressor of the model of {fit.outcome!r}; "
            f"regressors: {list(fit.params.index)}"
        )
    amounts = as_amounts(amount)
    step = index_step(lever, weights, signs, spans)
    table = implied_change(fit, {index_term: amounts * step}, level=level)
    table = table.rename(columns={f"change_{index_term}": "index_change"})
    table.insert(0, "lever", lever)
    table.insert(1, "amount", amounts)
    return table


def support_check(observed, current: float, amount: float) -> dict:
    """Whether current + amount stays inside the observed range of the lever (else it is
    extrapolation beyond the data).
    """
    values = pd.Series(observed, dtype=float).dropna()
    if values.empty:
        raise ValueError("no observed values of the lever to compare against")
    new = float(current) + float(amount)
    low, high = float(values.min()), float(values.max())
    return {
        "current": float(current),
        "new": new,
        "observed_min": low,
        "observed_max": high,
        "inside": bool(low <= new <= high),
    }


def scenario_sentence(
    row: Mapping, lever_label: str, unit: str, outcome_label: str, digits: int = 3
) -> str:
    """One sentence stating the amount, the implied change and its interval, with the
    caveat.
    """
    level = int(round(100 * float(row["level"])))
    return (
        f"Raising {lever_label} by {row['amount']:g} {unit} goes with a change in "
        f"{outcome_label} of {row['estimate']:+.{digits}f} ({level}% CI "
        f"{row['ci_low']:+.{digits}f} to {row['ci_high']:+.{digits}f}), holding "
        f"everything else fixed: a {CAVEAT_EN}."
    )


def scenario_figure(
    curve: pd.DataFrame,
    chosen: float,
    lever_label: tuple[str, str],
    unit: str,
    outcome_label: tuple[str, str],
    reference: tuple[float, str] | None = None,
    source: str = "",
):
    """Implied change in the outcome against the lever amount, CI band shaded, the
    chosen amount marked.
    """
    use_house_style()  # so the figure is the same from one call, in a page or a widget
    required = {"amount", "estimate", "ci_low", "ci_high"}
    if not required <= set(curve.columns):
        raise ValueError(
            f"scenario curve needs columns {sorted(required)}; found "
            f"{list(curve.columns)}"
        )
    curve = curve.sort_values("amount")
    if not curve["amount"].min() <= chosen <= curve["amount"].max():
        raise ValueError(
            f"chosen amount {chosen} lies outside the curve's amounts "
            f"[{curve['amount'].min()}, {curve['amount'].max()}]"
        )
    fig, ax = plt.subplots(figsize=(5.6, 4.2))
    level = int(round(100 * float(curve["level"].iloc[0]))) if "level" in curve else 95
    ax.fill_between(
        curve["amount"],
        curve["ci_low"],
        curve["ci_high"],
        color=PALETTE[0],
        alpha=0.2,
        label=bilingual(f"{level}% 置信区间", f"{level}% confidence interval", " "),
    )
    ax.plot(
        curve["amount"],
        curve["estimate"],
        color=PALETTE[0],
        linewidth=2,
        label=bilingual("点估计", "point estimate", " "),
    )
    ax.axhline(0, color=MUTED, linewidth=0.8)
    estimate = np.interp(chosen, curve["amount"], curve["estimate"])
    low = np.interp(chosen, curve["amount"], curve["ci_low"])
    high = np.interp(chosen, curve["amount"], curve["ci_high"])
    ax.errorbar(
        [chosen],
        [estimate],
        yerr=[[estimate - low], [high - estimate]],
        fmt="o",
        color=PALETTE[3],
        capsize=4,
        zorder=4,
        label=bilingual("所选变动", "chosen change", " "),
    )
    if reference is not None:
        ax.axhline(
            reference[0],
            color=PALETTE[2],
            linestyle="--",
            linewidth=1,
            label=reference[1],
        )
    ax.set_xlabel(
        bilingual(f"{lever_label[0]}变动", f"change in {lever_label[1]} ({unit})")
    )
    ax.set_ylabel(
        bilingual(
            f"{outcome_label[0]}的隐含变动", f"implied change in {outcome_label[1]}"
        )
    )
    ax.set_title(bilingual(CAVEAT_ZH, CAVEAT_EN), fontsize=10, color=PALETTE[3])
    ax.legend(loc="best")
    fig.tight_layout()
    if source:
        add_source(fig, source)
    return fig
