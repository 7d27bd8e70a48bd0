"""The figures of the Part II (constraints) pages, one function per panel.

Each plot_* function draws one panel on an axes it is given, from a frame the page has
prepared, and returns nothing; the page makes the figure, adds the source line and shows
it. Colours and bilingual labels come from helpers.style, the drawing pieces (lines that
stop at a break, bounds drawn as bounds) from helpers.chart_parts.
"""

from __future__ import annotations

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
    PALETTE,
    RURAL_COLOUR,
    SMALLEST_FONT_PT,
    URBAN_COLOUR,
    bilingual,
)
from helpers.urban_rural import require_columns

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
