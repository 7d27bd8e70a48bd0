"""The Part II ledger entries: their evidence templates, filled with values computed
from the data the way the pages compute them, pass the checks their verdicts rest on and
print the numbers as computed.
"""

import pytest

from helpers import concentration as conc
from helpers.claims import fill_evidence, load_claims
from helpers.data import load, provincial_panel
from helpers.gaps import percent_lower


@pytest.fixture(scope="module")
def entries():
    return {c["id"]: c for c in load_claims() if c["id"].startswith("C")}


def test_every_constraint_point_has_a_verdict(entries):
    points = [c for c in entries.values() if c.get("role", "point") == "point"]
    assert len(points) == 16
    assert all(c["verdict"] != "pending" for c in entries.values())


def test_c1_1_literacy_gaps_fill_and_pass_their_checks(entries):
    score = load("digital_literacy_2021").set_index("group_id")["score"]
    rural = percent_lower(score["rural_residents"], score["urban_residents"])
    farmers = percent_lower(score["farmers"], score["overall"])
    text = fill_evidence(
        entries["C1-1"],
        {
            "rural_gap_pct": rural,
            "farmer_gap_pct": farmers,
            "report_comparison": "(as computed on the page)",
        },
    )
    assert (
        f"{rural:.1f}% below urban residents" in text
        and f"farmers {farmers:.0f}% below" in text
    )


def test_c3_1_income_ratio_is_large_by_the_recorded_check(entries, national):
    by_year = national.set_index("year")
    ratio = (
        by_year["per_capita_disposable_income_urban"]
        / by_year["per_capita_disposable_income_rural"]
    ).dropna()
    consumption = (
        by_year["per_capita_consumption_expenditure_urban"]
        / by_year["per_capita_consumption_expenditure_rural"]
    ).dropna()
    values = {
        "income_ratio_first": ratio.iloc[0],
        "income_first_year": ratio.index[0],
        "income_ratio_last": ratio.iloc[-1],
        "income_ratio_min": ratio.min(),
        "income_last_year": ratio.index[-1],
        "backcast_ratio": by_year["urban_rural_income_ratio"].dropna().iloc[0],
        "backcast_year": by_year["urban_rural_income_ratio"].dropna().index[0],
        "consumption_ratio_first": consumption.iloc[0],
        "consumption_first_year": consumption.index[0],
        "consumption_ratio_last": consumption.iloc[-1],
        "consumption_last_year": consumption.index[-1],
        "rural_engel_above_everywhere": bool(
            by_year[["engel_coefficient_rural", "engel_coefficient_urban"]]
            .dropna()
            .diff(axis=1)
            .iloc[:, 1]
            .lt(0)
            .all()
        ),
    }
    text = fill_evidence(entries["C3-1"], values)
    assert f"{ratio.iloc[-1]:.2f} ({ratio.index[-1]})" in text


def test_c3_4_tech_market_concentration_is_falling_as_the_mixed_verdict_says(entries):
    table = conc.concentration_by_year(
        provincial_panel(["tech_market_turnover_100m_yuan"]),
        "tech_market_turnover_100m_yuan",
    )
    change = conc.gini_change(table)
    top5 = table.set_index("year")["top5_share"]
    values = {
        "gini_first": change["gini_first"],
        "gini_last": change["gini_last"],
        "first_year": change["first_year"],
        "last_year": change["last_year"],
        "top5_first": top5[change["first_year"]],
        "top5_last": top5[change["last_year"]],
    }
    gdp = conc.concentration_by_year(
        provincial_panel(["gdp_100m_yuan"]), "gdp_100m_yuan"
    ).set_index("year")["gini"]
    values["gdp_gini_last"] = gdp[change["last_year"]]
    text = fill_evidence(entries["C3-4"], values)
    assert f"{change['gini_first']:.2f} ({change['first_year']})" in text


def test_a_check_that_fails_on_changed_data_stops_the_page(entries):
    with pytest.raises(ValueError, match="no longer holds"):
        fill_evidence(
            entries["C3-4"],
            {
                "gini_first": 0.5,
                "gini_last": 0.6,
                "first_year": 2017,
                "gdp_gini_last": 0.4,
                "last_year": 2024,
                "top5_first": 60,
                "top5_last": 50,
            },
        )
