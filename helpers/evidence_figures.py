"""The coefficient chart that all four Part I pages draw (house style: bilingual labels,
source line, Okabe-Ito).

``plot_channel`` draws the steps of one channel (standardised coefficients with 95%
intervals); ``draw_intervals`` is its dot-and-whisker building block, which factor_flow
also uses for its robustness chart. The blocks below it, headed by the page they serve,
hold the drawing code of one page's figures; the page prepares the frames they plot.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.indices import COORDINATION_CLASSES
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
    labels: dict[str, tuple[str, str]] | None = None,
    *,
    title: tuple[str, str],
    source: str,
    panel_height: float = 2.2,
    legend_space: float = 0.12,
) -> plt.Figure:
    """Part III lever chart: standardised slope and 95% CI of each lever (``labels``:
    term -> (zh, en), top to bottom; by default the table's levers in its order, with
    their path_levers labels), one panel per outcome, within and between provinces.
    """
    if labels is None:
        from helpers.path_levers import lever_labels

        labels = lever_labels(list(dict.fromkeys(lever_table["term"])))
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


# --- book/mechanisms/factor_flow.md: index paths, within/between, coupling ---------


def check_columns(frame: pd.DataFrame, needed, what: str) -> None:
    """Raise a KeyError naming the columns of `needed` that `frame` lacks."""
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise KeyError(
            f"{what}: the frame has no column {', '.join(map(repr, missing))} "
            f"(it has {list(frame.columns)})"
        )


def draw_region_paths(
    ax, scores: pd.DataFrame, column: str, region_labels: dict[str, str]
) -> None:
    """Mean of `column` by year for each NBS region (``region_labels``: region ->
    label, in drawing order) and over all provinces. Years with fewer provinces than
    the best-covered year are dotted with open markers: their means average over a
    different set of provinces.
    """
    check_columns(scores, ["year", "region", "province_code", column], "region paths")
    scores = scores.dropna(subset=[column])
    coverage = scores.groupby("year")["province_code"].nunique()
    partial = set(coverage.index[coverage < coverage.max()])
    lines = [
        (
            scores[scores["region"] == region].groupby("year")[column].mean(),
            REGION_COLOURS[region],
            label,
            1.5,
            "-",
        )
        for region, label in region_labels.items()
    ]
    national = bilingual("全国平均", "mean of provinces", " ")
    lines.append(
        (scores.groupby("year")[column].mean(), NATIONAL_COLOUR, national, 2.2, "--")
    )
    for series, colour, label, width, style in lines:
        full = series[~series.index.isin(partial)]
        ax.plot(
            full.index,
            full.to_numpy(),
            marker="o",
            ms=3,
            color=colour,
            lw=width,
            ls=style,
            label=label,
        )
        if partial:  # join the last full year to the partial years: no gap in a line
            tail = series[series.index >= full.index.max()]
            ax.plot(
                tail.index,
                tail.to_numpy(),
                marker="o",
                ms=3,
                mfc="white",
                color=colour,
                lw=1.0,
                ls=":",
            )
    if partial:
        years = "-".join(map(str, sorted({min(partial), max(partial)})))
        label = bilingual("部分省份缺数据", f"fewer provinces ({years})", " ")
        ax.plot([], [], marker="o", mfc="white", color=MUTED, ls=":", label=label)


def index_paths_figure(
    frame: pd.DataFrame,
    panels: dict[str, tuple[str, str]],
    region_labels: dict[str, str],
    source: str,
) -> plt.Figure:
    """One panel per index (``panels``: column -> (zh, en) title), stacked, each the
    regional and national mean by year (draw_region_paths); one legend beneath.
    """
    use_house_style()
    fig, axes = plt.subplots(len(panels), 1, figsize=(5.6, 4.1 * len(panels)))
    axes = np.atleast_1d(axes)
    for ax, (column, (zh, en)) in zip(axes, panels.items()):
        draw_region_paths(ax, frame, column, region_labels)
        ax.set_title(bilingual(zh, en))
        ax.set_xlabel(bilingual("年份", "year", " "))
        ax.set_ylabel(bilingual("指数 (0-1)", "index (0-1)", " "))
        ax.xaxis.get_major_locator().set_params(integer=True)
    # One legend under the panels: inside a panel it would cover the lines.
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 0), ncols=2)
    add_source(fig, source)
    fig.tight_layout(rect=(0, 0.11, 1, 1))
    return fig


def draw_region_scatter(
    ax,
    points: pd.DataFrame,
    x: str,
    y: str,
    region_labels: dict[str, str],
    n_named: int = 3,
) -> float:
    """Provinces as points coloured by region, a straight-line fit (for the eye) and
    the `n_named` largest x named (column province_en); returns the fit's slope.
    """
    check_columns(points, [x, y, "region", "province_en"], "region scatter")
    for region, label in region_labels.items():
        mine = points[points["region"] == region]
        ax.scatter(
            mine[x],
            mine[y],
            s=28,
            color=REGION_COLOURS[region],
            label=label,
            edgecolor="white",
            linewidth=0.5,
        )
    slope, intercept = np.polyfit(points[x], points[y], 1)
    grid = np.linspace(points[x].min(), points[x].max(), 50)
    fit_label = bilingual("直线拟合", f"straight-line fit (slope {slope:.2f})", " ")
    ax.plot(grid, intercept + slope * grid, color=MUTED, lw=1.2, label=fit_label)
    for _, row in points.nlargest(n_named, x).iterrows():
        ax.annotate(
            row["province_en"],
            (row[x], row[y]),
            fontsize=10,
            xytext=(3, 3),
            textcoords="offset points",
        )
    return slope


def within_between_figure(
    changes: pd.DataFrame, region_labels: dict[str, str], source: str
) -> plt.Figure:
    """NQPF against URI by province: means (columns nqpf_mean, uri_mean) on top,
    changes (nqpf_change, uri_change) beneath.
    """
    use_house_style()
    panels = {
        "mean": (("省份均值", "province means, 2013-2020"), ("均值", "mean")),
        "change": (("省内变化", "change within each province"), ("变化", "change")),
    }
    fig, axes = plt.subplots(2, 1, figsize=(5.6, 8.4))  # stacked: phone width
    for ax, (what, (title, (word_zh, word_en))) in zip(axes, panels.items()):
        draw_region_scatter(ax, changes, f"nqpf_{what}", f"uri_{what}", region_labels)
        ax.set_title(bilingual(*title))
        ax.set_xlabel(bilingual(f"新质生产力{word_zh}", f"NQPF, {word_en}", " "))
        ax.set_ylabel(bilingual(f"城乡融合{word_zh}", f"URI, {word_en}", " "))
        ax.legend(loc="best", fontsize=10)
    add_source(fig, source)
    fig.tight_layout()
    return fig


def coupling_figure(
    coupling: pd.DataFrame, region_labels: dict[str, str], source: str
) -> plt.Figure:
    """Coupling coordination degree D by region and year (draw_region_paths) over
    bands for its classes (indices.COORDINATION_CLASSES), named right of the axes.
    """
    use_house_style()
    check_columns(coupling, ["D"], "coupling figure")
    fig, ax = plt.subplots(figsize=(4.9, 4.6))  # class names right of the axes
    low = np.floor(coupling["D"].min() * 10) / 10
    high = np.ceil(coupling["D"].max() * 10) / 10
    for k in range(int(round(low * 10)), int(round(high * 10))):  # a band per class
        ax.axhspan(
            k / 10, (k + 1) / 10, color="#f2f2f2" if k % 2 else "white", zorder=0
        )
        zh, en = COORDINATION_CLASSES[k]
        ax.text(
            1.01,
            (k + 0.5) / 10,
            f"{zh}\n{en}",
            transform=ax.get_yaxis_transform(),
            fontsize=10,
            va="center",
            color=MUTED,
        )
    draw_region_paths(ax, coupling, "D", region_labels)
    ax.set_ylim(low, high)
    ax.set_title(
        bilingual(
            "新质生产力与城乡融合的耦合协调度",
            "coupling coordination degree D of NQPF and URI",
        )
    )
    ax.set_xlabel(bilingual("年份", "year", " "))
    ax.set_ylabel("D")
    ax.legend(loc="upper left", fontsize=10)
    add_source(fig, source)
    fig.tight_layout()
    return fig
