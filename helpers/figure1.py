"""The paper's Figure 1 (图1, digital-literacy scores of four groups in 2021) rebuilt from data/, and its gaps.

One call draws it: ``fig, plotted = figure1()``. Every value comes from the resource
``digital_literacy_2021`` through helpers.data; nothing is typed here except the group ids,
which fix the paper's bar order.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from helpers.gaps import percent_lower, percent_lower_range, percentage_points
from helpers.style import MUTED, PALETTE, RURAL_COLOUR, URBAN_COLOUR, add_source, bilingual, use_house_style

RESOURCE = "digital_literacy_2021"
# The paper's bar order: all respondents, urban residents, rural residents, farmers.
PAPER_ORDER = ("overall", "urban_residents", "rural_residents", "farmers")
# Residence groups in the urban/rural colours; farmers (an occupation, not a place of residence)
# in a third Okabe-Ito colour and hatched, so the bar reads as a different kind of group.
BAR_COLOURS = {"overall": MUTED, "urban_residents": URBAN_COLOUR, "rural_residents": RURAL_COLOUR,
               "farmers": PALETTE[4]}
BAR_HATCH = {"farmers": "//"}
SCORE_MAX = 100
TITLE = bilingual("2021年中国不同群体数字素养平均得分(满分100分)",
                  "Average digital-literacy score of four groups, China 2021 (out of 100)")
Y_LABEL = bilingual("平均得分", "mean score (0-100)")


def short_english(name: str) -> str:
    """The English group name without its parenthetical note: 'Farmers (occupational group)' -> 'Farmers'."""
    return name.split(" (")[0].strip()


def figure1_scores(frame: pd.DataFrame, source: str = RESOURCE) -> pd.DataFrame:
    """The four groups of Figure 1 in the paper's order, checked: one row per group, score within 0-100."""
    for column in ("group_id", "group_zh", "group_en", "score"):
        if column not in frame.columns:
            raise KeyError(f"{source}: column {column!r} not found; columns present: {list(frame.columns)}")
    found = list(frame["group_id"])
    missing = [g for g in PAPER_ORDER if g not in found]
    repeated = sorted({g for g in found if found.count(g) > 1})
    if missing or repeated:
        raise ValueError(f"{source}: expected one row for each of {list(PAPER_ORDER)}; "
                         f"missing {missing}, repeated {repeated}")
    rows = frame.set_index("group_id").loc[list(PAPER_ORDER)].reset_index()
    out_of_range = rows[(rows["score"] < 0) | (rows["score"] > SCORE_MAX) | rows["score"].isna()]
    if not out_of_range.empty:
        first = out_of_range.iloc[0]
        raise ValueError(f"{source}: group {first['group_id']!r} has score {first['score']!r}, "
                         f"expected a number between 0 and {SCORE_MAX}")
    rows["label"] = [bilingual(zh, short_english(en)) for zh, en in zip(rows["group_zh"], rows["group_en"])]
    rows["colour"] = rows["group_id"].map(BAR_COLOURS)
    return rows[["group_id", "group_zh", "group_en", "label", "score", "colour"]]


def draw_figure1(scores: pd.DataFrame, source_line: str):
    """Bar chart of the checked scores (paper order), each bar labelled with its score, axis 0-100, source below."""
    use_house_style()
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    bars = ax.bar(scores["label"], scores["score"], color=scores["colour"], width=0.62,
                  hatch=[BAR_HATCH.get(g, "") for g in scores["group_id"]], edgecolor="white", linewidth=0.8)
    ax.bar_label(bars, labels=[f"{s:.1f}" for s in scores["score"]], padding=3, fontsize=10)
    ax.set_ylim(0, SCORE_MAX)
    ax.set_axisbelow(True)  # grid lines behind the bars, so no line crosses a bar
    ax.set_ylabel(Y_LABEL)
    ax.set_title(TITLE, loc="left")
    ax.grid(axis="x", visible=False)
    ax.tick_params(axis="x", length=0)
    add_source(fig, source_line)
    return fig


def figure1(data_dir=None):
    """Figure 1 from data/ in one call: returns (figure, the plotted rows in bar order)."""
    from helpers.data import load, resource_info

    scores = figure1_scores(load(RESOURCE, data_dir))
    fig = draw_figure1(scores, resource_info(RESOURCE, data_dir)["source_line"])
    return fig, scores


def score_of(scores: pd.DataFrame, group_id: str) -> float:
    """The score of one group from the Figure 1 rows."""
    match = scores.loc[scores["group_id"] == group_id, "score"]
    if len(match) != 1:
        raise KeyError(f"group {group_id!r}: expected one row, found {len(match)}")
    return float(match.iloc[0])


def literacy_gaps(scores: pd.DataFrame, half_unit: float = 0.05) -> pd.DataFrame:
    """The two gaps the report quotes: rural residents vs urban residents, farmers vs all respondents.

    percent_lower = 100 * (reference - group) / reference; low/high give its range when each
    published score is a rounding of a value within +/- half_unit.
    """
    comparisons = [("rural_residents", "urban_residents"), ("farmers", "overall")]
    rows = []
    for group, reference in comparisons:
        value, base = score_of(scores, group), score_of(scores, reference)
        low, high = percent_lower_range(value, base, half_unit)
        rows.append({"group": group, "reference": reference, "group_score": value, "reference_score": base,
                     "points_lower": percentage_points(value, base), "percent_lower": percent_lower(value, base),
                     "percent_lower_low": low, "percent_lower_high": high,
                     "reference_over_group": base / value})
    return pd.DataFrame(rows)
