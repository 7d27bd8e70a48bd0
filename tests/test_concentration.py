"""Lorenz curve, Gini and top shares against answers worked by hand."""

import numpy as np
import pandas as pd
import pytest

from helpers import concentration as conc


def test_gini_known_answers():
    # [1, 2, 3, 4]: sum |xi - xj| over ordered pairs = 20, n = 4, mean 2.5 -> 20 / (2 *
    # 16 * 2.5) = 0.25.
    assert conc.gini([1, 2, 3, 4]) == pytest.approx(0.25)
    assert conc.gini([4, 1, 3, 2]) == pytest.approx(0.25)  # order does not matter
    # Everything in one of four units: (n - 1) / n = 0.75.
    assert conc.gini([0, 0, 0, 1]) == pytest.approx(0.75)
    assert conc.gini([5, 5, 5]) == pytest.approx(0.0)


def test_lorenz_points_by_hand():
    curve = conc.lorenz_curve([1, 2, 3, 4])
    assert list(curve["population_share"]) == pytest.approx([0, 0.25, 0.5, 0.75, 1])
    assert list(curve["amount_share"]) == pytest.approx([0, 0.1, 0.3, 0.6, 1])


def test_weighted_gini_by_hand():
    # Unit A: amount 2, weight 1 (2 per person); unit B: amount 2, weight 3 (2/3 per
    # person). Sorted by amount per person: B then A; X = 0.75, 1; Y = 0.5, 1. Area =
    # 0.75 * 0.5 / 2 + 0.25 * 1.5 / 2 = 0.375, so Gini = 1 - 2 * 0.375 = 0.25, the same
    # as 3 people with 2/3 and 1 person with 2: 8 / (2 * 16 * 1) = 0.25.
    curve = conc.lorenz_curve([2, 2], weights=[1, 3])
    assert list(curve["population_share"]) == pytest.approx([0, 0.75, 1])
    assert list(curve["amount_share"]) == pytest.approx([0, 0.5, 1])
    assert conc.gini([2, 2], weights=[1, 3]) == pytest.approx(0.25)
    # Amounts proportional to weights: everyone has the same per person.
    assert conc.gini([10, 30], weights=[1, 3]) == pytest.approx(0.0)


def test_trapezoid_gini_equals_pairwise_definition():
    rng = np.random.default_rng(20240501)
    values = rng.lognormal(size=31)
    assert conc.gini(values) == pytest.approx(conc.gini_pairwise(values))


def test_top_share_by_hand():
    assert conc.top_share([1, 2, 3, 4], 1) == pytest.approx(40.0)
    assert conc.top_share([1, 2, 3, 4], 2) == pytest.approx(70.0)
    with pytest.raises(ValueError, match="between 1 and"):
        conc.top_share([1, 2], 3)


@pytest.mark.parametrize(
    "bad, message",
    [
        ([1, float("nan"), 3], "missing"),
        ([1, -2, 3], "negative"),
        ([0, 0], "zero"),
        ([], "non-empty"),
    ],
)
def test_bad_amounts_are_rejected(bad, message):
    with pytest.raises(ValueError, match=message):
        conc.gini(bad)


def test_bad_amount_is_named_by_its_label():
    with pytest.raises(ValueError, match="Hainan"):
        conc.gini(pd.Series([1.0, np.nan], index=["Beijing", "Hainan"]))


def test_bad_weights_are_rejected():
    with pytest.raises(ValueError, match="weights"):
        conc.gini([1, 2], weights=[1, 0])


def test_concentration_by_year_marks_incomplete_years():
    panel = pd.DataFrame(
        {
            "province_code": [1, 2, 3, 4] * 2,
            "year": [2020] * 4 + [2021] * 4,
            "rd": [1, 2, 3, 4, 0, 0, 1, np.nan],
        }
    )
    table = conc.concentration_by_year(panel, "rd", k=1)
    first, second = table.iloc[0], table.iloc[1]
    assert (first["year"], first["units"], first["complete"]) == (2020, 4, True)
    assert first["gini"] == pytest.approx(0.25) and first[
        "top1_share"
    ] == pytest.approx(40.0)
    assert (second["units"], second["missing"], second["complete"]) == (3, 1, False)
    assert second["gini"] == pytest.approx(2 / 3)  # all in one of three units


def test_complete_span_and_gini_change():
    table = pd.DataFrame(
        {
            "year": [2010, 2011, 2012, 2013],
            "complete": [False, True, True, True],
            "gini": [0.9, 0.6, 0.55, 0.5],
        }
    )
    assert conc.complete_span(table) == (2011, 2013)
    change = conc.gini_change(table)
    assert change["gini_first"] == 0.6 and change["gini_last"] == 0.5
    assert change["change_per_year"] == pytest.approx(-0.05)
    with pytest.raises(ValueError, match="no year"):
        conc.complete_span(table.assign(complete=False))
