"""S&T, agricultural inputs and budget (techme yearbook tables) and the NBS S&T panel
(tec_expenditure).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from importers.common import (
    LICENCE_OFFICIAL_NONE,
    NBS,
    NBS_FSND,
    PROVINCIAL,
    TECEXP,
    TECHME,
    Resource,
    amount,
    drop_national,
    github_source,
    licence_mit,
    panel_resource,
    read_csv,
    share,
    source,
    wide_from_long,
    with_codes,
)

# ---- S&T, agriculture inputs and budget (techme: China S&T / Rural / Statistical
# Yearbooks) ------

TECHME_DIR = Path(PROVINCIAL) / "techme_yearbook_sci_tech_rural" / "clean_long"
# (dataset, variable code) -> (column, title, unit, {unit in source: factor to our
# unit})
TECHME_SCI = {
    ("RDActivity", "v4_zh_nbzc_hj"): (
        "rd_internal_exp_10k_yuan",
        "R&D internal expenditure (R&D经费内部支出)",
        "10,000 yuan",
        {"万元": 1},
    ),
    ("RDActivity", "v4_zh_nbzc_jcyj"): (
        "rd_basic_research_10k_yuan",
        "R&D expenditure on basic research",
        "10,000 yuan",
        {"万元": 1},
    ),
    ("RDIntense", "v4_ztr_jf_RD"): (
        "rd_exp_100m_yuan",
        "R&D expenditure (R&D经费)",
        "100 million yuan",
        {"亿元": 1},
    ),
    ("RDIntense", "v4_ztr_qd_RD"): (
        "rd_intensity_pct",
        "R&D intensity (R&D expenditure / GDP, as published)",
        "percent of GDP",
        {"%": 1},
    ),
    ("RDLaborHour", "v4_zh_qsdl_hj"): (
        "rd_fte_person_years",
        "R&D personnel, full-time equivalent",
        "person-years",
        {"人年": 1},
    ),
    ("RDLaborHour", "v4_zh_qsdl_yjry"): (
        "rd_researchers_fte_person_years",
        "R&D researchers, full-time equivalent",
        "person-years",
        {"人年": 1},
    ),
    ("RDSource", "v4_zh_nbzc_zfzj"): (
        "rd_exp_government_funds_10k_yuan",
        "R&D expenditure funded by government",
        "10,000 yuan",
        {"万元": 1},
    ),
    ("RDSource", "v4_zh_nbzc_qyzj"): (
        "rd_exp_enterprise_funds_10k_yuan",
        "R&D expenditure funded by enterprises",
        "10,000 yuan",
        {"万元": 1},
    ),
    ("RDPatentAccept", "v4_cg_zlsq_hj"): (
        "patent_applications",
        "Patent applications (all types)",
        "applications",
        {"件": 1},
    ),
    ("RDPatentAccept", "v4_cg_zlsq_fm"): (
        "invention_patent_applications",
        "Invention patent applications",
        "applications",
        {"件": 1},
    ),
    ("RDPatentAuthority", "v4_cg_zlsq2_hj"): (
        "patent_grants",
        "Patents granted (all types)",
        "patents",
        {"件": 1},
    ),
    ("RDPatentAuthority", "v4_cg_zlsq2_fm"): (
        "invention_patent_grants",
        "Invention patents granted",
        "patents",
        {"件": 1},
    ),
    ("RDPatentValid", "v4_cg_zlsyx_hj"): (
        "valid_patents",
        "Valid patents (all types)",
        "patents",
        {"件": 1},
    ),
    ("RDPatentValid", "v4_cg_zlsyx_fm"): (
        "valid_invention_patents",
        "Valid invention patents",
        "patents",
        {"件": 1},
    ),
    ("MarketPush", "v4_cg_jssc_je"): (
        "tech_market_outflow_10k_yuan",
        "Technology contracts sold (输出技术), value = NBS 技术市场成交额",
        "10,000 yuan",
        {"万元": 1},
    ),
    ("MarketPull", "v4_cg_jssr_je"): (
        "tech_market_inflow_10k_yuan",
        "Technology contracts bought (吸纳技术), value",
        "10,000 yuan",
        {"万元": 1},
    ),
    ("IndustryOperation", "v4_cy_scjy_zyyw"): (
        "hightech_revenue_100m_yuan",
        "High-tech industry main business revenue",
        "100 million yuan",
        {"亿元": 1},
    ),
    ("IndustryOperation", "v4_cy_scjy_qys"): (
        "hightech_firms",
        "High-tech industry enterprises",
        "enterprises",
        {"个": 1},
    ),
}
TECHME_AGRI = {
    ("AgriMachine", "v7_sctj_nyjx_zdl"): (
        "agri_machinery_power_10k_kw",
        "Total power of agricultural machinery (农业机械总动力)",
        "10,000 kW",
        {"万千瓦": 1},
    ),
    ("AgriFertilizer", "v7_sctj_nyhf_hj"): (
        "fertilizer_use_10k_t",
        "Chemical fertiliser use (化肥施用量, pure nutrient)",
        "10,000 tonnes",
        {"万吨": 1},
    ),
    ("AgriPesticide", "v7_sctj_cyny_nysy"): (
        "pesticide_use_10k_t",
        "Pesticide use (农药使用量)",
        "10,000 tonnes",
        {"万吨": 1, "吨": 1e-4},
    ),
    ("AgriPesticide", "v7_sctj_cyny_cysy"): (
        "agri_diesel_use_10k_t",
        "Agricultural diesel use (农用柴油使用量)",
        "10,000 tonnes",
        {"万吨": 1},
    ),
    ("AgriPlastic", "v7_sctj_nybm_bmsy"): (
        "agri_film_use_10k_t",
        "Agricultural plastic film use (农用薄膜使用量)",
        "10,000 tonnes",
        {"万吨": 1, "吨": 1e-4},
    ),
    ("AgriMachine", "v7_sctj_nyjx_jgmj"): (
        "machine_ploughed_area_1000_ha",
        "Machine-ploughed area (机耕面积)",
        "1,000 hectares",
        {"千公顷": 1},
    ),
}
TECHME_BUDGET = {
    ("PublicBudget", "v6_cz_yszc_hj"): (
        "budget_exp_total_100m_yuan",
        "General public budget expenditure (total)",
        "100 million yuan",
        {"亿元": 1},
    ),
    ("PublicBudget", "v6_cz_yszc_jy"): (
        "budget_exp_education_100m_yuan",
        "Budget expenditure: education",
        "100 million yuan",
        {"亿元": 1},
    ),
    ("PublicBudget", "v6_cz_yszc_kxjs"): (
        "budget_exp_sci_tech_100m_yuan",
        "Budget expenditure: science and technology",
        "100 million yuan",
        {"亿元": 1},
    ),
    ("PublicBudget", "v6_cz_yszc_nls"): (
        "budget_exp_agri_forestry_water_100m_yuan",
        "Budget expenditure: agriculture, forestry and water",
        "100 million yuan",
        {"亿元": 1},
    ),
}


def techme_wide(src: Path, spec: dict) -> pd.DataFrame:
    """Wide province-year frame from techme clean_long files, converting units as listed
    in `spec`.
    """
    parts = []
    for dataset in sorted({d for d, _ in spec}):
        raw = read_csv(src / TECHME_DIR / f"{dataset}.csv")
        raw = drop_national(raw, "province")
        for (name, code), (column, _title, _unit, factors) in spec.items():
            if name != dataset:
                continue
            rows = raw[raw["variables"] == code]
            unknown = set(rows["units"]) - set(factors)
            if unknown:
                raise ValueError(f"{dataset}.csv {code}: unexpected unit(s) {unknown}")
            rows = with_codes(rows, "province", f"{dataset}.csv")
            parts.append(
                rows.assign(
                    column=column, value=rows["value"] * rows["units"].map(factors)
                )
            )
    long = pd.concat(parts, ignore_index=True)
    return wide_from_long(
        long, {c: c for c in long["column"].unique()}, "techme", indicator="column"
    )


TECHME_SOURCES = [
    github_source(
        "techme: China S&T, Rural and Statistical Yearbook tables digitised as an R "
        "data package",
        *TECHME,
        "data/",
        "Hu Huaping (Northwest A&F University)",
        year=2026,
    ),
]


def sci_tech_resource(src: Path) -> Resource:
    """R&D, patents, technology market and high-tech industry by province, 2010-2023."""
    wide = techme_wide(src, TECHME_SCI)
    value_fields = [
        amount(c, t, u) if c != "rd_intensity_pct" else share(c, t)
        for (c, t, u, _f) in TECHME_SCI.values()
    ]
    for spec in value_fields:
        if spec["name"] == "rd_intensity_pct":
            spec["unit"] = "percent of GDP"
    return panel_resource(
        "sci_tech",
        "R&D, patents, technology market and high-tech industry by province (S&T "
        "Yearbook)",
        (
            "Provincial science and technology indicators from the China Statistical "
            "Yearbook on Science and Technology (中国科技统计年鉴), digitised in the "
            "MIT-licensed R package techme (province names cleaned of OCR errors; "
            "values unchanged). 'year' is the data year. Technology-market values "
            "exist for 2000, 2005, 2010 and 2012-2023 (none for 2011); high-tech "
            "industry is missing for 2017. For 2024, see sci_tech_nbs."
        ),
        wide,
        value_fields,
        TECHME_SOURCES
        + [
            source(
                "中国科技统计年鉴 (China Statistical Yearbook on Science and "
                "Technology)",
                NBS,
                "https://www.stats.gov.cn/sj/ndsj/",
                year="2011-2024",
            )
        ],
        [licence_mit("Copyright (c) 2021 Hu Huaping")],
        "Source: China S&T Statistical Yearbook via techme (data/sci_tech.csv)",
        2000,
        2023,
    )


def agri_inputs_resource(src: Path) -> Resource:
    """Farm machinery (split at 2016), fertiliser, pesticide, film and diesel use,
    2010-2023.
    """
    wide = techme_wide(src, TECHME_AGRI)
    power = wide["agri_machinery_power_10k_kw"]
    wide["agri_machinery_power_10k_kw_pre2016"] = power.where(wide["year"] < 2016)
    wide["agri_machinery_power_10k_kw"] = power.where(wide["year"] >= 2016)
    value_fields = []
    for column, title, unit, _factors in TECHME_AGRI.values():
        if column == "agri_machinery_power_10k_kw":
            value_fields.append(
                amount(
                    "agri_machinery_power_10k_kw_pre2016",
                    title + ", before the 2016 re-basing",
                    unit,
                    "2010-2015; not comparable with 2016+.",
                    basis="pre_2016",
                )
            )
            value_fields.append(
                amount(
                    column,
                    title + ", 2016 basis",
                    unit,
                    "2016-2023, after the re-basing "
                    "that followed the 3rd agricultural census.",
                    basis="current",
                )
            )
        else:
            value_fields.append(amount(column, title, unit))
    return panel_resource(
        "agri_inputs",
        "Farm machinery and agricultural inputs by province (China Rural Statistical "
        "Yearbook)",
        (
            "Total power of agricultural machinery (split at the 2016 re-basing), "
            "machine-ploughed area, chemical fertiliser, pesticide, plastic film and "
            "agricultural diesel use, from the China Rural Statistical Yearbook via "
            "techme. Pesticide and film use are published in tonnes up to 2021 and in "
            "10,000 tonnes from 2022; all are converted to 10,000 tonnes. Diesel use "
            "exists only from 2019."
        ),
        wide,
        value_fields,
        TECHME_SOURCES
        + [
            source(
                "中国农村统计年鉴 (China Rural Statistical Yearbook)",
                NBS,
                "https://www.stats.gov.cn/sj/ndsj/",
                year="2011-2024",
            )
        ],
        [licence_mit("Copyright (c) 2021 Hu Huaping")],
        "Source: China Rural Statistical Yearbook via techme (data/agri_inputs.csv)",
        2010,
        2023,
    )


def public_budget_resource(src: Path) -> Resource:
    """General public budget expenditure by function, 2010-2023."""
    wide = techme_wide(src, TECHME_BUDGET)
    value_fields = [amount(c, t, u) for (c, t, u, _f) in TECHME_BUDGET.values()]
    return panel_resource(
        "public_budget",
        "General public budget expenditure by province: total, education, S&T, "
        "agriculture",
        (
            "一般公共预算支出 and three functional items from the China Statistical "
            "Yearbook (finance chapter) via techme, 2010-2023. 2024 totals and S&T "
            "spending are in sci_tech_nbs."
        ),
        wide,
        value_fields,
        TECHME_SOURCES
        + [
            source(
                "中国统计年鉴 第7部分 财政 (China Statistical Yearbook, public "
                "finance)",
                NBS,
                "https://www.stats.gov.cn/sj/ndsj/",
            )
        ],
        [licence_mit("Copyright (c) 2021 Hu Huaping")],
        "Source: China Statistical Yearbook via techme (data/public_budget.csv)",
        2010,
        2023,
    )


def sci_tech_nbs_resource(src: Path) -> Resource:
    """NBS platform S&T panel 2011-2024: tech-market turnover, fiscal spending, R&D
    (2017+).
    """
    raw = read_csv(
        src
        / PROVINCIAL
        / "nbs_sci_tech_panel_tecexp"
        / "provincial_panel_full_2011_2024.csv"
    )
    raw = with_codes(raw, "province", "provincial_panel_full_2011_2024.csv")
    frame = raw[["province_code", "year"]].copy()
    frame["tech_market_turnover_100m_yuan"] = raw["tech_market_turnover"]
    frame["fiscal_expenditure_nbs_100m_yuan"] = raw["fiscal_expenditure"]
    frame["fiscal_sci_tech_exp_nbs_100m_yuan"] = raw["fiscal_sci_tech_exp"]
    frame["rd_exp_nbs_100m_yuan"] = raw["province_rd_exp"]
    value_fields = [
        amount(
            "tech_market_turnover_100m_yuan",
            "Technology market turnover (技术市场成交额)",
            "100 million yuan",
            "Equals sci_tech.tech_market_outflow_10k_yuan / 10,000 where both exist; "
            "2011-2024.",
        ),
        amount(
            "fiscal_expenditure_nbs_100m_yuan",
            "General public budget expenditure (NBS platform)",
            "100 million yuan",
            "一般公共预算支出, 2011-2024.",
        ),
        amount(
            "fiscal_sci_tech_exp_nbs_100m_yuan",
            "Local fiscal S&T expenditure (NBS platform)",
            "100 million yuan",
            "地方财政科学技术支出, 2011-2023.",
        ),
        amount(
            "rd_exp_nbs_100m_yuan",
            "R&D expenditure (NBS platform / R&D bulletin)",
            "100 million yuan",
            "2017-2024 only.",
        ),
    ]
    return panel_resource(
        "sci_tech_nbs",
        "Technology market turnover, fiscal and R&D spending by province, 2011-2024 "
        "(NBS platform)",
        (
            "Columns of the NBS-derived panel in GitHub 1376524890/tec_expenditure "
            "that extend the yearbook series to 2024 (stated source: NBS National Data "
            "platform and the 2024 R&D bulletin). Patent counts and GDP of that panel "
            "duplicate other resources and are not imported; author-computed ratios "
            "are not imported. The repository also holds licensed CSMAR extracts: "
            "nothing from them was copied."
        ),
        frame,
        value_fields,
        [
            github_source(
                "provincial_panel_full.csv (NBS National Data + 2024 R&D bulletin)",
                *TECEXP,
                "data/provincial_panel_full.csv",
                "1376524890, compiled from NBS",
                year=2026,
            ),
            source("分省年度数据 科技 / 财政", NBS, NBS_FSND),
        ],
        [LICENCE_OFFICIAL_NONE],
        "Source: NBS National Data (data/sci_tech_nbs.csv)",
        2011,
        2024,
    )
