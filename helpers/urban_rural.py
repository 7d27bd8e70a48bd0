"""Urban-rural tables several Part II pages share: series breaks, the hukou gap,
internet use, village coverage.

Every function takes the frames that helpers.data returns (national_series wide or long,
series_breaks) and returns a tidy table; nothing here reads files. Column names follow
data-api: one column per (indicator, basis, period), so a ratio is only ever formed
within one basis.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

import pandas as pd

from helpers.chart_parts import date_position, observation_time
from helpers.gaps import percentage_points

PENETRATION = {
    "urban": "urban_internet_penetration_rate",
    "rural": "rural_internet_penetration_rate",
    "total": "total_internet_penetration_rate",
}
VILLAGE_COVERAGE = (
    "admin_villages_with_broadband_share",
    "admin_villages_fiber_and_4g_share",
    "admin_villages_5g_share",
)


def require_columns(frame: pd.DataFrame, columns, what: str) -> None:
    """KeyError naming the missing columns of a frame, for a clear message instead of a
    bare KeyError.
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(
            f"{what}: column(s) {missing} not found; columns present: "
            f"{list(frame.columns)}"
        )


def break_rows(
    breaks: pd.DataFrame, indicator: str, scope: str = "national"
) -> pd.DataFrame:
    """The rows of the series_breaks table (in scope) whose ';'-separated indicators
    include the indicator.
    """
    require_columns(breaks, ["scope", "indicators"], "series_breaks")
    in_scope = breaks[breaks["scope"] == scope]
    names = in_scope["indicators"].map(
        lambda text: [name.strip() for name in str(text).split(";")]
    )
    return in_scope[names.map(lambda listed: indicator in listed)]


def break_years(
    breaks: pd.DataFrame, indicator: str, scope: str = "national"
) -> list[int]:
    """Years in which a new basis took effect for an indicator (first_year_after): where
    a chart marks a break.
    """
    require_columns(breaks, ["first_year_after"], "series_breaks")
    rows = break_rows(breaks, indicator, scope)
    return sorted({int(year) for year in rows["first_year_after"].dropna()})


@dataclass(frozen=True)
class BasisChange:
    """One break of an indicator as a chart needs it: where to mark it, and from which
    year data are on the new basis.

    new_basis_from is first_year_backcast where the producer back-calculated earlier
    years on the new basis (e.g. NBS re-estimated 2012 on the integrated survey
    introduced in 2013), else marked_at.
    """

    break_id: str
    marked_at: int
    new_basis_from: int


def basis_changes(
    breaks: pd.DataFrame, indicator: str, scope: str = "national"
) -> list[BasisChange]:
    """The dated breaks of an indicator, from series_breaks (first_year_after,
    first_year_backcast), by year marked.
    """
    require_columns(
        breaks, ["break_id", "first_year_after", "first_year_backcast"], "series_breaks"
    )
    changes = []
    for row in break_rows(breaks, indicator, scope).itertuples():
        if pd.isna(row.first_year_after):
            # an undated difference of method (e.g. two inventories), not a change over
            # time
            continue
        marked = int(row.first_year_after)
        backcast = (
            int(row.first_year_backcast)
            if not pd.isna(row.first_year_backcast)
            else marked
        )
        changes.append(BasisChange(str(row.break_id), marked, min(backcast, marked)))
    return sorted(changes, key=lambda change: (change.marked_at, change.break_id))


def new_basis_years(changes: list[BasisChange]) -> list[int]:
    """Years where a series on the current basis must be split: the first year each new
    basis has data.
    """
    return sorted({change.new_basis_from for change in changes})


def hukou_gap(national: pd.DataFrame) -> pd.DataFrame:
    """Resident minus hukou urbanisation rate (percentage points) in years with both,
    naming the resident basis.

    The resident rate is the printed pre-census rate where that is the only one for the
    year, the 2020 census rate (1 November) for 2020, and the current series otherwise;
    its basis is reported.
    """
    require_columns(national, ["year", "hukou_urbanization_rate"], "national series")
    candidates = [
        ("urbanization_rate", "current"),
        ("urbanization_rate__nov1", "census_2020"),
        ("urbanization_rate__pre_census_2020", "pre_census_2020"),
    ]
    rows = []
    for row in national.dropna(subset=["hukou_urbanization_rate"]).itertuples(
        index=False
    ):
        record = row._asdict()
        for column, basis in candidates:
            if column in national.columns and not pd.isna(record.get(column)):
                resident = float(record[column])
                rows.append(
                    {
                        "year": int(record["year"]),
                        "resident_rate": resident,
                        "resident_basis": basis,
                        "hukou_rate": float(record["hukou_urbanization_rate"]),
                        "gap_points": percentage_points(
                            record["hukou_urbanization_rate"], resident
                        ),
                    }
                )
                break
    return pd.DataFrame(
        rows,
        columns=["year", "resident_rate", "resident_basis", "hukou_rate", "gap_points"],
    )


def penetration_observations(national_long: pd.DataFrame) -> pd.DataFrame:
    """CNNIC/MIIT internet penetration observations (urban, rural, total) with their
    decimal-year position.
    """
    require_columns(
        national_long,
        ["indicator", "year", "period", "value", "producer", "flag"],
        "national series",
    )
    names = {v: k for k, v in PENETRATION.items()}
    rows = national_long[national_long["indicator"].isin(names)].copy()
    rows["group"] = rows["indicator"].map(names)
    rows["time"] = [
        observation_time(y, p) for y, p in zip(rows["year"], rows["period"])
    ]
    keep = ["group", "year", "period", "time", "value", "producer", "flag"]
    return rows[keep].sort_values(["group", "time"]).reset_index(drop=True)


def penetration_gaps(
    observations: pd.DataFrame, producer: str = "CNNIC"
) -> pd.DataFrame:
    """Urban minus rural penetration (points) and urban/rural ratio where both groups
    share a year and period.
    """
    same = observations[observations["producer"] == producer]
    wide = same.pivot_table(
        index=["year", "period"], columns="group", values="value", aggfunc="first"
    )
    flags = same[same["group"] == "rural"].set_index(["year", "period"])["flag"]
    if not {"urban", "rural"} <= set(wide.columns):
        return pd.DataFrame(
            columns=[
                "year",
                "period",
                "urban",
                "rural",
                "gap_points",
                "urban_over_rural",
                "rural_flag",
            ]
        )
    wide = wide.dropna(subset=["urban", "rural"])
    table = pd.DataFrame({"urban": wide["urban"], "rural": wide["rural"]})
    table["gap_points"] = table["urban"] - table["rural"]
    table["urban_over_rural"] = table["urban"] / table["rural"]
    table["rural_flag"] = flags.reindex(table.index)
    return table.reset_index().sort_values("year").reset_index(drop=True)


def netizen_representation(national: pd.DataFrame) -> pd.DataFrame:
    """Rural share of netizens against rural share of residents (%), and their ratio (1
    = as online as the population).
    """
    require_columns(
        national,
        [
            "year",
            "rural_netizens_share_of_total",
            "rural_population",
            "urban_population",
        ],
        "national series",
    )
    table = national[
        [
            "year",
            "rural_netizens_share_of_total",
            "rural_population",
            "urban_population",
        ]
    ].dropna()
    table = table.assign(
        rural_population_share=100.0
        * table["rural_population"]
        / (table["rural_population"] + table["urban_population"])
    )
    table["representation"] = (
        table["rural_netizens_share_of_total"] / table["rural_population_share"]
    )
    return table[
        [
            "year",
            "rural_netizens_share_of_total",
            "rural_population_share",
            "representation",
        ]
    ].reset_index(drop=True)


def milestone_position(year: int, period: str, reference_date) -> float:
    """Where a milestone sits on a year-end axis: at its reference date if it has one,
    else by year and period.
    """
    if isinstance(reference_date, str) and reference_date:
        return date_position(reference_date)
    return observation_time(year, period)


def milestone_when(year: int, period: str, reference_date) -> str:
    """When a milestone was stated, in words: 'July 2024' from its reference date, 'June
    2025' for a June value, else the year.
    """
    if isinstance(reference_date, str) and reference_date:
        stamp = pd.Timestamp(reference_date)
        return f"{calendar.month_name[stamp.month]} {stamp.year}"
    months = {"jun": "June ", "jan": "January ", "nov1": "November "}
    return f"{months.get(period, '')}{int(year)}"


def coverage_milestones(national_long: pd.DataFrame) -> pd.DataFrame:
    """Village broadband, fibre/4G and 5G coverage milestones as published (bounds kept
    as bounds), with their date.

    reference_date is the day of a statement made during the year (empty for year-end or
    mid-year values); time places each milestone on a year-end axis, at its reference
    date where it has one.
    """
    require_columns(
        national_long,
        [
            "indicator",
            "year",
            "period",
            "value",
            "qualifier",
            "value_as_published",
            "producer",
            "reference_date",
        ],
        "national series",
    )
    rows = national_long[national_long["indicator"].isin(VILLAGE_COVERAGE)].copy()
    rows["qualifier"] = rows["qualifier"].fillna("=")
    rows["time"] = [
        milestone_position(y, p, d)
        for y, p, d in zip(rows["year"], rows["period"], rows["reference_date"])
    ]
    rows["when"] = [
        milestone_when(y, p, d)
        for y, p, d in zip(rows["year"], rows["period"], rows["reference_date"])
    ]
    order = {name: k for k, name in enumerate(VILLAGE_COVERAGE)}
    rows = rows.sort_values(
        ["indicator", "time"],
        key=lambda c: c.map(order) if c.name == "indicator" else c,
    )
    return rows[
        [
            "indicator",
            "year",
            "period",
            "reference_date",
            "when",
            "time",
            "value",
            "qualifier",
            "value_as_published",
            "producer",
        ]
    ].reset_index(drop=True)
