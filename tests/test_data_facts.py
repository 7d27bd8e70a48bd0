"""One place for each fact: helpers.data.facts reads regions, municipalities, source
lines and suspect values from data/.
"""

import pandas as pd
import pytest

from helpers import nqpf
from helpers.data import (
    latest_full_year,
    municipality_codes,
    region_label,
    region_names,
    resources_for,
    source_line,
    suspect_values,
)


def test_regions_and_municipalities_come_from_provinces_csv():
    assert region_names() == {
        "East": "东部",
        "Central": "中部",
        "West": "西部",
        "Northeast": "东北",
    }
    assert region_label("West") == "西部 West"
    assert municipality_codes() == [110000, 120000, 310000, 500000]


def test_source_line_joins_descriptor_lines_once():
    one = source_line(["population"])
    assert one == "Source: NBS 分省年度数据 (data/population.csv)"
    two = source_line(["population", "population", "energy"], note="Index: this book.")
    assert two.startswith("Sources: NBS 分省年度数据 (data/population.csv); ")
    assert two.count("population.csv") == 1 and two.endswith(". Index: this book.")
    with pytest.raises(ValueError):
        source_line([])


def test_resources_for_names_holding_resources_in_order():
    assert resources_for(
        ["energy_consumption_10k_tce", "gdp_100m_yuan", "gdp_index_prev_year_100"]
    ) == ["energy", "nbs_macro"]
    with pytest.raises(KeyError, match="no_such_column"):
        resources_for(["no_such_column"])


def test_latest_full_year_worked_by_hand():
    # 2020: 3 provinces, 2021: 3, 2022: 2 -> the latest year with the best coverage is
    # 2021.
    frame = pd.DataFrame(
        {
            "province_code": [1, 2, 3, 1, 2, 3, 1, 2],
            "year": [2020] * 3 + [2021] * 3 + [2022] * 2,
            "x": [1.0] * 8,
        }
    )
    assert latest_full_year(frame, "x") == 2021
    frame.loc[(frame["year"] == 2021) & (frame["province_code"] == 2), "x"] = float(
        "nan"
    )
    assert latest_full_year(frame, "x") == 2020


def test_nqpf_exclusions_are_the_suspect_flags():
    flagged = suspect_values(["energy_consumption_10k_tce"])
    assert list(zip(flagged["province_code"], flagged["year"])) == [(640000, 2020)]
    excluded = nqpf.excluded_values()
    assert [(e.province_code, e.year, e.column) for e in excluded] == [
        (640000, 2020, "energy_consumption_10k_tce")
    ]
    assert excluded[0].reason == flagged["reason"].iloc[0]
    assert not hasattr(nqpf, "EXCLUDED_VALUES")


def test_alias_map_refuses_a_name_given_to_two_provinces():
    from helpers.data import provinces
    from helpers.data.provinces import alias_map

    table = provinces().copy()
    assert (
        alias_map(table)["shanxi"] == 140000 and alias_map(table)["shaanxi"] == 610000
    )
    table.loc[table["province_code"] == 610000, "province_en"] = "Shanxi"
    with pytest.raises(ValueError, match="'Shanxi' .* both 140000 and 610000"):
        alias_map(table)
