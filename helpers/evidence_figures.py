"""The coefficient chart that all four Part I pages draw (house style: bilingual labels,
source line, Okabe-Ito).

``plot_channel`` draws the steps of one channel (standardised coefficients with 95%
intervals); ``draw_intervals`` is its dot-and-whisker building block, which factor_flow
also uses for its robustness chart. Figures that only one page draws are drawn on that
page.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.style import (
    FIGURE_WIDTH_IN,
    MUTED,
    NATIONAL_COLOUR,
    PALETTE,
    REGION_COLOURS,
    add_source,
    bilingual,
    use_house_style,
    wrap_for_figure,
)

REGION_ORDER = ("East", "Central", "West", "Northeast")


def draw_intervals(ax, estimate, low, high, p_values, positions) -> None:
    """Point estimates with horizontal CI bars; orange where p < 0.05, grey
    otherwise.
    """
    for est, lo, hi, p, y in zip(estimate, low, high, p_values, positions):
        colour = PALETTE[3] if p < 0.05 else MUTED
        ax.plot([lo, hi], [y, y], color=colour, lw=1.4)
        ax.scatter([est], [y], color=colour, zorder=3, s=22)


def plot_channel(
    table: pd.DataFrame, title: tuple[str, str], source: str
) -> plt.Figure:
    """Standardised coefficients (beta * sd(x)/sd(y)) with 95% CIs for each step of one
    channel table.
    """
    use_house_style()
    rows = table.reset_index(drop=True)
    scale = rows["std_coef"] / rows["coef"]
    labels = [f"{step}\n[{term}]" for step, term in zip(rows["step"], rows["term"])]
    positions = np.arange(len(rows))[::-1]
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH_IN, 0.6 * len(rows) + 1.8))
    low, high = rows["ci_low"] * scale, rows["ci_high"] * scale
    draw_intervals(
        ax,
        rows["std_coef"],
        np.minimum(low, high),
        np.maximum(low, high),
        rows["p"],
        positions,
    )
    ax.axvline(0, color=NATIONAL_COLOUR, lw=0.8)
    ax.set_yticks(positions, labels)
    # Over the figure from its left edge: centred over the axes (right of the long
    # step labels) a long title runs off the figure.
    fig.suptitle(wrap_for_figure(bilingual(*title), fig, 11), x=0.01, ha="left")
    ax.set_xlabel(
        bilingual("标准化系数 (95%置信区间)", "standardised coefficient (95% CI)")
    )
    ax.annotate(
        bilingual("橙色: p < 0.05", "orange: p < 0.05", " "),
        xy=(1, -0.2),
        xycoords="axes fraction",
        ha="right",
        color=PALETTE[3],
    )
    add_source(fig, source)
    fig.tight_layout()
    return fig


def lever_figure(
    lever_table: pd.DataFrame,
    labels: dict[str, tuple[str, str]],
    title: tuple[str, str],
    source: str,
    panel_height: float = 2.2,
    legend_space: float = 0.12,
) -> plt.Figure:
    """Part III lever chart: standardised slope and 95% CI of each lever (``labels``:
    term -> (zh, en), top to bottom), one panel per outcome, within and between
    provinces.
    """
    styles = {
        "within provinces": (PALETTE[0], "o", -0.15, "省内"),
        "between provinces": (PALETTE[1], "s", 0.15, "省际"),
    }
    outcomes = {
        "uri": ("城乡融合指数", "URI index"),
        "income_ratio": ("城乡收入比", "urban/rural income ratio"),
    }
    terms = list(labels)
    y = np.arange(len(terms))[::-1]  # first lever at the top
    fig, axes = plt.subplots(  # stacked: phone width
        2, 1, figsize=(5.6, 2 * (0.8 * len(terms) + panel_height)), sharey=True
    )
    for ax, (outcome, (zh, en)) in zip(axes, outcomes.items()):
        for comparison, (colour, marker, offset, comparison_zh) in styles.items():
            rows = (
                lever_table.query("outcome == @outcome and comparison == @comparison")
                .set_index("term")
                .loc[terms]
            )
            filled = (rows["p"] < 0.05).to_numpy()
            ax.hlines(
                y + offset,
                rows["std_low"],
                rows["std_high"],
                color=colour,
                linewidth=1.4,
            )
            ax.scatter(
                rows["std_coef"][filled],
                (y + offset)[filled],
                color=colour,
                marker=marker,
                zorder=3,
                label=bilingual(comparison_zh, comparison, " "),
            )
            ax.scatter(
                rows["std_coef"][~filled],
                (y + offset)[~filled],
                facecolor="white",
                edgecolor=colour,
                marker=marker,
                zorder=3,
            )
        ax.axvline(0, color=NATIONAL_COLOUR, linewidth=0.8)
        ax.set_title(bilingual(f"结果: {zh}", f"outcome: {en}"), fontsize=10)
        ax.set_xlabel(
            bilingual("标准化系数 (95%置信区间)", "standardised slope (95% CI)")
        )
    axes[0].set_yticks(y, [f"{zh}\n{en}" for zh, en in labels.values()], fontsize=10)
    fig.suptitle(bilingual(*title, " "), fontsize=11)
    fig.tight_layout(rect=(0, legend_space, 1, 1))
    fig.legend(
        *axes[0].get_legend_handles_labels(),
        loc="upper center",
        bbox_to_anchor=(0.5, legend_space - 0.02),
        ncol=2,
        fontsize=10,
        title_fontsize=10,
        title=bilingual(
            "实心: p < 0.05; 空心: 不显著",
            "filled: p < 0.05; hollow: not significant",
            " ",
        ),
    )
    add_source(fig, source)
    return fig


def lever_ranking_figure(
    frame: pd.DataFrame,
    levers: dict[str, tuple[object, int]],
    region_labels: dict[str, str],
    source: str,
) -> plt.Figure:
    """Provinces ranked on each lever in one year (``levers``: column -> (lever with
    label_zh, label_en, unit; year)), one panel under another, coloured by region.
    """
    fig, axes = plt.subplots(len(levers), 1, figsize=(5.6, 7.2 * len(levers)))
    for ax, (column, (lever, year)) in zip(np.atleast_1d(axes), levers.items()):
        rows = frame[(frame["year"] == year) & frame[column].notna()]
        rows = rows.sort_values(column)
        ax.barh(
            rows["province_zh"] + " " + rows["province_en"],
            rows[column],
            color=rows["region"].map(REGION_COLOURS),
        )
        ax.axvline(
            rows[column].mean(), color=NATIONAL_COLOUR, linestyle=":", linewidth=1.2
        )
        ax.set_title(
            bilingual(f"{lever.label_zh} ({year})", f"{lever.label_en}, {year}"),
            fontsize=10,
        )
        ax.set_xlabel(lever.unit)
        ax.tick_params(axis="y", labelsize=10)
        ax.grid(axis="y", visible=False)
    # room for the legend
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.45 / fig.get_figheight()))
    fig.legend(
        [plt.Rectangle((0, 0), 1, 1, color=c) for c in REGION_COLOURS.values()],
        [f"{region_labels[r]} {r}" for r in REGION_COLOURS],
        loc="upper center",
        ncol=4,
        fontsize=10,
    )
    add_source(fig, source)
    return fig
