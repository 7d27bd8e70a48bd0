"""The data appendix's tables come from the descriptor and the panels; the data layer
draws nothing.
"""

import pandas as pd
import pytest

from helpers.data import appendix as ap
from helpers.data import (
    national_series,
    package_descriptor,
    panel_catalogue,
    provincial_panel,
)


def test_coverage_matrix_known_answer():
    """2 provinces of 4 have x in 2020, 1 in 2021, none in 2022; y everywhere in 2020
    only.
    """
    panel = pd.DataFrame(
        {
            "province_code": [1, 2, 3, 4, 1, 2],
            "year": [2020, 2020, 2020, 2020, 2021, 2021],
            "x": [1.0, None, 3.0, None, 5.0, None],
            "y": [1.0, 1.0, 1.0, 1.0, None, None],
        }
    )
    matrix = ap.coverage_matrix(panel, ["x", "y"], range(2020, 2023), provinces=4)
    assert matrix.loc["x"].tolist() == [0.5, 0.25, 0.0]
    assert matrix.loc["y"].tolist() == [1.0, 0.0, 0.0]


def test_coverage_of_real_panel_is_a_share():
    catalogue = panel_catalogue()
    matrix = ap.coverage_matrix(
        provincial_panel(), list(catalogue["column"]), range(2005, 2025)
    )
    assert ((matrix >= 0) & (matrix <= 1)).all().all()
    assert (
        matrix.loc["urban_disposable_income_yuan", 2021] == 0
    )  # what does not exist shows as empty
    assert matrix.loc["rural_disposable_income_yuan", 2024] == 1


def test_sources_table_lists_every_table_resource_with_a_licence():
    descriptor = package_descriptor()
    table = ap.sources_table(descriptor)
    expected = {r["name"] for r in descriptor["resources"] if r["kind"] != "raw"}
    assert set(table["resource"]) == expected
    assert table["licence"].str.len().gt(0).all()


def test_raw_and_cited_and_missing_tables():
    descriptor = package_descriptor()
    assert len(ap.raw_files_table(descriptor)) == sum(
        r["kind"] == "raw" for r in descriptor["resources"]
    )
    cited = ap.not_redistributed_table(descriptor)
    assert cited["path"].str.contains("RubyDai").any()
    missing = ap.not_available_table(descriptor)
    assert missing["what"].str.contains("Urban per-capita disposable income").any()
    assert missing["what"].str.contains("Engel").any()


def test_data_layer_draws_nothing():
    """helpers.data computes tables only: no module in it imports matplotlib or the
    style module.
    """
    import ast
    from pathlib import Path

    import helpers.data

    for path in Path(helpers.data.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        ]
        names += [
            node.module or ""
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
        ]
        assert not [
            n for n in names if n.startswith(("matplotlib", "helpers.style", "seaborn"))
        ], path.name


def test_national_coverage_known_years():
    matrix, groups = ap.national_coverage(national_series(period=None))
    row = matrix.loc["rural_internet_penetration_rate"]
    assert [year for year, share in row.items() if share == 1] == [
        2007,
        2009,
        2020,
        2021,
        2023,
        2024,
    ]
    assert groups["rural_internet_penetration_rate"] == "current, annual"


def test_national_coverage_separates_bases():
    matrix, groups = ap.national_coverage(national_series(period=None))
    assert groups["urbanization_rate__pre_census_2020"] == "pre_census_2020"
    assert (
        matrix.loc["urbanization_rate", 2019] == 0
        and matrix.loc["urbanization_rate__pre_census_2020", 2019] == 1
    )


def test_derived_urban_income_known_answer():
    """resident 30, rural 10, s = 0.5 -> urban = (30 - 0.5 * 10) / 0.5 = 50."""
    assert ap.derived_urban_income(30.0, 10.0, 0.5) == pytest.approx(50.0)


def test_derivation_error_on_a_hand_example():
    panel = pd.DataFrame(
        {
            "province_code": [1],
            "year": [2017],
            "resident_disposable_income_yuan": [30.0],
            "urban_disposable_income_yuan": [55.0],
            "rural_disposable_income_yuan": [10.0],
            "urban_population_10k": [50.0],
            "rural_population_10k": [50.0],
        }
    )
    result = ap.urban_income_derivation_error(panel)
    assert result.loc[0, "derived_urban_income_yuan"] == pytest.approx(50.0)
    assert result.loc[0, "error_pct"] == pytest.approx(100 * (50 / 55 - 1))


def test_deriving_urban_income_from_all_resident_income_is_biased_low():
    """The trap the gathering notes measured: with population shares the derived urban
    income is too low.
    """
    columns = [
        "resident_disposable_income_yuan",
        "urban_disposable_income_yuan",
        "rural_disposable_income_yuan",
        "urban_population_10k",
        "rural_population_10k",
    ]
    errors = ap.urban_income_derivation_error(provincial_panel(columns))
    assert len(errors) == 155  # 31 provinces x 2016-2020
    assert errors["error_pct"].mean() < -3
    assert errors["error_pct"].min() < -10


def test_national_coverage_leaves_out_statement_dates():
    # '<col>__date' says when a value was stated; it is not a value, so it is not a
    # coverage row.
    matrix, _ = ap.national_coverage(national_series(period=None))
    assert not [c for c in matrix.index if c.endswith(ap.NATIONAL_ANNOTATIONS)]
    assert matrix.loc["admin_villages_5g_share", 2024] == 1


def test_breaks_table_shows_the_back_calculated_year():
    from helpers.data import series_breaks

    table = ap.breaks_table(series_breaks()).set_index("break_id")
    assert list(table.columns[:5]) == [
        "resource",
        "indicators",
        "last_year_before",
        "first_year_after",
        "first_year_backcast",
    ]
    survey = table.loc["income_survey_2013"]
    assert (
        survey["last_year_before"],
        survey["first_year_after"],
        survey["first_year_backcast"],
    ) == (2014, 2013, 2012)
    assert pd.isna(table.loc["farm_machinery_2016", "first_year_backcast"])
    with pytest.raises(KeyError, match="first_year_backcast"):
        ap.breaks_table(series_breaks().drop(columns="first_year_backcast"))


def test_dated_values_table_lists_statements_with_their_date():
    table = ap.dated_values_table(national_series(period=None, wide=False))
    assert table["reference_date"].notna().all()
    five_g = table[table["indicator"] == "admin_villages_5g_share"]
    assert list(five_g["reference_date"]) == ["2024-07-24"] and list(
        five_g["value_as_published"]
    ) == [">90"]
    assert list(table["reference_date"]) == sorted(table["reference_date"])
