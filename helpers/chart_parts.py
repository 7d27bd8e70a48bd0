"""Drawing pieces shared by the Part II charts: lines that stop at series breaks, bounds
drawn as bounds, Lorenz curves.

Each plot_* function draws on an axes it is given and returns nothing; colours come from
helpers.style. concentration_chart and coverage_heatmap are whole charts, because
several charts draw them for different data (three chapters the concentration chart,
the data appendix its provincial and national coverage charts).
"""

from __future__ import annotations

from typing import Iterable

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap

from helpers.concentration import complete_span, lorenz_curve
from helpers.gaps import consecutive_runs, segments_between_breaks
from helpers.style import (
    FIGURE_WIDTH_IN,
    MUTED,
    PALETTE,
    SMALLEST_FONT_PT,
    add_source,
    bilingual,
    use_house_style,
    wrap_for_figure,
)

# A bound is drawn as a triangle pointing where the true value lies: '>' (at least) up,
# '<' (below) down.
BOUND_MARKERS = {">": "^", "<": "v", "=": "o"}
# Position of an observation relative to the end of its year: a tick labelled 2020 is
# end-2020, so a year-end value sits on its tick and a June value half a year before it.
PERIOD_POSITION = {"year": 0.0, "jun": -6 / 12, "jan": -11 / 12, "nov1": -2 / 12}


def observation_time(year: int, period: str) -> float:
    """Position on a year-end time axis: year for year-end values, year - 0.5 for June,
    year - 2/12 for 1 November.
    """
    if period not in PERIOD_POSITION:
        raise ValueError(f"unknown period {period!r}; known: {sorted(PERIOD_POSITION)}")
    return int(year) + PERIOD_POSITION[period]


def plot_broken_series(
    ax,
    series: pd.Series,
    breaks: Iterable[int] = (),
    *,
    colour: str,
    label: str,
    marker: str = "o",
    linewidth: float = 1.8,
    hollow: Iterable[int] = (),
) -> None:
    """Draw a year-indexed series: solid between adjacent years, dotted over missing
    years, never across a break.

    Years in `hollow` (e.g. flagged values) get an unfilled marker.
    """
    hollow = set(int(y) for y in hollow)
    labelled = False
    for segment in segments_between_breaks(series, breaks):
        runs = consecutive_runs(segment.index)
        for left, right in zip(runs[:-1], runs[1:]):
            # Years without data inside one basis: a thin dotted link, so no value is
            # implied.
            ax.plot(
                [left[-1], right[0]],
                [segment[left[-1]], segment[right[0]]],
                color=colour,
                linestyle=":",
                linewidth=1.0,
            )
        for run in runs:
            ax.plot(
                run,
                segment[run].to_numpy(),
                color=colour,
                linewidth=linewidth,
                marker=marker,
                markersize=5,
                label=None if labelled else label,
            )
            labelled = True
        empty = [y for y in segment.index if int(y) in hollow]
        if empty:
            ax.plot(
                empty,
                segment[empty].to_numpy(),
                linestyle="none",
                marker=marker,
                markersize=6,
                markerfacecolor="white",
                markeredgecolor=colour,
                markeredgewidth=1.5,
            )


def date_position(date: str) -> float:
    """Position of an ISO date on a year-end time axis: year - 1 + day of year / days in
    year (31 Dec = the year).
    """
    stamp = pd.Timestamp(date)
    return stamp.year - 1 + stamp.day_of_year / (366 if stamp.is_leap_year else 365)


def mark_break(
    ax,
    first_year_after: float,
    text: str,
    *,
    at: float | None = None,
    where: str = "top",
) -> None:
    """A dashed vertical line between the old basis and the new, with a note at the top
    or bottom.

    On a calendar-year axis the line sits half-way between the last old year and the
    first new one; on a decimal-year axis pass its position as `at`.
    """
    x = first_year_after - 0.5 if at is None else at
    ax.axvline(x, color=MUTED, linestyle="--", linewidth=0.9, zorder=0)
    y, va, dy = (1.0, "top", -3) if where == "top" else (0.0, "bottom", 3)
    ax.annotate(
        text,
        xy=(x, y),
        xycoords=("data", "axes fraction"),
        xytext=(3, dy),
        textcoords="offset points",
        ha="left",
        va=va,
        fontsize=SMALLEST_FONT_PT,
        color=MUTED,
    )


def year_end_axis(ax, first: float, last: float) -> None:
    """x axis of observation_time positions: a tick at each year-end, labelled with the
    year, a little margin.
    """
    ax.set_xlim(first - 0.5, last + 0.5)
    ax.set_xticks(
        range(int(first) if first == int(first) else int(first) + 1, int(last) + 1)
    )


def label_offsets(
    x: list[float], y: list[float], near_x: float = 1.5, near_y: float = 3.0
) -> list[tuple]:
    """Text offsets (points) and alignment for point labels: to the right, or
    below/above when two points crowd.
    """
    placement = [((7, 0), "left", "center")] * len(x)
    order = sorted(range(len(x)), key=lambda i: (x[i], y[i]))
    for a, b in zip(order[:-1], order[1:]):
        if abs(x[a] - x[b]) < near_x and abs(y[a] - y[b]) < near_y:
            placement[a] = ((0, -11), "center", "top")
            placement[b] = ((0, 10), "center", "bottom")
    return placement


def plot_bounds(
    ax,
    x: Iterable[float],
    values: Iterable[float],
    qualifiers: Iterable[str],
    texts: Iterable[str],
    *,
    colour: str,
    label: str,
    placements: Iterable[tuple] | None = None,
) -> None:
    """Unconnected markers for milestone values: '>' as an up triangle, '<' down, '=' a
    dot, each with its text.
    """
    x, values, qualifiers, texts = list(x), list(values), list(qualifiers), list(texts)
    placements = (
        list(placements)
        if placements is not None
        else [((7, 0), "left", "center")] * len(x)
    )
    labelled = False
    for position, value, qualifier, text, place in zip(
        x, values, qualifiers, texts, placements
    ):
        qualifier = qualifier if isinstance(qualifier, str) and qualifier else "="
        if qualifier not in BOUND_MARKERS:
            raise ValueError(
                f"unknown qualifier {qualifier!r} at x={position}; known: "
                f"{sorted(BOUND_MARKERS)}"
            )
        ax.plot(
            [position],
            [value],
            linestyle="none",
            marker=BOUND_MARKERS[qualifier],
            markersize=9,
            color=colour,
            label=None if labelled else label,
        )
        labelled = True
        offset, ha, va = place
        ax.annotate(
            text,
            xy=(position, value),
            xytext=offset,
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=SMALLEST_FONT_PT,
            color=colour,
        )


def plot_lorenz(
    ax, curve: pd.DataFrame, *, colour: str, label: str, linestyle: str = "-"
) -> None:
    """A Lorenz curve (population_share vs amount_share), with the line of equal shares
    once per axes.
    """
    if not getattr(ax, "_equality_line_drawn", False):
        ax.plot([0, 1], [0, 1], color=MUTED, linewidth=0.9, linestyle="--")
        ax._equality_line_drawn = True
    ax.plot(
        curve["population_share"],
        curve["amount_share"],
        color=colour,
        linestyle=linestyle,
        linewidth=1.8,
        label=label,
        drawstyle="default",
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)


def concentration_chart(
    panel: pd.DataFrame,
    columns: dict[str, str],
    concentration: dict[str, pd.DataFrame],
    benchmarks: dict[str, pd.DataFrame],
    title: str,
    source: str,
):
    """Left: Lorenz curves across provinces in the first and last complete year; right:
    Gini by year with benchmarks.

    columns maps panel column -> label; concentration holds concentration_by_year tables
    for them; benchmarks (e.g. GDP, population: label -> table) are drawn in grey, so
    the reader sees whether an indicator is more concentrated than economic activity or
    people. Years with a province missing are hollow and not joined.
    """
    use_house_style()
    # Stacked, not side by side: each panel keeps the text column's width on a phone.
    fig, (left, right) = plt.subplots(2, 1, figsize=(FIGURE_WIDTH_IN, 8.4))
    for k, (column, label) in enumerate(columns.items()):
        colour = PALETTE[k]
        table = concentration[column]
        first, last = complete_span(table)
        for year, style in ((first, ":"), (last, "-")):
            values = panel.loc[panel["year"] == year, column].dropna()
            plot_lorenz(
                left,
                lorenz_curve(values),
                colour=colour,
                linestyle=style,
                label=f"{label.split(chr(10))[0]} {year}",
            )
        complete = table[table["complete"]]
        # Dotted over years without data (e.g. a year the source skipped), solid between
        # adjacent years.
        plot_broken_series(
            right,
            complete.set_index("year")["gini"],
            [],
            colour=colour,
            label=label,
            linewidth=1.6,
        )
        partial = table[~table["complete"]]
        if not partial.empty:
            right.plot(
                partial["year"],
                partial["gini"],
                "o",
                color=colour,
                markersize=5,
                markerfacecolor="white",
            )
    for (label, table), style in zip(benchmarks.items(), ["--", "-.", ":"]):
        right.plot(
            table["year"],
            table["gini"],
            color=MUTED,
            linestyle=style,
            linewidth=1.4,
            label=label,
        )
    if any((~concentration[column]["complete"]).any() for column in columns):
        right.plot(
            [],
            [],
            "o",
            color=MUTED,
            markerfacecolor="white",
            label=bilingual("空心: 有省份缺数据", "hollow: a province missing", " "),
        )
    left.set_xlabel(
        bilingual(
            "省份累计占比 (由少到多)", "cumulative share of provinces (smallest first)"
        )
    )
    left.set_ylabel(bilingual("累计占比", "cumulative share of the total"))
    left.set_title(
        bilingual("洛伦兹曲线 (点线: 首年)", "Lorenz curves (dotted: first year)"),
        loc="left",
    )
    left.legend(loc="upper left")
    right.set_ylim(0, 1)
    right.set_ylabel(bilingual("基尼系数 (省际)", "Gini across provinces"))
    right.set_title(bilingual("基尼系数逐年变化", "Gini by year"), loc="left")
    right.legend(loc="lower left", fontsize=SMALLEST_FONT_PT, ncol=1)
    fig.suptitle(wrap_for_figure(title, fig, 11), x=0.01, ha="left", fontsize=11)
    fig.tight_layout()
    add_source(fig, source)
    return fig


# --- book/appendix/data.md: the coverage charts -------------------------------------


def coverage_heatmap(
    matrix: pd.DataFrame,
    groups: pd.Series,
    source_text: str,
    title: tuple[str, str],
    scale: tuple[str, str],
) -> plt.Figure:
    """Heatmap of a coverage matrix (rows: indicators, columns: years, cells: share
    covered from 0, white, to 1, dark), rows grouped by ``groups`` (row name -> group:
    a rule between groups, the group's name right of the axes).
    """
    use_house_style()
    missing = [name for name in matrix.index if name not in groups.index]
    if missing:
        raise KeyError(f"coverage_heatmap: no group for the rows {missing}")
    height = 2.6 + 0.38 * len(matrix)  # a row: two lines of a wrapped column name
    fig, ax = plt.subplots(figsize=(5.0, height))
    fig.subplots_adjust(
        left=0.40, right=0.81, top=1 - 0.75 / height, bottom=2.1 / height
    )
    colours = LinearSegmentedColormap.from_list("coverage", ["#ffffff", PALETTE[0]])
    image = ax.imshow(
        matrix.to_numpy(dtype=float),
        aspect="auto",
        cmap=colours,
        vmin=0,
        vmax=1,
        interpolation="nearest",
    )
    ax.set_yticks(
        range(len(matrix)), [wrap_for_figure(n, fig, share=0.34) for n in matrix.index]
    )
    ax.set_xticks(
        range(len(matrix.columns)),
        [str(y) for y in matrix.columns],
        rotation=90,
        fontsize=10,
    )
    ax.grid(False)
    # A rule between groups of rows, and the group's name right of the axes.
    labels = groups.reindex(matrix.index).tolist()
    start = 0
    for index in range(1, len(labels) + 1):
        if index == len(labels) or labels[index] != labels[start]:
            if index < len(labels):
                ax.axhline(index - 0.5, color="#444444", linewidth=0.6)
            ax.text(
                1.01,
                (start + index - 1) / 2,
                wrap_for_figure(labels[start], fig, share=0.16),
                transform=ax.get_yaxis_transform(),
                ha="left",
                va="center",
                fontsize=10,
                color="#444444",
            )
            start = index
    ax.set_xlabel(bilingual("年份", "Year", " / "))
    ax.set_ylabel(
        bilingual("指标 (data/ 列名)", "indicator (column name in data/)", " / ")
    )
    ax.set_title(bilingual(*title), fontsize=10)
    bar = fig.colorbar(
        image,
        cax=fig.add_axes([0.40, 1.05 / height, 0.41, 0.12 / height]),
        orientation="horizontal",
    )
    bar.set_label(bilingual(*scale, " / "), fontsize=10)
    bar.ax.tick_params(labelsize=10)
    bar.ax.grid(False)
    fig.text(
        0.01,
        0.08 / height,
        wrap_for_figure(source_text, fig),
        ha="left",
        va="bottom",
        fontsize=10,
        color=MUTED,
    )
    return fig
