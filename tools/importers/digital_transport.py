"""Internet penetration 2010-2016, PKU digital financial inclusion, transport
(ahia11).
"""

from __future__ import annotations

from pathlib import Path

from importers.common import (
    AHIA11,
    LICENCE_OFFICIAL_NONE,
    NBS,
    NBS_FSND,
    PKU_REPO,
    PROVINCIAL,
    STUDENT_INTERNET,
    Resource,
    amount,
    github_source,
    panel_resource,
    read_csv,
    share,
    source,
    wide_from_long,
    with_codes,
)

# ---- internet, digital finance, transport
# ---------------------------------------------------------


def internet_resource(src: Path) -> Resource:
    """CNNIC internet penetration rate by province, 2010-2016."""
    raw = read_csv(
        src
        / PROVINCIAL
        / "internet_penetration_2010_2016"
        / "internet_penetration_long_2010_2016.csv"
    )
    raw = with_codes(raw, "province_zh", "internet_penetration_long_2010_2016.csv")
    frame = raw[["province_code", "year"]].assign(internet_penetration_pct=raw["value"])
    return panel_resource(
        "internet_penetration",
        "Internet penetration rate by province, 2010-2016 (CNNIC)",
        (
            "互联网普及率 (netizens / resident population) by province, 2010-2016, "
            "from a table in a student project on GitHub (source not stated). It "
            "reproduces CNNIC's statement that 14 provinces exceeded the national rate "
            "in 2015, Hainan and Inner Mongolia being the two additions on 2014. No "
            "provincial values after 2016 were found (they are in the provincial "
            "tables of later CNNIC reports)."
        ),
        frame,
        [
            share(
                "internet_penetration_pct",
                "Internet penetration rate (互联网普及率)",
                "Percent of resident population (CNNIC definition).",
            )
        ],
        [
            source(
                "中国互联网络发展状况统计报告 (provincial tables)",
                "CNNIC",
                "https://www.cnnic.net.cn/",
                year="2011-2017",
            ),
            github_source(
                "data/Internet penetration.csv",
                *STUDENT_INTERNET,
                "data/Internet penetration.csv",
                "yangyanghuiming (student project; source not stated)",
            ),
        ],
        [
            {
                "name": "not-stated",
                "title": "Not stated (CNNIC statistics in an unlicensed student file)",
                "redistribution": (
                    "No licence and no stated source; the values are CNNIC's published "
                    "provincial statistics (a state body's statistics), which we "
                    "redistribute as facts with attribution."
                ),
            }
        ],
        "Source: CNNIC, provincial internet penetration "
        "(data/internet_penetration.csv)",
        2010,
        2016,
    )


PKU_COLUMNS = {
    "index_aggregate": ("dfiic_index", "Digital financial inclusion index (总指数)"),
    "coverage_breadth": ("dfiic_coverage_breadth", "Coverage breadth (覆盖广度)"),
    "usage_depth": ("dfiic_usage_depth", "Usage depth (使用深度)"),
    "digitization_level": (
        "dfiic_digitization_level",
        "Digitisation level (数字化程度)",
    ),
    "payment": ("dfiic_payment", "Payment sub-index"),
    "insurance": ("dfiic_insurance", "Insurance sub-index"),
    "monetary_fund": ("dfiic_monetary_fund", "Monetary fund sub-index (2013-2018)"),
    "investment": ("dfiic_investment", "Investment sub-index (2014-2023)"),
    "credit": ("dfiic_credit", "Credit sub-index"),
    "credit_investigation": (
        "dfiic_credit_investigation",
        "Credit investigation sub-index (2015-2018)",
    ),
}
PKU_CITATION = (
    "郭峰、王靖一、王芳、孔涛、张勋、程志云 (2020) "
    "测度中国数字普惠金融发展：指数编制与空间特征. 经济学(季刊) 19(4): 1401-1418"
)


def digital_finance_resource(src: Path) -> Resource:
    """Peking University Digital Financial Inclusion Index by province, 2011-2023."""
    raw = read_csv(
        src / PROVINCIAL / "pku_dfiic_province" / "pku_dfiic_province_2011_2023.csv"
    )
    raw = with_codes(raw, "province_zh", "pku_dfiic_province_2011_2023.csv")
    if not (raw["province_code"] == raw["prov_code"] * 10000).all():
        raise ValueError("PKU-DFIIC: province names and 2-digit codes disagree")
    frame = raw[["province_code", "year"]].copy()
    for column, (ours, _title) in PKU_COLUMNS.items():
        frame[ours] = raw[column]
    resource = panel_resource(
        "digital_finance",
        "Peking University Digital Financial Inclusion Index (PKU-DFIIC) by province, "
        "2011-2023",
        (
            "北京大学数字普惠金融指数, 2011-2023 edition: aggregate index, three "
            "first-level dimensions and six business sub-indices, in index points "
            "(2011 base; higher = more inclusion). Values as released (2 decimals for "
            "2011-2015, full precision after). Gaps in monetary fund, investment and "
            "credit investigation are in the release. Zhejiang 2011-2020 equals an "
            "independent copy of the 2011-2020 edition."
        ),
        frame,
        [
            amount(ours, title, "index points (2011 base)")
            for ours, title in PKU_COLUMNS.values()
        ],
        [
            source(
                "北京大学数字普惠金融指数 (PKU-DFIIC) 2011-2023",
                "北京大学数字金融研究中心 & 蚂蚁科技集团研究院 (Institute of "
                "Digital Finance, Peking University)",
                "https://idf.pku.edu.cn/zsbz/index.htm",
                year=2024,
                citation=PKU_CITATION,
            ),
            github_source(
                "PKU_DFIIC_province.dta (cleaned from the official workbook)",
                *PKU_REPO,
                "PKU_DFIIC_province.dta",
                "QianbinDou (pull request 124)",
                year=2026,
            ),
        ],
        [
            {
                "name": "free-research-use-with-citation",
                "title": "Free for research use; cite Guo et al. (2020)",
                "path": "https://idf.pku.edu.cn/",
                "redistribution": (
                    "Published by the PKU Institute of Digital Finance "
                    "for free research use with citation of Guo et al. "
                    "(2020); redistributed here for teaching and "
                    "replication with that citation. The host repo's MIT "
                    "licence covers its template, not the data."
                ),
            }
        ],
        "Source: Peking University Digital Financial Inclusion Index (Guo et al. "
        "2020) (data/digital_finance.csv)",
        2011,
        2023,
    )
    return resource


TRANSPORT_COLUMNS = {
    "highway_mileage": (
        "highway_mileage_10k_km",
        "Highway mileage (公路里程)",
        "10,000 km",
    ),
    "railway_operating_mileage": (
        "railway_mileage_10k_km",
        "Railway operating mileage (铁路营业里程)",
        "10,000 km",
    ),
    "expressway_mileage": (
        "expressway_mileage_10k_km",
        "Expressway mileage (高速公路里程)",
        "10,000 km",
    ),
    "civil_vehicles": (
        "civil_vehicles_10k",
        "Civil motor vehicles owned (民用汽车拥有量)",
        "10,000 vehicles",
    ),
    "passenger_traffic_total": (
        "passenger_traffic_10k",
        "Passenger traffic, all modes (客运量)",
        "10,000 persons",
    ),
    "passenger_traffic_highway": (
        "passenger_traffic_highway_10k",
        "Passenger traffic by highway",
        "10,000 persons",
    ),
    "passenger_traffic_railway": (
        "passenger_traffic_railway_10k",
        "Passenger traffic by railway",
        "10,000 persons",
    ),
    "passenger_traffic_waterway": (
        "passenger_traffic_waterway_10k",
        "Passenger traffic by waterway",
        "10,000 persons",
    ),
}


def transport_resource(src: Path) -> Resource:
    """Road and rail mileage, vehicles and passenger traffic by province (2005 mileage
    excluded).
    """
    raw = read_csv(
        src
        / PROVINCIAL
        / "transport_resident_income_ahia11"
        / "transport_income_long_2005_2024.csv"
    )
    raw = raw[raw["indicator"].isin(TRANSPORT_COLUMNS)]
    # 2005 mileage is on the pre-2006 basis (village roads not counted): not imported
    # (see series_breaks).
    raw = raw[~((raw["year"] == 2005) & raw["indicator"].str.endswith("mileage"))]
    raw = with_codes(raw, "province_zh", "transport_income_long_2005_2024.csv")
    wide = wide_from_long(
        raw, {k: v[0] for k, v in TRANSPORT_COLUMNS.items()}, "transport"
    )
    resource = panel_resource(
        "transport",
        "Highway, railway and expressway mileage, vehicles and passenger traffic by "
        "province",
        (
            "NBS 分省年度数据 values (labels and units exactly NBS's) compiled in the "
            "teaching platform GitHub ahia11/SHU-CES---ttc-platform, source not stated "
            "there; provincial sums reproduce the national totals in every year. "
            "Mileage 2006-2023 (2005 excluded: old basis), vehicles 2005-2023, "
            "passenger traffic 2005-2024 (pandemic drop 2020-2022). Values in 10,000 "
            "km with 2 decimals, so small provinces are coarse."
        ),
        wide,
        [amount(c, t, u) for c, t, u in TRANSPORT_COLUMNS.values()],
        [
            github_source(
                "public/data/merged_provincial_data.json",
                *AHIA11,
                "public/data/merged_provincial_data.json",
                "ahia11, compiled from NBS (source not stated)",
                year=2025,
            ),
            source("分省年度数据 运输和邮电", NBS, NBS_FSND),
        ],
        [
            {
                "name": "not-stated",
                "title": (
                    "Not stated (MIT badge without licence file; official statistics)"
                ),
                "redistribution": LICENCE_OFFICIAL_NONE["redistribution"],
            }
        ],
        "Source: NBS 分省年度数据 (data/transport.csv)",
        2005,
        2024,
    )
    return resource
