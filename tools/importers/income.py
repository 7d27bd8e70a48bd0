"""Provincial income, consumption and population (NBS via vervain1902, Rain-118, ahia11,
1lmq).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from importers.common import (
    AHIA11,
    LICENCE_OFFICIAL_NONE,
    LMQ,
    NBS,
    NBS_FSND,
    PROVINCE_FK,
    PROVINCIAL,
    RAIN118,
    VERVAIN,
    Resource,
    amount,
    drop_national,
    field,
    github_source,
    panel_resource,
    read_csv,
    source,
    wide_from_long,
    with_codes,
)

# ---- income and consumption
# -----------------------------------------------------------------

INCOME_DIR = Path(PROVINCIAL) / "urban_rural_income_population"
INCOME_COLUMNS = {  # gathered indicator -> our panel column
    "urban_disposable_income": "urban_disposable_income_yuan",
    "rural_disposable_income": "rural_disposable_income_yuan",
    "rural_consumption": "rural_consumption_yuan",
    "resident_disposable_income": "resident_disposable_income_yuan",
    "resident_consumption": "resident_consumption_yuan",
    "urban_consumption": "urban_consumption_yuan",
}
ROUNDING_TOLERANCE_YUAN = (
    1.0  # published integers vs 2-decimal copies of the same NBS figure
)


def urban_income(src: Path) -> pd.DataFrame:
    """Urban per-capita disposable income 2013-2020 from the NBS provincial series
    (vervain1902 copy).
    """
    raw = read_csv(
        src / INCOME_DIR / "raw_vervain1902_human_capital" / "tmp_inc_urban.csv"
    )
    raw = drop_national(raw, "provcd")
    raw = raw[raw["cyear"].between(2013, 2020)].rename(columns={"cyear": "year"})
    raw = with_codes(raw, "provcd", "tmp_inc_urban.csv")
    return raw[["province_code", "year"]].assign(
        urban_disposable_income_yuan=raw["inc_urban"]
    )


def rural_income_2013_2015(src: Path) -> pd.DataFrame:
    """Rural disposable income 2013-2015 (new basis) from vervain1902 1_IncGap.dta
    (export).
    """
    raw = read_csv(
        src
        / INCOME_DIR
        / "raw_vervain1902_human_capital"
        / "1_IncGap_income_columns.csv"
    )
    raw = drop_national(raw, "prov_hanzi")
    raw = raw[raw["cyear"].between(2013, 2015)].rename(columns={"cyear": "year"})
    raw = with_codes(raw, "prov_hanzi", "1_IncGap_income_columns.csv")
    return raw[["province_code", "year"]].assign(
        rural_disposable_income_yuan=raw["inc_rural"]
    )


def gathered_income_rows(src: Path) -> pd.DataFrame:
    """All rows of the two gathered long income files, with province codes."""
    frames = [
        read_csv(src / INCOME_DIR / name)
        for name in (
            "income_consumption_long.csv",
            "all_resident_income_consumption_long.csv",
        )
    ]
    rows = pd.concat(frames, ignore_index=True)
    return with_codes(rows, "province_zh", "urban_rural_income_population long files")


def resident_income(src: Path) -> pd.DataFrame:
    """All-resident disposable income 2013-2024 (ahia11 compilation of NBS
    分省年度数据).
    """
    raw = read_csv(
        src
        / PROVINCIAL
        / "transport_resident_income_ahia11"
        / "transport_income_long_2005_2024.csv"
    )
    raw = raw[
        (raw["indicator"] == "resident_disposable_income") & (raw["year"] >= 2013)
    ]
    raw = with_codes(raw, "province_zh", "transport_income_long_2005_2024.csv")
    return raw[["province_code", "year"]].assign(
        resident_disposable_income_yuan=raw["value"]
    )


def is_panel_row(row) -> bool:
    """True for the gathered rows that form a panel column (one source per column and
    year range).
    """
    title = str(row.source_title)
    if row.indicator in ("rural_disposable_income", "rural_consumption"):
        return "Rain-118" in title
    if row.indicator == "resident_consumption":
        return "青海统计年鉴2018 表23-15" in title
    return False


def income_frames(src: Path) -> tuple[pd.DataFrame, pd.DataFrame, list[tuple]]:
    """(panel, points, conflicts): the income panel, every other gathered value, and
    real conflicts.
    """
    rows = gathered_income_rows(src)
    used = rows[[is_panel_row(r) for r in rows.itertuples()]]
    panel = wide_from_long(used, INCOME_COLUMNS, "income long files")
    for part in (urban_income(src), rural_income_2013_2015(src), resident_income(src)):
        panel = panel.merge(
            part, on=["province_code", "year"], how="outer", suffixes=("", "_new")
        )
        for column in part.columns[2:]:
            if f"{column}_new" in panel:
                overlap = panel[column].notna() & panel[f"{column}_new"].notna()
                if overlap.any():
                    raise ValueError(f"income: two panel sources for {column}")
                panel[column] = panel[column].fillna(panel[f"{column}_new"])
                panel = panel.drop(columns=f"{column}_new")
    points = rows.drop(used.index)
    # The long file repeats the vervain1902 urban series that forms the panel column:
    # not a second source.
    repeat = (points["indicator"] == "urban_disposable_income") & points[
        "source_title"
    ].str.contains("vervain1902")
    check_repeat_equals_panel(points[repeat], panel)
    points, conflicts = compare_points(points[~repeat], panel)
    return panel, points, conflicts


def check_repeat_equals_panel(repeat: pd.DataFrame, panel: pd.DataFrame) -> None:
    """Stop unless the repeated urban rows equal the panel's urban income exactly (same
    source).
    """
    merged = repeat.merge(panel, on=["province_code", "year"])
    if (
        len(merged) != 248
        or (merged["value"] - merged["urban_disposable_income_yuan"]).abs().max()
        > 0.005
    ):
        raise ValueError(
            "income: the long file's vervain1902 urban rows differ from "
            "tmp_inc_urban.csv"
        )


def compare_points(
    points: pd.DataFrame, panel: pd.DataFrame
) -> tuple[pd.DataFrame, list[tuple]]:
    """Status of each non-panel value against the panel value, and conflict rows where
    they differ.
    """
    lookup = panel.set_index(["province_code", "year"])
    statuses, differences, conflicts = [], [], []
    for row in points.itertuples():
        column = INCOME_COLUMNS[row.indicator]
        key = (row.province_code, row.year)
        panel_value = (
            lookup[column].get(key)
            if column in lookup and key in lookup.index
            else None
        )
        if panel_value is None or pd.isna(panel_value):
            statuses.append("only_source")
            differences.append(None)
            continue
        difference = round(float(row.value) - float(panel_value), 2)
        differences.append(difference)
        if abs(difference) <= ROUNDING_TOLERANCE_YUAN:
            statuses.append("agrees_with_panel")
        else:
            statuses.append("differs_from_panel")
            conflicts.append(
                (
                    f"income_{row.indicator}_{row.province_code}_{row.year}",
                    "provincial",
                    "income_consumption",
                    column,
                    row.province_code,
                    row.year,
                    float(panel_value),
                    "panel source (see income_consumption)",
                    float(row.value),
                    str(row.value),
                    f"{row.source_title} ({row.source_url})",
                    "sources_disagree",
                    "panel value kept",
                    "The panel column uses one source throughout.",
                )
            )
    points = points.assign(status=statuses, difference_from_panel=differences)
    return points, conflicts


INCOME_DESCRIPTION = (
    "Per-capita disposable income and consumption of urban, rural and all residents by "
    "province (yuan, current prices), on the NBS integrated household survey basis "
    "(2013 onward). Each column has one source: urban income 2013-2020 is the NBS "
    "provincial urban series (copy in GitHub vervain1902/human-capital, source not "
    "stated there, but equal to every independent value: 86 of 86 within 0.5 yuan); "
    "rural income and consumption 2016-2024 are NBS 分省年度数据 exports (GitHub "
    "Rain-118); rural income 2013-2015 comes from the same vervain1902 file "
    "(1_IncGap.dta, new basis; its national row equals NBS 9430/10489/11422); "
    "all-resident income 2013-2024 is the NBS series as compiled in GitHub ahia11 "
    "(equal to 90 of 90 independent values); all-resident consumption only for 2017 "
    "(Qinghai Statistical Yearbook 2018, table 23-15). NOT AVAILABLE: urban income "
    "after 2020, urban consumption (any year), Engel coefficients by province. Do not "
    "derive urban income from all-resident income with population shares: NBS survey "
    "weights differ, and the derivation is about 5% low on average and up to 16% low "
    "(Tibet 2017). Scattered values from news and yearbooks are in resource "
    "income_points."
)


def income_resource(src: Path) -> tuple[Resource, Resource, list[tuple]]:
    """The income/consumption panel, the scattered points, and conflicts between
    them.
    """
    panel, points, conflicts = income_frames(src)
    value_fields = [
        amount(
            "urban_disposable_income_yuan",
            "Urban per-capita disposable income",
            "yuan per capita",
            "城镇居民人均可支配收入, 2013-2020 only (NBS provincial series via "
            "vervain1902).",
            basis="integrated_survey_2013",
        ),
        amount(
            "rural_disposable_income_yuan",
            "Rural per-capita disposable income",
            "yuan per capita",
            "农村居民人均可支配收入: 2016-2024 NBS export (Rain-118); 2013-2015 "
            "vervain1902 1_IncGap.dta.",
            basis="integrated_survey_2013",
        ),
        amount(
            "rural_consumption_yuan",
            "Rural per-capita consumption expenditure",
            "yuan per capita",
            "农村居民人均消费支出, 2016-2024 (NBS export via Rain-118).",
            basis="integrated_survey_2013",
        ),
        amount(
            "resident_disposable_income_yuan",
            "All-resident per-capita disposable income",
            "yuan per capita",
            "全体居民人均可支配收入, 2013-2024 (NBS via ahia11).",
            basis="integrated_survey_2013",
        ),
        amount(
            "resident_consumption_yuan",
            "All-resident per-capita consumption expenditure",
            "yuan per capita",
            "全体居民人均消费支出, 2017 only (Qinghai Statistical Yearbook 2018, "
            "table 23-15).",
            basis="integrated_survey_2013",
        ),
    ]
    sources = [
        github_source(
            "NBS provincial urban per-capita disposable income 2010-2020 "
            "(tmp_inc_urban.dta; rural income in 1_IncGap.dta)",
            *VERVAIN,
            "1_mydata/0_Macro/tmp_inc_urban.dta",
            "vervain1902 (LiuZiyu), compiled from NBS; original source not stated",
            year=2024,
        ),
        github_source(
            "NBS 分省年度数据 exports: 农村居民人均可支配收入, 农村居民人均消费支出 "
            "(2016-2024)",
            *RAIN118,
            "分省数据/数据/农村居民人均可支配收入/农村居民人均可支配收入 (元).csv",
            NBS,
            year=2026,
        ),
        github_source(
            "NBS 分省年度数据 全体居民人均可支配收入 (merged_provincial_data.json)",
            *AHIA11,
            "public/data/merged_provincial_data.json",
            "ahia11, compiled from NBS (source not stated)",
            year=2025,
        ),
        source(
            "青海统计年鉴2018 表23-15 各地区全体居民人均收支及排序(2017年)",
            "青海省统计局 (Qinghai Statistics Bureau)",
            "http://tjj.qinghai.gov.cn/nj/2018/html/2315.htm",
            table="23-15",
            year=2018,
        ),
        source(
            "NBS 分省年度数据 → 人民生活 (where the missing urban series can be "
            "downloaded when online)",
            NBS,
            NBS_FSND,
        ),
    ]
    resource = panel_resource(
        "income_consumption",
        "Urban, rural and all-resident income and consumption by province",
        INCOME_DESCRIPTION,
        panel,
        value_fields,
        sources,
        [LICENCE_OFFICIAL_NONE],
        "Source: NBS household survey by province (data/income_consumption.csv)",
        2013,
        2024,
    )
    points_resource = income_points_resource(points)
    return resource, points_resource, conflicts


def income_points_resource(points: pd.DataFrame) -> Resource:
    """Every gathered income/consumption value not used as a panel value, with its
    source.
    """
    frame = points.assign(indicator=points["indicator"].map(INCOME_COLUMNS))
    frame = frame.sort_values(
        ["indicator", "province_code", "year", "source_title"]
    ).reset_index(drop=True)
    frame["point_id"] = range(1, len(frame) + 1)
    fields = [
        field("point_id", "integer", "Row id", "", "", 1, required=True),
        field(
            "province_code",
            "integer",
            "Province code (GB/T 2260)",
            "",
            "",
            required=True,
        ),
        field(
            "year", "integer", "Year", "calendar year", "", 2013, 2024, required=True
        ),
        field(
            "indicator",
            "string",
            "Indicator (panel column name)",
            "",
            "",
            enum=sorted(set(INCOME_COLUMNS.values())),
            required=True,
        ),
        amount("value", "Value", "yuan per capita"),
        field(
            "status",
            "string",
            "Relation to the panel value",
            "",
            "agrees_with_panel (within 1 yuan), "
            "differs_from_panel (see value_conflicts), only_source (no panel value).",
            enum=["agrees_with_panel", "differs_from_panel", "only_source"],
            required=True,
        ),
        field(
            "difference_from_panel",
            "number",
            "Value minus panel value",
            "yuan per capita",
            "",
        ),
        field("source_title", "string", "Source", "", "", required=True),
        field("source_url", "string", "URL", "", "", required=True),
    ]
    return Resource(
        name="income_points",
        path="income_points.csv",
        title=(
            "Scattered provincial income and consumption values (news, yearbooks) with "
            "their sources"
        ),
        description=(
            "Values gathered from provincial yearbooks, news rankings and Wikipedia "
            "mirrors that are not a panel column: urban income 2016-2018 from the XJBT "
            "yearbook and Fujian/Qinghai yearbooks (they corroborate the panel), "
            "partial all-resident income (top-10 rankings), urban consumption (Qinghai "
            "2016; Shanghai and Qinghai 2022) and urban income 2022 (Shanghai, "
            "Qinghai). Kept so that every gathered number stays on record."
        ),
        kind="provincial_points",
        sources=[
            source(
                "Per-row source_title and source_url (NBS figures as reported)",
                "various",
                "http://tjj.xjbt.gov.cn/2020nj/table/fl1-05.htm",
                table="e.g. XJBT Statistical Yearbook 2020, appendix 1-5",
            ),
            source("NBS 分省年度数据 → 人民生活", NBS, NBS_FSND),
        ],
        licenses=[LICENCE_OFFICIAL_NONE],
        frame=frame,
        fields=fields,
        primary_key=["point_id"],
        foreign_keys=PROVINCE_FK,
        coverage=f"{len(frame)} values",
    )


# ---- population
# --------------------------------------------------------------------------------


def population_resource(src: Path) -> Resource:
    """Year-end resident, urban and rural population by province (census-2020-revised
    NBS vintage).
    """
    raw = read_csv(src / INCOME_DIR / "population_long.csv")
    raw = with_codes(raw, "province_zh", "population_long.csv")
    mapping = {
        "resident_population_year_end": "resident_population_10k",
        "urban_population_year_end": "urban_population_10k",
        "rural_population_year_end": "rural_population_10k",
    }
    wide = wide_from_long(raw, mapping, "population_long.csv")
    value_fields = [
        amount(
            "resident_population_10k",
            "Year-end resident population",
            "10,000 persons",
            "年末常住人口, 2015-2024 (NBS export via GitHub 1lmq).",
            basis="census_2020_revised",
        ),
        amount(
            "urban_population_10k",
            "Year-end urban population",
            "10,000 persons",
            "城镇人口, 2016-2024 (NBS export via Rain-118).",
            basis="census_2020_revised",
        ),
        amount(
            "rural_population_10k",
            "Year-end rural population",
            "10,000 persons",
            "乡村人口, 2016-2024 (NBS export via Rain-118).",
            basis="census_2020_revised",
        ),
    ]
    return panel_resource(
        "population",
        "Resident, urban and rural population by province",
        (
            "Year-end resident population (2015-2024) and urban and rural population "
            "(2016-2024), from NBS 分省年度数据 exports. 2016-2019 are the series "
            "revised after the 2020 census, not the yearbook prints; urban + rural "
            "equals resident population in 278 of 279 province-years (the other by 1, "
            "rounding). Population for 2013-2014 (and urban/rural for 2015) was not "
            "found."
        ),
        wide,
        value_fields,
        [
            github_source(
                "NBS 分省年度数据 exports 城镇人口, 乡村人口 (万人)",
                *RAIN118,
                "分省数据/数据/人口/城镇人口 (万人).csv",
                NBS,
                year=2026,
            ),
            github_source(
                "NBS 分省年度数据 export 年末常住人口(万人), 2015-2024",
                *LMQ,
                "分省年度数据.csv",
                NBS,
                year=2025,
            ),
        ],
        [LICENCE_OFFICIAL_NONE],
        "Source: NBS 分省年度数据 (data/population.csv)",
        2015,
        2024,
    )
