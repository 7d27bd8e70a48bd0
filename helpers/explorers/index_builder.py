"""Index builder: choose indicators and a weighting, get province scores, ranks and
trajectories.

Every function is a plain callback (data in, frame or figure out), so the explorer's
widgets are a thin layer over tested code and the static page can draw the default state
with the same calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers import indices
from helpers.data import region_label
from helpers.style import (
    MUTED,
    NATIONAL_COLOUR,
    PALETTE,
    REGION_COLOURS,
    add_source,
    bilingual,
    use_house_style,
)

WEIGHTINGS = ("entropy", "equal", "custom")


@dataclass(frozen=True)
class IndexView:
    """A built index: one row per unit-year (entity, time, region, score, rank) plus its
    weights.
    """

    scores: pd.DataFrame
    weights: pd.Series
    method: str
    n_dropped: int
    entity: str
    time: str


def select_signs(
    signs: Mapping[str, object], chosen: Sequence[str]
) -> dict[str, object]:
    """The sign mapping restricted to the chosen indicators, in the order chosen; error
    if one is unknown.
    """
    chosen = list(chosen)
    if not chosen:
        raise ValueError("choose at least one indicator for the index")
    unknown = [name for name in chosen if name not in signs]
    if unknown:
        raise ValueError(
            f"indicator(s) {unknown} are not in the indicator set; known: {list(signs)}"
        )
    return {name: signs[name] for name in chosen}


def custom_weights(raw: Mapping[str, float], chosen: Sequence[str]) -> pd.Series:
    """Reader-set weights w_j = r_j / sum_k r_k for the chosen indicators (r_j >= 0, not
    all zero).
    """
    chosen = list(chosen)
    missing = [name for name in chosen if name not in raw]
    if missing:
        raise ValueError(
            f"custom weights missing for indicator(s) {missing}; give one number per "
            "chosen indicator"
        )
    extra = [name for name in raw if name not in chosen]
    if extra:
        raise ValueError(
            f"custom weights given for indicator(s) {extra} that are not chosen: "
            f"{chosen}"
        )
    values = pd.Series({name: raw[name] for name in chosen}, dtype=float)
    bad = values[~np.isfinite(values) | (values < 0)]
    if len(bad):
        raise ValueError(
            f"custom weights must be finite and >= 0; found {bad.to_dict()}"
        )
    if values.sum() <= 0:
        raise ValueError(
            "custom weights are all zero; give at least one indicator a positive weight"
        )
    return (values / values.sum()).rename("custom_weight")


def rank_within_time(
    scores: pd.DataFrame, time: str, column: str = "score"
) -> pd.Series:
    """Rank 1 = highest score within each year (ties share the lowest rank, 'min'
    method).
    """
    return scores.groupby(time)[column].rank(ascending=False, method="min").astype(int)


def build_view(
    panel: pd.DataFrame,
    signs: Mapping[str, object],
    chosen: Sequence[str] | None = None,
    method: str = "entropy",
    raw_weights: Mapping[str, float] | None = None,
    entity: str = "province_en",
    time: str = "year",
    keep: Sequence[str] = ("region",),
) -> IndexView:
    """Score every complete unit-year with helpers.indices.build_index and rank units
    within each year.
    """
    if method not in WEIGHTINGS:
        raise ValueError(f"weighting must be one of {WEIGHTINGS}; found {method!r}")
    for column in (entity, time):
        if column not in panel.columns:
            raise ValueError(
                f"panel has no {column!r} column; columns present: "
                f"{list(panel.columns)}"
            )
    chosen_signs = select_signs(signs, list(signs) if chosen is None else chosen)
    weights = None
    if method == "custom":
        if raw_weights is None:
            raise ValueError(
                "weighting 'custom' needs raw_weights: one number per chosen indicator"
            )
        weights = custom_weights(raw_weights, list(chosen_signs))
    result = indices.build_index(panel, chosen_signs, method=method, weights=weights)
    extra = [c for c in keep if c in panel.columns]
    scores = panel.loc[result.score.index, [entity, time, *extra]].copy()
    scores["score"] = result.score.to_numpy()
    scores["rank"] = rank_within_time(scores, time)
    return IndexView(
        scores.reset_index(drop=True),
        result.weights,
        method,
        len(result.dropped),
        entity,
        time,
    )


def ranking(view: IndexView, year: int) -> pd.DataFrame:
    """The units of one year, best first, with score and rank."""
    years = sorted(view.scores[view.time].unique())
    if year not in years:
        raise ValueError(
            f"year {year} has no complete rows for this index; years available: {years}"
        )
    table = view.scores[view.scores[view.time] == year]
    return table.sort_values(["rank", view.entity]).reset_index(drop=True)


def default_year(view: IndexView) -> int:
    """Latest year in which the index covers as many units as in its best-covered
    year.
    """
    counts = view.scores.groupby(view.time)[view.entity].nunique()
    return int(counts[counts == counts.max()].index.max())


def trajectories(view: IndexView) -> pd.DataFrame:
    """Scores as a year x unit table (NaN where a unit-year was not complete)."""
    return view.scores.pivot(
        index=view.time, columns=view.entity, values="score"
    ).sort_index()


def _bar_colours(table: pd.DataFrame) -> list[str]:
    """Region colour for each row if a region column is present, else the first palette
    colour.
    """
    if "region" not in table.columns:
        return [PALETTE[0]] * len(table)
    return [REGION_COLOURS.get(region, MUTED) for region in table["region"]]


def index_builder_figure(
    view: IndexView,
    year: int,
    highlight: Sequence[str] = (),
    title: tuple[str, str] = ("综合指数", "Composite index"),
    source: str = "",
):
    """Left: the ranking of one year (bars, region colours). Right: every unit's path,
    highlighted ones in colour.
    """
    use_house_style()  # so the figure is the same from one call, in a page or a widget
    table = ranking(view, year)
    paths = trajectories(view)
    unknown = [name for name in highlight if name not in paths.columns]
    if unknown:
        raise ValueError(f"cannot highlight {unknown}: not units of this index")
    ranking_height = max(4.2, 0.2 * len(table) + 1.2)
    fig, (bars, lines) = plt.subplots(  # stacked: each panel has the column's width
        2,
        1,
        figsize=(5.6, ranking_height + 4.2),
        gridspec_kw={"height_ratios": [ranking_height, 4.2]},
    )
    bars.barh(
        table[view.entity][::-1], table["score"][::-1], color=_bar_colours(table)[::-1]
    )
    bars.set_xlabel(bilingual("指数得分", "index score", " "))
    bars.set_title(
        bilingual(
            f"{year}年排名 ({len(table)}个)", f"ranking in {year} ({len(table)} units)"
        )
    )
    bars.tick_params(axis="y", labelsize=10)
    bars.grid(axis="y", visible=False)
    for name in paths.columns:
        lines.plot(paths.index, paths[name], color="#cccccc", linewidth=0.8, zorder=1)
    for colour, name in zip(PALETTE, highlight):
        lines.plot(
            paths.index, paths[name], color=colour, linewidth=2, label=name, zorder=3
        )
    lines.plot(
        paths.index,
        paths.mean(axis=1),
        color=NATIONAL_COLOUR,
        linestyle=":",
        linewidth=1.6,
        label=bilingual("省份均值", "mean of provinces", " "),
        zorder=2,
    )
    lines.set_xlabel(bilingual("年份", "year", " "))
    lines.set_ylabel(bilingual("指数得分", "index score", " "))
    lines.set_title(bilingual("历年轨迹", "trajectories"))
    lines.xaxis.get_major_locator().set_params(integer=True)
    lines.legend(loc="upper left")
    if "region" in table.columns:
        present = [r for r in REGION_COLOURS if r in set(table["region"])]
        handles = [
            plt.Rectangle((0, 0), 1, 1, color=REGION_COLOURS[r]) for r in present
        ]
        bars.legend(handles, [region_label(r) for r in present], loc="lower right")
    fig.suptitle(f"{bilingual(*title)}: {view.method} weights", fontsize=11)
    fig.tight_layout()
    if source:
        add_source(fig, source)
    return fig
