"""Part II pages executed as a reader runs them (nbclient): the numbers the prose quotes
and the figures it shows.

The analysis lives on the pages, so its results are pinned here against the executed
pages: each page is run in a fresh kernel with one cell added at the top (it keeps every
figure that plt.show() displays) and one at the end (it prints what the test needs as
JSON: page variables and, for every figure, its bars, lines, texts and labels).
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import jupytext
import nbformat
import numpy as np
import pytest

from helpers.data import load, national_series, resource_info
from helpers.gaps import percent_lower, percent_lower_range
from helpers.style import MUTED, NATIONAL_COLOUR, PALETTE, RURAL_COLOUR, URBAN_COLOUR
from tools.run_pages import execute_notebook

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")
HOUSE_COLOURS = {
    c.lower()
    for c in PALETTE
    + [MUTED, NATIONAL_COLOUR, RURAL_COLOUR, URBAN_COLOUR, "#dddddd", "#ffffff"]
}

KEEP_FIGURES = """
import matplotlib.pyplot as _plt
_shown_figures = []
_show = _plt.show
def _keep_and_show(*args, **kwargs):
    _shown_figures.append(_plt.gcf())
    return _show(*args, **kwargs)
_plt.show = _keep_and_show
"""

DESCRIBE = """
import json as _json, warnings as _warnings
from matplotlib.colors import to_hex as _hex


def _describe(fig):
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        fig.canvas.draw()
    axes = []
    for ax in fig.axes:
        axes.append(
            {
                "title": ax.get_title(loc="left"),
                "ylabel": ax.get_ylabel(),
                "xlabel": ax.get_xlabel(),
                "ylim": list(ax.get_ylim()),
                "xticklabels": [t.get_text() for t in ax.get_xticklabels()],
                "texts": [t.get_text() for t in ax.texts],
                "text_x": [
                    float(t.xy[0]) if hasattr(t, "xy") else None for t in ax.texts
                ],
                "bars": [
                    {
                        "height": float(p.get_height()),
                        "colour": _hex(p.get_facecolor()),
                        "hatch": p.get_hatch() or "",
                    }
                    for p in ax.patches
                    if hasattr(p, "get_height")
                ],
                "lines": [
                    {
                        "x": [float(v) for v in line.get_xdata()],
                        "y": [float(v) for v in line.get_ydata()],
                        "style": line.get_linestyle(),
                        "colour": _hex(line.get_color()),
                        "label": line.get_label(),
                    }
                    for line in ax.get_lines()
                ],
            }
        )
    return {
        "axes": axes,
        "texts": [t.get_text() for t in fig.texts],
        "missing_glyphs": [
            str(w.message) for w in caught if "missing from font" in str(w.message)
        ],
    }


def _plain(value):
    if hasattr(value, "to_dict"):
        return _json.loads(value.to_json(orient="split", default_handler=str))
    return value


print(
    _json.dumps(
        {
            "figures": [_describe(f) for f in _shown_figures],
            "variables": {
                name: _plain(globals()[name]) for name in _WANTED if name in globals()
            },
        },
        default=float,
    )
)
"""


def run_page(page: str, variables: list[str]) -> dict:
    """Execute a page in a fresh kernel; return its notebook, figure descriptions, named
    figures and variables.
    """
    path = ROOT / page
    nb = jupytext.read(path)
    nb.cells.insert(0, nbformat.v4.new_code_cell(KEEP_FIGURES))
    nb.cells.append(nbformat.v4.new_code_cell(f"_WANTED = {variables!r}\n" + DESCRIBE))
    execute_notebook(nb, path.parent, timeout=300)
    printed = "".join(
        o.get("text", "")
        for o in nb.cells[-1].outputs
        if o.get("output_type") == "stream"
    )
    result = json.loads(printed)
    figure_cells = [
        cell
        for cell in nb.cells[1:-1]
        if cell.cell_type == "code"
        and any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
    ]
    names = [
        cell.metadata.get("mystnb", {}).get("figure", {}).get("name")
        for cell in figure_cells
    ]
    assert len(names) == len(result["figures"]), (
        "each displayed figure comes from one plt.show()"
    )
    result["by_name"] = dict(zip(names, result["figures"]))
    result["cells"] = figure_cells
    result["nb"] = nb
    return result


def frame(split: dict):
    """A DataFrame back from pandas' 'split' JSON."""
    import pandas as pd

    return pd.DataFrame(split["data"], index=split["index"], columns=split["columns"])


def png_of(cell) -> bytes:
    return next(
        base64.b64decode(o["data"]["image/png"])
        for o in cell.outputs
        if "image/png" in o.get("data", {})
    )


def check_figure_basics(result: dict) -> None:
    """Every figure: a name, no missing glyph, bilingual titles, a Chinese y label, a
    source line, house colours.
    """
    for name, figure in result["by_name"].items():
        assert name, "a figure cell without mystnb.figure.name"
        assert figure["missing_glyphs"] == [], f"{name}: {figure['missing_glyphs'][:2]}"
        assert any("Source" in text for text in figure["texts"]), (
            f"{name}: no source line under the chart"
        )
        for ax in figure["axes"]:
            assert CJK.search(ax["title"]) and re.search(r"[A-Za-z]{3}", ax["title"]), (
                f"{name}: {ax['title']!r}"
            )
            # The value axis is labelled in Chinese too (y, or x on a horizontal bar
            # chart).
            assert CJK.search(ax["ylabel"] or ax["xlabel"]), (
                f"{name}: value axis label has no Chinese"
            )
            used = {line["colour"].lower() for line in ax["lines"]} | {
                bar["colour"].lower() for bar in ax["bars"]
            }
            assert used <= HOUSE_COLOURS, (
                f"{name}: colours outside the house palette: {used - HOUSE_COLOURS}"
            )
    for cell in result["cells"]:
        assert len(png_of(cell)) > 20_000, "a figure PNG that small is (nearly) blank"
    errors = [
        o
        for cell in result["nb"].cells
        for o in cell.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert errors == []


def data_lines_crossing(ax: dict, boundary: float) -> list[dict]:
    """Data lines (not vertical reference lines) with points on both sides of
    boundary.
    """
    return [
        line
        for line in ax["lines"]
        if len(line["x"]) >= 2
        and np.ptp(line["x"]) > 0
        and min(line["x"]) < boundary < max(line["x"])
    ]


# --------------------------------------------------------------------------------------
# tech_pull


@pytest.fixture(scope="module")
def tech_pull():
    return run_page(
        "book/constraints/tech_pull.md",
        [
            "literacy_gaps",
            "reported_pct_lower",
            "reproduced",
            "penetration_gaps",
            "gini_changes",
        ],
    )


pytestmark = pytest.mark.slow


def test_tech_pull_figures_are_named_and_in_house_style(tech_pull):
    assert list(tech_pull["by_name"]) == [
        "fig-c1-digital-literacy",
        "fig-c1-internet-penetration",
        "fig-c1-rd-concentration",
    ]
    check_figure_basics(tech_pull)


def test_figure1_bars_are_the_data_in_the_papers_order_on_a_0_to_100_axis(tech_pull):
    ax = tech_pull["by_name"]["fig-c1-digital-literacy"]["axes"][0]
    data = load("digital_literacy_2021").sort_values("group_order")
    assert list(data["group_id"]) == [
        "overall",
        "urban_residents",
        "rural_residents",
        "farmers",
    ]
    assert [bar["height"] for bar in ax["bars"]] == pytest.approx(list(data["score"]))
    assert [t.split("\n")[0] for t in ax["xticklabels"]] == [
        "全体人群",
        "城市居民",
        "农村居民",
        "农民",
    ]
    assert all("\n" in t for t in ax["xticklabels"]), (
        "each bar label is bilingual (Chinese above English)"
    )
    assert ax["texts"] == [f"{s:.1f}" for s in data["score"]]
    assert ax["ylim"] == [0, 100]
    assert [bar["hatch"] for bar in ax["bars"]] == ["", "", "", "//"], (
        "only the farmers' bar is hatched"
    )


def test_figure1_source_line_names_the_report_and_says_as_quoted_by(tech_pull):
    texts = tech_pull["by_name"]["fig-c1-digital-literacy"]["texts"]
    # The source line is wrapped to the figure's width (at spaces and between Chinese
    # characters): compare the text without its whitespace.
    flat = lambda text: re.sub(r"\s+", "", text)  # noqa: E731
    source = flat(next(t for t in texts if "中国社会科学院" in t))
    assert flat(resource_info("digital_literacy_2021")["source_line"]) in source
    assert "Asquotedby" in source and "转引自" in source
    for quoting in resource_info("digital_literacy_2021")["sources"][1:]:
        assert flat(quoting["publisher"]) in source
    caption = tech_pull["cells"][0].metadata["mystnb"]["figure"]["caption"]
    assert "*as quoted by*" in caption


def test_literacy_gaps_are_recomputed_from_the_scores(tech_pull):
    gaps = frame(tech_pull["variables"]["literacy_gaps"])
    score = load("digital_literacy_2021").set_index("group_id")["score"]
    urban, rural, overall, farmers = (
        score[g] for g in ["urban_residents", "rural_residents", "overall", "farmers"]
    )
    # Worked by hand: 100 * (56.3 - 35.1) / 56.3 = 37.66; 100 * (43.6 - 18.6) / 43.6 =
    # 57.34.
    assert gaps.loc["rural_residents", "percent_lower"] == pytest.approx(
        37.655, abs=1e-3
    )
    assert gaps.loc["farmers", "percent_lower"] == pytest.approx(57.339, abs=1e-3)
    assert gaps.loc["rural_residents", "percent_lower"] == pytest.approx(
        percent_lower(rural, urban)
    )
    low, high = percent_lower_range(farmers, overall)
    assert (
        gaps.loc["farmers", "percent_lower_low"],
        gaps.loc["farmers", "percent_lower_high"],
    ) == pytest.approx((low, high))
    # The report's two quotes: 57% is the farmers' gap rounded; 37.5% only at the edge
    # of the rounding range.
    assert tech_pull["variables"]["reproduced"] == {
        "rural_residents": True,
        "farmers": True,
    }
    assert round(gaps.loc["rural_residents", "percent_lower_low"], 1) == 37.5


def test_penetration_chart_marks_each_paired_gap_and_the_gaps_narrow(tech_pull):
    gaps = frame(tech_pull["variables"]["penetration_gaps"])
    assert len(gaps) >= 2
    assert list(gaps["gap_points"]) == pytest.approx(
        list(gaps["urban"] - gaps["rural"])
    )
    ax = tech_pull["by_name"]["fig-c1-internet-penetration"]["axes"][0]
    for gap in gaps["gap_points"]:
        assert f"差 {gap:.1f} pp" in ax["texts"]


def test_concentration_summary_gives_complete_years_only(tech_pull):
    changes = tech_pull["variables"]["gini_changes"]
    for column in ("rd_exp_100m_yuan", "patent_grants"):
        assert (
            0 < changes[column]["gini_first"] < 1
            and changes[column]["first_year"] < changes[column]["last_year"]
        )
    right = tech_pull["by_name"]["fig-c1-rd-concentration"]["axes"][1]
    assert all(0 < y < 1 for line in right["lines"] for y in line["y"])


# --------------------------------------------------------------------------------------
# factor_barriers


@pytest.fixture(scope="module")
def factor_barriers():
    return run_page(
        "book/constraints/factor_barriers.md",
        [
            "break_year",
            "backcast_year",
            "check",
            "computed",
            "current_ratio",
            "old_survey",
            "mixed",
            "consumption",
            "engel",
            "hukou",
            "people_without_hukou",
            "market_change",
        ],
    )


def points_of(national, columns):
    """(year, value) pairs of some columns of the wide national frame, rounded for
    matching.
    """
    return {
        (int(year), round(float(value), 6))
        for column in columns
        if column in national.columns
        for year, value in national[["year", column]].dropna().itertuples(index=False)
    }


def joined_points(ax: dict) -> set:
    """(year, value) vertices of every data line that joins two or more years."""
    return {
        (int(round(x)), round(y, 6))
        for line in ax["lines"]
        if len(line["x"]) >= 2 and np.ptp(line["x"]) > 0
        for x, y in zip(line["x"], line["y"])
    }


def test_factor_barriers_figures_are_named_and_in_house_style(factor_barriers):
    assert list(factor_barriers["by_name"]) == [
        "fig-c3-income-consumption",
        "fig-c3-engel",
        "fig-c3-hukou",
        "fig-c3-tech-market",
    ]
    check_figure_basics(factor_barriers)


def test_income_and_engel_lines_join_current_basis_values_only(
    factor_barriers, national
):
    # A line may join only values on the current basis (NBS's 2012 back-calculations
    # included); old-survey and mixed-basis values never sit on a line.
    by_year = national.set_index("year")
    computed = (
        by_year["per_capita_disposable_income_urban"]
        / by_year["per_capita_disposable_income_rural"]
    ).dropna()
    consumption = (
        by_year["per_capita_consumption_expenditure_urban"]
        / by_year["per_capita_consumption_expenditure_rural"]
    ).dropna()
    current = points_of(
        national,
        [
            "engel_coefficient_urban",
            "engel_coefficient_rural",
            "engel_coefficient_national",
            "urban_rural_income_ratio",
        ],
    )
    current |= {(int(y), round(float(v), 6)) for y, v in computed.items()}
    current |= {(int(y), round(float(v), 6)) for y, v in consumption.items()}
    old = points_of(
        national,
        [
            "engel_coefficient_urban__old_survey",
            "engel_coefficient_rural__old_survey",
            "engel_coefficient_national__old_survey",
            "urban_rural_income_ratio__old_survey",
            "urban_rural_income_ratio__mixed",
        ],
    )
    assert old, "the data should hold old-survey values to test against"
    for name in ("fig-c3-income-consumption", "fig-c3-engel"):
        joined = joined_points(factor_barriers["by_name"][name]["axes"][0])
        assert joined, f"{name}: no line drawn"
        assert joined <= current, (
            f"{name}: a line joins values not on the current basis: {joined - current}"
        )
        assert not joined & old, (
            f"{name}: an old-survey or mixed-basis value sits on a line"
        )


def test_survey_break_is_marked_where_it_took_effect_and_the_backcast_joins(
    factor_barriers,
):
    variables = factor_barriers["variables"]
    assert (variables["break_year"], variables["backcast_year"]) == (2013, 2012)
    for name in ("fig-c3-income-consumption", "fig-c3-engel"):
        ax = factor_barriers["by_name"][name]["axes"][0]
        marks = [
            line["x"][0]
            for line in ax["lines"]
            if len(line["x"]) == 2 and np.ptp(line["x"]) == 0 and line["style"] == "--"
        ]
        assert marks == [2012.5], name
        assert data_lines_crossing(ax, 2012.5), (
            f"{name}: the back-calculated 2012 value should start the line"
        )


def test_income_ratio_computed_matches_published_to_rounding(factor_barriers):
    # The published ratio is rounded to 0.01: computed and published differ by less than
    # 0.005.
    check = frame(factor_barriers["variables"]["check"])
    assert len(check) >= 5 and check["difference"].abs().max() < 0.005


def series_of(split: dict) -> dict:
    """A pandas Series from its 'split' JSON, as {int year: value}."""
    return {int(year): value for year, value in zip(split["index"], split["data"])}


def test_income_ratios_by_basis(factor_barriers, national):
    variables = factor_barriers["variables"]
    computed, current = (
        series_of(variables["computed"]),
        series_of(variables["current_ratio"]),
    )
    by_year = national.set_index("year")
    # Worked by hand from the data: 2015 urban 31,195 / rural 11,422 yuan = 2.7311.
    assert computed[2015] == pytest.approx(
        by_year.loc[2015, "per_capita_disposable_income_urban"]
        / by_year.loc[2015, "per_capita_disposable_income_rural"]
    )
    assert computed[2015] == pytest.approx(2.731, abs=1e-3)
    assert min(computed) >= 2015, (
        "no computed ratio may use old-survey or mixed-basis income"
    )
    # The current line: computed where income levels exist, the published current-basis
    # ratio elsewhere only.
    assert {year: current[year] for year in computed} == pytest.approx(computed)
    assert set(current) - set(computed) == {2012}
    assert current[2012] == pytest.approx(by_year.loc[2012, "urban_rural_income_ratio"])
    assert set(series_of(variables["old_survey"])) == {2013} and set(
        series_of(variables["mixed"])
    ) == {2014}
    consumption = series_of(variables["consumption"])
    assert all(1 < value < computed.get(year, 9) for year, value in consumption.items())


def test_engel_gap_uses_current_basis_columns_only(factor_barriers):
    engel = frame(factor_barriers["variables"]["engel"])
    both = engel.dropna(subset=["urban", "rural"])
    assert list(both["rural_minus_urban"]) == pytest.approx(
        list(both["rural"] - both["urban"])
    )
    assert engel["rural_minus_urban"].dropna().index.tolist() == both.index.tolist()
    assert engel.loc[2013, ["urban", "rural"]].isna().all(), (
        "2013 holds old-survey values only"
    )


def test_hukou_gap_and_people_without_urban_hukou(factor_barriers, national):
    hukou = frame(factor_barriers["variables"]["hukou"])
    assert list(hukou["gap_points"]) == pytest.approx(
        list(hukou["resident_rate"] - hukou["hukou_rate"])
    )
    first = hukou.iloc[0]
    urban = national.set_index("year").loc[
        int(first["year"]), "urban_population__pre_census_2020"
    ]
    # gap / 100 * urban population / (resident rate / 100), in 10,000 people
    assert factor_barriers["variables"]["people_without_hukou"] == pytest.approx(
        first["gap_points"] / 100 * urban / (first["resident_rate"] / 100)
    )
    texts = factor_barriers["by_name"]["fig-c3-hukou"]["axes"][0]["texts"]
    assert [t for t in texts if t.startswith("差")] == [
        f"差 {g:.1f} pp" for g in hukou["gap_points"]
    ]


def test_tech_market_gini_falls_over_complete_years(factor_barriers):
    change = factor_barriers["variables"]["market_change"]
    assert (
        change["first_year"] < change["last_year"]
        and change["gini_last"] < change["gini_first"]
    )


# --------------------------------------------------------------------------------------
# new_infrastructure


@pytest.fixture(scope="module")
def new_infrastructure():
    return run_page(
        "book/constraints/new_infrastructure.md",
        ["netizen_break", "representation", "gini_changes", "missing_hightech"],
    )


def test_new_infrastructure_figures_are_named_and_in_house_style(new_infrastructure):
    assert list(new_infrastructure["by_name"]) == [
        "fig-c4-village-coverage",
        "fig-c4-rural-netizens",
        "fig-c4-facilities-concentration",
    ]
    check_figure_basics(new_infrastructure)


def test_coverage_milestones_are_not_joined_and_dated_statements_sit_at_their_date(
    new_infrastructure,
):
    ax = new_infrastructure["by_name"]["fig-c4-village-coverage"]["axes"][0]
    assert [line for line in ax["lines"] if len(line["x"]) > 1] == []
    positions = dict(zip(ax["texts"], ax["text_x"]))
    # MARA's 5G statement of 24 July 2024 sits at its date (2023 + 206/366), not at the
    # end of 2024.
    assert list(positions).count(">90% (MARA, 2024-07)") == 1, list(positions)
    assert 2023.5 < positions[">90% (MARA, 2024-07)"] < 2023.6
    # A June value says its month; a year-end value does not.
    assert ">90% (CNNIC, 2025-06)" in positions and "<70% (MIIT)" in positions


def test_milestones_are_quoted_with_wording_producer_and_month(new_infrastructure):
    from helpers import urban_rural as ur

    milestones = ur.coverage_milestones(national_series(period=None, wide=False))
    five_g = milestones[
        (milestones["indicator"] == "admin_villages_5g_share")
        & (milestones["period"] == "year")
    ]
    row = five_g.iloc[0]
    assert (
        row["when"] == "July 2024"
        and row["value_as_published"] == ">90"
        and row["producer"] == "MARA"
    )


def test_netizen_chart_draws_no_line_across_the_rebasing(new_infrastructure):
    assert new_infrastructure["variables"]["netizen_break"] == 2021
    ax = new_infrastructure["by_name"]["fig-c4-rural-netizens"]["axes"][0]
    # Dec 2020 sits at 2020.0 and Dec 2021 at 2021.0 on the year-end axis.
    assert data_lines_crossing(ax, 2020.5) == []


def test_representation_bars_are_the_computed_shares(new_infrastructure):
    table = frame(new_infrastructure["variables"]["representation"])
    bars = new_infrastructure["by_name"]["fig-c4-rural-netizens"]["axes"][1]["bars"]
    heights = [bar["height"] for bar in bars]
    assert heights == pytest.approx(
        list(table["rural_population_share"])
        + list(table["rural_netizens_share_of_total"])
    )
    assert (table["representation"] < 1).all()


# --------------------------------------------------------------------------------------
# industry_linkage


@pytest.fixture(scope="module")
def industry_linkage():
    return run_page(
        "book/constraints/industry_linkage.md",
        ["growth", "base_year", "doubtful", "old_growth", "share_year"],
    )


def test_industry_linkage_figures_are_named_and_in_house_style(industry_linkage):
    assert list(industry_linkage["by_name"]) == [
        "fig-c2-machinery",
        "fig-c2-rural-online-retail",
    ]
    check_figure_basics(industry_linkage)


def test_machinery_growth_is_measured_within_the_current_basis(industry_linkage):
    from helpers.data import provincial_panel
    from helpers.gaps import compound_growth
    from helpers.province_totals import national_total

    growth = frame(industry_linkage["variables"]["growth"])
    machinery = growth.iloc[0]
    assert machinery["first_year"] == industry_linkage["variables"]["base_year"] == 2016
    total = national_total(
        provincial_panel(["agri_machinery_power_10k_kw"]), "agri_machinery_power_10k_kw"
    )
    assert machinery["growth_pct_per_year"] == pytest.approx(compound_growth(total))
    # Machinery grows more slowly than every NQPF benchmark; per rural resident it grows
    # faster than in total.
    assert (
        growth["growth_pct_per_year"].iloc[2:4] > machinery["growth_pct_per_year"]
    ).all()
    assert growth["growth_pct_per_year"].iloc[1] > machinery["growth_pct_per_year"]


def test_machinery_chart_never_joins_the_two_bases(industry_linkage):
    ax = industry_linkage["by_name"]["fig-c2-machinery"]["axes"][0]
    assert data_lines_crossing(ax, 2015.5) == []
    bars = industry_linkage["by_name"]["fig-c2-machinery"]["axes"][1]["bars"]
    assert len(bars) == len(frame(industry_linkage["variables"]["growth"]))


def test_screened_values_are_listed(industry_linkage):
    doubtful = frame(industry_linkage["variables"]["doubtful"])
    assert len(doubtful) >= 1 and set(doubtful.columns) >= {
        "province_en",
        "year",
        "value",
    }


def test_online_retail_bars_are_the_data_in_trillions_with_the_weak_year_hatched(
    industry_linkage, national
):
    long = national_series(["rural_online_retail_sales"], wide=False)
    rows = long[long["period"] == "year"]
    bars = industry_linkage["by_name"]["fig-c2-rural-online-retail"]["axes"][0]["bars"]
    assert [bar["height"] for bar in bars] == pytest.approx(
        list(rows["value"] / 10_000)
    )
    assert [bar["hatch"] == "//" for bar in bars] == list(rows["flag"].notna())
