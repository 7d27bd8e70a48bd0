"""Figures for the Part I evidence sections (house style: bilingual labels, source line, Okabe-Ito colours).

Each function takes the frames computed by helpers.nqpf_models and a source line, and returns a
matplotlib Figure; pages save them with helpers.outputs.save_figure and show them with alt text.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.data import region_label as facts_region_label
from helpers.indices import COORDINATION_CLASSES
from helpers.style import MUTED, NATIONAL_COLOUR, PALETTE, REGION_COLOURS, add_source, bilingual, use_house_style

REGION_ORDER = ("East", "Central", "West", "Northeast")


def region_label(region: str) -> str:
    """'东部 East' style label for a region."""
    return facts_region_label(region)


def _draw_paths(ax, frame: pd.DataFrame, column: str) -> None:
    """Regional and national mean of one score by year; years with fewer provinces than the best-covered
    year are drawn dotted with open markers, because their means average over a different set of provinces."""
    data = frame.dropna(subset=[column])
    coverage = data.groupby("year")["province_code"].nunique()
    partial = set(coverage.index[coverage < coverage.max()])
    series_list = [(data.loc[data["region"] == r].groupby("year")[column].mean(), REGION_COLOURS[r],
                    region_label(r), 1.5, "-") for r in REGION_ORDER]
    series_list.append((data.groupby("year")[column].mean(), NATIONAL_COLOUR,
                        bilingual("全国平均", "mean of provinces", " "), 2.2, "--"))
    for series, colour, label, width, style in series_list:
        full = series[~series.index.isin(partial)]
        ax.plot(full.index, full.to_numpy(), marker="o", ms=3, color=colour, lw=width, ls=style, label=label)
        if partial:
            # Join the last full year to the partial years so the line does not break.
            tail = series[series.index >= (full.index.max() if len(full) else series.index.min())]
            ax.plot(tail.index, tail.to_numpy(), marker="o", ms=3, mfc="white", color=colour, lw=1.0, ls=":")
    if partial:
        ax.plot([], [], marker="o", mfc="white", color=MUTED, ls=":",
                label=bilingual("部分省份缺数据", f"fewer provinces ({min(partial)}-{max(partial)})", " "))


def plot_index_paths(frame: pd.DataFrame, source: str) -> plt.Figure:
    """Two panels: NQPF and URI, mean by NBS region and over all provinces, by year."""
    use_house_style()
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 4.0))
    panels = (("nqpf", "新质生产力指数", "NQPF index (entropy)"), ("uri", "城乡融合指数", "URI index (entropy)"))
    for ax, (column, zh, en) in zip(axes, panels):
        _draw_paths(ax, frame, column)
        ax.set_title(bilingual(zh, en))
        ax.set_xlabel(bilingual("年份", "year", " "))
        ax.set_ylabel(bilingual("指数 (0-1)", "index (0-1)", " "))
        ax.xaxis.get_major_locator().set_params(integer=True)
    axes[0].legend(loc="upper left")
    add_source(fig, source)
    fig.tight_layout()
    return fig


def plot_within_between(changes: pd.DataFrame, x_label: tuple[str, str], y_label: tuple[str, str],
                        source: str) -> plt.Figure:
    """Left: province means of x and y (between provinces). Right: change over the window (within provinces)."""
    use_house_style()
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 4.2))
    specs = (
        (axes[0], "x_mean", "y_mean", ("省份均值", "province means, 2013-2020"), ("均值", "mean")),
        (axes[1], "x_change", "y_change", ("省内变化", "change within each province"), ("变化", "change")),
    )
    for ax, x, y, (title_zh, title_en), (word_zh, word_en) in specs:
        for region in REGION_ORDER:
            rows = changes.loc[changes["region"] == region]
            ax.scatter(rows[x], rows[y], s=28, color=REGION_COLOURS[region], label=region_label(region),
                       edgecolor="white", linewidth=0.5)
        slope, intercept = np.polyfit(changes[x], changes[y], 1)
        grid = np.linspace(changes[x].min(), changes[x].max(), 50)
        ax.plot(grid, intercept + slope * grid, color=MUTED, lw=1.2,
                label=bilingual("直线拟合", f"straight-line fit (slope {slope:.2f})", " "))
        for _, row in changes.nlargest(3, x).iterrows():
            ax.annotate(row["province_en"], (row[x], row[y]), fontsize=7, xytext=(3, 3), textcoords="offset points")
        ax.set_title(bilingual(title_zh, title_en))
        ax.set_xlabel(bilingual(f"{x_label[0]}{word_zh}", f"{x_label[1]}, {word_en}", " "))
        ax.set_ylabel(bilingual(f"{y_label[0]}{word_zh}", f"{y_label[1]}, {word_en}", " "))
        ax.legend(loc="best", fontsize=7)
    add_source(fig, source)
    fig.tight_layout()
    return fig


def plot_coefficients(table: pd.DataFrame, titles: dict[str, tuple[str, str]], source: str,
                      label_column: str = "specification") -> plt.Figure:
    """One panel per outcome: the NQPF coefficient and its 95% CI in each specification."""
    use_house_style()
    outcomes = list(titles)
    fig, axes = plt.subplots(1, len(outcomes), figsize=(4.9 * len(outcomes), 0.42 * table[label_column].nunique() + 1.6),
                             sharey=True)
    axes = np.atleast_1d(axes)
    for ax, outcome in zip(axes, outcomes):
        rows = table.loc[table["outcome"] == outcome].reset_index(drop=True)
        positions = np.arange(len(rows))[::-1]
        draw_intervals(ax, rows["coef"], rows["ci_low"], rows["ci_high"], rows["p"], positions)
        ax.axvline(0, color=NATIONAL_COLOUR, lw=0.8)
        ax.set_yticks(positions, rows[label_column])
        zh, en = titles[outcome]
        ax.set_title(bilingual(zh, en))
        ax.set_xlabel(bilingual("新质生产力系数 (95%置信区间)", "NQPF coefficient (95% CI)", " "))
    axes[-1].annotate(bilingual("橙色: p < 0.05", "orange: p < 0.05", " "), xy=(1, -0.16), xycoords="axes fraction",
                      ha="right", fontsize=8, color=PALETTE[3])
    add_source(fig, source)
    fig.tight_layout()
    return fig


def draw_intervals(ax, estimate, low, high, p_values, positions) -> None:
    """Point estimates with horizontal CI bars; orange where p < 0.05, grey otherwise."""
    for est, lo, hi, p, y in zip(estimate, low, high, p_values, positions):
        colour = PALETTE[3] if p < 0.05 else MUTED
        ax.plot([lo, hi], [y, y], color=colour, lw=1.4)
        ax.scatter([est], [y], color=colour, zorder=3, s=22)


def plot_channel(table: pd.DataFrame, title: tuple[str, str], source: str) -> plt.Figure:
    """Standardised coefficients (beta * sd(x)/sd(y)) with 95% CIs for each step of one channel table."""
    use_house_style()
    rows = table.reset_index(drop=True)
    scale = rows["std_coef"] / rows["coef"]
    labels = [f"{step}\n[{term}]" for step, term in zip(rows["step"], rows["term"])]
    positions = np.arange(len(rows))[::-1]
    fig, ax = plt.subplots(figsize=(7.0, 0.55 * len(rows) + 1.6))
    low, high = rows["ci_low"] * scale, rows["ci_high"] * scale
    draw_intervals(ax, rows["std_coef"], np.minimum(low, high), np.maximum(low, high), rows["p"], positions)
    ax.axvline(0, color=NATIONAL_COLOUR, lw=0.8)
    ax.set_yticks(positions, labels, fontsize=8)
    ax.set_title(bilingual(*title))
    ax.set_xlabel(bilingual("标准化系数 (95%置信区间)", "standardised coefficient (95% CI)", " "))
    ax.annotate(bilingual("橙色: p < 0.05", "orange: p < 0.05", " "), xy=(1, -0.2), xycoords="axes fraction",
                ha="right", fontsize=8, color=PALETTE[3])
    add_source(fig, source)
    fig.tight_layout()
    return fig


def plot_coupling(coupling: pd.DataFrame, source: str) -> plt.Figure:
    """Coupling coordination degree D of NQPF and URI by region and year, over the ten class bands."""
    use_house_style()
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    low = np.floor(coupling["D"].min() * 10) / 10
    high = np.ceil(coupling["D"].max() * 10) / 10
    for k in range(int(round(low * 10)), int(round(high * 10))):
        ax.axhspan(k / 10, (k + 1) / 10, color="#f2f2f2" if k % 2 else "white", zorder=0)
        zh, en = COORDINATION_CLASSES[k]
        ax.text(1.01, (k + 0.5) / 10, f"{zh}\n{en}", transform=ax.get_yaxis_transform(), fontsize=7,
                va="center", color=MUTED)
    _draw_paths(ax, coupling, "D")
    ax.set_ylim(low, high)
    ax.set_title(bilingual("新质生产力与城乡融合的耦合协调度", "coupling coordination degree D of NQPF and URI"))
    ax.set_xlabel(bilingual("年份", "year", " "))
    ax.set_ylabel("D")
    ax.legend(loc="upper left", fontsize=7)
    add_source(fig, source)
    fig.tight_layout()
    return fig
