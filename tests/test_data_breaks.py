"""Series breaks agree with the basis of every national value; dated statements and
flagged values.

The break table and the data are two records of the same facts. These tests check them
against each other on the real data, and check the cross-check itself on small hand-made
tables.
"""

import pandas as pd

from helpers.data import (
    load,
    national_series,
    provincial_panel,
    series_breaks,
    value_conflicts,
    value_flags,
)
from helpers.data.validate import break_basis_issues, read_records
from helpers.paths import DATA_DIR


def national_breaks() -> pd.DataFrame:
    """Breaks of the national series that name an old and a new basis."""
    breaks = series_breaks()
    return breaks[
        (breaks["scope"] == "national")
        & breaks["basis_before"].notna()
        & breaks["basis_after"].notna()
    ]


def old_basis_only_before(row) -> int:
    """First year the break table puts on the new basis (back-calculated years count as
    new).
    """
    return (
        int(row.first_year_backcast)
        if pd.notna(row.first_year_backcast)
        else int(row.first_year_after)
    )


# ---- the break table and the columns agree
# --------------------------------------------------------


def test_no_current_basis_value_in_a_year_the_breaks_assign_to_the_old_basis():
    long = load("national_urban_rural")
    checked = 0
    for brk in national_breaks().itertuples():
        indicators = [name.strip() for name in brk.indicators.split(";")]
        rows = long[
            long["indicator"].isin(indicators) & (long["basis"] == brk.basis_after)
        ]
        checked += len(rows)
        early = rows[rows["year"] < old_basis_only_before(brk)]
        assert early.empty, (
            brk.break_id,
            early[["indicator", "year", "basis"]].to_dict("records"),
        )
    assert checked > 50  # the test looked at real rows


def test_no_old_basis_value_after_the_last_old_basis_year():
    long = load("national_urban_rural")
    for brk in national_breaks().itertuples():
        indicators = [name.strip() for name in brk.indicators.split(";")]
        rows = long[
            long["indicator"].isin(indicators) & (long["basis"] == brk.basis_before)
        ]
        assert not rows.empty, brk.break_id
        assert (rows["year"] <= brk.last_year_before).all(), (
            brk.break_id,
            sorted(rows["year"]),
        )


def test_cross_check_passes_on_the_project_data():
    national = read_records(DATA_DIR / "national_urban_rural.csv")
    breaks = read_records(DATA_DIR / "series_breaks.csv")
    assert len(national) > 100 and len(breaks) > 10
    assert break_basis_issues(national, breaks, "national_urban_rural.csv") == []


def test_2012_current_values_are_nbs_backcasts_and_the_survey_year_stays_the_break():
    income = series_breaks().set_index("break_id").loc["income_survey_2013"]
    assert (
        income["first_year_after"],
        income["first_year_backcast"],
        income["last_year_before"],
    ) == (2013, 2012, 2014)
    long = load("national_urban_rural")
    early = long[
        (long["basis"] == "current")
        & (long["year"] < 2013)
        & long["indicator"].isin([i.strip() for i in income["indicators"].split(";")])
    ]
    assert sorted(early["indicator"]) == [
        "engel_coefficient_national",
        "engel_coefficient_rural",
        "engel_coefficient_urban",
        "urban_rural_income_ratio",
    ]
    assert early["note"].str.contains("back-calculation").all()
    # The 2012 ratio is not the old-survey ratio 24,565 / 7,917 (= 3.10) that its note
    # cites.
    ratio = early.loc[early["indicator"] == "urban_rural_income_ratio", "value"].item()
    assert ratio == 2.88 and round(24565 / 7917, 2) == 3.10


# ---- the cross-check on hand-made tables
# -----------------------------------------------------------

BREAK = {
    "break_id": "b",
    "scope": "national",
    "resource": "national_urban_rural",
    "indicators": "x; y",
    "last_year_before": "2012",
    "first_year_after": "2013",
    "first_year_backcast": "",
    "basis_before": "old",
    "basis_after": "current",
}


def rows(*values):
    return [{"indicator": i, "year": str(y), "basis": b} for i, y, b in values]


def test_cross_check_names_the_row_of_a_new_basis_value_before_the_break():
    national = rows(
        ("x", 2012, "old"),
        ("x", 2012, "current"),
        ("x", 2013, "current"),
        ("z", 2000, "current"),
    )
    issues = break_basis_issues(national, [BREAK], "n.csv")
    assert [(i.row, i.column, i.problem) for i in issues] == [
        (2, "basis", "break-basis")
    ]
    assert "expected basis 'old' for x in 2012" in issues[0].message
    assert "has basis 'current' only from 2013, found 'current'" in issues[0].message


def test_cross_check_names_the_row_of_an_old_basis_value_after_the_break():
    issues = break_basis_issues(rows(("y", 2014, "old")), [BREAK], "n.csv")
    assert [(i.row, i.column) for i in issues] == [(1, "basis")]
    assert "has basis 'old' only up to 2012, found 'old'" in issues[0].message


def test_a_backcast_year_lets_a_new_basis_value_precede_the_break():
    backcast = dict(BREAK, first_year_backcast="2012")
    assert break_basis_issues(rows(("x", 2012, "current")), [backcast], "n.csv") == []
    assert (
        len(break_basis_issues(rows(("x", 2011, "current")), [backcast], "n.csv")) == 1
    )


def test_provincial_breaks_and_other_resources_are_not_cross_checked():
    provincial = dict(BREAK, scope="provincial")
    elsewhere = dict(BREAK, resource="energy")
    assert (
        break_basis_issues(
            rows(("x", 2000, "current")), [provincial, elsewhere], "n.csv"
        )
        == []
    )


# ---- statements dated during the year
# ---------------------------------------------------------------


def test_5g_milestone_carries_its_statement_date():
    wide = national_series(["admin_villages_5g_share"]).set_index("year")
    assert wide.loc[2024, "admin_villages_5g_share"] == 90
    assert wide.loc[2024, "admin_villages_5g_share__qualifier"] == ">"
    assert wide.loc[2024, "admin_villages_5g_share__date"] == "2024-07-24"
    long = load("national_urban_rural")
    row = long[
        (long["indicator"] == "admin_villages_5g_share") & (long["year"] == 2024)
    ].iloc[0]
    assert "not at the end of 2024" in row["note"]


def test_reference_dates_fall_in_the_year_of_their_value():
    long = load("national_urban_rural").dropna(subset=["reference_date"])
    assert len(long) >= 4
    assert (long["reference_date"].str[:4].astype(int) == long["year"]).all()
    assert long["note"].notna().all()
    broadband = long[
        (long["indicator"] == "admin_villages_with_broadband_share")
        & (long["year"] == 2021)
    ]
    assert broadband["reference_date"].item() == "2021-11-30"  # '截至2021年11月底'


# ---- flagged values: kept, flagged, blanked only on request
# -------------------------------------------


def flag_rows(column, flag):
    flags = value_flags()
    return flags[(flags["column"] == column) & (flags["flag"] == flag)]


def test_every_flag_points_at_a_published_value():
    for flag in value_flags().itertuples():
        if (
            flag.resource == "national_urban_rural"
            or pd.isna(flag.province_code)
            or pd.isna(flag.year)
        ):
            continue
        frame = load(flag.resource)
        cell = frame.loc[
            (frame["province_code"] == flag.province_code)
            & (frame["year"] == flag.year),
            flag.column,
        ]
        assert cell.notna().all() and len(cell) == 1, flag


def test_ningxia_2020_energy_is_kept_flagged_and_blanked_only_on_request():
    column = "energy_consumption_10k_tce"
    flags = flag_rows(column, "suspect")
    assert list(zip(flags["province_code"], flags["year"])) == [(640000, 2020)]
    assert "unit slip" in flags["reason"].item()
    kept = provincial_panel([column]).set_index(["province_code", "year"])[column]
    assert kept[(640000, 2020)] == 0.79  # as published, never changed
    assert kept[(640000, 2020)] < 0.01 * min(kept[(640000, 2019)], kept[(640000, 2021)])
    blanked = provincial_panel([column], drop_suspect=True).set_index(
        ["province_code", "year"]
    )[column]
    assert pd.isna(blanked[(640000, 2020)])
    assert (
        blanked[(640000, 2019)] == kept[(640000, 2019)]
        and blanked[(640000, 2021)] == kept[(640000, 2021)]
    )


def test_farm_machinery_flags_are_exactly_the_values_that_break_their_path():
    column = "agri_machinery_power_10k_kw_pre2016"
    wide = provincial_panel([column]).pivot(
        index="province_code", columns="year", values=column
    )
    first_year_high = wide[
        (wide[2010] > 1.05 * wide[2011]) & (wide[2010] > 1.05 * wide[2012])
    ].index
    dip_2011 = wide[
        (wide[2011] < 0.9 * wide[2010]) & (wide[2011] < 0.9 * wide[2012])
    ].index
    expected = {(int(c), 2010) for c in first_year_high} | {
        (int(c), 2011) for c in dip_2011
    }
    assert expected == {
        (320000, 2010),
        (510000, 2010),
        (340000, 2011),
    }  # Jiangsu, Sichuan, Anhui
    flags = flag_rows(column, "suspect")
    assert (
        set(zip(flags["province_code"].astype(int), flags["year"].astype(int)))
        == expected
    )
    assert (
        wide.loc[320000, 2010] == 8987.3 and wide.loc[340000, 2011] == 3637.1
    )  # kept as published


def test_technology_market_patterns_are_caveats_in_both_copies_not_suspect():
    for column in ("tech_market_turnover_100m_yuan", "tech_market_outflow_10k_yuan"):
        assert flag_rows(column, "suspect").empty
        caveats = flag_rows(column, "caveat")
        assert set(zip(caveats["province_code"], caveats["year"])) == {
            (500000, y) for y in range(2014, 2020)
        } | {(450000, 2021)}
    turnover = provincial_panel(["tech_market_turnover_100m_yuan"], drop_suspect=True)
    chongqing = turnover[turnover["province_code"] == 500000].set_index("year")[
        "tech_market_turnover_100m_yuan"
    ]
    changes = chongqing.pct_change().loc[2014:2019]
    assert (changes.abs() > 0.5).all() and all(
        (a > 0) != (b > 0) for a, b in zip(changes, changes[1:])
    )


def test_figure1_conflict_states_the_gap_the_scores_give():
    scores = load("digital_literacy_2021").set_index("group_id")["score"]
    gap = 100 * (1 - scores["rural_residents"] / scores["urban_residents"])
    reason = (
        value_conflicts().set_index("conflict_id").loc["fig1_farmers_label", "reason"]
    )
    assert f"{gap:.1f}%" in reason and f"{gap:.1f}" == "37.7"
    assert "reproduces" not in reason and "edge of the rounding interval" in reason
    edge = 100 * (1 - 35.15 / 56.25)
    assert f"{edge:.2f}%" in reason and round(edge, 1) == 37.5
