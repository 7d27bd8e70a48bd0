"""helpers.data returns the documented, typed columns and never splices across a series
break.
"""

import math

import pandas as pd
import pytest

from helpers.data import (
    UnknownProvinceError,
    load,
    national_series,
    panel_catalogue,
    province_code,
    province_codes,
    provinces,
    provincial_panel,
    resource_info,
    series_breaks,
    value_conflicts,
    value_flags,
)
from helpers.data.descriptor import read_descriptor

DESCRIPTOR = read_descriptor()
TABULAR = [r for r in DESCRIPTOR["resources"] if "schema" in r]
PANDAS_TYPES = {"integer": "Int64", "number": "float64", "boolean": "boolean"}


@pytest.mark.parametrize("resource", TABULAR, ids=lambda r: r["name"])
def test_load_returns_the_documented_columns_and_types(resource):
    frame = load(resource["name"])
    fields = resource["schema"]["fields"]
    assert list(frame.columns) == [f["name"] for f in fields]
    for field in fields:
        if field["type"] in PANDAS_TYPES:
            assert str(frame[field["name"]].dtype) == PANDAS_TYPES[field["type"]], (
                field["name"]
            )
    assert len(frame) > 0


def test_load_unknown_resource_names_the_known_ones():
    with pytest.raises(KeyError, match="unknown data resource 'nope'.*provinces"):
        load("nope")


def test_raw_resources_are_not_loaded_as_tables():
    raw = next(r["name"] for r in DESCRIPTOR["resources"] if r["kind"] == "raw")
    with pytest.raises(ValueError, match="raw file"):
        load(raw)


def test_loaded_frames_are_copies():
    first = load("provinces")
    first.loc[0, "province_en"] = "changed"
    assert load("provinces").loc[0, "province_en"] == "Beijing"


# ---- provinces
# ---------------------------------------------------------------------------------


def test_provinces_reference_table():
    table = provinces()
    assert len(table) == 31 and table["province_code"].is_unique
    assert table["region"].value_counts().to_dict() == {
        "West": 12,
        "East": 10,
        "Central": 6,
        "Northeast": 3,
    }
    assert set(table.loc[table["is_municipality"], "province_en"]) == {
        "Beijing",
        "Tianjin",
        "Shanghai",
        "Chongqing",
    }
    assert (table["province_code"] % 10000 == 0).all()


@pytest.mark.parametrize(
    "name, code",
    [
        ("北京", 110000),
        ("北京市", 110000),
        ("Beijing", 110000),
        ("CN-BJ", 110000),
        ("110000", 110000),
        ("InnerMongolia", 150000),
        ("inner mongolia", 150000),
        ("内蒙古自治区", 150000),
        ("Shaanxi", 610000),
        ("Shanxi", 140000),
        ("陕西省", 610000),
        ("山西", 140000),
        ("Tibet", 540000),
        ("Xizang", 540000),
        ("黑龙江", 230000),
        (" 广西壮族自治区 ", 450000),
    ],
)
def test_province_names_map_to_codes(name, code):
    assert province_code(name) == code


@pytest.mark.parametrize("name", ["全国", "Atlantis", "陕", "Hong Kong", ""])
def test_unknown_province_name_raises(name):
    with pytest.raises(UnknownProvinceError, match="unknown province name"):
        province_code(name)


def test_unknown_name_in_a_list_names_its_position():
    with pytest.raises(UnknownProvinceError, match=r"'Atlantis' \(my table, row 2\)"):
        province_codes(["北京", "Atlantis"], source="my table")


def test_every_province_code_in_data_is_known():
    known = set(provinces()["province_code"])
    for resource in TABULAR:
        frame = load(resource["name"])
        if "province_code" in frame:
            assert set(frame["province_code"].dropna()) <= known, resource["name"]


# ---- provincial panel
# --------------------------------------------------------------------------


def test_provincial_panel_columns_and_keys():
    wanted = ["rural_disposable_income_yuan", "va_primary_100m_yuan", "co2_sectoral_mt"]
    panel = provincial_panel(wanted)
    assert (
        list(panel.columns)
        == ["province_code", "province_zh", "province_en", "region", "year"] + wanted
    )
    assert not panel.duplicated(["province_code", "year"]).any()
    assert panel[wanted].notna().any(axis=1).all()  # no row without a requested value
    assert (
        panel.loc[panel["province_en"] == "Tibet", "co2_sectoral_mt"].isna().all()
    )  # CEADs has no Tibet


def test_provincial_panel_all_columns_match_the_catalogue():
    panel = provincial_panel()
    assert list(panel.columns[5:]) == list(panel_catalogue()["column"])


def test_provincial_panel_unknown_column():
    with pytest.raises(KeyError, match="urban_consumption_by_province"):
        provincial_panel(["urban_consumption_by_province"])


def test_panel_values_equal_the_file_values():
    file = load("income_consumption").set_index(["province_code", "year"])
    panel = provincial_panel(["urban_disposable_income_yuan"]).set_index(
        ["province_code", "year"]
    )
    joined = panel.join(file["urban_disposable_income_yuan"].rename("from_file"))
    assert (joined["urban_disposable_income_yuan"] == joined["from_file"]).all()


def test_known_values():
    """Spot values read by hand from the sources (Beijing urban 2016 also in the XJBT
    yearbook: 57275).
    """
    panel = provincial_panel(
        [
            "urban_disposable_income_yuan",
            "rural_disposable_income_yuan",
            "agri_machinery_power_10k_kw_pre2016",
        ]
    ).set_index(["province_en", "year"])
    assert panel.loc[
        ("Beijing", 2016), "urban_disposable_income_yuan"
    ] == pytest.approx(57275, abs=0.5)
    assert panel.loc[("Fujian", 2013), "urban_disposable_income_yuan"] == pytest.approx(
        28173.90
    )
    assert panel.loc[("Beijing", 2024), "rural_disposable_income_yuan"] == 39856
    assert panel.loc[
        ("Henan", 2015), "agri_machinery_power_10k_kw_pre2016"
    ] == pytest.approx(11710.1)


def test_population_identity_holds():
    """urban + rural = resident population (NBS, same vintage) within 1 (10k persons) in
    every province-year.
    """
    panel = provincial_panel(
        ["resident_population_10k", "urban_population_10k", "rural_population_10k"]
    )
    both = panel.dropna()
    assert len(both) == 279
    gap = (
        both["urban_population_10k"]
        + both["rural_population_10k"]
        - both["resident_population_10k"]
    ).abs()
    assert gap.max() <= 1


def test_sector_value_added_adds_up_to_gdp_of_the_same_vintage():
    panel = provincial_panel(
        [
            "gdp_100m_yuan",
            "va_primary_100m_yuan",
            "va_secondary_100m_yuan",
            "va_tertiary_100m_yuan",
        ]
    ).dropna()
    residual = (
        panel[
            ["va_primary_100m_yuan", "va_secondary_100m_yuan", "va_tertiary_100m_yuan"]
        ].sum(axis=1)
        - panel["gdp_100m_yuan"]
    )
    assert len(panel) == 279 and residual.abs().max() <= 0.15


def test_urban_income_stops_in_2020_and_urban_consumption_is_not_a_panel_column():
    panel = provincial_panel(["urban_disposable_income_yuan"])
    assert panel["year"].min() == 2013 and panel["year"].max() == 2020
    assert "urban_consumption_yuan" not in set(panel_catalogue()["column"])


# ---- breaks: never spliced
# ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, first_new_year",
    [
        ("agri_machinery_power_10k_kw_pre2016", "agri_machinery_power_10k_kw", 2016),
        ("rural_electricity_100m_kwh_2016_2019", "rural_electricity_100m_kwh", 2020),
        ("urbanisation_rate_pct_pre2010", "urbanisation_rate_pct", 2010),
    ],
)
def test_provincial_break_segments_do_not_overlap(old, new, first_new_year):
    panel = provincial_panel([old, new])
    assert panel.loc[panel["year"] < first_new_year, new].isna().all()
    assert panel.loc[panel["year"] >= first_new_year, old].isna().all()
    assert panel[old].notna().any() and panel[new].notna().any()


def test_sectoral_and_apparent_co2_are_separate_columns_in_separate_resources():
    catalogue = panel_catalogue().set_index("column")
    assert (
        catalogue.loc["co2_sectoral_mt", "resource"]
        != catalogue.loc["co2_apparent_mt", "resource"]
    )
    assert catalogue.loc["co2_sectoral_mt", "basis"] == "sectoral"
    assert catalogue.loc["co2_apparent_mt", "basis"] == "apparent"


@pytest.mark.parametrize(
    "current, other, rule",
    [
        (
            "urbanization_rate",
            "urbanization_rate__pre_census_2020",
            lambda y: y >= 2021,
        ),
        ("urban_population", "urban_population__pre_census_2020", lambda y: y >= 2021),
        ("rural_netizens", "rural_netizens__pre_2021_rebase", lambda y: y >= 2021),
        (
            "per_capita_disposable_income_urban",
            "per_capita_disposable_income_urban__old_survey",
            lambda y: y >= 2014,
        ),
        (
            "urban_rural_income_ratio",
            "urban_rural_income_ratio__old_survey",
            lambda y: y != 2013,
        ),
    ],
)
def test_national_series_keep_bases_apart(current, other, rule):
    wide = national_series(period=None)
    assert all(rule(year) for year in wide.loc[wide[current].notna(), "year"]), current
    assert not any(rule(year) for year in wide.loc[wide[other].notna(), "year"]), other


def test_rural_net_income_is_never_called_disposable_income():
    long = national_series(wide=False, period=None)
    net = long[long["indicator"] == "per_capita_net_income_rural"]
    assert set(net["basis"]) == {"old_survey"} and set(net["year"]) == {2013, 2014}
    assert 2013 not in set(
        long.loc[long["indicator"] == "per_capita_disposable_income_rural", "year"]
    )


def test_census_value_is_its_own_period():
    wide = national_series(["urbanization_rate"], period=None).set_index("year")
    assert wide.loc[2020, "urbanization_rate__nov1"] == 63.89
    assert math.isnan(wide.loc[2020, "urbanization_rate"])


def test_every_break_names_real_resources_and_columns():
    columns = set(panel_catalogue()["column"])
    national = set(load("national_urban_rural")["indicator"])
    resources = {r["name"] for r in DESCRIPTOR["resources"]}
    for row in series_breaks().itertuples():
        for name in row.resource.split("; "):
            assert name in resources, (row.break_id, name)
        for indicator in row.indicators.split("; "):
            assert indicator.endswith("*") or indicator in columns | national, (
                row.break_id,
                indicator,
            )


# ---- bounds, flags, conflicts
# --------------------------------------------------------------------


def test_bounds_keep_their_qualifier():
    wide = national_series(
        ["admin_villages_5g_share", "admin_villages_with_broadband_share"]
    ).set_index("year")
    assert wide.loc[2024, "admin_villages_5g_share"] == 90
    assert wide.loc[2024, "admin_villages_5g_share__qualifier"] == ">"
    assert wide.loc[2015, "admin_villages_with_broadband_share__qualifier"] == "<"
    assert wide.loc[2021, "admin_villages_with_broadband_share__qualifier"] == "="


def test_values_match_their_published_text():
    long = load("national_urban_rural")
    for row in long.itertuples():
        text = row.value_as_published.lstrip("<>")
        factor = 10_000 if "万亿" in row.unit_as_published else 1
        assert row.value == pytest.approx(float(text) * factor), row


def test_suspect_2024_rural_penetration_is_kept_and_flagged():
    wide = national_series(["rural_internet_penetration_rate"]).set_index("year")
    assert wide.loc[2024, "rural_internet_penetration_rate"] == 65.6
    assert wide.loc[2024, "rural_internet_penetration_rate__flag"] == "suspect"
    flags = value_flags()
    assert (
        (flags["column"] == "rural_internet_penetration_rate") & (flags["year"] == 2024)
    ).any()


def test_conflicting_value_stays_on_record_with_the_one_used():
    conflicts = value_conflicts().set_index("conflict_id")
    engel = conflicts.loc["engel_rural_2023"]
    assert (engel["value_used"], engel["value_other"]) == (32.4, 32.35)
    series = national_series(["engel_coefficient_rural"]).set_index("year")
    assert series.loc[2023, "engel_coefficient_rural"] == engel["value_used"]


def test_national_conflicts_record_the_value_actually_used():
    long = load("national_urban_rural")
    current = long[long["period"] == "year"]
    for row in value_conflicts().itertuples():
        if row.resource != "national_urban_rural" or pd.isna(row.value_used):
            continue
        kept = current[
            (current["indicator"] == row.indicator) & (current["year"] == row.year)
        ]["value"]
        assert row.value_used in set(kept), row.conflict_id


def test_drop_suspect_blanks_only_on_request():
    kept = provincial_panel(["rural_electricity_100m_kwh"])
    blanked = provincial_panel(["rural_electricity_100m_kwh"], drop_suspect=True)
    assert kept.loc[kept["year"] == 2022, "rural_electricity_100m_kwh"].notna().all()
    assert (
        blanked.loc[blanked["year"] == 2022, "rural_electricity_100m_kwh"].isna().all()
    )
    beijing_2024 = (blanked["province_code"] == 110000) & (blanked["year"] == 2024)
    assert blanked.loc[beijing_2024, "rural_electricity_100m_kwh"].isna().all()
    untouched = blanked["year"].isin([2020, 2021, 2023]) & ~beijing_2024
    assert blanked.loc[untouched, "rural_electricity_100m_kwh"].notna().all()


# ---- resource_info
# --------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", TABULAR, ids=lambda r: r["name"])
def test_resource_info(resource):
    info = resource_info(resource["name"])
    assert info["title"] and info["licence"] and info["sources"]
    if resource["kind"] in ("figure", "national", "provincial_panel"):
        assert info["source_line"] and info["url"].startswith("http")


def test_figure1_source_line_is_bilingual():
    line = resource_info("digital_literacy_2021")["source_line"]
    assert "中国社会科学院信息化研究中心" in line and "Source:" in line


def test_independent_income_values_corroborate_the_panel():
    """Every yearbook or news value that overlaps the income panel agrees with it within
    1 yuan.
    """
    points = load("income_points")
    overlapping = points[points["status"] != "only_source"]
    assert (
        len(overlapping) >= 170
    )  # 86 urban (XJBT, Fujian, Qinghai), 90 all-resident, 1 rural
    assert (overlapping["status"] == "agrees_with_panel").all()
    assert overlapping["difference_from_panel"].abs().max() <= 1
