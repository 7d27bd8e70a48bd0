"""The Part II ledger entries: every claim has a verdict, and the numbers quoted in its evidence match the data."""
import pytest

from helpers import concentration as conc
from helpers import province_totals as totals
from helpers import urban_rural as ur
from helpers.claims import load_claims
from helpers.data import load, national_series, provincial_panel, series_breaks
from helpers.gaps import percent_lower


@pytest.fixture(scope="module")
def evidence():
    return {c["id"]: c for c in load_claims() if c["id"].startswith("C")}


def test_every_constraint_claim_has_a_verdict_and_points_to_its_section(evidence):
    assert len(evidence) >= 16
    for cid, claim in evidence.items():
        assert claim["verdict"] != "pending", f"{cid} is still pending"
        assert f"{claim['chapter']}, {cid}" in claim["evidence"], f"{cid}: evidence should name its section"


def quoted(value: float, digits: int) -> str:
    return f"{value:.{digits}f}"


def test_c1_1_literacy_gaps(evidence):
    score = load("digital_literacy_2021").set_index("group_id")["score"]
    text = evidence["C1-1"]["evidence"]
    assert f"about {quoted(percent_lower(score['rural_residents'], score['urban_residents']), 1)}%" in text
    assert f"about {quoted(percent_lower(score['farmers'], score['overall']), 0)}%" in text


def test_c3_1_ratios(evidence, national):
    by_year = national.set_index("year")
    computed = (by_year["per_capita_disposable_income_urban"] / by_year["per_capita_disposable_income_rural"]).dropna()
    consumption = (by_year["per_capita_consumption_expenditure_urban"]
                   / by_year["per_capita_consumption_expenditure_rural"]).dropna()
    text = evidence["C3-1"]["evidence"]
    for series in (computed, consumption):
        first, last = series.index.min(), series.index.max()
        assert f"{quoted(series[first], 2)} ({first})" in text
        assert f"{quoted(series[last], 2)} ({last})" in text
    # NBS's back-calculated first year is on the current basis and quoted with its year.
    current = computed.combine_first(by_year["urban_rural_income_ratio"].dropna())
    backcast = min(ur.new_basis_years(ur.basis_changes(series_breaks(), "urban_rural_income_ratio")))
    assert f"{quoted(current[backcast], 2)} ({backcast})" in text


def test_c3_2_hukou_gap_and_people(evidence, national):
    gap = ur.hukou_gap(national)
    text = evidence["C3-2"]["evidence"]
    for row in gap.itertuples():
        assert f"{quoted(row.gap_points, 1)}" in text and str(row.year) in text
    first = gap.iloc[0]
    urban = national.set_index("year").loc[first["year"], "urban_population__pre_census_2020"]
    people = first["gap_points"] / 100 * urban / (first["resident_rate"] / 100)
    assert f"about {quoted(people / 10_000, 2)} hundred million people in {int(first['year'])}" in text


def test_c3_4_tech_market_concentration(evidence):
    table = conc.concentration_by_year(provincial_panel(["tech_market_turnover_100m_yuan"]),
                                       "tech_market_turnover_100m_yuan")
    change = conc.gini_change(table)
    top5 = table.set_index("year")["top5_share"]
    text = evidence["C3-4"]["evidence"]
    assert f"{quoted(change['gini_first'], 2)} ({change['first_year']}) to {quoted(change['gini_last'], 2)} " \
           f"({change['last_year']})" in text
    assert f"{quoted(top5[change['first_year']], 0)}% to {quoted(top5[change['last_year']], 0)}%" in text


def test_c3_5_representation(evidence, national):
    table = ur.netizen_representation(national)
    text = evidence["C3-5"]["evidence"]
    for row in (table.iloc[0], table.iloc[-1]):
        assert f"{quoted(row['representation'], 2)} in {int(row['year'])}" in text


def test_c2_1_machinery_growth(evidence):
    panel = provincial_panel(["agri_machinery_power_10k_kw"])
    from helpers.gaps import compound_growth

    growth = compound_growth(totals.national_total(panel, "agri_machinery_power_10k_kw"))
    assert f"about {quoted(growth, 0)}% a year" in evidence["C2-1"]["evidence"]


def test_c4_1_milestones_quoted_as_published(evidence):
    milestones = ur.coverage_milestones(national_series(period=None, wide=False))
    text = evidence["C4-1"]["evidence"]
    for row in milestones[milestones["period"] == "year"].itertuples():
        assert str(row.year) in text, f"milestone year {row.year} not quoted"
        if isinstance(row.reference_date, str):
            # A statement made during the year is quoted with its month, not as a year-end value.
            assert row.when in text, f"dated milestone {row.indicator} quoted without its date {row.when!r}"
