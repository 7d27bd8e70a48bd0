"""The Part II (constraints) charts: each function takes computed tables and a source line and returns a figure.

All charts call use_house_style(), use colours from helpers.style, label axes in Chinese and English,
and put the source line (naming the data resource) under the chart.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import Patch
import pandas as pd

from helpers.chart_parts import (label_offsets, mark_break, plot_bounds, plot_broken_series, plot_lorenz,
                                 year_end_axis)
from helpers.concentration import lorenz_curve
from helpers.urban_rural import BasisChange, current_basis_ratio, new_basis_years
from helpers.style import (MUTED, NATIONAL_COLOUR, PALETTE, RURAL_COLOUR, URBAN_COLOUR, add_source, bilingual,
                           use_house_style)

GROUP_COLOURS = {"urban": URBAN_COLOUR, "rural": RURAL_COLOUR, "total": NATIONAL_COLOUR,
                 "national": NATIONAL_COLOUR}
GROUP_LABELS = {"urban": bilingual("城镇", "urban", " "), "rural": bilingual("农村", "rural", " "),
                "total": bilingual("全国", "all China", " "), "national": bilingual("全国", "all China", " ")}


def source_line(resources: list[str], note: str = "") -> str:
    """'Source: ...' text naming each data resource (from the descriptor), plus an optional note (helpers.data)."""
    from helpers.data import source_line as data_source_line

    return data_source_line(resources, note)


def finish(fig, source: str) -> None:
    """Fit the chart inside the figure, then write the source line under it."""
    fig.tight_layout()
    add_source(fig, source)


def resources_for(columns) -> list[str]:
    """The data resources (descriptor names) that hold the given provincial panel columns, in first-seen order."""
    from helpers.data import resources_for as data_resources_for

    return data_resources_for(columns)


def year_axis(ax, first: int, last: int) -> None:
    """Integer-year ticks from first to last with a little margin."""
    ax.set_xlim(first - 0.6, last + 0.6)
    ax.set_xticks(range(first, last + 1))
    ax.tick_params(axis="x", rotation=0)


def internet_penetration_chart(observations: pd.DataFrame, gaps: pd.DataFrame, source: str):
    """Urban, rural and total internet penetration (CNNIC, MIIT apart) by date, with the urban-rural gap marked."""
    use_house_style()
    fig, ax = plt.subplots(figsize=(7.6, 4.6))
    for group in ("total", "urban", "rural"):
        rows = observations[(observations["group"] == group) & (observations["producer"] != "MIIT")]
        if rows.empty:
            continue
        colour = GROUP_COLOURS[group]
        # Dotted links: observations are months or years apart; nothing is measured in between.
        ax.plot(rows["time"], rows["value"], color=colour, linestyle=":", linewidth=1.0)
        flagged = rows["flag"].notna()
        ax.plot(rows.loc[~flagged, "time"], rows.loc[~flagged, "value"], "o", color=colour, markersize=6,
                label=GROUP_LABELS[group])
        ax.plot(rows.loc[flagged, "time"], rows.loc[flagged, "value"], "o", markersize=7, markerfacecolor="white",
                markeredgecolor=colour, markeredgewidth=1.6)
        for row in rows.itertuples():
            text = f"{row.value:.1f}" + (" ?" if isinstance(row.flag, str) else "")
            ax.annotate(text, (row.time, row.value), xytext=(0, 7 if group != "rural" else -13),
                        textcoords="offset points", ha="center", fontsize=7.5, color=colour)
    other = observations[observations["producer"] == "MIIT"]
    if not other.empty:
        ax.plot(other["time"], other["value"], "D", markersize=5, markerfacecolor="white",
                markeredgecolor=RURAL_COLOUR, label=bilingual("农村 (工信部口径)", "rural, MIIT figure", " "))
    if observations["flag"].notna().any():
        ax.plot([], [], "o", markerfacecolor="white", markeredgecolor=MUTED,
                label=bilingual("空心 ?: 存疑值", "hollow ?: flagged value", " "))
    for row in gaps.itertuples():
        time = observations.loc[(observations["year"] == row.year) & (observations["period"] == row.period),
                                "time"].iloc[0]
        ax.annotate("", xy=(time, row.urban), xytext=(time, row.rural),
                    arrowprops={"arrowstyle": "<->", "color": MUTED, "linewidth": 1.0})
        # Gap label right of its arrow, except at the right edge of the chart where it goes left.
        at_edge = time >= observations["time"].max() - 1
        ax.annotate(bilingual(f"差 {row.gap_points:.1f}", "pp", " "), (time, row.rural + 0.4 * row.gap_points),
                    xytext=(-8 if at_edge else 8, 0), textcoords="offset points", ha="right" if at_edge else "left",
                    va="center", fontsize=8, color=MUTED,
                    bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none"})
    ax.set_ylim(40, 92)
    year_end_axis(ax, observations["time"].min(), observations["time"].max())
    ax.set_ylabel(bilingual("互联网普及率 (%)", "internet penetration (%)"))
    ax.set_xlabel(bilingual("年末 (六月值位于前半年处)", "year-end (June values half a year earlier)"))
    ax.set_title(bilingual("城乡互联网普及率", "Urban and rural internet penetration"), loc="left")
    ax.legend(loc="lower right", ncol=2)
    finish(fig, source)
    return fig


def survey_break_note(change: BasisChange) -> str:
    """Text beside the household-survey break line: the reform year and, if any, the back-calculated year(s)."""
    note = bilingual(f"{change.marked_at} 住户调查一体化改革", "new household survey", "\n")
    if change.new_basis_from < change.marked_at:
        years = f"{change.new_basis_from}" if change.new_basis_from == change.marked_at - 1 \
            else f"{change.new_basis_from}-{change.marked_at - 1}"
        note += "\n" + bilingual(f"{years} 按新口径回算", f"{years} back-calculated on the new basis", "\n")
    return note


def income_consumption_chart(ratios: pd.DataFrame, consumption: pd.Series, changes: list[BasisChange], source: str):
    """Urban/rural income ratio on the current basis (computed, or published where no income levels exist) and the
    consumption ratio, each line split where a new basis starts; old-survey and mixed-basis ratios stand alone."""
    use_house_style()
    fig, ax = plt.subplots(figsize=(7.6, 4.4))
    split = new_basis_years(changes)
    current = current_basis_ratio(ratios).set_index("year")
    plot_broken_series(ax, current["ratio"], split, colour=PALETTE[0],
                       label=bilingual("收入比 (现行口径, 由可支配收入计算)", "income ratio, current basis, computed", " "))
    # Years without income levels: NBS's published ratio on the same basis, drawn hollow on the line.
    published = current[current["series"] == "published_current"]
    ax.plot(published.index, published["ratio"].to_numpy(), "o", color=PALETTE[0], markersize=7,
            markerfacecolor="white", markeredgewidth=1.6, linestyle="none",
            label=bilingual("空心: 公布值 (无收入水平数据)", "hollow: published ratio (no income levels)", " "))
    for series, marker, text in (("published_old_survey", "s", bilingual("收入比 (旧口径)", "income ratio, old survey", " ")),
                                 ("published_mixed", "D", bilingual("收入比 (混合口径)", "income ratio, mixed bases", " "))):
        rows = ratios[ratios["series"] == series]
        ax.plot(rows["year"], rows["ratio"], marker, color=MUTED, markersize=6, linestyle="none", label=text)
    plot_broken_series(ax, consumption, split, colour=PALETTE[1], marker="s",
                       label=bilingual("消费支出比", "consumption expenditure ratio", " "))
    for change in changes[:1]:
        mark_break(ax, change.marked_at, survey_break_note(change), where="bottom")
    first = int(min(ratios["year"].min(), consumption.index.min()))
    last = int(max(ratios["year"].max(), consumption.index.max()))
    year_axis(ax, first, last)
    ax.set_ylim(0.9, 3.4)
    ax.set_ylabel(bilingual("城镇 / 农村 (农村 = 1)", "urban / rural (rural = 1)"))
    ax.set_title(bilingual("城乡居民人均收入比与消费支出比", "Urban/rural ratios of income and consumption per head"),
                 loc="left")
    ax.legend(loc="lower right", fontsize=8)
    finish(fig, source)
    return fig


def engel_chart(engel: pd.DataFrame, changes: list[BasisChange], source: str):
    """Engel coefficients (urban, rural, all China) by year: current-basis lines split where a new basis starts,
    old-survey values as unjoined hollow markers, the survey change marked in the year it took effect."""
    use_house_style()
    fig, ax = plt.subplots(figsize=(7.6, 4.2))
    table = engel.set_index("year")
    split = new_basis_years(changes)
    for group, marker in (("rural", "o"), ("national", "s"), ("urban", "^")):
        plot_broken_series(ax, table[group].dropna(), split, colour=GROUP_COLOURS[group], marker=marker,
                           label=GROUP_LABELS[group])
        old = f"{group}_old_survey"
        if old in table.columns and table[old].notna().any():
            values = table[old].dropna()
            ax.plot(values.index, values.to_numpy(), marker, markersize=7, markerfacecolor="white",
                    markeredgecolor=GROUP_COLOURS[group], markeredgewidth=1.5, linestyle="none")
    ax.plot([], [], "o", markerfacecolor="white", markeredgecolor=MUTED,
            label=bilingual("空心: 旧口径", "hollow: old survey", " "))
    for change in changes[:1]:
        mark_break(ax, change.marked_at, survey_break_note(change), where="bottom")
    year_axis(ax, int(engel["year"].min()), int(engel["year"].max()))
    ax.set_ylabel(bilingual("恩格尔系数 (%)", "Engel coefficient (% of consumption)"))
    ax.set_title(bilingual("城乡居民恩格尔系数", "Engel coefficients, urban and rural"), loc="left")
    ax.legend(loc="upper right", ncol=2)
    finish(fig, source)
    return fig


BASIS_LABELS = {"pre_census_2020": bilingual("普查前公布", "pre-census print"),
                "census_2020": bilingual("2020年普查", "2020 census"), "current": bilingual("现行", "current")}


def hukou_gap_chart(gap: pd.DataFrame, source: str):
    """Resident and hukou urbanisation rates side by side for each year with both, the gap written above."""
    use_house_style()
    fig, ax = plt.subplots(figsize=(6.8, 4.2))
    positions = list(range(len(gap)))
    width = 0.36
    ax.bar([p - width / 2 for p in positions], gap["resident_rate"], width, color=URBAN_COLOUR,
           label=bilingual("常住人口城镇化率", "resident-based rate", " "))
    ax.bar([p + width / 2 for p in positions], gap["hukou_rate"], width, color=PALETTE[1],
           label=bilingual("户籍人口城镇化率", "hukou-based rate", " "))
    for position, row in zip(positions, gap.itertuples()):
        ax.annotate(f"{row.resident_rate:.1f}", (position - width / 2, row.resident_rate), xytext=(0, 2),
                    textcoords="offset points", ha="center", fontsize=8)
        ax.annotate(f"{row.hukou_rate:.1f}", (position + width / 2, row.hukou_rate), xytext=(0, 2),
                    textcoords="offset points", ha="center", fontsize=8)
        ax.annotate(bilingual(f"差 {row.gap_points:.1f}", "pp", " "), (position, row.resident_rate + 6),
                    ha="center", fontsize=9, color=MUTED)
    ax.set_xticks(positions, [f"{row.year}\n{BASIS_LABELS.get(row.resident_basis, row.resident_basis)}"
                              for row in gap.itertuples()], fontsize=8)
    changes = [k for k in range(1, len(gap)) if gap["resident_basis"].iloc[k] != gap["resident_basis"].iloc[k - 1]]
    for k in changes:
        ax.axvline(k - 0.5, ymax=0.8, color=MUTED, linestyle="--", linewidth=0.9)
    ax.set_ylim(0, 100)
    ax.set_ylabel(bilingual("城镇化率 (%)", "urbanisation rate (%)"))
    ax.set_title(bilingual("常住人口与户籍人口城镇化率", "Resident-based and hukou-based urbanisation"), loc="left")
    ax.grid(axis="x", visible=False)
    ax.set_axisbelow(True)
    ax.legend(loc="upper left", ncol=2)
    finish(fig, source)
    return fig


COVERAGE_LABELS = {
    "admin_villages_with_broadband_share": bilingual("通宽带行政村", "villages with broadband", " "),
    "admin_villages_fiber_and_4g_share": bilingual("通光纤和4G行政村", "villages with fibre and 4G", " "),
    "admin_villages_5g_share": bilingual("通5G行政村", "villages with 5G", " "),
}


def month_text(year: int, period: str, reference_date) -> str:
    """', 2024-07' for a statement dated within the year or ', 2025-06' for a June value; '' for a year-end value.

    Why: a statement made in July must not be read as the state at the end of the year.
    """
    if isinstance(reference_date, str) and reference_date:
        return f", {reference_date[:7]}"
    return f", {int(year)}-06" if period == "jun" else ""


def coverage_milestones_chart(milestones: pd.DataFrame, source: str):
    """Village coverage milestones as published: bounds as triangles at the date of each statement, never joined."""
    use_house_style()
    fig, ax = plt.subplots(figsize=(7.4, 4.2))
    placements = label_offsets(list(milestones["time"]), list(milestones["value"]))
    for k, (indicator, rows) in enumerate(milestones.groupby("indicator", sort=False)):
        texts = [f"{v}% ({p}{month_text(y, period, d)})" for v, p, y, period, d in
                 zip(rows["value_as_published"], rows["producer"], rows["year"], rows["period"], rows["reference_date"])]
        plot_bounds(ax, rows["time"], rows["value"], rows["qualifier"], texts, colour=PALETTE[k],
                    label=COVERAGE_LABELS.get(indicator, indicator),
                    placements=[placements[i] for i in rows.index])
    ax.plot([], [], "^", color=MUTED, label=bilingual("▲ 超过 (下限)", "at least (lower bound)", " "))
    ax.plot([], [], "v", color=MUTED, label=bilingual("▼ 不足 (上限)", "below (upper bound)", " "))
    ax.set_ylim(60, 104)
    year_end_axis(ax, milestones["time"].min(), milestones["time"].max() + 0.6)
    ax.set_ylabel(bilingual("行政村覆盖率 (%)", "share of administrative villages (%)"))
    ax.set_xlabel(bilingual("刻度为年末; 注明日期的表述位于其日期, 六月值位于年中",
                            "ticks at year-end; dated statements at their date, June values mid-year"))
    ax.set_title(bilingual("行政村网络覆盖里程碑", "Village network coverage milestones"), loc="left")
    ax.legend(loc="lower right", fontsize=8)
    finish(fig, source)
    return fig


def rural_netizens_chart(netizens: pd.DataFrame, representation: pd.DataFrame, break_year: int, source: str):
    """Rural netizens by date on either side of the 2021 re-basing (not joined), and rural online representation."""
    use_house_style()
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.6, 4.0), gridspec_kw={"width_ratios": [1.5, 1]})
    for before, colour, text in ((True, MUTED, bilingual("2021年前口径", "before 2021 re-basing", " ")),
                                 (False, RURAL_COLOUR, bilingual("现行口径", "current basis", " "))):
        rows = netizens[(netizens["year"] < break_year) == before].sort_values("time")
        left.plot(rows["time"], rows["value"], "o:", color=colour, linewidth=1.0, label=text)
        for row in rows.itertuples():
            left.annotate(f"{row.value:.2f}", (row.time, row.value), xytext=(0, 6), textcoords="offset points",
                          ha="center", fontsize=7.5, color=colour)
    last_before = netizens.loc[netizens["year"] < break_year, "time"].max()
    first_after = netizens.loc[netizens["year"] >= break_year, "time"].min()
    mark_break(left, break_year, bilingual("CNNIC 调整口径", "CNNIC re-basing", "\n"), at=(last_before + first_after) / 2,
               where="bottom")
    year_end_axis(left, netizens["time"].min(), netizens["time"].max())
    left.tick_params(axis="x", labelsize=8, rotation=45)
    left.set_ylim(0, 3.8)
    left.set_ylabel(bilingual("农村网民 (亿人)", "rural netizens (100 million)"))
    left.set_title(bilingual("农村网民规模", "Rural netizens"), loc="left")
    left.legend(loc="lower left", fontsize=8, bbox_to_anchor=(0.0, 0.12))
    positions = range(len(representation))
    right.bar([p - 0.2 for p in positions], representation["rural_population_share"], 0.4, color=MUTED,
              label=bilingual("农村人口占比", "rural share of residents", " "))
    right.bar([p + 0.2 for p in positions], representation["rural_netizens_share_of_total"], 0.4,
              color=RURAL_COLOUR, label=bilingual("农村网民占比", "rural share of netizens", " "))
    for p, row in zip(positions, representation.itertuples()):
        right.annotate(f"{row.rural_population_share:.1f}", (p - 0.2, row.rural_population_share), xytext=(0, 2),
                       textcoords="offset points", ha="center", fontsize=7.5)
        right.annotate(f"{row.rural_netizens_share_of_total:.1f}", (p + 0.2, row.rural_netizens_share_of_total),
                       xytext=(0, 2), textcoords="offset points", ha="center", fontsize=7.5)
    right.set_xticks(list(positions), [str(y) for y in representation["year"]])
    right.set_ylim(0, 50)
    right.set_ylabel(bilingual("占比 (%)", "share (%)"))
    right.set_title(bilingual("农村: 人口与网民", "Rural: residents vs netizens"), loc="left")
    right.grid(axis="x", visible=False)
    right.set_axisbelow(True)
    right.legend(loc="upper right", fontsize=7.5)
    finish(fig, source)
    return fig


def online_retail_chart(retail: pd.DataFrame, source: str):
    """Rural online retail sales by year (trillion yuan), weak-source years hatched, missing years left empty."""
    use_house_style()
    fig, ax = plt.subplots(figsize=(7.2, 4.0))
    trillions = retail["value"] / 10_000  # 100 million yuan -> trillion yuan
    weak = retail["flag"].notna().to_numpy()
    bars = ax.bar(retail["year"], trillions, color=RURAL_COLOUR, width=0.6,
                  hatch=["//" if w else "" for w in weak], edgecolor="white",
                  label=bilingual("农村网络零售额", "rural online retail sales", " "))
    ax.bar_label(bars, labels=[f"{v:.2f}" + (" ?" if w else "") for v, w in zip(trillions, weak)], padding=2,
                 fontsize=8)
    year_axis(ax, int(retail["year"].min()), int(retail["year"].max()))
    for year in range(int(retail["year"].min()), int(retail["year"].max()) + 1):
        if year not in set(retail["year"]):
            ax.annotate(bilingual("无数据", "n.a.", "\n"), (year, 0.1), ha="center", fontsize=7, color=MUTED)
    ax.set_ylabel(bilingual("万亿元 (当年价)", "trillion yuan (current prices)"))
    ax.set_title(bilingual("农村网络零售额", "Rural online retail sales"), loc="left")
    ax.grid(axis="x", visible=False)
    ax.set_axisbelow(True)
    handles, _ = ax.get_legend_handles_labels()
    handles.append(Patch(facecolor=RURAL_COLOUR, hatch="//", edgecolor="white",
                         label=bilingual("斜线: 来源较弱 (?)", "hatched: weak source (?)", " ")))
    ax.legend(handles=handles, loc="upper left")
    finish(fig, source)
    return fig


def concentration_chart(panel: pd.DataFrame, columns: dict[str, str], concentration: dict[str, pd.DataFrame],
                        benchmarks: dict[str, pd.DataFrame], source: str, title: str):
    """Left: Lorenz curves across provinces, first and last complete year; right: Gini by year with benchmarks.

    Benchmarks (e.g. GDP, population) are drawn in grey so the reader can see whether an indicator is
    more concentrated than economic activity or people.
    """
    from helpers.concentration import complete_span

    use_house_style()
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.4, 4.6), gridspec_kw={"width_ratios": [1, 1.3]})
    for k, (column, label) in enumerate(columns.items()):
        colour = PALETTE[k]
        table = concentration[column]
        first, last = complete_span(table)
        for year, style in ((first, ":"), (last, "-")):
            values = panel.loc[panel["year"] == year, column].dropna()
            plot_lorenz(left, lorenz_curve(values), colour=colour, linestyle=style,
                        label=f"{label.split(chr(10))[0]} {year}")
        complete = table[table["complete"]]
        # Dotted over years without data (e.g. a year the source skipped), solid between adjacent years.
        plot_broken_series(right, complete.set_index("year")["gini"], [], colour=colour, label=label,
                           linewidth=1.6)
        partial = table[~table["complete"]]
        if not partial.empty:
            right.plot(partial["year"], partial["gini"], "o", color=colour, markersize=5, markerfacecolor="white")
    for (label, table), style in zip(benchmarks.items(), ["--", "-.", ":"]):
        right.plot(table["year"], table["gini"], color=MUTED, linestyle=style, linewidth=1.4, label=label)
    if any((~concentration[column]["complete"]).any() for column in columns):
        right.plot([], [], "o", color=MUTED, markerfacecolor="white",
                   label=bilingual("空心: 有省份缺数据", "hollow: a province missing", " "))
    left.set_xlabel(bilingual("省份累计占比 (由少到多)", "cumulative share of provinces (smallest first)"))
    left.set_ylabel(bilingual("累计占比", "cumulative share of the total"))
    left.set_title(bilingual("洛伦兹曲线 (点线: 首年)", "Lorenz curves (dotted: first year)"), loc="left")
    left.legend(loc="upper left", fontsize=7)
    right.set_ylim(0, 1)
    right.set_ylabel(bilingual("基尼系数 (省际)", "Gini across provinces"))
    right.set_title(bilingual("基尼系数逐年变化", "Gini by year"), loc="left")
    right.legend(loc="lower left", fontsize=7.5, ncol=1)
    fig.suptitle(title, x=0.01, ha="left", fontsize=12)
    finish(fig, source)
    return fig


def growth_benchmark_chart(machinery: dict[str, pd.Series], doubtful: set[int], growth: pd.DataFrame, source: str,
                           highlight: int = 1):
    """Left: farm machinery power (national sums) per basis, doubtful years hollow; right: growth per year compared.

    growth has columns label, first_year, last_year, growth_pct_per_year; its first `highlight` rows
    (the machinery measures) are drawn in the rural colour, the benchmarks in the urban colour.
    """
    use_house_style()
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.6, 4.4), gridspec_kw={"width_ratios": [1, 1.1]})
    for (label, series), colour in zip(machinery.items(), (MUTED, RURAL_COLOUR)):
        plot_broken_series(left, series / 10_000, [], colour=colour, label=label,
                           hollow=[y for y in series.index if y in doubtful])
    first_new = min(machinery[list(machinery)[-1]].index)
    mark_break(left, first_new, bilingual("2016 农业普查后调整", "re-based after agri. census", "\n"), where="bottom")
    left.plot([], [], "o", markerfacecolor="white", markeredgecolor=MUTED,
              label=bilingual("空心: 含存疑值", "hollow: doubtful value", " "))
    left.set_ylabel(bilingual("农业机械总动力 (亿千瓦)", "farm machinery power (100 million kW)"))
    left.set_title(bilingual("农业机械总动力 (各省合计)", "Farm machinery power (sum of provinces)"), loc="left")
    left.set_ylim(0, 13)
    left.tick_params(axis="x", labelsize=8)
    left.legend(loc="center left", fontsize=7.5)
    positions = list(range(len(growth)))[::-1]
    colours = [RURAL_COLOUR] * highlight + [URBAN_COLOUR] * (len(growth) - highlight)
    bars = right.barh(positions, growth["growth_pct_per_year"], color=colours, height=0.6)
    right.bar_label(bars, labels=[f"{g:.1f}%" for g in growth["growth_pct_per_year"]], padding=3, fontsize=8)
    right.set_yticks(positions, [f"{row.label.replace(' ', chr(10), 1)}\n{row.first_year}-{row.last_year}"
                                 for row in growth.itertuples()], fontsize=8)
    right.set_xlim(0, growth["growth_pct_per_year"].max() * 1.25)
    right.set_xlabel(bilingual("年均增长率 (%, 名义值)", "average growth per year (%, nominal for yuan series)"))
    right.set_title(bilingual("年均增长: 农机与基准", "Growth per year: machinery vs benchmarks"), loc="left")
    right.grid(axis="y", visible=False)
    right.set_axisbelow(True)
    finish(fig, source)
    return fig
