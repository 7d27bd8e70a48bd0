"""Energy and CO2: WangMeng0734 energy panel and the CEADs sectoral inventory
(OpenClimate copy).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from importers import curated
from importers.common import (
    NBS,
    OPENCLIMATE,
    PROVINCIAL,
    WANGMENG,
    Resource,
    amount,
    github_source,
    panel_resource,
    read_csv,
    source,
    with_codes,
)

# ---- energy, CO2
# ---------------------------------------------------------------------------------

ENERGY_COLUMNS = {  # source column -> (our column, title, unit)
    "Total energy consumption": (
        "energy_consumption_10k_tce",
        "Total energy consumption",
        "10,000 tce",
    ),
    "Total electricity generation": (
        "electricity_generation_100m_kwh",
        "Electricity generation",
        "100 million kWh",
    ),
    "Non fossil electricity generation": (
        "non_fossil_generation_100m_kwh",
        "Non-fossil electricity generation",
        "100 million kWh",
    ),
    "Hydropower generation from Long": (
        "hydropower_generation_100m_kwh",
        "Hydropower generation",
        "100 million kWh",
    ),
    "Raw coal production from Long": (
        "raw_coal_production_10k_t",
        "Raw coal production",
        "10,000 tonnes",
    ),
    "Natural gas production from Long": (
        "natural_gas_production_100m_m3",
        "Natural gas production",
        "100 million cubic metres",
    ),
    "SO2 emissions": (
        "so2_emissions_10k_t",
        "SO2 emissions (break in 2016)",
        "10,000 tonnes",
    ),
    "Total apparent CO2 emissions (mt)": (
        "co2_apparent_mt",
        "CO2 emissions, CEADs APPARENT (reference-approach) inventory",
        "million tonnes CO2",
    ),
}


def energy_resource(src: Path) -> Resource:
    """Energy consumption, generation, SO2 and CEADs apparent CO2, 1990-2025 (GDP and
    population omitted).
    """
    raw = read_csv(src / PROVINCIAL / "energy_panel_wangmeng" / "raw_data.csv")
    raw = with_codes(raw, "Province", "energy raw_data.csv")
    frame = raw[["province_code"]].assign(year=raw["Year"])
    for column, (ours, _title, _unit) in ENERGY_COLUMNS.items():
        frame[ours] = raw[column]
    value_fields = [
        amount(ours, title, unit, basis="apparent" if ours == "co2_apparent_mt" else "")
        for ours, title, unit in ENERGY_COLUMNS.values()
    ]
    return panel_resource(
        "energy",
        "Energy consumption, electricity, SO2 and CEADs apparent CO2 by province",
        (
            "From the pre-imputation panel (raw_data.csv) of GitHub "
            "WangMeng0734/china-provincial-energy-consumption-panel: China Energy "
            "Statistical Yearbook, China Statistical Yearbook on Environment and the "
            "CEADs apparent CO2 inventory. Only these columns are imported: the "
            "panel's GDP (wrong for several provinces in 2021-2022) and population "
            "(registered/resident switch in 2015) are NOT imported; use nbs_macro and "
            "population. Energy consumption is missing for Tibet (all years but 2017) "
            "and some 2020-2022 province-years. co2_apparent_mt is the APPARENT "
            "inventory: never mix it with co2_sectoral_mt. SO2 has a method break in "
            "2016."
        ),
        frame,
        value_fields,
        [
            github_source(
                "raw_data.csv (pre-imputation panel)",
                *WANGMENG,
                "energy-consumption-forecasting-china/02_Data/csv/raw_data.csv",
                "Li, Li, Zhao, Wang, Wu, Wang (manuscript under review), compiled "
                "from yearbooks and CEADs",
                year=2026,
            ),
            source(
                "中国能源统计年鉴 (China Energy Statistical Yearbook)",
                NBS,
                "https://www.stats.gov.cn/sj/ndsj/",
            ),
            source(
                "CEADs provincial apparent CO2 inventory",
                "CEADs (Carbon Emission Accounts & Datasets)",
                "https://www.ceads.net/",
            ),
        ],
        [
            {
                "name": "not-stated",
                "title": "Not stated (yearbook statistics and CEADs data, compiled)",
                "redistribution": (
                    "The compilation states no licence; its README says the yearbooks "
                    "and CEADs data remain subject to their providers' terms. We "
                    "redistribute only yearbook values and the CEADs apparent "
                    "inventory (free to use with citation of CEADs), attributed; the "
                    "compiled file itself is not copied."
                ),
            }
        ],
        "Source: China Energy Statistical Yearbook; CEADs apparent inventory "
        "(data/energy.csv)",
        1990,
        2025,
    )


CEADS_CITATION = (
    "Guan et al. 2021 Earth's Future 9:e2021EF002241; Shan et al. 2020 Sci Data 7:54; "
    "Shan et al. 2018 Sci Data 5:170201; Shan et al. 2016 Applied Energy 184:742-750"
)


def ceads_resource(src: Path) -> Resource:
    """CEADs sectoral-approach provincial CO2 totals, 1997-2019, 30 provinces (no
    Tibet).
    """
    folder = src / PROVINCIAL / "ceads_provincial_co2_openclimate"
    raw = with_codes(
        read_csv(folder / "ceads_total_co2_mt_from_raw_xlsx.csv"),
        "province_en",
        "ceads extract",
    )
    frame = raw[["province_code", "year"]].assign(
        co2_sectoral_mt=raw["co2_scope1_total_mt"]
    )
    check_ceads_against_openclimate(
        frame, read_csv(folder / "EmissionsAgg_openclimate_tCO2.csv")
    )
    resource = panel_resource(
        "co2_ceads_sectoral",
        "CO2 emissions by province, CEADs sectoral (IPCC) inventory, 1997-2019",
        (
            "Scope-1 total CO2 (47 sectors x 17 fuels plus process emissions) from the "
            "CEADs provincial inventories by the IPCC sectoral approach, read from "
            "each province sheet of the 23 yearly workbooks (cell 'Scope 1 Total' x "
            "'Total Consumption'), as redistributed by OpenClimate. Agrees with "
            "OpenClimate's own totals (raw file kept) to rounding. 30 provinces: Tibet "
            "is not covered. 2020 onward are not in this copy. This is the SECTORAL "
            "inventory: never mix with co2_apparent_mt in energy."
        ),
        frame,
        [
            amount(
                "co2_sectoral_mt",
                "CO2 emissions, CEADs sectoral inventory (scope 1 total)",
                "million tonnes CO2",
                basis="sectoral",
            )
        ],
        [
            source(
                "Provincial CO2 emission inventory (by IPCC Sectoral Approach)",
                "CEADs",
                "https://ceads.net/data/province/by_sectoral_accounting/Provincial/",
                year="1997-2019",
                citation=CEADS_CITATION,
            ),
            github_source(
                "CEADS_china_provinces raw workbooks and EmissionsAgg.csv",
                *OPENCLIMATE,
                "harmonize/data/raw/CEADS_china_provinces/",
                "Open Earth Foundation (OpenClimate)",
                year=2023,
            ),
        ],
        [
            {
                "name": "CEADs-terms",
                "title": "CEADs: freely available, cite CEADs and the papers",
                "path": "https://ceads.net/",
                "redistribution": (
                    "Freely available to the public; users must cite "
                    f"CEADs and {CEADS_CITATION}. OpenClimate's compilation "
                    "is Apache-2.0."
                ),
            }
        ],
        "Source: CEADs provincial CO2 inventories, sectoral approach "
        "(data/co2_ceads_sectoral.csv)",
        1997,
        2019,
    )
    return resource


def check_ceads_against_openclimate(
    frame: pd.DataFrame, openclimate: pd.DataFrame
) -> None:
    """Stop if the extracted Mt totals differ from OpenClimate's tonnes by more than
    0.01 Mt.
    """
    table = curated.provinces()
    iso = dict(zip(table["iso_3166_2"], table["province_code"]))
    other = openclimate.assign(
        province_code=openclimate["actor_id"].map(iso),
        other_mt=openclimate["total_emissions"] / 1e6,
    )
    merged = frame.merge(
        other[["province_code", "year", "other_mt"]], on=["province_code", "year"]
    )
    worst = (merged["co2_sectoral_mt"] - merged["other_mt"]).abs().max()
    if len(merged) < 600 or worst > 0.01:
        raise ValueError(
            f"CEADs extract vs OpenClimate: {len(merged)} matches, max |diff| {worst} "
            "Mt"
        )
