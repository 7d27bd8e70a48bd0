"""Expected answers of assignment a2, computed from the data when the instructor builds
the assignment.

`python -m tools.classroom build` calls `expected()` and writes each value into the
hidden tests as a literal (`EXPECTED["key"]` in the source), so nothing a student's
notebook redefines can change them.
"""

from helpers import gaps
from helpers.data import load, national_series


def expected() -> dict:
    """Every value the hidden tests of a2 compare with, by key."""
    scores = load("digital_literacy_2021").set_index("group_id")["score"]
    rural_vs_urban = gaps.percent_lower(
        scores["rural_residents"], scores["urban_residents"]
    )
    points = gaps.percentage_points(
        scores["rural_residents"], scores["urban_residents"]
    )
    ratio = gaps.ratio_series(
        national_series(),
        "per_capita_disposable_income_urban",
        "per_capita_disposable_income_rural",
    ).sort_index()
    long = national_series(period=None, wide=False)
    resident = long.query(
        "indicator == 'urbanization_rate' and year == 2020 and period == 'nov1'"
    )["value"].item()
    hukou = long.query(
        "indicator == 'hukou_urbanization_rate' and year == 2020 and period == 'year'"
    )["value"].item()
    return {
        "rural_vs_urban": float(rural_vs_urban),
        "farmers_vs_all": float(
            gaps.percent_lower(scores["farmers"], scores["overall"])
        ),
        "rural_vs_urban_points": float(points),
        "percent_is_larger": bool(rural_vs_urban > points),
        "income_ratio": {int(year): float(value) for year, value in ratio.items()},
        "ratio_change": float(ratio.iloc[-1] - ratio.iloc[0]),
        "hukou_gap_2020": float(resident - hukou),
    }
