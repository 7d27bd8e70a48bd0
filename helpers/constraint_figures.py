"""Figures that only one Part II (constraints) page draws, each drawn by one function in
the house style (bilingual labels, source line, Okabe-Ito colours).

The page keeps what a student should see: it loads the data, selects and prepares with
pandas what is plotted, and calls the function with named inputs. The drawing (markers,
label placement, legend plumbing) is here, where tests check it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from helpers.chart_parts import mark_break, plot_broken_series, year_end_axis
from helpers.style import (
    MUTED,
    NATIONAL_COLOUR,
    PALETTE,
    RURAL_COLOUR,
    URBAN_COLOUR,
    add_source,
    bilingual,
    use_house_style,
)
from helpers.urban_rural import BasisChange, require_columns

# --- book/constraints/tech_pull.md and book/constraints/factor_barriers.md ----------

PENETRATION_COLOURS = {
    "urban": URBAN_COLOUR,
    "rural": RURAL_COLOUR,
    "total": NATIONAL_COLOUR,
}
PENETRATION_LABELS = {
    "urban": bilingual("城镇", "urban", " "),
    "rural": bilingual("农村", "rural", " "),
    "total": bilingual("全国", "all China", " "),
}
ENGEL_COLOURS = {
    "urban": URBAN_COLOUR,
    "rural": RURAL_COLOUR,
    "national": NATIONAL_COLOUR,
}
ENGEL_LABELS = {
    "urban": bilingual("城镇", "urban", " "),
    "rural": bilingual("农村", "rural", " "),
    "national": bilingual("全国", "all China", " "),
}
RESIDENT_BASIS_LABELS = {
    "pre_census_2020": bilingual("普查前公布", "pre-census print"),
    "census_2020": bilingual("2020年普查", "2020 census"),
    "current": bilingual("现行", "current"),
}


def _hollow(ax, x, y, marker: str, colour: str, size: float, **kw) -> None:
    """Unfilled markers, not joined: flagged values, or values on another basis."""
    ax.plot(
        x,
        y,
        marker,
        markersize=size,
        markerfacecolor="white",
        markeredgecolor=colour,
        linestyle="none",
        **kw,
    )


def _hollow_legend_entry(ax, label: str) -> None:
    """A grey hollow dot in the legend, explaining every hollow marker at once."""
    ax.plot([], [], "o", markerfacecolor="white", markeredgecolor=MUTED, label=label)


def penetration_figure(
    observations: pd.DataFrame,
    miit: pd.DataFrame,
    gaps: pd.DataFrame,
    source: str,
) -> plt.Figure:
    """Internet penetration (%) by date, one dotted-linked dot series per group of
    `observations` (group, time, value, flag; flagged values hollow with ' ?'), the MIIT
    rural figures of `miit` as hollow diamonds, and an arrow labelled with the urban -
    rural gap in points at each date of `gaps` (time, urban, rural, gap_points).
    """
    require_columns(
        observations, ["group", "time", "value", "flag"], "penetration observations"
    )
    require_columns(miit, ["time", "value"], "MIIT observations")
    require_columns(gaps, ["time", "urban", "rural", "gap_points"], "penetration gaps")
    use_house_style()
    fig, ax = plt.subplots(figsize=(5.6, 4.6))
    for group in ("total", "urban", "rural"):
        rows = observations[observations["group"] == group]
        colour = PENETRATION_COLOURS[group]
        flagged = rows["flag"].notna()
        # Dotted links: observations are months or years apart; nothing is measured in
        # between.
        ax.plot(rows["time"], rows["value"], ":", color=colour, linewidth=1.0)
        ax.plot(
            rows.loc[~flagged, "time"],
            rows.loc[~flagged, "value"],
            "o",
            color=colour,
            label=PENETRATION_LABELS[group],
        )
        _hollow(
            ax,
            rows.loc[flagged, "time"],
            rows.loc[flagged, "value"],
            "o",
            colour,
            7,
            markeredgewidth=1.6,
        )
        for row in rows.itertuples():
            ax.annotate(
                f"{row.value:.1f}" + (" ?" if isinstance(row.flag, str) else ""),
                (row.time, row.value),
                xytext=(0, -13 if group == "rural" else 7),  # rural labels below
                textcoords="offset points",
                ha="center",
                fontsize=10,
                color=colour,
            )
    _hollow(
        ax,
        miit["time"],
        miit["value"],
        "D",
        RURAL_COLOUR,
        5,
        label=bilingual("农村 (工信部口径)", "rural, MIIT figure", " "),
    )
    _hollow_legend_entry(
        ax, bilingual("空心 ?: 存疑值", "hollow ?: flagged value", " ")
    )
    _gap_arrows(ax, gaps, right_edge=observations["time"].max())
    ax.set_ylim(max(0, observations["value"].min() - 10), 100)
    year_end_axis(ax, observations["time"].min(), observations["time"].max())
    ax.set_ylabel(bilingual("互联网普及率 (%)", "internet penetration (%)"))
    ax.set_xlabel(
        bilingual(
            "年末 (六月值位于前半年处)", "year-end (June values half a year earlier)"
        )
    )
    ax.set_title(
        bilingual("城乡互联网普及率", "Urban and rural internet penetration"),
        loc="left",
    )
    ax.legend(loc="upper left", ncol=2)
    fig.tight_layout()
    add_source(fig, source)
    return fig


def _gap_arrows(ax, gaps: pd.DataFrame, right_edge: float) -> None:
    """A double arrow from rural to urban at each date, labelled '差 <gap> pp'; near the
    right edge the label goes left of its arrow, so it stays inside the axes.
    """
    for row in gaps.itertuples():
        ax.annotate(
            "",
            xy=(row.time, row.urban),
            xytext=(row.time, row.rural),
            arrowprops={"arrowstyle": "<->", "color": MUTED, "linewidth": 1.0},
        )
        at_edge = row.time >= right_edge - 1
        ax.annotate(
            bilingual(f"差 {row.gap_points:.1f}", "pp", " "),
            (row.time, row.rural + 0.4 * row.gap_points),
            xytext=(-8 if at_edge else 8, 0),
            textcoords="offset points",
            ha="right" if at_edge else "left",
            va="center",
            fontsize=10,
            color=MUTED,
            bbox={
                "boxstyle": "round,pad=0.2",
                "facecolor": "white",
                "edgecolor": "none",
            },
        )


def survey_break_note(change: BasisChange) -> str:
    """Text beside the survey-break line: the reform year and the back-calculated
    year(s), if any.
    """
    note = bilingual(
        f"{change.marked_at} 住户调查一体化改革", "new household survey", "\n"
    )
    if change.new_basis_from < change.marked_at:
        years = (
            f"{change.new_basis_from}"
            if change.new_basis_from == change.marked_at - 1
            else f"{change.new_basis_from}-{change.marked_at - 1}"
        )
        note += "\n" + bilingual(
            f"{years} 按新口径回算", f"{years} back-calculated on the new basis", "\n"
        )
    return note


def income_consumption_figure(
    current_ratio: pd.Series,
    consumption: pd.Series,
    *,
    published_only,
    old_survey: pd.Series,
    mixed: pd.Series,
    survey_change: BasisChange,
    new_basis: list[int],
    source: str,
) -> plt.Figure:
    """Urban/rural ratios by year: the current-basis income ratio (years in
    `published_only` hollow) and the consumption ratio as lines that never cross a year
    in `new_basis`, the old-survey and mixed-basis income ratios as grey unjoined
    markers, and the survey change as a dashed line.
    """
    use_house_style()
    fig, ax = plt.subplots(figsize=(5.6, 4.4))
    plot_broken_series(
        ax,
        current_ratio,
        new_basis,
        colour=PALETTE[0],
        label=bilingual(
            "收入比 (现行口径, 由可支配收入计算)",
            "income ratio, current basis, computed",
            " ",
        ),
    )
    _hollow(
        ax,
        published_only,
        current_ratio[published_only],
        "o",
        PALETTE[0],
        7,
        markeredgewidth=1.6,
        label=bilingual(
            "空心: 公布值 (无收入水平数据)",
            "hollow: published ratio (no income levels)",
            " ",
        ),
    )
    for series, marker, text in (
        (
            old_survey,
            "s",
            bilingual("收入比 (旧口径)", "income ratio, old survey", " "),
        ),
        (mixed, "D", bilingual("收入比 (混合口径)", "income ratio, mixed bases", " ")),
    ):
        ax.plot(
            series.index,
            series,
            marker,
            color=MUTED,
            markersize=6,
            linestyle="none",
            label=text,
        )
    plot_broken_series(
        ax,
        consumption,
        new_basis,
        colour=PALETTE[1],
        marker="s",
        label=bilingual("消费支出比", "consumption expenditure ratio", " "),
    )
    mark_break(
        ax, survey_change.marked_at, survey_break_note(survey_change), where="bottom"
    )
    years = (
        current_ratio.index.union(old_survey.index)
        .union(mixed.index)
        .union(consumption.index)
    )
    _year_axis(ax, int(years.min()), int(years.max()))
    ax.set_ylim(0.9, 3.4)
    ax.set_ylabel(bilingual("城镇 / 农村 (农村 = 1)", "urban / rural (rural = 1)"))
    ax.set_title(
        bilingual(
            "城乡居民人均收入比与消费支出比",
            "Urban/rural ratios of income and consumption per head",
        ),
        loc="left",
    )
    ax.legend(loc="lower right", fontsize=10)
    fig.tight_layout()
    add_source(fig, source)
    return fig


def _year_axis(ax, first: int, last: int) -> None:
    """A tick at every calendar year, half a year of room at each end."""
    ax.set_xlim(first - 0.6, last + 0.6)
    ax.set_xticks(range(first, last + 1))


def engel_figure(
    engel: pd.DataFrame,
    survey_change: BasisChange,
    new_basis: list[int],
    source: str,
) -> plt.Figure:
    """Engel coefficients (%) by year of `engel` (index year; columns rural, national,
    urban on the current basis, lines that never cross a year in `new_basis`; columns
    <group>_old_survey, where present, as hollow unjoined markers) with the survey
    change as a dashed line.
    """
    require_columns(engel, list(ENGEL_COLOURS), "Engel coefficients")
    use_house_style()
    fig, ax = plt.subplots(figsize=(5.6, 4.2))
    for group, marker in (("rural", "o"), ("national", "s"), ("urban", "^")):
        colour = ENGEL_COLOURS[group]
        plot_broken_series(
            ax,
            engel[group].dropna(),
            new_basis,
            colour=colour,
            marker=marker,
            label=ENGEL_LABELS[group],
        )
        old = engel.get(f"{group}_old_survey", pd.Series(dtype=float)).dropna()
        _hollow(ax, old.index, old.to_numpy(), marker, colour, 7, markeredgewidth=1.5)
    _hollow_legend_entry(ax, bilingual("空心: 旧口径", "hollow: old survey", " "))
    mark_break(
        ax, survey_change.marked_at, survey_break_note(survey_change), where="bottom"
    )
    _year_axis(ax, engel.index.min(), engel.index.max())
    ax.set_ylabel(bilingual("恩格尔系数 (%)", "Engel coefficient (% of consumption)"))
    ax.set_title(
        bilingual("城乡居民恩格尔系数", "Engel coefficients, urban and rural"),
        loc="left",
    )
    ax.legend(loc="upper right", ncol=2)
    fig.tight_layout()
    add_source(fig, source)
    return fig


def hukou_figure(hukou: pd.DataFrame, source: str) -> plt.Figure:
    """Resident-based and hukou-based urbanisation rates (%) as paired bars, one pair
    per row of `hukou` (year, resident_rate, hukou_rate, gap_points, resident_basis),
    each bar labelled with its value and each pair with the gap; the basis of the
    resident rate under each year, a dashed line where it changes.
    """
    require_columns(
        hukou,
        ["year", "resident_rate", "hukou_rate", "gap_points", "resident_basis"],
        "hukou gap",
    )
    use_house_style()
    positions, width = list(range(len(hukou))), 0.36
    fig, ax = plt.subplots(figsize=(5.6, 4.2))
    for column, shift, colour, label in (
        (
            "resident_rate",
            -1,
            URBAN_COLOUR,
            ("常住人口城镇化率", "resident-based rate"),
        ),
        ("hukou_rate", 1, PALETTE[1], ("户籍人口城镇化率", "hukou-based rate")),
    ):
        centres = [p + shift * width / 2 for p in positions]
        ax.bar(
            centres, hukou[column], width, color=colour, label=bilingual(*label, " ")
        )
        for x, value in zip(centres, hukou[column]):
            ax.annotate(
                f"{value:.1f}",
                (x, value),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                fontsize=10,
            )
    for p, row in zip(positions, hukou.itertuples()):
        ax.annotate(
            bilingual(f"差 {row.gap_points:.1f}", "pp", " "),
            (p, row.resident_rate + 6),
            ha="center",
            fontsize=10,
            color=MUTED,
        )
    basis = hukou["resident_basis"].tolist()
    ax.set_xticks(
        positions,
        [
            f"{year}\n{RESIDENT_BASIS_LABELS.get(name, name)}"
            for year, name in zip(hukou["year"], basis)
        ],
        fontsize=10,
    )
    for k in range(
        1, len(basis)
    ):  # a dashed line where the resident rate changes basis
        if basis[k] != basis[k - 1]:
            ax.axvline(k - 0.5, ymax=0.8, color=MUTED, linestyle="--", linewidth=0.9)
    ax.set_ylim(0, 100)
    ax.set_ylabel(bilingual("城镇化率 (%)", "urbanisation rate (%)"))
    ax.set_title(
        bilingual(
            "常住人口与户籍人口城镇化率", "Resident-based and hukou-based urbanisation"
        ),
        loc="left",
    )
    ax.grid(axis="x", visible=False)
    ax.set_axisbelow(True)
    ax.legend(loc="upper left", ncol=1)
    fig.tight_layout()
    add_source(fig, source)
    return fig
