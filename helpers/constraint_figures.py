"""The figures of the Part II (constraints) pages, each drawn by one function in the
house style (bilingual labels, source line, Okabe-Ito colours).

The page keeps what a student should see: it loads the data, selects and prepares with
pandas what is plotted, and calls the function with named inputs. The drawing (markers,
label placement, legend plumbing) is here, where tests check it. Whole figures
(tech_pull, factor_barriers) return the Figure; panels (industry_linkage,
new_infrastructure) are drawn on an axes the page gives, from pieces in
helpers.chart_parts (lines that stop at a break, bounds drawn as bounds).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from helpers.chart_parts import (
    label_offsets,
    mark_break,
    plot_bounds,
    plot_broken_series,
    year_end_axis,
)
from helpers.style import (
    MUTED,
    NATIONAL_COLOUR,
    PALETTE,
    RURAL_COLOUR,
    SMALLEST_FONT_PT,
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


# --------------------------------------------------------------------------------------
# industry_linkage.md (C2) and new_infrastructure.md (C4)


def plot_machinery_bases(ax, bases: dict[str, pd.Series], hollow_years) -> None:
    """Farm machinery power (100 million kW) on each basis (``bases``: label -> series,
    old basis first), never joined across the re-basing; years in ``hollow_years``
    hollow.

    The re-basing (after the agricultural census) is marked before the first year of
    the last basis.
    """
    hollow_years = set(hollow_years)
    for (label, series), colour in zip(bases.items(), (MUTED, RURAL_COLOUR)):
        plot_broken_series(
            ax,
            series,
            [],
            colour=colour,
            label=label,
            hollow=[year for year in series.index if year in hollow_years],
        )
    rebased = int(series.index.min())  # series: the last basis
    mark_break(
        ax,
        rebased,
        bilingual(f"{rebased} 农业普查后调整", "re-based after agri. census", "\n"),
        where="bottom",
    )
    ax.plot(
        [],
        [],
        "o",
        markerfacecolor="white",
        markeredgecolor=MUTED,
        label=bilingual("空心: 含存疑值", "hollow: doubtful value", " "),
    )
    ax.set_ylabel(
        bilingual("农业机械总动力 (亿千瓦)", "farm machinery power (100 million kW)")
    )
    ax.set_title(
        bilingual(
            "农业机械总动力 (各省合计)", "Farm machinery power (sum of provinces)"
        ),
        loc="left",
    )
    # Room under the lines for the legend and the note on the re-basing.
    ax.set_ylim(0, 1.15 * max(series.max() for series in bases.values()))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # years, not 2012.5
    ax.tick_params(axis="x", labelsize=SMALLEST_FONT_PT)
    ax.legend(loc="center left", fontsize=SMALLEST_FONT_PT)


def plot_growth_bars(ax, growth: pd.DataFrame, highlight: int = 2) -> None:
    """Horizontal bars of growth_pct_per_year, first row at the top, labelled with the
    value; the first ``highlight`` rows in the rural colour, the benchmarks urban.

    growth is a helpers.gaps.growth_summary table (label, first_year, last_year,
    growth_pct_per_year); each label's first space becomes a line break.
    """
    require_columns(
        growth,
        ["label", "first_year", "last_year", "growth_pct_per_year"],
        "growth table",
    )
    values = growth["growth_pct_per_year"]
    positions = list(range(len(growth)))[::-1]
    bars = ax.barh(
        positions,
        values,
        height=0.6,
        color=[RURAL_COLOUR] * highlight + [URBAN_COLOUR] * (len(growth) - highlight),
    )
    ax.bar_label(
        bars,
        labels=[f"{g:.1f}%" for g in values],
        padding=3,
        fontsize=SMALLEST_FONT_PT,
    )
    ax.set_yticks(
        positions,
        [
            f"{row.label.replace(' ', chr(10), 1)}\n{row.first_year}-{row.last_year}"
            for row in growth.itertuples()
        ],
        fontsize=SMALLEST_FONT_PT,
    )
    ax.set_xlim(0, values.max() * 1.25)
    ax.set_xlabel(
        bilingual(
            "年均增长率 (%, 名义值)",
            "average growth per year (%, nominal for yuan series)",
        )
    )
    ax.set_title(
        bilingual("年均增长: 农机与基准", "Growth per year: machinery vs benchmarks"),
        loc="left",
    )
    ax.grid(axis="y", visible=False)
    ax.set_axisbelow(True)


def plot_online_retail(ax, retail: pd.DataFrame) -> None:
    """Bars of rural online retail (trillion yuan) by year, hatched and marked '?' where
    weak_source; years without data between the first and last marked 'n.a.'.
    """
    require_columns(
        retail, ["year", "trillion_yuan", "weak_source"], "online retail table"
    )
    weak = retail["weak_source"].astype(bool).to_list()
    first, last = int(retail["year"].min()), int(retail["year"].max())
    bars = ax.bar(
        retail["year"],
        retail["trillion_yuan"],
        color=RURAL_COLOUR,
        width=0.6,
        edgecolor="white",
        hatch=["//" if w else "" for w in weak],
        label=bilingual("农村网络零售额", "rural online retail sales", " "),
    )
    ax.bar_label(
        bars,
        labels=[
            f"{v:.2f}" + (" ?" if w else "")
            for v, w in zip(retail["trillion_yuan"], weak)
        ],
        padding=2,
        fontsize=SMALLEST_FONT_PT,
    )
    for year in sorted(set(range(first, last + 1)) - set(retail["year"])):
        ax.annotate(
            bilingual("无数据", "n.a.", "\n"),
            (year, 0.1),
            ha="center",
            fontsize=SMALLEST_FONT_PT,
            color=MUTED,
        )
    ax.set_xlim(first - 0.6, last + 0.6)
    ax.set_xticks(range(first, last + 1))
    ax.set_ylabel(bilingual("万亿元 (当年价)", "trillion yuan (current prices)"))
    ax.set_title(bilingual("农村网络零售额", "Rural online retail sales"), loc="left")
    ax.grid(axis="x", visible=False)
    ax.set_axisbelow(True)
    handles, _ = ax.get_legend_handles_labels()
    handles.append(
        Patch(
            facecolor=RURAL_COLOUR,
            hatch="//",
            edgecolor="white",
            label=bilingual("斜线: 来源较弱 (?)", "hatched: weak source (?)", " "),
        )
    )
    ax.legend(handles=handles, loc="upper left")


COVERAGE_LABELS = {
    "admin_villages_with_broadband_share": bilingual(
        "通宽带行政村", "villages with broadband", " "
    ),
    "admin_villages_fiber_and_4g_share": bilingual(
        "通光纤和4G行政村", "villages with fibre and 4G", " "
    ),
    "admin_villages_5g_share": bilingual("通5G行政村", "villages with 5G", " "),
}


def milestone_text(row) -> str:
    """A milestone's label: '>90% (MARA, 2024-07)' for a statement dated within the
    year, '(CNNIC, 2025-06)' for a June value, '(MIIT)' alone for a year-end value.
    """
    if isinstance(row.reference_date, str) and row.reference_date:
        month = f", {row.reference_date[:7]}"
    else:
        month = f", {int(row.year)}-06" if row.period == "jun" else ""
    return f"{row.value_as_published}% ({row.producer}{month})"


def plot_coverage_milestones(ax, milestones: pd.DataFrame) -> None:
    """Village coverage milestones (helpers.urban_rural.coverage_milestones), one colour
    per indicator, each a bound marker with its text, never joined into a line.
    """
    require_columns(
        milestones,
        [
            "indicator",
            "year",
            "period",
            "reference_date",
            "time",
            "value",
            "qualifier",
            "value_as_published",
            "producer",
        ],
        "coverage milestones",
    )
    milestones = milestones.reset_index(drop=True)
    # Move crowded labels apart.
    placements = label_offsets(list(milestones["time"]), list(milestones["value"]))
    for k, (indicator, rows) in enumerate(milestones.groupby("indicator", sort=False)):
        plot_bounds(
            ax,
            rows["time"],
            rows["value"],
            rows["qualifier"],
            [milestone_text(row) for row in rows.itertuples()],
            colour=PALETTE[k],
            label=COVERAGE_LABELS.get(indicator, indicator),
            placements=[placements[i] for i in rows.index],
        )
    for marker, zh, en in (
        ("^", "▲ 超过 (下限)", "at least (lower bound)"),
        ("v", "▼ 不足 (上限)", "below (upper bound)"),
    ):
        ax.plot([], [], marker, color=MUTED, label=bilingual(zh, en, " "))
    ax.set_ylim(60, 104)
    year_end_axis(ax, milestones["time"].min(), milestones["time"].max() + 0.6)
    ax.set_ylabel(bilingual("行政村覆盖率 (%)", "share of administrative villages (%)"))
    ax.set_xlabel(
        bilingual(
            "刻度为年末; 注明日期的表述位于其日期, 六月值位于年中",
            "ticks at year-end; dated statements at their date, June values mid-year",
        )
    )
    ax.set_title(
        bilingual("行政村网络覆盖里程碑", "Village network coverage milestones"),
        loc="left",
    )
    ax.legend(loc="lower right", fontsize=SMALLEST_FONT_PT)


def plot_rural_netizens(ax, netizens: pd.DataFrame, break_year: int) -> None:
    """Rural netizens (100 million) by date (``time``), the counts before and after the
    re-basing in ``break_year`` drawn apart, each point labelled with its value.
    """
    require_columns(netizens, ["year", "time", "value"], "rural netizens")
    old = netizens["year"] < break_year
    for on_old_basis, colour, text in (
        (True, MUTED, bilingual("2021年前口径", "before 2021 re-basing", " ")),
        (False, RURAL_COLOUR, bilingual("现行口径", "current basis", " ")),
    ):
        rows = netizens[old == on_old_basis].sort_values("time")
        ax.plot(
            rows["time"], rows["value"], "o:", color=colour, linewidth=1.0, label=text
        )
        for row in rows.itertuples():
            ax.annotate(
                f"{row.value:.2f}",
                (row.time, row.value),
                xytext=(0, 6),
                textcoords="offset points",
                ha="center",
                fontsize=SMALLEST_FONT_PT,
                color=colour,
            )
    # Half-way between the last old count and the first new one.
    between = (netizens.loc[old, "time"].max() + netizens.loc[~old, "time"].min()) / 2
    mark_break(
        ax,
        break_year,
        bilingual("CNNIC 调整口径", "CNNIC re-basing", "\n"),
        at=between,
        where="bottom",
    )
    year_end_axis(ax, netizens["time"].min(), netizens["time"].max())
    ax.tick_params(axis="x", labelsize=SMALLEST_FONT_PT, rotation=45)
    ax.set_ylim(0, 1.2 * netizens["value"].max())
    ax.set_ylabel(bilingual("农村网民 (亿人)", "rural netizens (100 million)"))
    ax.set_title(bilingual("农村网民规模", "Rural netizens"), loc="left")
    ax.legend(loc="lower left", fontsize=SMALLEST_FONT_PT, bbox_to_anchor=(0.0, 0.12))


def plot_representation(ax, representation: pd.DataFrame) -> None:
    """Paired bars by year: rural share of residents (grey) and of netizens (rural
    colour), in %, each labelled with its value (helpers.urban_rural.
    netizen_representation).
    """
    require_columns(
        representation,
        ["year", "rural_population_share", "rural_netizens_share_of_total"],
        "netizen representation",
    )
    positions = range(len(representation))
    for column, shift, colour, zh, en in (
        (
            "rural_population_share",
            -0.2,
            MUTED,
            "农村人口占比",
            "rural share of residents",
        ),
        (
            "rural_netizens_share_of_total",
            0.2,
            RURAL_COLOUR,
            "农村网民占比",
            "rural share of netizens",
        ),
    ):
        ax.bar(
            [p + shift for p in positions],
            representation[column],
            0.4,
            color=colour,
            label=bilingual(zh, en, " "),
        )
    for p, row in zip(positions, representation.itertuples()):
        for value, shift in (
            (row.rural_population_share, -0.2),
            (row.rural_netizens_share_of_total, 0.2),
        ):
            ax.annotate(
                f"{value:.1f}",
                (p + shift, value),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                fontsize=SMALLEST_FONT_PT,
            )
    ax.set_xticks(list(positions), [str(y) for y in representation["year"]])
    ax.set_ylim(0, 50)
    ax.set_ylabel(bilingual("占比 (%)", "share (%)"))
    ax.set_title(
        bilingual("农村: 人口与网民", "Rural: residents vs netizens"), loc="left"
    )
    ax.grid(axis="x", visible=False)
    ax.set_axisbelow(True)
    ax.legend(loc="upper right", fontsize=SMALLEST_FONT_PT)
