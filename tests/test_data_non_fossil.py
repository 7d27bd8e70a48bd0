"""Non-fossil generation that repeats hydropower is flagged, and the flags match the
committed values.
"""

from helpers.data import provincial_panel, value_flags

NON_FOSSIL, HYDRO = "non_fossil_generation_100m_kwh", "hydropower_generation_100m_kwh"


def both_columns():
    return provincial_panel([NON_FOSSIL, HYDRO]).dropna(subset=[NON_FOSSIL, HYDRO])


def test_column_caveat_states_the_counts_found_in_the_data():
    panel = both_columns()
    equal = int(((panel[NON_FOSSIL] - panel[HYDRO]).abs() < 1e-9).sum())
    caveats = value_flags().query("column == @NON_FOSSIL and flag == 'caveat'")
    assert (
        len(caveats) == 1
        and caveats["province_code"].isna().all()
        and caveats["year"].isna().all()
    )
    assert (
        f"equals hydropower exactly in {equal} of {len(panel)} province-years"
        in caveats["reason"].iloc[0]
    )


def test_suspect_cells_equal_hydropower_after_a_year_above_it():
    panel = both_columns().set_index(["province_code", "year"])
    suspects = value_flags().query("column == @NON_FOSSIL and flag == 'suspect'")
    assert len(suspects) > 0
    for flag in suspects.itertuples():
        code, year = int(flag.province_code), int(flag.year)
        assert panel.loc[(code, year), NON_FOSSIL] == panel.loc[(code, year), HYDRO]
        earlier = panel.loc[code]
        earlier = earlier[earlier.index < year]
        assert (earlier[NON_FOSSIL] > earlier[HYDRO]).any(), (
            f"{code} {year}: no earlier year above hydropower"
        )


def test_drop_suspect_blanks_only_the_flagged_non_fossil_cells():
    kept = provincial_panel([NON_FOSSIL])
    dropped = provincial_panel([NON_FOSSIL], drop_suspect=True)
    n_suspect = len(value_flags().query("column == @NON_FOSSIL and flag == 'suspect'"))
    assert (
        kept[NON_FOSSIL].notna().sum() - dropped[NON_FOSSIL].notna().sum() == n_suspect
    )
