"""Part II charts: drawn from the data with Chinese glyphs, a source line naming the resource, no line across a break."""
import re
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from helpers import concentration as conc
from helpers import constraint_charts as charts
from helpers import urban_rural as ur
from helpers.chart_parts import observation_time
from helpers.data import provincial_panel, series_breaks
from helpers.style import PALETTE, MUTED, NATIONAL_COLOUR, RURAL_COLOUR, URBAN_COLOUR, bilingual

CJK = re.compile(r"[\u4e00-\u9fff]")
ALLOWED_COLOURS = {c.lower() for c in PALETTE + [MUTED, NATIONAL_COLOUR, RURAL_COLOUR, URBAN_COLOUR, "#dddddd"]}


def draw(make):
    """Draw a chart, returning the figure and the missing-glyph warnings raised while rendering it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = make()
        fig.canvas.draw()
    return fig, [str(w.message) for w in caught if "missing from font" in str(w.message)]


def chart_makers(national, national_long):
    breaks = series_breaks()
    source = charts.source_line(["national_urban_rural"])
    observations = ur.penetration_observations(national_long)
    netizens = national_long[national_long["indicator"] == "rural_netizens"].copy()
    netizens["time"] = [observation_time(y, p) for y, p in zip(netizens["year"], netizens["period"])]
    retail = national_long[(national_long["indicator"] == "rural_online_retail_sales")
                           & (national_long["period"] == "year")]
    return {
        "penetration": lambda: charts.internet_penetration_chart(observations, ur.penetration_gaps(observations), source),
        "income": lambda: charts.income_consumption_chart(ur.income_ratios(national), ur.consumption_ratio(national),
                                                          ur.basis_changes(breaks, "urban_rural_income_ratio"), source),
        "engel": lambda: charts.engel_chart(ur.engel_table(national), ur.basis_changes(breaks, "engel_coefficient_rural"),
                                            source),
        "hukou": lambda: charts.hukou_gap_chart(ur.hukou_gap(national), source),
        "coverage": lambda: charts.coverage_milestones_chart(ur.coverage_milestones(national_long), source),
        "netizens": lambda: charts.rural_netizens_chart(netizens, ur.netizen_representation(national),
                                                        ur.break_years(breaks, "rural_netizens")[0], source),
        "retail": lambda: charts.online_retail_chart(retail, source),
    }


CHARTS = ["penetration", "income", "engel", "hukou", "coverage", "netizens", "retail"]


@pytest.mark.parametrize("name", CHARTS)
def test_chart_has_glyphs_source_line_and_bilingual_title(name, national, national_long):
    fig, missing = draw(chart_makers(national, national_long)[name])
    try:
        assert missing == [], f"{name}: missing glyphs {missing[:2]}"
        texts = [t.get_text() for t in fig.texts]
        assert any("data/national_urban_rural.csv" in t for t in texts), f"{name}: no source line"
        for ax in fig.axes:
            title = ax.get_title(loc="left")
            assert CJK.search(title) and re.search(r"[A-Za-z]{3}", title), f"{name}: title not bilingual: {title!r}"
            assert CJK.search(ax.get_ylabel()), f"{name}: y label has no Chinese"
    finally:
        plt.close(fig)


@pytest.mark.parametrize("name", CHARTS)
def test_chart_uses_only_house_colours(name, national, national_long):
    from matplotlib.colors import to_hex

    fig, _ = draw(chart_makers(national, national_long)[name])
    try:
        used = {to_hex(line.get_color()).lower() for ax in fig.axes for line in ax.get_lines()}
        used |= {to_hex(patch.get_facecolor()).lower() for ax in fig.axes for patch in ax.patches
                 if patch.get_facecolor()[3] > 0 and to_hex(patch.get_facecolor()).lower() != "#ffffff"}
        assert used <= ALLOWED_COLOURS, f"{name}: colours outside the house palette: {used - ALLOWED_COLOURS}"
    finally:
        plt.close(fig)


def data_lines_crossing(ax, boundary):
    crossing = []
    for line in ax.get_lines():
        x = np.asarray(line.get_xdata(), dtype=float)
        # Vertical reference lines (axvline) have two equal x values; they are not data lines.
        if x.size >= 2 and np.ptp(x) > 0 and (x < boundary).any() and (x > boundary).any():
            crossing.append(line)
    return crossing


def points_of(national, columns):
    """(year, value) pairs of some columns of the wide national frame, values rounded for matching."""
    return {(int(year), round(float(value), 6)) for column in columns if column in national.columns
            for year, value in national[["year", column]].dropna().itertuples(index=False)}


def joined_points(ax):
    """(year, value) vertices of every data line that joins two or more years."""
    points = set()
    for line in ax.get_lines():
        x = np.asarray(line.get_xdata(), dtype=float)
        if x.size >= 2 and np.ptp(x) > 0:
            points |= {(int(round(a)), round(float(b), 6)) for a, b in zip(x, line.get_ydata())}
    return points


OLD_BASIS = ["engel_coefficient_urban__old_survey", "engel_coefficient_rural__old_survey",
             "engel_coefficient_national__old_survey", "urban_rural_income_ratio__old_survey",
             "urban_rural_income_ratio__mixed"]


def test_income_and_engel_lines_join_current_basis_values_only(national, national_long):
    # A line may join only values published on the current basis (NBS's 2012 back-calculations included);
    # old-survey and mixed-basis values must never sit on a line.
    ratios = ur.income_ratios(national)
    current = points_of(national, ["engel_coefficient_urban", "engel_coefficient_rural",
                                   "engel_coefficient_national", "urban_rural_income_ratio"])
    current |= {(int(y), round(float(v), 6)) for y, v in ratios.loc[ratios["series"] == "computed", ["year", "ratio"]]
                .itertuples(index=False)}
    current |= {(int(y), round(float(v), 6)) for y, v in ur.consumption_ratio(national).items()}
    old = points_of(national, OLD_BASIS)
    assert old, "the data should hold old-survey values to test against"
    makers = chart_makers(national, national_long)
    for name in ("income", "engel"):
        fig, _ = draw(makers[name])
        try:
            joined = joined_points(fig.axes[0])
            assert joined, f"{name}: no line drawn"
            assert joined <= current, f"{name}: a line joins values not on the current basis: {joined - current}"
            assert not joined & old, f"{name}: an old-survey or mixed-basis value sits on a line"
        finally:
            plt.close(fig)


def test_back_calculated_year_joins_the_current_line_but_a_real_change_splits_it(national, national_long):
    # With the break table as it is, NBS's back-calculated 2012 joins the current line across the marked
    # 2013 break; if the table recorded no back-calculation, 2012 would be on the old basis and stand alone.
    breaks = series_breaks()
    no_backcast = breaks.assign(first_year_backcast=pd.NA)
    engel = ur.engel_table(national)
    source = charts.source_line(["national_urban_rural"])
    for table, crossing in ((breaks, True), (no_backcast, False)):
        fig, _ = draw(lambda: charts.engel_chart(engel, ur.basis_changes(table, "engel_coefficient_rural"), source))
        try:
            assert bool(data_lines_crossing(fig.axes[0], 2012.5)) is crossing
        finally:
            plt.close(fig)


def test_income_chart_marks_the_survey_break_where_it_took_effect(national, national_long):
    fig, _ = draw(chart_makers(national, national_long)["income"])
    try:
        marks = [line for line in fig.axes[0].get_lines()
                 if np.ptp(np.asarray(line.get_xdata(), dtype=float)) == 0 and line.get_linestyle() == "--"]
        assert [float(line.get_xdata()[0]) for line in marks] == [2012.5]
    finally:
        plt.close(fig)


def test_netizen_chart_draws_no_line_across_the_rebasing(national, national_long):
    fig, _ = draw(chart_makers(national, national_long)["netizens"])
    try:
        # Dec 2020 sits at 2020.0 and Dec 2021 at 2021.0 on the year-end axis.
        assert data_lines_crossing(fig.axes[0], 2020.5) == []
    finally:
        plt.close(fig)


def test_coverage_milestones_are_not_joined(national, national_long):
    fig, _ = draw(chart_makers(national, national_long)["coverage"])
    try:
        joined = [line for line in fig.axes[0].get_lines() if len(line.get_xdata()) > 1]
        assert joined == []
    finally:
        plt.close(fig)


def test_coverage_chart_places_dated_statements_at_their_date_and_says_when(national, national_long):
    fig, _ = draw(chart_makers(national, national_long)["coverage"])
    try:
        ax = fig.axes[0]
        texts = {t.get_text(): t.xy[0] for t in ax.texts}
        five_g = [x for text, x in texts.items() if text.startswith(">90% (MARA")]
        assert list(texts).count(">90% (MARA, 2024-07)") == 1, list(texts)
        assert five_g and 2023.5 < five_g[0] < 2023.6
    finally:
        plt.close(fig)


def test_month_text():
    assert charts.month_text(2024, "year", "2024-07-24") == ", 2024-07"
    assert charts.month_text(2025, "jun", np.nan) == ", 2025-06"
    assert charts.month_text(2015, "year", np.nan) == ""


def test_concentration_chart_draws_every_indicator_and_benchmark():
    columns = {"rd_exp_100m_yuan": bilingual("R&D经费", "R&D spending", " ")}
    panel = provincial_panel(["rd_exp_100m_yuan", "gdp_100m_yuan"])
    tables = {c: conc.concentration_by_year(panel, c) for c in ["rd_exp_100m_yuan", "gdp_100m_yuan"]}
    fig, missing = draw(lambda: charts.concentration_chart(
        panel, columns, tables, {"GDP": tables["gdp_100m_yuan"]},
        charts.source_line(charts.resources_for(["rd_exp_100m_yuan", "gdp_100m_yuan"])), "t"))
    try:
        assert missing == []
        labels = [line.get_label() for line in fig.axes[1].get_lines()]
        assert columns["rd_exp_100m_yuan"] in labels and "GDP" in labels
        ginis = fig.axes[1].get_lines()[0].get_ydata()
        assert all(0 < g < 1 for g in ginis)
    finally:
        plt.close(fig)


def test_resources_for_names_the_resource_and_rejects_unknown_columns():
    assert charts.resources_for(["rd_exp_100m_yuan", "tech_market_turnover_100m_yuan"]) == ["sci_tech", "sci_tech_nbs"]
    with pytest.raises(KeyError, match="no_such_column"):
        charts.resources_for(["no_such_column"])
