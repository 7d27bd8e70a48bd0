"""Part III shared pieces: the recommendation map, lever labels, slope words and the
readable slope tables.

The lever variables, models and figures live on the four path pages;
tests/test_path_pages.py executes the pages and pins what their prose and verdicts
state.
"""

import re

import numpy as np
import pandas as pd
import pytest

from helpers import path_levers
from helpers.claims import load_claims
from tests.conftest import ROOT

PAGES = ["tech_innovation", "industrial_innovation", "factor_allocation", "hardware"]


def test_year_runs_joins_consecutive_years():
    assert (
        path_levers.year_runs([2022, 2014, 2015, 2021, 2024])
        == "2014-2015, 2021-2022, 2024"
    )
    assert path_levers.year_runs([]) == ""


def test_every_path_claim_has_a_recommendation_with_known_constraints_and_levers():
    claims = load_claims()
    path_ids = {c["id"] for c in claims if c["id"].startswith("P")}
    all_ids = {c["id"] for c in claims}
    mapped = {r.claim for r in path_levers.RECOMMENDATIONS}
    assert mapped == path_ids
    for item in path_levers.RECOMMENDATIONS:
        assert set(item.constraints) <= all_ids, f"{item.claim}: unknown constraint ids"
        assert all(c.startswith("C") for c in item.constraints)
        assert set(item.levers) <= set(path_levers.LEVERS) | set(
            path_levers.NOT_TESTABLE
        ), f"{item.claim}: unknown lever"
        assert item.status in {"measured", "proxy", "not in our data"}
        assert (item.status == "not in our data") == (not item.levers)


def test_recommendation_table_reports_the_years_each_indicator_covers():
    frame = pd.DataFrame(
        {
            "year": [2013, 2014, 2015],
            "internet_penetration": [40.0, np.nan, 45.0],
            "sci_tech_share": [np.nan] * 3,
            "rd_intensity": [1.0, 1.1, 1.2],
            "tech_market": [1.0] * 3,
            "tech_inflow": [1.0] * 3,
        }
    )
    table = path_levers.recommendation_table(1, frame).set_index("Claim")
    indicators = table["Indicators in our data (years)"]
    # 2014 is missing: the years are listed as runs, not as a first-last span that would
    # hide the gap.
    assert "internet penetration (all residents) (%), 2013, 2015" in indicators["P1-4"]
    assert "R&D intensity (% of GDP), 2013-2015" in indicators["P1-1"]
    assert "no data" in indicators["P1-1"]
    assert indicators["P1-3"] == "none"
    with pytest.raises(ValueError, match="paths are 1, 2, 3 and 4"):
        path_levers.recommendations(5)


def test_recommendation_table_marks_untestable_indicators():
    frame = pd.DataFrame(
        {
            "year": [2019],
            "rural_electricity_pc": [1.0],
            "non_fossil_share": [np.nan],
            "internet_penetration": [50.0],
            "ln_highway": [1.0],
            "ln_railway": [1.0],
            "education_share": [15.0],
        }
    )
    row = path_levers.recommendation_table(4, frame).set_index("Claim").loc["P4-3"]
    assert (
        "non-fossil share of electricity generation (%), no data, not testable"
        in row["Indicators in our data (years)"]
    )


def test_describe_slope_says_not_significant():
    assert (
        path_levers.describe_slope(pd.Series({"coef": -0.2, "p": 0.31}))
        == "negative, not significant (p = 0.310)"
    )
    assert (
        path_levers.describe_slope(pd.Series({"coef": 0.2, "p": 0.0001}))
        == "positive (p < 0.001)"
    )
    assert (
        path_levers.describe_slope(pd.Series({"coef": 0.2, "p": 0.05}))
        == "positive, not significant (p = 0.050)"
    )


def test_p_text_refuses_impossible_p_values():
    assert path_levers.p_text(0.0344) == "p = 0.034"
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        path_levers.p_text(1.2)


def test_slope_text_uses_a_minus_sign_and_no_negative_zero():
    assert path_levers.slope_text(-0.5167, 0.02) == "\u22120.52 (p = 0.020)"
    assert path_levers.slope_text(-0.001, 0.9) == "0.00 (p = 0.900)"


def lever_rows():
    """A hand-made lever table as the pages build it (two levers, two outcomes, two
    comparisons).
    """
    rows = []
    for term, years, n in (
        ("rd_intensity", "2013-2020", 248),
        ("internet_penetration", "2013-2016", 124),
    ):
        for outcome in ("uri", "income_ratio"):
            for comparison, std in (
                ("within provinces", -0.25),
                ("between provinces", 0.5),
            ):
                rows.append(
                    {
                        "term": term,
                        "outcome": outcome,
                        "comparison": comparison,
                        "coef": std / 10,
                        "se": 0.01,
                        "p": 0.001 if comparison.startswith("b") else 0.2,
                        "ci_low": -1.0,
                        "ci_high": 1.0,
                        "std_coef": std,
                        "n_obs": n,
                        "n_clusters": 31,
                        "years": years,
                    }
                )
    return pd.DataFrame(rows)


def test_lever_summary_has_one_row_per_lever_and_two_header_rows():
    summary = path_levers.lever_summary(lever_rows())
    assert list(summary.index) == [
        "R&D经费投入强度 R&D intensity (% of GDP)",
        "互联网普及率 internet penetration (all residents) (%)",
    ]
    assert summary.columns.nlevels == 2
    assert (
        summary.loc[summary.index[0], ("URI 城乡融合指数", "within 省内")]
        == "\u22120.25 (p = 0.200)"
    )
    assert (
        summary.loc[summary.index[0], ("Income ratio 城乡收入比", "between 省际")]
        == "0.50 (p = 0.001)"
    )
    assert summary[("Years 年份", "")].tolist() == ["2013-2020", "2013-2016"]
    assert summary[("Province-years 样本", "")].tolist() == [248, 124]
    with pytest.raises(ValueError, match="std_coef"):
        path_levers.lever_summary(lever_rows().drop(columns=["std_coef"]))


def test_full_table_has_readable_names_and_integer_counts():
    table = path_levers.full_table(lever_rows())
    assert "Slope (lever units)" in table.columns and "term" not in table.columns
    assert table["Province-years"].dtype.kind == "i"
    assert table["Outcome"].iloc[0] == "URI 城乡融合指数"


def test_every_lever_names_data_columns_that_exist():
    from helpers import measures
    from helpers.data import panel_catalogue

    catalogue = panel_catalogue()
    names = (
        list(path_levers.LEVERS)
        + list(path_levers.RANKING_ONLY)
        + list(path_levers.NOT_TESTABLE)
    )
    resources = measures.resources_for(path_levers.model_columns(names), catalogue)
    assert {"income_consumption", "nbs_macro", "public_budget"} <= set(resources)
    assert path_levers.lever_columns(["tech_inflow"]) == [
        "tech_market_inflow_10k_yuan",
        "gdp_100m_yuan",
    ]
    with pytest.raises(ValueError, match="unknown lever"):
        path_levers.lever_columns(["gdp"])


def test_path_levers_is_analysis_without_widgets_or_io():
    source = (ROOT / "helpers" / "path_levers.py").read_text(encoding="utf-8")
    assert "explorers" not in source and "ipywidgets" not in source
    assert "provincial_panel" not in source and "read_csv" not in source


@pytest.mark.parametrize("page", PAGES)
def test_path_pages_are_notebook_first(page):
    """No glue or output-saving calls; every figure cell has a name; explorers skip
    execution in the build.
    """
    text = (ROOT / "book" / "paths" / f"{page}.md").read_text(encoding="utf-8")
    assert "glue" not in text and "save_figure" not in text and "save_table" not in text
    assert "live_explorer" not in text, (
        "explorer cells are tagged skip-execution instead"
    )
    for cell in re.findall(r"```\{code-cell\} ipython3\n(.*?)```", text, flags=re.S):
        # The ipywidgets explorers need a kernel: the build skips them. Their browser
        # versions (helpers.explorers.browser) must run, to embed their data.
        in_browser = "helpers.explorers.browser" in cell
        if "_explorer(" in cell and "import" in cell:
            assert ("skip-execution" in cell) != in_browser, (
                f"{page}: an ipywidgets explorer cell must skip execution, "
                "a browser explorer cell must run"
            )
        if "plt.show()" in cell:
            assert re.search(r"name: fig-p\d-", cell), (
                f"{page}: figure cell without mystnb.figure.name"
            )
    assert "download the page" not in text.lower(), (
        "explorer notes point to Binder or a clone, not a download"
    )
    roles = re.findall(r"\{([a-z:]+)\}`", text)
    assert set(roles) <= {"eval", "cite:p", "exercise", "solution"}, (
        f"{page}: roles JupyterLab cannot resolve"
    )


def test_hukou_gap_did_not_narrow():
    from helpers import urban_rural as ur
    from helpers.data import national_series

    gap = ur.hukou_gap(national_series(period=None))
    assert gap["gap_points"].iloc[-1] >= gap["gap_points"].iloc[0]
    same_basis = gap[gap["resident_basis"] == gap["resident_basis"].iloc[0]]
    assert (
        len(same_basis) >= 2
        and same_basis["gap_points"].iloc[-1] >= same_basis["gap_points"].iloc[0]
    )


def synthetic_lever_panel(slope=2.0, seed=7):
    """12 provinces x 8 years: uri = slope * lever + province and year effects +
    noise, income_ratio = -uri, one control.
    """
    rng = np.random.default_rng(seed)
    rows = [(p, y) for p in range(12) for y in range(2013, 2021)]
    frame = pd.DataFrame(rows, columns=["province_code", "year"])
    province = rng.normal(size=12)[frame["province_code"]]
    frame["rd_intensity"] = rng.normal(size=len(frame)) + province
    frame["ln_gdp"] = rng.normal(size=len(frame))
    frame["uri"] = (
        slope * frame["rd_intensity"]
        + 3 * province
        + 0.1 * (frame["year"] - 2013)
        + rng.normal(scale=0.1, size=len(frame))
    )
    frame["income_ratio"] = -frame["uri"]
    return frame


def test_lever_table_fits_each_lever_outcome_and_comparison_once():
    from helpers.panel import coef_table, twoway_fe

    sample = synthetic_lever_panel()
    table = path_levers.lever_table(sample, ["rd_intensity"], ["ln_gdp"])
    assert list(zip(table["outcome"], table["comparison"])) == [
        ("uri", "within provinces"),
        ("uri", "between provinces"),
        ("income_ratio", "within provinces"),
        ("income_ratio", "between provinces"),
    ]
    within = table.iloc[0]
    # The known slope, recovered within provinces; the outcome's mirror has its sign.
    assert within["coef"] == pytest.approx(2.0, abs=0.05)
    assert table.iloc[2]["coef"] == pytest.approx(-within["coef"])
    direct = twoway_fe(
        sample, "uri", ["rd_intensity", "ln_gdp"], entity="province_code", time="year"
    )
    row = coef_table(direct).set_index("term").loc["rd_intensity"]
    assert within["se"] == pytest.approx(row["se"]) and within["p"] == row["p"]
    scale = sample["rd_intensity"].std() / sample["uri"].std()
    assert within["std_coef"] == pytest.approx(within["coef"] * scale)
    assert within["std_low"] == pytest.approx(within["ci_low"] * scale)
    assert within["years"] == "2013-2020" and within["n_obs"] == 96


def test_slope_lookups_read_rows_and_words():
    sample = synthetic_lever_panel()
    slope, words = path_levers.slope_lookups(
        path_levers.lever_table(sample, ["rd_intensity"], ["ln_gdp"])
    )
    assert slope("rd_intensity", "within")["coef"] > 1.9
    assert slope("rd_intensity", "within", "income_ratio")["coef"] < -1.9
    assert words("rd_intensity", "within") == "positive (p < 0.001)"
    with pytest.raises(KeyError):
        slope("rd_intensity", "inside")


def test_lever_fit_is_the_within_model_on_the_model_years():
    from helpers.panel import coef_table, twoway_fe

    sample = synthetic_lever_panel()
    sample = pd.concat([sample, sample.assign(year=sample["year"] + 8)])
    fit = path_levers.lever_fit(sample, "rd_intensity", controls=["ln_gdp"])
    by_hand = twoway_fe(
        sample[sample["year"].between(2013, 2020)],
        "uri",
        ["rd_intensity", "ln_gdp"],
        entity="province_code",
        time="year",
    )
    assert coef_table(fit).equals(coef_table(by_hand))
    assert coef_table(fit).set_index("term").loc["rd_intensity", "n_obs"] == 96


def test_add_levers_merges_one_row_per_province_year_and_refuses_duplicates():
    frame = pd.DataFrame({"province_code": [11, 11], "year": [2013, 2014], "uri": 1.0})
    levers = pd.DataFrame({"province_code": [11], "year": [2014], "x": [2.5]})
    merged = path_levers.add_levers(frame, levers)
    assert merged["x"].tolist()[1] == 2.5 and merged["x"].isna().tolist()[0]
    with pytest.raises(pd.errors.MergeError):
        path_levers.add_levers(frame, pd.concat([levers, levers]))


def test_ranking_levers_pair_each_column_with_its_lever_and_latest_full_year():
    frame = pd.DataFrame(
        {
            "province_code": [1, 2, 1, 2],
            "year": [2019, 2019, 2020, 2020],
            "railway_per_10k": [1.0, 2.0, 3.0, np.nan],
            "rd_intensity": [1.0, 2.0, 3.0, 4.0],
        }
    )
    ranked = path_levers.ranking_levers(frame, ["railway_per_10k", "rd_intensity"])
    assert ranked["railway_per_10k"] == (
        path_levers.RANKING_ONLY["railway_per_10k"],
        2019,
    )
    assert ranked["rd_intensity"] == (path_levers.LEVERS["rd_intensity"], 2020)
    with pytest.raises(KeyError):
        path_levers.ranking_levers(frame, ["no_such_lever"])


def test_chart_sources_name_the_resources_of_each_chart():
    from helpers.data import panel_catalogue, resource_info

    catalogue = panel_catalogue()
    sources = path_levers.chart_sources(
        ["rd_intensity", "education_share"], ["education_share"], catalogue
    )
    assert set(sources) == {"ranked", "model", "index", "scenario"}
    education = catalogue.set_index("column").loc[
        "budget_exp_education_100m_yuan", "resource"
    ]
    cite = resource_info(education)["source_line"].removeprefix("Source: ")
    assert cite in sources["ranked"] and cite in sources["model"]
    assert cite not in sources["index"] and cite in sources["scenario"]
    assert sources["model"].endswith("Indices and models: this book.")


def test_lever_summary_table_has_one_header_row_and_the_levers_first():
    html = path_levers.lever_summary_table(lever_rows()).to_html()
    headers = re.findall(r"<th[^>]*>(.*?)</th>", html)
    assert headers[:3] == [
        "Lever 杠杆",
        "URI 城乡融合指数, within 省内",
        "URI 城乡融合指数, between 省际",
    ]
    assert "Years 年份" in headers and "Province-years 样本" in headers
    assert "R&amp;D经费投入强度 R&amp;D intensity (% of GDP)" in html
    assert "\u22120.25 (p = 0.200)" in html and "248" in html


def test_coverage_table_counts_provinces_with_a_value_by_year():
    frame = pd.DataFrame(
        {
            "year": [2013, 2013, 2014, 2014],
            "rd_intensity": [1.0, np.nan, 2.0, 3.0],
        }
    )
    html = path_levers.coverage_table(frame, ["rd_intensity"]).to_html()
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html)
    assert cells == ["R&amp;D经费投入强度 R&amp;D intensity (% of GDP)", "1", "2"]
    assert re.findall(r"<th[^>]*>(.*?)</th>", html) == ["Lever 杠杆", "2013", "2014"]
    assert "Provinces with data, by year" in html


def test_lever_figure_draws_each_lever_and_fills_only_significant_slopes():
    import matplotlib

    matplotlib.use("Agg")
    from helpers.evidence_figures import lever_figure

    rows = [
        {
            "outcome": outcome,
            "comparison": comparison,
            "term": term,
            "std_coef": coef,
            "std_low": coef - 0.1,
            "std_high": coef + 0.1,
            "p": p,
        }
        for outcome in ("uri", "income_ratio")
        for comparison in ("within provinces", "between provinces")
        for term, coef, p in (("a", 0.5, 0.01), ("b", -0.2, 0.4))
    ]
    labels = {"a": ("甲", "lever a"), "b": ("乙", "lever b")}
    fig = lever_figure(
        pd.DataFrame(rows), labels, title=("标题", "title"), source="source"
    )
    top, bottom = fig.axes
    ticks = [t.get_text() for t in top.get_yticklabels()]
    assert ticks == ["甲\nlever a", "乙\nlever b"]
    # first lever at the top
    assert list(top.get_yticks()) == [1, 0]
    filled, hollow = top.collections[1], top.collections[2]
    assert len(filled.get_offsets()) == 1 and filled.get_offsets()[0][0] == 0.5
    assert len(hollow.get_offsets()) == 1 and hollow.get_offsets()[0][0] == -0.2
    assert "source" in " ".join(t.get_text() for t in fig.texts)


def test_lever_figure_labels_the_table_levers_in_order_by_default():
    import matplotlib

    matplotlib.use("Agg")
    from helpers.evidence_figures import lever_figure
    from helpers.style import use_house_style

    table = lever_rows().assign(std_low=-1.0, std_high=1.0)
    use_house_style()
    fig = lever_figure(table, title=("标题", "title"), source="source")
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks == [
        "R&D经费投入强度\nR&D intensity",
        "互联网普及率\ninternet penetration (all residents)",
    ]


def test_lever_ranking_figure_ranks_provinces_of_the_chosen_year():
    import matplotlib

    matplotlib.use("Agg")
    from types import SimpleNamespace

    from helpers.evidence_figures import lever_ranking_figure

    frame = pd.DataFrame(
        {
            "year": [2020, 2020, 2021, 2021],
            "province_zh": ["甲", "乙", "甲", "乙"],
            "province_en": ["A", "B", "A", "B"],
            "region": ["East", "West", "East", "West"],
            "x": [3.0, 1.0, 0.0, 9.0],
        }
    )
    lever = SimpleNamespace(label_zh="杠杆", label_en="lever", unit="%")
    labels = {"East": "东部", "Central": "中部", "West": "西部", "Northeast": "东北"}
    fig = lever_ranking_figure(frame, {"x": (lever, 2020)}, labels, "source")
    (ax,) = fig.axes
    # ascending: the largest value is the last (top) bar
    assert [b.get_width() for b in ax.patches] == [1.0, 3.0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["乙 B", "甲 A"]
    assert ax.lines[0].get_xdata()[0] == 2.0  # the year's mean
