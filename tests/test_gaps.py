"""Gap formulas and break handling, checked against answers worked by hand."""

import numpy as np
import pandas as pd
import pytest

from helpers import gaps


def test_percent_lower_known_answers():
    assert gaps.percent_lower(75, 100) == pytest.approx(25.0)
    # 25 / 43.6 = 0.573394...: the "farmers 57% below all respondents" of Figure 1's
    # report.
    assert gaps.percent_lower(18.6, 43.6) == pytest.approx(57.3394, abs=1e-4)
    # 21.2 / 56.3 = 0.376554...: the report's "37.5%" is not what the rounded scores
    # give.
    assert gaps.percent_lower(35.1, 56.3) == pytest.approx(37.6554, abs=1e-4)


def test_percent_lower_is_negative_when_value_is_higher():
    assert gaps.percent_lower(120, 100) == pytest.approx(-20.0)


@pytest.mark.parametrize("reference", [0, -5, float("nan")])
def test_percent_lower_rejects_non_positive_reference(reference):
    with pytest.raises(ValueError, match="reference"):
        gaps.percent_lower(1, reference)


def test_percentage_points_and_ratio():
    assert gaps.percentage_points(35.1, 56.3) == pytest.approx(21.2)
    assert gaps.ratio(6, 3) == 2.0
    with pytest.raises(ValueError, match="denominator"):
        gaps.ratio(1, 0)


def test_percent_lower_range_by_hand():
    # 1 - 51/99 = 48/99 and 1 - 49/101 = 52/101
    low, high = gaps.percent_lower_range(50, 100, half_unit=1)
    assert low == pytest.approx(100 * 48 / 99)
    assert high == pytest.approx(100 * 52 / 101)
    # Scores rounded to 0.1: 1 - 35.15/56.25 = 37.511%, 1 - 35.05/56.35 = 37.799%.
    low, high = gaps.percent_lower_range(35.1, 56.3)
    assert low == pytest.approx(37.5111, abs=1e-4)
    assert high == pytest.approx(37.7995, abs=1e-4)
    assert gaps.percent_lower_range(35.1, 56.3, half_unit=0) == pytest.approx(
        (37.6554, 37.6554), abs=1e-4
    )


def test_ratio_series_uses_only_years_with_both_values():
    frame = pd.DataFrame(
        {
            "year": [2015, 2016, 2017],
            "urban": [30.0, 33.0, np.nan],
            "rural": [10.0, 11.0, 12.0],
        }
    )
    result = gaps.ratio_series(frame, "urban", "rural")
    assert list(result.index) == [2015, 2016]
    assert list(result) == pytest.approx([3.0, 3.0])


def test_ratio_series_names_missing_column_and_bad_denominator():
    frame = pd.DataFrame(
        {"year": [2015, 2016], "urban": [3.0, 4.0], "rural": [1.0, 0.0]}
    )
    with pytest.raises(KeyError, match="rurall"):
        gaps.ratio_series(frame, "urban", "rurall")
    with pytest.raises(ValueError, match="2016"):
        gaps.ratio_series(frame, "urban", "rural")


def test_series_crossing_a_break_is_split():
    series = pd.Series(
        [1.0, 2.0, 3.0, 4.0, 5.0, np.nan, 7.0], index=range(2010, 2017), name="ratio"
    )
    pieces = gaps.segments_between_breaks(series, [2013])
    assert [list(p.index) for p in pieces] == [[2010, 2011, 2012], [2013, 2014, 2016]]
    for piece in pieces:
        assert not gaps.crosses_break(piece.index, [2013])


def test_two_breaks_and_a_break_with_nothing_before_it():
    series = pd.Series([1.0, 2.0, 3.0, 4.0], index=[2013, 2015, 2016, 2019])
    assert [
        list(p.index) for p in gaps.segments_between_breaks(series, [2016, 2013])
    ] == [[2013, 2015], [2016, 2019]]
    assert [list(p.index) for p in gaps.segments_between_breaks(series, [])] == [
        [2013, 2015, 2016, 2019]
    ]


def test_duplicate_years_are_an_error():
    with pytest.raises(ValueError, match="2015"):
        gaps.segments_between_breaks(
            pd.Series([1.0, 2.0], index=[2015, 2015], name="x"), [2013]
        )


def test_crosses_break():
    assert gaps.crosses_break([2012, 2014], [2013])
    assert gaps.crosses_break([2012, 2013], [2013])
    assert not gaps.crosses_break([2013, 2014], [2013])
    assert not gaps.crosses_break([], [2013])


def test_consecutive_runs():
    assert gaps.consecutive_runs([2020, 2015, 2016, 2023, 2024]) == [
        [2015, 2016],
        [2020],
        [2023, 2024],
    ]


def test_change_per_year_and_compound_growth():
    assert gaps.change_per_year(
        pd.Series([10.0, 20.0], index=[2015, 2020])
    ) == pytest.approx(2.0)
    # 100 -> 121 in two years is 10% a year.
    assert gaps.compound_growth(
        pd.Series([100.0, np.nan, 121.0], index=[2000, 2001, 2002])
    ) == pytest.approx(10.0)
    with pytest.raises(ValueError, match="two observations"):
        gaps.compound_growth(pd.Series([100.0], index=[2000], name="one"))


def test_growth_summary_by_hand_respects_the_window():
    series = {
        "a": pd.Series([100.0, 110.0, 121.0, 500.0], index=[2015, 2016, 2017, 2018]),
        "b": pd.Series([50.0, np.nan, 200.0], index=[2016, 2017, 2018]),
    }
    table = gaps.growth_summary(series, start=2015).set_index("label")
    # a: 100 -> 500 over 2015-2018; b: 50 -> 200 over 2016-2018 = 100% a year.
    assert (table.loc["a", "first_year"], table.loc["a", "last_year"]) == (2015, 2018)
    assert table.loc["b", "growth_pct_per_year"] == pytest.approx(100.0)
    windowed = gaps.growth_summary({"a": series["a"]}, start=2015, end=2017).set_index(
        "label"
    )
    assert windowed.loc["a", "growth_pct_per_year"] == pytest.approx(10.0)
    with pytest.raises(ValueError, match="two observations"):
        gaps.growth_summary({"b": series["b"]}, end=2017)
