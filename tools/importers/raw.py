"""Raw files kept as obtained (data/raw/), copied byte for byte."""

from __future__ import annotations

from pathlib import Path

from importers.common import (
    INPUTS_USED,
    LICENCE_OFFICIAL_NONE,
    LMQ,
    NBS,
    OPENCLIMATE,
    PKU_REPO,
    PROVINCIAL,
    RAIN118,
    RENJIYI,
    STUDENT_INTERNET,
    VERVAIN,
    Resource,
    github_source,
    licence_mit,
)
from importers.digital_transport import PKU_CITATION
from importers.energy import CEADS_CITATION

# ---- raw files kept as obtained
# ---------------------------------------------------------------


def raw_file(
    key: str,
    number: int,
    path: Path,
    target_name: str,
    description: str,
    sources: list[dict],
    licences: list[dict],
) -> Resource:
    """A raw file copied byte for byte to data/raw/<key>/."""
    INPUTS_USED.add(Path(path))
    return Resource(
        name=f"raw_{key}_{number:02d}",
        path=f"raw/{key}/{target_name}",
        title=f"{target_name} (raw, as obtained)",
        description=description,
        kind="raw",
        sources=sources,
        licenses=licences,
        raw_from=path,
    )


def raw_group(
    key, folder: Path, names: list[str], description, sources, licences
) -> list[Resource]:
    """Raw resources for several files of one source folder (names relative to
    `folder`).
    """
    return [
        raw_file(key, i, folder / name, name, description, sources, licences)
        for i, name in enumerate(names, start=1)
    ]


def raw_resources(src: Path) -> list[Resource]:
    """Raw files whose original form matters (NBS exports, Stata files, upstream
    readmes), all small.
    """
    prov = src / PROVINCIAL
    income = prov / "urban_rural_income_population"
    rain_electric = (
        prov / "nbs_rural_electricity_gdp_structure_rain118" / "raw_nbs_exports"
    )
    gdp_files = sorted(
        p.name for p in (rain_electric / "gdp_structure_by_province").iterdir()
    )
    nbs_export = (
        "Raw NBS National Data export (分省年度数据), unchanged (UTF-8 with BOM, as "
        "committed upstream). Header lines name the database and the period; footer "
        "'数据来源：国家统计局'."
    )
    resources = []
    resources += raw_group(
        "nbs_rain118_income_population",
        income / "raw_rain118_nbs_exports",
        sorted(p.name for p in (income / "raw_rain118_nbs_exports").iterdir()),
        nbs_export,
        [
            github_source(
                "分省数据 / 全国数据 exports",
                *RAIN118,
                "分省数据/数据/",
                NBS,
                year=2026,
            )
        ],
        [LICENCE_OFFICIAL_NONE],
    )
    resources += raw_group(
        "nbs_rain118_electricity_gdp",
        rain_electric,
        sorted(p.name for p in rain_electric.iterdir() if p.is_file())
        + [f"gdp_structure_by_province/{n}" for n in gdp_files],
        nbs_export,
        [
            github_source(
                "分省数据 / 全国数据 exports",
                *RAIN118,
                "分省数据/数据/",
                NBS,
                year=2026,
            )
        ],
        [LICENCE_OFFICIAL_NONE],
    )
    resources += raw_group(
        "nbs_1lmq_population",
        income / "raw_1lmq_nbs_export",
        ["分省年度数据_年末常住人口.csv"],
        nbs_export + " Written from the stored file text, UTF-8.",
        [
            github_source(
                "分省年度数据.csv (年末常住人口)",
                *LMQ,
                "分省年度数据.csv",
                NBS,
                year=2025,
            )
        ],
        [LICENCE_OFFICIAL_NONE],
    )
    fsnd = prov / "nbs_fsnd_renjiyi" / "raw_nbs_exports"
    resources += raw_group(
        "nbs_fsnd_renjiyi",
        fsnd,
        sorted(p.name for p in fsnd.iterdir()),
        "Raw NBS 分省年度数据 exports (converted GBK to UTF-8, otherwise unchanged) "
        "and the author's budget sheet (.xls).",
        [
            github_source(
                "raw NBS exports 分省年度数据*.csv", *RENJIYI, "", NBS, year=2026
            )
        ],
        [licence_mit("Copyright (c) 2026 RenJiyi163")],
    )
    vervain = income / "raw_vervain1902_human_capital"
    resources += raw_group(
        "vervain1902_income",
        vervain,
        ["tmp_inc_urban.dta", "1_IncGap.dta"],
        "Stata files exactly as committed upstream: provincial urban and rural "
        "per-capita disposable income 2010-2020 (2010-2012 on the old survey basis, "
        "not imported).",
        [
            github_source(
                "1_mydata/0_Macro/tmp_inc_urban.dta and 1_IncGap.dta",
                *VERVAIN,
                "1_mydata/0_Macro/",
                "vervain1902 (LiuZiyu); source not stated",
                year=2024,
            )
        ],
        [
            {
                "name": "not-stated",
                "title": "Not stated (no licence file; official statistics)",
                "redistribution": LICENCE_OFFICIAL_NONE["redistribution"],
            }
        ],
    )
    internet = prov / "internet_penetration_2010_2016" / "raw"
    resources += raw_group(
        "internet_penetration",
        internet,
        ["Internet penetration.csv"],
        "The source table (wide, 地区 x 2016年...2010年), written from the stored "
        "text with LF line endings; values unchanged.",
        [
            github_source(
                "data/Internet penetration.csv",
                *STUDENT_INTERNET,
                "data/Internet penetration.csv",
                "yangyanghuiming",
            )
        ],
        [
            {
                "name": "not-stated",
                "title": "Not stated (CNNIC statistics)",
                "redistribution": (
                    "No licence; CNNIC's published statistics, redistributed as facts "
                    "with attribution."
                ),
            }
        ],
    )
    pku = prov / "pku_dfiic_province" / "raw"
    resources += raw_group(
        "pku_dfiic",
        pku,
        ["PKU_DFIIC_province.dta", "UPSTREAM_README_PKU_DFIIC_cleaning.md"],
        "The cleaned Stata file exactly as committed upstream, and its README (data "
        "dictionary, missing-value notes, citation).",
        [
            github_source(
                "PKU_DFIIC_province.dta",
                *PKU_REPO,
                "PKU_DFIIC_province.dta",
                "QianbinDou",
                year=2026,
            )
        ],
        [
            {
                "name": "free-research-use-with-citation",
                "title": "Free for research use; cite Guo et al. (2020)",
                "redistribution": "Cite " + PKU_CITATION,
            }
        ],
    )
    ceads = prov / "ceads_provincial_co2_openclimate"
    resources += raw_group(
        "ceads_openclimate",
        ceads,
        ["EmissionsAgg_openclimate_tCO2.csv", "UPSTREAM_README_OpenClimate.md"],
        "OpenClimate's province totals of the CEADs sectoral inventory (tonnes CO2, "
        "1998-2019, ISO 3166-2 codes), unchanged, and OpenClimate's README with the "
        "CEADs terms. The 23 CEADs workbooks (6.4 MB) are not copied; see "
        "not_redistributed.",
        [
            github_source(
                "harmonize/data/processed/CEADS_china_provinces/EmissionsAgg.csv",
                *OPENCLIMATE,
                "harmonize/data/processed/CEADS_china_provinces/EmissionsAgg.csv",
                "Open Earth Foundation",
                year=2023,
            )
        ],
        [
            {
                "name": "CEADs-terms",
                "title": "CEADs: freely available, cite CEADs and the papers "
                "(compilation Apache-2.0)",
                "redistribution": "Cite " + CEADS_CITATION,
            }
        ],
    )
    return resources
