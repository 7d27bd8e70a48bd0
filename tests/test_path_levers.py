"""Part III levers: unit conversions worked by hand, the recommendation map, lever slopes, index levers."""
import numpy as np
import pandas as pd
import pytest

from helpers import path_levers
from helpers.claims import load_claims


def raw_row(**overrides):
    """One made-up province-year of the extra columns (SYNTHETIC, for unit checks only)."""
    row = {column: 1.0 for column in path_levers.EXTRA_COLUMNS}
    row.update(province_code=110000, year=2019)
    row.update(overrides)
    return row


def test_path_variables_convert_units_as_worked_by_hand():
    raw = pd.DataFrame([raw_row(
        budget_exp_sci_tech_100m_yuan=30.0, budget_exp_total_100m_yuan=600.0,  # 5% of the budget
        tech_market_inflow_10k_yuan=50_000.0, gdp_100m_yuan=100.0,  # 5e8 yuan of 1e10 yuan = 5% of GDP
        railway_mileage_10k_km=0.5, resident_population_10k=1000.0,  # 5,000 km / 1,000 x 10k people = 5 km
        rural_electricity_100m_kwh_2016_2019=100.0, rural_population_10k=500.0,  # 1e10 kWh / 5e6 = 2 MWh
        non_fossil_generation_100m_kwh=25.0, electricity_generation_100m_kwh=200.0,  # 12.5%
        hydropower_generation_100m_kwh=10.0,  # below non-fossil: the share is kept
    )])
    out = path_levers.path_variables(raw).iloc[0]
    assert out["sci_tech_share"] == pytest.approx(5.0)
    assert out["tech_inflow"] == pytest.approx(5.0)
    assert out["railway_per_10k"] == pytest.approx(5.0)
    assert out["rural_electricity_pc"] == pytest.approx(2.0)
    assert out["non_fossil_share"] == pytest.approx(12.5)
    assert out["ln_railway"] == pytest.approx(np.log(0.5))


def test_non_fossil_share_is_blank_where_non_fossil_only_repeats_hydropower():
    raw = pd.DataFrame([raw_row(non_fossil_generation_100m_kwh=25.0, hydropower_generation_100m_kwh=25.0),
                        raw_row(year=2020, non_fossil_generation_100m_kwh=25.0, hydropower_generation_100m_kwh=np.nan),
                        raw_row(year=2021, non_fossil_generation_100m_kwh=30.0, hydropower_generation_100m_kwh=25.0,
                                electricity_generation_100m_kwh=300.0)])
    out = path_levers.path_variables(raw)
    assert out["non_fossil_share"].isna().tolist() == [True, True, False]
    assert out["non_fossil_share"].iloc[2] == pytest.approx(10.0)


def test_non_fossil_years_counts_equal_and_exceeding_rows_by_year():
    raw = pd.DataFrame({"province_code": [1, 2, 3, 1], "year": [2015, 2015, 2015, 2016],
                        "non_fossil_generation_100m_kwh": [5.0, 7.0, 4.0, np.nan],
                        "hydropower_generation_100m_kwh": [5.0, 6.0, np.nan, 5.0]})
    table = path_levers.non_fossil_years(raw)
    assert table.to_dict("records") == [{"year": 2015, "with_both": 2, "equal": 1, "exceeds": 1}]


def test_lever_coverage_counts_provinces_seen_twice_in_the_window():
    frame = pd.DataFrame({"province_code": [1, 1, 2, 3, 3], "year": [2013, 2014, 2015, 2012, 2021],
                          "x": [1.0, 2.0, 3.0, 4.0, 5.0]})
    assert path_levers.lever_coverage(frame, "x", (2013, 2020)) == {
        "n_obs": 3, "n_provinces": 2, "n_provinces_repeated": 1, "n_years": 3}


def test_year_runs_joins_consecutive_years():
    assert path_levers.year_runs([2022, 2014, 2015, 2021, 2024]) == "2014-2015, 2021-2022, 2024"
    assert path_levers.year_runs([]) == ""


def test_path_variables_leave_gaps_where_a_denominator_is_missing_or_zero():
    raw = pd.DataFrame([raw_row(budget_exp_total_100m_yuan=0.0, rural_population_10k=np.nan,
                                railway_mileage_10k_km=0.0)])
    out = path_levers.path_variables(raw).iloc[0]
    assert np.isnan(out["sci_tech_share"]) and np.isnan(out["rural_electricity_pc"]) and np.isnan(out["ln_railway"])


def test_path_variables_name_missing_columns():
    raw = pd.DataFrame([raw_row()]).drop(columns=["gdp_100m_yuan"])
    with pytest.raises(ValueError, match="gdp_100m_yuan"):
        path_levers.path_variables(raw)


def test_path_frame_refuses_to_overwrite_analysis_columns():
    analysis = pd.DataFrame({"province_code": [1], "year": [2019], "tech_inflow": [1.0]})
    variables = pd.DataFrame({"province_code": [1], "year": [2019], "tech_inflow": [2.0]})
    with pytest.raises(ValueError, match="already exist"):
        path_levers.path_frame(analysis, variables)


def test_every_path_claim_has_a_recommendation_with_known_constraints_and_levers():
    claims = load_claims()
    path_ids = {c["id"] for c in claims if c["id"].startswith("P")}
    all_ids = {c["id"] for c in claims}
    mapped = {r.claim for r in path_levers.RECOMMENDATIONS}
    assert mapped == path_ids
    for item in path_levers.RECOMMENDATIONS:
        assert set(item.constraints) <= all_ids, f"{item.claim}: unknown constraint ids"
        assert all(c.startswith("C") for c in item.constraints)
        assert set(item.levers) <= set(path_levers.LEVERS) | set(path_levers.NOT_TESTABLE), f"{item.claim}: unknown lever"
        assert item.status in {"measured", "proxy", "not in our data"}
        assert (item.status == "not in our data") == (not item.levers)


def test_recommendation_table_reports_the_years_each_indicator_covers():
    frame = pd.DataFrame({"year": [2013, 2014, 2015], "internet_penetration": [40.0, np.nan, 45.0],
                          "sci_tech_share": [np.nan] * 3, "rd_intensity": [1.0, 1.1, 1.2],
                          "tech_market": [1.0] * 3, "tech_inflow": [1.0] * 3})
    table = path_levers.recommendation_table(1, frame).set_index("claim")
    # 2014 is missing: the years are listed as runs, not as a first-last span that would hide the gap.
    assert "internet penetration (all residents) (%), 2013, 2015" in table.loc["P1-4", "indicators in our data"]
    assert "rd_intensity" not in path_levers.NOT_TESTABLE
    assert "R&D intensity (% of GDP), 2013-2015" in table.loc["P1-1", "indicators in our data"]
    assert "no data" in table.loc["P1-1", "indicators in our data"]
    assert table.loc["P1-3", "indicators in our data"] == "none"
    with pytest.raises(ValueError, match="paths are 1, 2, 3 and 4"):
        path_levers.recommendations(5)


@pytest.fixture
def synthetic_frame():
    """SYNTHETIC panel: uri = 0.3 * lever + province effect + year effect + noise (seeded)."""
    rng = np.random.default_rng(11)
    rows = []
    for code in range(20):
        for year in range(2013, 2021):
            lever = rng.normal(code * 0.2, 1.0)
            rows.append({"province_code": code, "year": year, "region": "East", "province_en": f"P{code}",
                         "province_zh": f"省{code}", "lever_x": lever, "ln_gdp": rng.normal(8, 1),
                         "gov_spending": rng.normal(20, 3),
                         "uri": 0.3 * lever + 0.1 * code + 0.02 * (year - 2013) + rng.normal(0, 0.2)})
    return pd.DataFrame(rows)


def test_lever_table_recovers_the_within_slope(synthetic_frame, monkeypatch):
    monkeypatch.setitem(path_levers.LEVERS, "lever_x", path_levers.Lever("lever_x", "杠杆", "lever x", "units", ("x",)))
    table = path_levers.lever_table(synthetic_frame, ["lever_x"]).set_index("comparison")
    within = table.loc["within provinces"]
    assert within["ci_low"] < 0.3 < within["ci_high"]
    assert within["n_obs"] == 160 and within["n_clusters"] == 20
    assert set(table.index) == {"within provinces", "between provinces"}
    assert path_levers.describe_slope(within) == "positive (p < 0.001)"


def test_lever_summary_has_one_row_per_lever(synthetic_frame, monkeypatch):
    monkeypatch.setitem(path_levers.LEVERS, "lever_x", path_levers.Lever("lever_x", "杠杆", "lever x", "units", ("x",)))
    table = path_levers.lever_table(synthetic_frame, ["lever_x"])
    summary = path_levers.lever_summary(table)
    assert list(summary.columns) == ["lever", "URI, within", "URI, between", "years", "n_obs"]
    assert summary.loc[0, "URI, within"] == f"{table.iloc[0]['coef']:.3f} (p < 0.001)"


def test_direct_runner_matches_the_lever_table(synthetic_frame, monkeypatch):
    monkeypatch.setitem(path_levers.LEVERS, "lever_x", path_levers.Lever("lever_x", "杠杆", "lever x", "units", ("x",)))
    slope = path_levers.lever_table(synthetic_frame, ["lever_x"]).iloc[0]["coef"]
    run = path_levers.direct_runner(synthetic_frame, "lever_x", per_unit=0.01)
    assert run([10.0])["estimate"].item() == pytest.approx(0.1 * slope)


def test_mean_change_is_the_average_first_to_last_difference():
    frame = pd.DataFrame({"province_code": [1, 1, 2, 2, 3], "year": [2013, 2020, 2013, 2020, 2013],
                          "uri": [0.1, 0.3, 0.2, 0.3, 0.5]})
    assert path_levers.mean_change(frame, "uri") == pytest.approx((0.2 + 0.1) / 2)
    with pytest.raises(ValueError, match="no values for 2013 or 2021"):
        path_levers.mean_change(frame, "uri", (2013, 2021))


def test_describe_slope_says_not_significant():
    assert path_levers.describe_slope(pd.Series({"coef": -0.2, "p": 0.31})) == "negative, not significant (p = 0.310)"
    assert path_levers.describe_slope(pd.Series({"coef": 0.2, "p": 0.0001})) == "positive (p < 0.001)"


def test_slope_numbers_pick_the_right_rows(synthetic_frame, monkeypatch):
    monkeypatch.setitem(path_levers.LEVERS, "lever_x", path_levers.Lever("lever_x", "杠杆", "lever x", "units", ("x",)))
    table = path_levers.lever_table(synthetic_frame, ["lever_x"])
    values = path_levers.slope_numbers(table, "lever_x", "uri", "t")
    assert values["t_within"] == table.iloc[0]["coef"] and values["t_between"] == table.iloc[1]["coef"]
    assert values["t_within_n"] == 160 and values["t_within_years"] == "2013-2020"
    with pytest.raises(ValueError, match="expected one within provinces row"):
        path_levers.slope_numbers(table, "lever_x", "income_ratio", "t")


def test_ranked_figure_needs_data_in_the_year(synthetic_frame):
    frame = synthetic_frame.assign(rd_intensity=np.nan)
    with pytest.raises(ValueError, match="no province has 'rd_intensity' in 2013"):
        path_levers.ranked_figure(frame, ["rd_intensity"], "Source: synthetic", years=[2013])


# ----------------------------------------------------------------------------- on the real data


@pytest.fixture(scope="module")
def real():
    return path_levers.load_path_data()


def test_index_builder_default_reproduces_the_books_nqpf_index(real):
    from helpers import measures, nqpf
    from helpers.explorers import index_builder

    data, frame = real
    signs = measures.signs(nqpf.NQPF_INDICATORS)
    rows = frame.dropna(subset=list(signs))
    view = index_builder.build_view(rows, signs, entity="province_en")
    expected = data.frame.loc[rows.index, "nqpf"].to_numpy()
    np.testing.assert_allclose(view.scores["score"].to_numpy(), expected, rtol=1e-12)


def test_index_lever_is_weight_over_span_times_the_nqpf_slope(real):
    from helpers import nqpf_models

    data, _ = real
    weights, signs, spans = path_levers.index_lever_inputs(data)
    beta = nqpf_models.baseline_fits(data.frame)["uri"].params["nqpf"]
    row = path_levers.index_runner(data, "rd_intensity")([1.0]).iloc[0]
    assert row["estimate"] == pytest.approx(beta * weights["rd_intensity"] / spans["rd_intensity"])
    assert row["ci_low"] < row["estimate"] < row["ci_high"]
    with pytest.raises(ValueError, match="not an indicator of the main NQPF index"):
        path_levers.index_runner(data, "internet_penetration")


def test_every_lever_names_data_columns_that_exist():
    from helpers import measures
    from helpers.data import panel_catalogue

    catalogue = panel_catalogue()
    names = list(path_levers.LEVERS) + list(path_levers.RANKING_ONLY)
    resources = measures.resources_for(path_levers.model_columns(names), catalogue)
    assert {"income_consumption", "nbs_macro", "public_budget"} <= set(resources)
    assert path_levers.lever_columns(["tech_inflow"]) == ["tech_market_inflow_10k_yuan", "gdp_100m_yuan"]
    with pytest.raises(ValueError, match="unknown lever"):
        path_levers.lever_columns(["gdp"])


def test_path_frame_keeps_one_row_per_province_year(real):
    data, frame = real
    assert len(frame) == len(data.frame)
    assert not frame.duplicated(["province_code", "year"]).any()


@pytest.mark.parametrize("page", ["tech_innovation", "industrial_innovation", "factor_allocation", "hardware"])
def test_glue_roles_on_path_pages_are_well_formed(page):
    import re

    from tests.conftest import ROOT

    text = (ROOT / "book" / "paths" / f"{page}.md").read_text(encoding="utf-8")
    roles = re.findall(r"\{glue:text\}`([^`]*)`", text)
    bad = [r for r in roles if not re.fullmatch(r"[a-z0-9_]+(:[.0-9]*[a-z%])?", r)]
    assert not bad, f"{page}: malformed glue roles {bad}"


# ----------------------------------------------------------------------------- the facts the Part III prose states

ALPHA = 0.05


@pytest.fixture(scope="module")
def slopes(real):
    """Within/between slopes of every Part III lever on URI and the income ratio, indexed for lookup."""
    _, frame = real
    table = path_levers.lever_table(frame, list(path_levers.LEVERS), outcomes=("uri", "income_ratio"))
    return table.set_index(["term", "outcome", "comparison"])


def positive_significant(row):
    return row["coef"] > 0 and row["p"] < ALPHA


def negative_significant(row):
    return row["coef"] < 0 and row["p"] < ALPHA


@pytest.mark.parametrize("term", ["sci_tech_share", "rd_intensity", "tech_market", "tech_inflow",
                                  "internet_penetration", "invention_patents", "digital_finance",
                                  "rural_electricity_pc"])
def test_levers_the_pages_call_positive_between_provinces_are(slopes, term):
    assert positive_significant(slopes.loc[(term, "uri", "between provinces")])


@pytest.mark.parametrize("term", ["sci_tech_share", "rd_intensity", "tech_inflow", "education_share",
                                  "basic_research_share", "rural_electricity_pc", "ln_highway",
                                  "internet_penetration"])
def test_levers_the_pages_call_not_significant_within_provinces_are(slopes, term):
    assert slopes.loc[(term, "uri", "within provinces"), "p"] >= ALPHA


@pytest.mark.parametrize("term", ["tech_market", "invention_patents", "digital_finance", "nonfarm_share"])
def test_levers_the_pages_call_negative_within_provinces_are(slopes, term):
    assert negative_significant(slopes.loc[(term, "uri", "within provinces")])


def test_transport_and_machinery_signs_as_stated(slopes):
    assert positive_significant(slopes.loc[("ln_railway", "uri", "within provinces")])
    assert slopes.loc[("ln_highway", "uri", "within provinces"), "coef"] > 0
    assert negative_significant(slopes.loc[("ln_railway", "uri", "between provinces")])
    assert negative_significant(slopes.loc[("ln_highway", "uri", "between provinces")])
    assert positive_significant(slopes.loc[("ln_farm_machinery", "uri", "within provinces")])
    assert negative_significant(slopes.loc[("ln_farm_machinery", "uri", "between provinces")])
    assert negative_significant(slopes.loc[("education_share", "uri", "between provinces")])
    assert positive_significant(slopes.loc[("sci_tech_share", "income_ratio", "within provinces")])


def test_scenarios_as_stated(real):
    data, frame = real
    for lever in ("rd_intensity", "invention_patents"):
        row = path_levers.index_runner(data, lever)([1.0]).iloc[0]
        assert row["ci_high"] < 0, f"{lever}: the page says the implied change is negative"
    internet = path_levers.direct_runner(frame, "internet_penetration")([10.0]).iloc[0]
    assert internet["ci_low"] < 0 < internet["ci_high"], "the page says the internet interval includes zero"
    railway = path_levers.direct_runner(frame, "ln_railway", per_unit=0.01)([10.0]).iloc[0]
    assert 0 < railway["ci_low"], "the page says the railway interval stays above zero"


def test_non_fossil_share_is_too_thin_to_model_as_the_hardware_page_says(real):
    _, frame = real
    assert "non_fossil_share" not in path_levers.LEVERS
    cover = path_levers.lever_coverage(frame, "non_fossil_share")
    assert cover["n_provinces_repeated"] == 1, "the page says only one province is observed twice in 2013-2020"
    assert cover["n_obs"] < 0.2 * 31 * 8


def test_non_fossil_repeats_hydropower_in_most_province_years_as_the_page_says():
    raw = path_levers.load_path_inputs()
    counts = path_levers.non_fossil_years(raw)
    assert counts["equal"].sum() > 0.8 * counts["with_both"].sum()
    never = path_levers.provinces_never_exceeding_hydro(raw)
    assert {"Jiangsu", "Zhejiang", "Guangdong"} <= set(never), "the page says the coastal East is left out"


def test_provinces_never_exceeding_hydro_lists_provinces_with_both_values_only():
    raw = pd.DataFrame({"province_code": [1, 1, 2, 3], "province_en": ["A", "A", "B", "C"], "year": [1, 2, 1, 1],
                        "non_fossil_generation_100m_kwh": [5.0, 6.0, 4.0, np.nan],
                        "hydropower_generation_100m_kwh": [5.0, 5.0, 4.0, 3.0]})
    assert path_levers.provinces_never_exceeding_hydro(raw) == ["B"]


def test_hukou_gap_did_not_narrow():
    from helpers import urban_rural as ur
    from helpers.data import national_series

    gap = ur.hukou_gap(national_series(period=None))
    assert gap["gap_points"].iloc[-1] >= gap["gap_points"].iloc[0]
    same_basis = gap[gap["resident_basis"] == gap["resident_basis"].iloc[0]]
    assert len(same_basis) >= 2 and same_basis["gap_points"].iloc[-1] >= same_basis["gap_points"].iloc[0]


def test_rural_electricity_rose_in_most_provinces(real):
    _, frame = real
    wide = frame.pivot(index="province_code", columns="year", values="rural_electricity_pc")
    both = wide[[2016, 2019]].dropna()
    assert (both[2019] > both[2016]).mean() > 0.5
