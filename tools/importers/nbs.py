"""NBS 分省年度数据 panels: GDP, urbanisation, employment (RenJiyi163); VA by sector and
rural electricity (Rain-118).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from importers.common import (
    LICENCE_OFFICIAL_NONE,
    NBS,
    NBS_FSND,
    PROVINCIAL,
    RAIN118,
    RENJIYI,
    Resource,
    amount,
    github_source,
    licence_mit,
    panel_resource,
    read_csv,
    share,
    source,
    wide_from_long,
    with_codes,
)

# ---- NBS macro panel (fsnd, renjiyi)
# -------------------------------------------------------------

FSND_FILE = Path(PROVINCIAL) / "nbs_fsnd_renjiyi" / "nbs_panel_integrated_2005_2024.csv"


def nbs_macro_resource(src: Path) -> Resource:
    """GDP (two vintages), urbanisation, employment, trade, tax and investment from NBS
    exports.
    """
    raw = with_codes(
        read_csv(src / FSND_FILE), "地区", "nbs_panel_integrated_2005_2024.csv"
    )
    raw = raw.rename(columns={"年份": "year"})
    frame = pd.DataFrame({"province_code": raw["province_code"], "year": raw["year"]})
    frame["gdp_100m_yuan"] = raw["GDP_亿元"]
    frame["gdp_first_published_100m_yuan"] = raw["GDP_当年价_亿元"]
    frame["gdp_index_prev_year_100"] = raw["GDP指数_上年=100"]
    frame["secondary_share_first_published_pct"] = raw["第二产业比重_%"]
    before_census = raw["year"] < 2010
    frame["urbanisation_rate_pct_pre2010"] = raw["城镇化率_%"].where(before_census)
    frame["urbanisation_rate_pct"] = raw["城镇化率_%"].where(~before_census)
    frame["employed_persons_10k"] = raw["就业人员数_万人"]
    frame["urban_unit_employment_10k"] = raw["城镇单位就业人员_万人"]
    frame["private_self_employed_10k"] = raw["私营个体就业人员_万人"]
    frame["fixed_asset_investment_100m_yuan"] = raw["固定资产投资总额_亿元"]
    frame["trade_total_100m_yuan"] = raw["进出口总额_亿元人民币"]
    frame["trade_total_10k_usd"] = raw["进出口总额_万美元"]
    frame["tax_revenue_100m_yuan"] = raw["税收收入_亿元"]
    frame["invention_patent_applications_nbs"] = raw["发明专利申请数_件"]
    value_fields = [
        amount(
            "gdp_100m_yuan",
            "Regional GDP, latest revised vintage",
            "100 million yuan (current prices)",
            "地区生产总值, NBS series revised after the 5th economic census "
            "(2006-2024); same values as gdp_structure and sci_tech_nbs.",
            basis="revised_5th_economic_census",
        ),
        amount(
            "gdp_first_published_100m_yuan",
            "Regional GDP as first published",
            "100 million yuan (current prices)",
            "地区生产总值(当年价) as printed in the yearbooks (2005-2024).",
            basis="first_published",
        ),
        amount(
            "gdp_index_prev_year_100",
            "Real GDP index",
            "previous year = 100",
            "地区生产总值指数; Beijing missing 2015-2023 in the export.",
        ),
        share(
            "secondary_share_first_published_pct",
            "Secondary industry share of GDP (first-published vintage)",
            "第二产业比重; old vintage: do not combine with gdp_structure VAs "
            "(differs by up to 11 pp).",
            basis="first_published",
        ),
        share(
            "urbanisation_rate_pct_pre2010",
            "Urbanisation rate before the 2010 census",
            "城镇化率 2005-2009, before the 6th-census level shift; not comparable "
            "with 2010+.",
            basis="pre_census_2010",
        ),
        share(
            "urbanisation_rate_pct",
            "Urbanisation rate (urban share of resident population)",
            "城镇化率 2010-2024 (NBS); 2016-2024 match the census-revised population "
            "within 0.14 pp.",
            basis="current",
        ),
        amount(
            "employed_persons_10k",
            "Employed persons",
            "10,000 persons",
            "就业人员数: only 2005-2010 and 2020-2024 (NBS changed the series).",
        ),
        amount(
            "urban_unit_employment_10k",
            "Employment in urban units",
            "10,000 persons",
            "城镇单位就业人员, 2008-2024.",
        ),
        amount(
            "private_self_employed_10k",
            "Private and self-employed persons",
            "10,000 persons",
            "私营企业和个体就业人员, to 2019.",
        ),
        amount(
            "fixed_asset_investment_100m_yuan",
            "Fixed-asset investment",
            "100 million yuan",
            "to 2017.",
        ),
        amount(
            "trade_total_100m_yuan",
            "Imports plus exports",
            "100 million yuan",
            "进出口总额, 2016-2024 in yuan.",
        ),
        amount(
            "trade_total_10k_usd",
            "Imports plus exports",
            "10,000 US dollars",
            "进出口总额, 2005-2014 in dollars.",
        ),
        amount("tax_revenue_100m_yuan", "Tax revenue", "100 million yuan", "税收收入."),
        amount(
            "invention_patent_applications_nbs",
            "Invention patent applications (NBS export)",
            "applications",
            "发明专利申请数 as in the NBS export; see sci_tech for the S&T Yearbook "
            "series.",
        ),
    ]
    return panel_resource(
        "nbs_macro",
        "GDP, urbanisation, employment, trade and tax by province (NBS 分省年度数据)",
        (
            "Provincial panel from NBS 分省年度数据 exports compiled in GitHub "
            "RenJiyi163/panel_data_analysis_for_thesis (MIT). Two GDP vintages are "
            "separate columns. The urbanisation rate is split at the 2010 census. The "
            "export's sample-survey population counts (人口数_抽样调查) are not "
            "population and are not imported; resident population is in resource "
            "population."
        ),
        frame,
        value_fields,
        [
            github_source(
                "分省年度数据_整合.csv (NBS exports, integrated)",
                *RENJIYI,
                "分省年度数据_整合.csv",
                "RenJiyi163, compiled from NBS",
                year=2026,
            ),
            source("分省年度数据 (provincial annual data)", NBS, NBS_FSND),
        ],
        [licence_mit("Copyright (c) 2026 RenJiyi163")],
        "Source: NBS 分省年度数据 (data/nbs_macro.csv)",
        2005,
        2024,
    )


# ---- GDP structure and rural electricity (Rain-118)
# ----------------------------------------------

RAIN_FILE = (
    Path(PROVINCIAL)
    / "nbs_rural_electricity_gdp_structure_rain118"
    / "rural_electricity_gdp_structure_long_2016_2025.csv"
)
VA_COLUMNS = {
    "va_primary": (
        "va_primary_100m_yuan",
        "Primary industry value added (第一产业增加值)",
    ),
    "va_secondary": (
        "va_secondary_100m_yuan",
        "Secondary industry value added (第二产业增加值)",
    ),
    "va_tertiary": (
        "va_tertiary_100m_yuan",
        "Tertiary industry value added (第三产业增加值)",
    ),
    "va_agri_forestry_animal_fishery": (
        "va_agriculture_100m_yuan",
        "Agriculture, forestry, animal husbandry and fishery (农林牧渔业, incl. "
        "services)",
    ),
    "va_industry": ("va_industry_100m_yuan", "Industry (工业)"),
    "va_construction": ("va_construction_100m_yuan", "Construction (建筑业)"),
    "va_wholesale_retail": (
        "va_wholesale_retail_100m_yuan",
        "Wholesale and retail (批发和零售业)",
    ),
    "va_transport_storage_post": (
        "va_transport_100m_yuan",
        "Transport, storage and post (交通运输仓储和邮政业)",
    ),
    "va_accommodation_catering": (
        "va_accommodation_catering_100m_yuan",
        "Accommodation and catering (住宿和餐饮业)",
    ),
    "va_finance": ("va_finance_100m_yuan", "Finance (金融业)"),
    "va_real_estate": ("va_real_estate_100m_yuan", "Real estate (房地产业)"),
    "va_other_services": ("va_other_services_100m_yuan", "Other services (其他行业)"),
}


def rain_long(src: Path) -> pd.DataFrame:
    """The Rain-118 long file with province codes."""
    return with_codes(read_csv(src / RAIN_FILE), "province_zh", RAIN_FILE.name)


def gdp_structure_resource(src: Path) -> Resource:
    """Value added by sector and GDP per capita, 2016-2024 (revised vintage)."""
    raw = rain_long(src)
    raw = raw[
        raw["year"] <= 2024
    ]  # 2025 GDP per capita has no GDP behind it (status unverified)
    mapping = {k: v[0] for k, v in VA_COLUMNS.items()} | {
        "gdp_per_capita": "gdp_per_capita_yuan"
    }
    wide = wide_from_long(raw, mapping, RAIN_FILE.name)
    value_fields = [
        amount(
            column,
            title,
            "100 million yuan (current prices)",
            basis="revised_5th_economic_census",
        )
        for column, title in VA_COLUMNS.values()
    ]
    value_fields.append(
        amount(
            "gdp_per_capita_yuan",
            "GDP per capita (人均地区生产总值)",
            "yuan per person",
            basis="revised_5th_economic_census",
        )
    )
    return panel_resource(
        "gdp_structure",
        "Value added by sector and GDP per capita by province, 2016-2024",
        (
            "Primary, secondary and tertiary value added, ten industry VAs and GDP per "
            "capita from NBS 分省年度数据 exports (GitHub Rain-118), the vintage "
            "revised after the 5th economic census. GDP of the same vintage is "
            "gdp_100m_yuan in nbs_macro (identical in all 279 province-years); "
            "VA1+VA2+VA3 = GDP within 0.1. Primary VA for 2013-2015 is not available. "
            "The 2025 GDP-per-capita values in the export are not imported (no GDP "
            "behind them)."
        ),
        wide,
        value_fields,
        [
            github_source(
                "NBS 分省年度数据 exports 地区生产总值和增加值, one file per province",
                *RAIN118,
                "分省数据/数据/第一产业增加值GDP比重/北京市.csv",
                NBS,
                year=2026,
            )
        ],
        [LICENCE_OFFICIAL_NONE],
        "Source: NBS 分省年度数据 (data/gdp_structure.csv)",
        2016,
        2024,
    )


def rural_electricity_resource(src: Path) -> Resource:
    """Rural electricity consumption split at the 2019/2020 definition break (flags:
    sources/curated/value_flags.csv).
    """
    raw = rain_long(src)
    raw = raw[raw["indicator"] == "rural_electricity_consumption"]
    frame = raw[["province_code", "year"]].copy()
    frame["rural_electricity_100m_kwh_2016_2019"] = raw["value"].where(
        raw["year"] <= 2019
    )
    frame["rural_electricity_100m_kwh"] = raw["value"].where(raw["year"] >= 2020)
    value_fields = [
        amount(
            "rural_electricity_100m_kwh_2016_2019",
            "Rural electricity consumption, 2016-2019 definition",
            "100 million kWh",
            "农村用电量 before the 2020 coverage change.",
            basis="pre_2020",
        ),
        amount(
            "rural_electricity_100m_kwh",
            "Rural electricity consumption, 2020- definition",
            "100 million kWh",
            "农村用电量 from 2020; 2022 suspect (provinces sum to 14.8% below the "
            "national total).",
            basis="current",
        ),
    ]
    resource = panel_resource(
        "rural_electricity",
        "Rural electricity consumption by province, 2016-2024 (break 2019/2020)",
        (
            "农村用电量 from NBS exports (GitHub Rain-118). The coverage changed "
            "between 2019 and 2020 (national 9,482.87 -> 6,210.98; Shanghai 1,102.04 "
            "-> 10.18 while Hunan 132.98 -> 309.88), so the two segments are separate "
            "columns. 2013-2015 are not available."
        ),
        frame,
        value_fields,
        [
            github_source(
                "NBS 分省年度数据 export 农村用电量(亿千瓦小时)",
                *RAIN118,
                "分省数据/数据/农村用电量/农村用电量 (亿千瓦小时).csv",
                NBS,
                year=2026,
            )
        ],
        [LICENCE_OFFICIAL_NONE],
        "Source: NBS 分省年度数据 (data/rural_electricity.csv)",
        2016,
        2024,
    )
    return resource
