"""National urban-rural gap tables: hand-worked answers on small frames, and consistency
of the real data.
"""

import numpy as np
import pandas as pd
import pytest

from helpers import urban_rural as ur
from helpers.data import series_breaks


def test_break_years_read_from_the_breaks_table():
    breaks = pd.DataFrame(
        {
            "scope": ["national", "national", "provincial"],
            "indicators": ["a; b", "b", "a"],
            "first_year_after": [2013, 2021, 2016],
        }
    )
    assert ur.break_years(breaks, "a") == [2013]
    assert ur.break_years(breaks, "b") == [2013, 2021]
    assert ur.break_years(breaks, "a", scope="provincial") == [2016]
    assert ur.break_years(breaks, "c") == []


def test_the_2013_survey_break_applies_to_income_and_engel():
    breaks = series_breaks()
    assert 2013 in ur.break_years(breaks, "urban_rural_income_ratio")
    assert 2013 in ur.break_years(breaks, "engel_coefficient_rural")
    assert 2021 in ur.break_years(breaks, "rural_netizens")


def test_basis_changes_read_the_back_calculated_year_from_the_breaks_table():
    breaks = pd.DataFrame(
        {
            "break_id": ["survey", "census", "method"],
            "scope": ["national"] * 3,
            "indicators": ["a; b", "b", "a"],
            "first_year_after": [2013, 2020, np.nan],
            "first_year_backcast": [2012, np.nan, np.nan],
        }
    )
    assert ur.basis_changes(breaks, "a") == [ur.BasisChange("survey", 2013, 2012)]
    # Without a back-calculation the new basis starts in the year the change took
    # effect; an undated (method) difference is not a change over time.
    assert ur.basis_changes(breaks, "b") == [
        ur.BasisChange("survey", 2013, 2012),
        ur.BasisChange("census", 2020, 2020),
    ]
    assert ur.new_basis_years(ur.basis_changes(breaks, "b")) == [2012, 2020]
    assert ur.break_years(breaks, "b") == [2013, 2020]
    assert ur.basis_changes(breaks, "c") == []
    with pytest.raises(KeyError, match="first_year_backcast"):
        ur.basis_changes(breaks.drop(columns="first_year_backcast"), "a")


def test_real_survey_break_is_marked_in_2013_with_2012_back_calculated():
    changes = {
        c.break_id: c
        for c in ur.basis_changes(series_breaks(), "engel_coefficient_rural")
    }
    assert changes["income_survey_2013"] == ur.BasisChange(
        "income_survey_2013", 2013, 2012
    )
    assert ur.new_basis_years(ur.basis_changes(series_breaks(), "rural_netizens")) == [
        2021
    ]


def test_no_current_basis_value_precedes_the_new_basis(national):
    # What lets a chart join the back-calculated year to the current line: the
    # current-basis columns hold nothing older than the first year on the new basis.
    breaks = series_breaks()
    for indicator in (
        "engel_coefficient_rural",
        "engel_coefficient_urban",
        "engel_coefficient_national",
        "urban_rural_income_ratio",
    ):
        first_new = min(ur.new_basis_years(ur.basis_changes(breaks, indicator)))
        years = national.loc[national[indicator].notna(), "year"]
        assert years.min() >= first_new, indicator


def test_hukou_gap_by_hand_names_the_basis():
    frame = pd.DataFrame(
        {
            "year": [2017, 2020, 2022],
            "hukou_urbanization_rate": [42.0, 45.0, np.nan],
            "urbanization_rate__pre_census_2020": [58.0, np.nan, np.nan],
            "urbanization_rate__nov1": [np.nan, 64.0, np.nan],
            "urbanization_rate": [np.nan, np.nan, 65.0],
        }
    )
    gap = ur.hukou_gap(frame)
    assert list(gap["year"]) == [2017, 2020]
    assert list(gap["gap_points"]) == pytest.approx([16.0, 19.0])
    assert list(gap["resident_basis"]) == ["pre_census_2020", "census_2020"]


def test_penetration_gaps_pair_same_producer_year_and_period():
    obs = pd.DataFrame(
        {
            "group": ["urban", "rural", "rural", "urban", "rural"],
            "year": [2020, 2020, 2020, 2024, 2024],
            "period": ["jun", "jun", "year", "year", "year"],
            "time": [0.0] * 5,
            "value": [80.0, 50.0, 55.0, 90.0, 60.0],
            "producer": ["CNNIC"] * 5,
            "flag": [None, None, None, None, "suspect"],
        }
    )
    gaps = ur.penetration_gaps(obs)
    assert list(gaps["gap_points"]) == pytest.approx([30.0, 30.0])
    assert list(gaps["urban_over_rural"]) == pytest.approx([1.6, 1.5])
    assert list(gaps["rural_flag"].fillna("")) == ["", "suspect"]


def test_real_penetration_gap_keeps_the_suspect_flag(national_long):
    gaps = ur.penetration_gaps(ur.penetration_observations(national_long))
    assert len(gaps) >= 2
    assert (gaps["gap_points"] > 0).all()
    assert "suspect" in set(gaps["rural_flag"].dropna())


def test_netizen_representation_by_hand():
    frame = pd.DataFrame(
        {
            "year": [2021],
            "rural_netizens_share_of_total": [20.0],
            "rural_population": [40.0],
            "urban_population": [60.0],
        }
    )
    table = ur.netizen_representation(frame)
    assert table["rural_population_share"].iloc[0] == pytest.approx(40.0)
    assert table["representation"].iloc[0] == pytest.approx(0.5)


def test_coverage_milestones_keep_bounds_as_bounds(national_long):
    milestones = ur.coverage_milestones(national_long)
    assert set(milestones["qualifier"]) <= {">", "<", "="}
    assert (milestones["qualifier"] != "=").sum() >= 4, (
        "'>98'-style values must stay qualified"
    )
    published = dict(
        zip(
            zip(milestones["indicator"], milestones["year"]),
            milestones["value_as_published"],
        )
    )
    assert published[("admin_villages_fiber_and_4g_share", 2019)] == ">98"


def test_coverage_milestones_keep_the_statement_date(national_long):
    milestones = ur.coverage_milestones(national_long).set_index(
        ["indicator", "year", "period"]
    )
    five_g = milestones.loc[("admin_villages_5g_share", 2024, "year")]
    # MARA's statement of 24 July 2024: placed at its date, not at the end of 2024, and
    # named by its month.
    assert five_g["reference_date"] == "2024-07-24"
    assert five_g["when"] == "July 2024"
    assert 2023.5 < five_g["time"] < 2023.6
    undated = milestones.loc[("admin_villages_with_broadband_share", 2015, "year")]
    assert (
        pd.isna(undated["reference_date"])
        and undated["when"] == "2015"
        and undated["time"] == 2015
    )
    assert (
        milestones.loc[("admin_villages_5g_share", 2025, "jun"), "when"] == "June 2025"
    )


def test_milestone_when_and_position_by_hand():
    assert ur.milestone_when(2021, "year", "2021-11-30") == "November 2021"
    assert ur.milestone_when(2025, "jun", np.nan) == "June 2025"
    assert ur.milestone_when(2015, "year", None) == "2015"
    assert ur.milestone_position(2019, "year", "2019-12-31") == pytest.approx(2019.0)
    assert ur.milestone_position(2020, "jun", np.nan) == pytest.approx(2019.5)


def test_coverage_milestones_need_the_reference_date():
    frame = pd.DataFrame(
        {
            "indicator": ["admin_villages_5g_share"],
            "year": [2024],
            "period": ["year"],
            "value": [90.0],
            "qualifier": [">"],
            "value_as_published": [">90"],
            "producer": ["MARA"],
        }
    )
    with pytest.raises(KeyError, match="reference_date"):
        ur.coverage_milestones(frame)


def test_missing_column_is_named():
    with pytest.raises(KeyError, match="hukou_urbanization_rate"):
        ur.hukou_gap(pd.DataFrame({"year": [2020]}))
