"""National totals from provinces, indices and the doubtful-value screen, on small
hand-made panels.
"""

import numpy as np
import pandas as pd
import pytest

from helpers import province_totals as pt


def panel(values: dict[int, list], years: list[int]) -> pd.DataFrame:
    rows = [
        {"province_code": code, "province_en": f"P{code}", "year": year, "x": value}
        for code, series in values.items()
        for year, value in zip(years, series)
    ]
    return pd.DataFrame(rows)


def test_national_total_only_for_years_with_every_province():
    frame = panel({1: [1.0, 2.0, 3.0], 2: [10.0, np.nan, 30.0]}, [2015, 2016, 2017])
    totals = pt.national_total(frame, "x")
    assert list(totals.index) == [2015, 2017]
    assert list(totals) == [11.0, 33.0]


def test_reversing_jump_is_found_and_a_steady_trend_is_not():
    # Province 1 dips by half in 2011 and recovers: flagged. Province 2 grows 50% a
    # year: not flagged.
    frame = panel(
        {1: [100.0, 50.0, 100.0, 105.0], 2: [100.0, 150.0, 225.0, 337.5]},
        [2010, 2011, 2012, 2013],
    )
    jumps = pt.reversing_jumps(frame, "x")
    assert list(zip(jumps["province_code"], jumps["year"])) == [(1, 2011)]
    assert jumps["change_in_pct"].iloc[0] == pytest.approx(-50.0)


def test_edge_jump_in_the_first_year():
    frame = panel(
        {1: [200.0, 100.0, 102.0], 2: [100.0, 101.0, 102.0]}, [2010, 2011, 2012]
    )
    edges = pt.edge_jumps(frame, "x")
    assert list(edges["province_code"]) == [1]
    assert edges["change_pct"].iloc[0] == pytest.approx(-50.0)
