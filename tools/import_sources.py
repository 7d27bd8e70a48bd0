"""Rebuild data/ from the gathered sources in /work/shared/data-sources (developers only).

This is the ONLY code in the project that reads /work/shared. The book, the helpers and the tests
read the committed files in data/ through helpers.data. Run it from the repository root:

    .venv/bin/python tools/import_sources.py [--source-dir /work/shared/data-sources]

It writes tidy CSVs (our names, units in the descriptor), copies raw files whose original form
matters to data/raw/<source>/, and rewrites data/datapackage.json with a SHA-256 for every file.
Nothing is interpolated or filled: a value is either copied from a named source or absent.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import sys
from dataclasses import dataclass, field as dataclass_field
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the script runs before or without `pip install -e .`

from helpers.data.descriptor import DESCRIPTOR_NAME, hash_string  # noqa: E402
from helpers.data.provinces import alias_map, codes_for  # noqa: E402

DEFAULT_SOURCE_DIR = Path("/work/shared/data-sources")
DATA_DIR = ROOT / "data"
PROVINCIAL = "provincial"

# --------------------------------------------------------------------------------------------
# Descriptor building blocks
# --------------------------------------------------------------------------------------------


@dataclass
class Resource:
    """One file of data/ with everything the descriptor says about it."""

    name: str
    path: str
    title: str
    description: str
    kind: str
    sources: list[dict]
    licenses: list[dict]
    frame: pd.DataFrame | None = None
    fields: list[dict] = dataclass_field(default_factory=list)
    primary_key: list[str] = dataclass_field(default_factory=list)
    foreign_keys: list[dict] = dataclass_field(default_factory=list)
    source_line: str = ""
    coverage: str = ""
    raw_from: Path | None = None
    extra: dict = dataclass_field(default_factory=dict)


def field(name, ftype, title, unit="", description="", minimum=None, maximum=None, enum=None,
          required=False, basis="", pattern=None, unique=False):
    """A Table Schema field with our custom 'unit' (and 'basis') properties."""
    spec = {"name": name, "type": ftype, "title": title}
    if unit:
        spec["unit"] = unit
    if description:
        spec["description"] = description
    if basis:
        spec["basis"] = basis
    constraints = {}
    if required:
        constraints["required"] = True
    if minimum is not None:
        constraints["minimum"] = minimum
    if maximum is not None:
        constraints["maximum"] = maximum
    if enum is not None:
        constraints["enum"] = list(enum)
    if pattern is not None:
        constraints["pattern"] = pattern
    if unique:
        constraints["unique"] = True
    if constraints:
        spec["constraints"] = constraints
    return spec


def share(name, title, description="", basis=""):
    """A percentage field constrained to 0-100."""
    return field(name, "number", title, "percent", description, 0, 100, basis=basis)


def amount(name, title, unit, description="", basis=""):
    """A non-negative quantity field."""
    return field(name, "number", title, unit, description, 0, basis=basis)


def province_key_fields(first_year, last_year):
    """province_code + year fields of a provincial panel."""
    return [
        field("province_code", "integer", "Province code (GB/T 2260)", "",
              "Six-digit GB/T 2260 code; see resource 'provinces'.", required=True),
        field("year", "integer", "Year", "calendar year", "", first_year, last_year, required=True),
    ]


PROVINCE_FK = [{"fields": "province_code", "reference": {"resource": "provinces", "fields": "province_code"}}]


def source(title, publisher, path="", table="", year=None, **more):
    """A Data Package source entry (path = URL)."""
    entry = {"title": title, "publisher": publisher}
    if table:
        entry["table"] = table
    if path:
        entry["path"] = path
    if year is not None:
        entry["year"] = year
    entry.update(more)
    return entry


LICENCE_OFFICIAL_NONE = {
    "name": "not-stated",
    "title": "Not stated (official statistics)",
    "redistribution": (
        "No licence is stated by the compiler. The values are official statistics published by a "
        "government body (NBS and others); we redistribute them as facts with attribution. Any rights "
        "in the compiler's file stay with the compiler, which is why only values are kept, with their source."
    ),
}


def licence_mit(holder):
    """MIT licence of a compilation whose values are official statistics."""
    return {"name": "MIT", "path": "https://opensource.org/licenses/MIT",
            "title": f"MIT (compilation, {holder}); the values are official statistics",
            "redistribution": "Redistribution allowed with the copyright notice of the compilation."}


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def format_number(value) -> str:
    """Text for a number in a CSV: '' for missing, integers without '.0', else the shortest repr."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value)) if isinstance(value, float) else str(value)


def write_table(frame: pd.DataFrame, fields: list[dict], path: Path) -> None:
    """Write a frame with exactly the schema's columns, numbers formatted, UTF-8, LF line ends."""
    out = pd.DataFrame()
    for spec in fields:
        column = frame[spec["name"]]
        if spec["type"] in ("number", "integer"):
            out[spec["name"]] = [format_number(v) for v in column]
        elif spec["type"] == "boolean":
            out[spec["name"]] = ["" if pd.isna(v) else ("true" if v else "false") for v in column]
        else:
            # Newlines inside a cell would break the 'CSV line = row + 1' rule of the validator.
            out[spec["name"]] = ["" if pd.isna(v) else str(v).replace("\n", " ").replace("\r", " ")
                                 for v in column]
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def read_csv(path: Path, **kwargs) -> pd.DataFrame:
    """A source CSV (UTF-8, with or without BOM)."""
    return pd.read_csv(path, encoding="utf-8-sig", **kwargs)


# --------------------------------------------------------------------------------------------
# Provinces reference table
# --------------------------------------------------------------------------------------------

# GB/T 2260 code, short and full Chinese name, English name, ISO 3166-2, NBS four-region group.
PROVINCES = [
    (110000, "北京", "北京市", "Beijing", "CN-BJ", "East"),
    (120000, "天津", "天津市", "Tianjin", "CN-TJ", "East"),
    (130000, "河北", "河北省", "Hebei", "CN-HE", "East"),
    (140000, "山西", "山西省", "Shanxi", "CN-SX", "Central"),
    (150000, "内蒙古", "内蒙古自治区", "Inner Mongolia", "CN-NM", "West"),
    (210000, "辽宁", "辽宁省", "Liaoning", "CN-LN", "Northeast"),
    (220000, "吉林", "吉林省", "Jilin", "CN-JL", "Northeast"),
    (230000, "黑龙江", "黑龙江省", "Heilongjiang", "CN-HL", "Northeast"),
    (310000, "上海", "上海市", "Shanghai", "CN-SH", "East"),
    (320000, "江苏", "江苏省", "Jiangsu", "CN-JS", "East"),
    (330000, "浙江", "浙江省", "Zhejiang", "CN-ZJ", "East"),
    (340000, "安徽", "安徽省", "Anhui", "CN-AH", "Central"),
    (350000, "福建", "福建省", "Fujian", "CN-FJ", "East"),
    (360000, "江西", "江西省", "Jiangxi", "CN-JX", "Central"),
    (370000, "山东", "山东省", "Shandong", "CN-SD", "East"),
    (410000, "河南", "河南省", "Henan", "CN-HA", "Central"),
    (420000, "湖北", "湖北省", "Hubei", "CN-HB", "Central"),
    (430000, "湖南", "湖南省", "Hunan", "CN-HN", "Central"),
    (440000, "广东", "广东省", "Guangdong", "CN-GD", "East"),
    (450000, "广西", "广西壮族自治区", "Guangxi", "CN-GX", "West"),
    (460000, "海南", "海南省", "Hainan", "CN-HI", "East"),
    (500000, "重庆", "重庆市", "Chongqing", "CN-CQ", "West"),
    (510000, "四川", "四川省", "Sichuan", "CN-SC", "West"),
    (520000, "贵州", "贵州省", "Guizhou", "CN-GZ", "West"),
    (530000, "云南", "云南省", "Yunnan", "CN-YN", "West"),
    (540000, "西藏", "西藏自治区", "Tibet", "CN-XZ", "West"),
    (610000, "陕西", "陕西省", "Shaanxi", "CN-SN", "West"),
    (620000, "甘肃", "甘肃省", "Gansu", "CN-GS", "West"),
    (630000, "青海", "青海省", "Qinghai", "CN-QH", "West"),
    (640000, "宁夏", "宁夏回族自治区", "Ningxia", "CN-NX", "West"),
    (650000, "新疆", "新疆维吾尔自治区", "Xinjiang", "CN-XJ", "West"),
]
REGION_ZH = {"East": "东部", "Central": "中部", "West": "西部", "Northeast": "东北"}
MUNICIPALITIES = {110000, 120000, 310000, 500000}


def provinces_resource() -> Resource:
    """The reference table every loader maps province names to."""
    frame = pd.DataFrame(PROVINCES, columns=["province_code", "province_zh", "province_zh_full",
                                             "province_en", "iso_3166_2", "region"])
    frame["region_zh"] = frame["region"].map(REGION_ZH)
    frame["is_municipality"] = frame["province_code"].isin(MUNICIPALITIES)
    fields = [
        field("province_code", "integer", "GB/T 2260 code", "", "Six-digit administrative division code "
              "of the province (e.g. 110000 Beijing).", 110000, 659999, required=True),
        field("province_zh", "string", "Short Chinese name", "", "As used by NBS tables (北京, 内蒙古, 广西).",
              required=True, unique=True),
        field("province_zh_full", "string", "Full Chinese name", "", "Official name (北京市, 内蒙古自治区).",
              required=True, unique=True),
        field("province_en", "string", "English name", "", "Pinyin name; Shaanxi (陕西) and Shanxi (山西) "
              "kept distinct; Tibet for 西藏.", required=True, unique=True),
        field("iso_3166_2", "string", "ISO 3166-2 code", "", "ISO 3166-2:CN subdivision code.", required=True,
              unique=True),
        field("region", "string", "NBS four-region group", "",
              "NBS grouping (东西中部和东北地区划分方法, 2011): East, Central, West, Northeast.",
              enum=["East", "Central", "West", "Northeast"], required=True),
        field("region_zh", "string", "Region (Chinese)", "", "", enum=list(REGION_ZH.values()), required=True),
        field("is_municipality", "boolean", "Municipality directly under the central government", "",
              "Beijing, Tianjin, Shanghai, Chongqing (dropped in a robustness check).", required=True),
    ]
    return Resource(
        name="provinces", path="provinces.csv", title="Provinces of mainland China (reference table)",
        description=("The 31 provincial-level divisions of mainland China (Hong Kong, Macao and Taiwan are "
                     "not in any source). Every loader maps the names used by sources to these codes; "
                     "a name that is not here is an error."),
        kind="reference",
        sources=[
            source("GB/T 2260 Codes for the administrative divisions of the People's Republic of China",
                   "Standardization Administration of China / Ministry of Civil Affairs",
                   "https://www.mca.gov.cn/mzsj/xzqh/2022/202201xzqh.html"),
            source("东西中部和东北地区划分方法 (division into East, Central, West and Northeast)",
                   "National Bureau of Statistics of China (NBS)",
                   "https://www.stats.gov.cn/zt_18555/zthd/sjtjr/dejtjkfr/tjkp/202302/t20230216_1909741.htm",
                   year=2011),
            source("ISO 3166-2:CN", "International Organization for Standardization",
                   "https://www.iso.org/obp/ui/#iso:code:3166:CN"),
        ],
        licenses=[{"name": "public-standard", "title": "Facts from public standards (codes and names)",
                   "redistribution": "Codes and names are public facts; no restriction."}],
        frame=frame, fields=fields, primary_key=["province_code"],
        source_line="Province codes: GB/T 2260; regions: NBS four-region division",
        coverage="31 provinces",
    )


# --------------------------------------------------------------------------------------------
# Figure 1: digital-literacy scores, 2021
# --------------------------------------------------------------------------------------------

DIGITAL_LITERACY_GROUPS = {  # source label -> (order, id, clean Chinese label)
    "全体人群": (1, "overall", "全体人群"),
    "城市居民": (2, "urban_residents", "城市居民"),
    "农村居民": (3, "rural_residents", "农村居民"),
    "农民(来源原文写作“农村居民”)": (4, "farmers", "农民"),
}
FARMER_NOTE = ("The page cited for 18.6 labels it 农村居民 (rural residents), but 35.1 is the rural-resident "
               "mean (against urban 56.3 it gives a 37.7% gap, close to the report's 37.5%, which the rounded "
               "scores reach only at the edge of their rounding interval) and 18.6 is 57% below 43.6 as that "
               "page says; 参考消息网 2022-07-25 states '农民数字素养得分仅为18.6分'. Filed as farmers; "
               "see value_conflicts.")


def digital_literacy_resource(src: Path) -> Resource:
    """The four group scores behind the paper's Figure 1, in the paper's order."""
    raw = read_csv(src / "digital_literacy_2021.csv", dtype=str)
    unknown = set(raw["group_zh"]) - set(DIGITAL_LITERACY_GROUPS)
    if unknown:
        raise ValueError(f"digital_literacy_2021.csv: unknown group label(s) {unknown}")
    rows = []
    for record in raw.itertuples():
        order, group_id, label = DIGITAL_LITERACY_GROUPS[record.group_zh]
        rows.append({
            "group_order": order, "group_id": group_id, "group_zh": label,
            "group_zh_as_published": record.group_zh, "group_en": record.group_en.split(";")[0].strip(),
            "dimension": record.dimension, "score": float(record.score), "year": 2021,
            "label_note": FARMER_NOTE if group_id == "farmers" else "",
            "source_url": record.source_url, "evidence_quote": record.evidence_quote,
        })
    frame = pd.DataFrame(rows).sort_values("group_order")
    fields = [
        field("group_order", "integer", "Order of the bar in the paper's Figure 1", "", "", 1, 4, required=True),
        field("group_id", "string", "Group id", "", "", enum=["overall", "urban_residents", "rural_residents",
                                                               "farmers"], required=True),
        field("group_zh", "string", "Group (Chinese)", "", "Label used in our Figure 1.", required=True),
        field("group_zh_as_published", "string", "Group label in the gathered file", "",
              "Kept to show where the label was corrected (farmers)."),
        field("group_en", "string", "Group (English)", "", "", required=True),
        field("dimension", "string", "Grouping dimension", "", "", enum=["overall", "residence", "occupation"]),
        field("score", "number", "Average digital-literacy score", "points out of 100",
              "Mean score on the report's 0-100 scale.", 0, 100, required=True),
        field("year", "integer", "Survey year", "calendar year", "", 2021, 2021, required=True),
        field("label_note", "string", "Note on the label", "", ""),
        field("source_url", "string", "Page where the value was read", "", "Stored copy of a public page."),
        field("evidence_quote", "string", "Quote containing the value", "", "Verbatim from the page."),
    ]
    return Resource(
        name="digital_literacy_2021", path="digital_literacy_2021.csv",
        title="Average digital-literacy scores of four groups, China 2021 (the paper's Figure 1)",
        description=("Mean digital-literacy scores (out of 100) for all respondents, urban residents, rural "
                     "residents and farmers, from the CASS Informatization Research Centre's 2021 survey report, "
                     "as quoted by the pages named on each row. These are the four values of the paper's only "
                     "figure (图1 2021年中国不同群体数字素养平均得分). Scores for other occupations, age cohorts or "
                     "gender were not found."),
        kind="figure",
        sources=[
            source("乡村振兴战略背景下中国乡村数字素养调查分析报告 (Survey report on rural digital literacy in China "
                   "under the rural revitalisation strategy)", "中国社会科学院信息化研究中心 (CASS Informatization "
                   "Research Centre)", "https://www.fxbaogao.com/detail/2962278", year=2021,
                   table="result section (values via the quoting pages below)"),
            source("Quoting page for 43.6 (overall)", "新疆维吾尔自治区 government site", "http://ipv6.xj.gov.cn/info/10548/70819.htm"),
            source("Quoting page for 56.3 and 35.1 (向运华等 2024)", "wxredian.com",
                   "https://wxredian.com/art?id=04e4a3a8203b6a43761577ba8d62a74e"),
            source("Quoting page for 18.6 (李强、孟如 2024)", "fx361.cc", "https://m.fx361.cc/news/2024/0320/23961531.html"),
            source("Second source stating the farmer label for 18.6", "参考消息网 (2022-07-25)",
                   "https://ztjszhb.com/finance/qyzx/20220725/2486424"),
        ],
        licenses=[{"name": "not-stated", "title": "Not stated (published survey results quoted as facts)",
                   "redistribution": ("No licence is stated. We redistribute only four published summary scores, "
                                      "as facts with citation of the report; the report text is not copied.")}],
        frame=frame, fields=fields, primary_key=["group_id"],
        source_line=("数据来源：中国社会科学院信息化研究中心《乡村振兴战略背景下中国乡村数字素养调查分析报告》(2021) / "
                     "Source: CASS Informatization Research Centre, rural digital literacy survey report (2021)"),
        coverage="2021; four groups",
    )


# --------------------------------------------------------------------------------------------
# National urban-rural series
# --------------------------------------------------------------------------------------------

NATIONAL_UNITS = {  # unit as published -> (our unit, multiplier)
    "percent": ("percent", 1),
    "yuan per capita": ("yuan per capita", 1),
    "100 million yuan (亿元)": ("100 million yuan", 1),
    "trillion yuan (万亿元)": ("100 million yuan", 10_000),
    "100 million persons (亿人)": ("100 million persons", 1),
    "10,000 persons (万人)": ("10,000 persons", 1),
    "ratio (rural=1)": ("ratio (rural = 1)", 1),
}
PRE_CENSUS_INDICATORS = {"urbanization_rate", "urban_population"}
CNNIC_REBASED_INDICATORS = {"rural_netizens"}
WEAK_SOURCE_ROWS = {  # (raw indicator, year): reason
    ("rural_online_retail_sales", 2023): "value from a low-quality host quoting 商务大数据 (NOTES B.10)",
    ("urban_rural_income_ratio", 2024): "only page is a Douyin topic page summarising 《财经》 (NOTES B.8)",
}
SUSPECT_ROWS = {
    ("rural_internet_penetration_rate", 2024): (
        "65.6 is below 2023 (66.5); CNNIC's 56th report gives 69.2 for Jun 2025, '+1.9 pp on Dec 2024', "
        "implying about 67.3 for Dec 2024 (NOTES B.2). Check against the CNNIC PDF before use."),
}
# Rows that conflict with a kept row: moved to value_conflicts, not kept in the series.
DROPPED_NATIONAL = {("engel_coefficient_rural", 2023, "32.35")}

# The 2013 household-survey reform (series break income_survey_2013).
INCOME_SURVEY_FIRST_YEAR = 2013  # first year the integrated survey was fielded
INCOME_SURVEY_BACKCAST_YEAR = 2012  # NBS publishes 2012 on the integrated basis by back-calculation
INCOME_SURVEY_INDICATORS = ["per_capita_net_income_rural", "per_capita_disposable_income_urban",
                            "engel_coefficient_rural", "engel_coefficient_urban", "engel_coefficient_national",
                            "urban_rural_income_ratio"]
OLD_SURVEY_2012_URL = "http://m.juzitie.cn/p/2662389.html"  # NBS 2012 old-survey levels (中新网 copy)
BACKCAST_2012_ENGEL = (
    "2012 on the integrated-survey basis (NBS back-calculation), not the 2012 value first published from the "
    "old urban and rural surveys: the cited NBS report (2022-10-11) compares 2012 directly with 2021 on one "
    "series and gives all-resident 2012 figures (disposable income 16,510 yuan, Engel coefficient 33.0%) that "
    "only the integrated survey defines.")
BACKCAST_2012_RATIO = (
    "2012 on the integrated-survey basis (NBS back-calculation), as quoted from NBS's 75-year retrospective "
    "report. It is not the old-survey ratio, which was 24,565 (urban disposable income) / 7,917 (rural net "
    f"income) = 3.10 as first published for 2012 ({OLD_SURVEY_2012_URL}).")
# (raw indicator, year) of current-basis values dated before INCOME_SURVEY_FIRST_YEAR, with the evidence
# that they are NBS back-calculations on the integrated basis; any other such row stops the import.
INCOME_SURVEY_BACKCAST = {
    ("engel_coefficient_national", 2012): BACKCAST_2012_ENGEL,
    ("engel_coefficient_urban", 2012): BACKCAST_2012_ENGEL,
    ("engel_coefficient_rural", 2012): BACKCAST_2012_ENGEL,
    ("urban_rural_income_ratio", 2012): BACKCAST_2012_RATIO,
}
# (raw indicator, year) -> (reference_date, note) for values that are not year-end (or end-of-period)
# figures: statements dated during the year. The date is the as-of date where the source states one,
# otherwise the date of the statement (the value then holds at the latest on that date).
DATED_STATEMENTS = {
    ("admin_villages_5g_share", 2024): (
        "2024-07-24", "Statement by MARA (韩俊) at the State Council Information Office press conference of "
        "2024-07-24: the share at that date, not at the end of 2024."),
    ("admin_villages_with_broadband_share", 2021): (
        "2021-11-30", "MIIT: '截至2021年11月底' (end of November 2021), reported in 人民日报 2022-01-23."),
    ("admin_villages_fiber_and_4g_share", 2019): (
        "2019-08-02", "Reported in 人民日报 of 2019-08-02 (telecom universal-service seminar); no as-of date "
        "stated: the share by that date, not at the end of 2019."),
    ("rural_internet_penetration_rate_miit_jan", 2022): (
        "2022-01-23", "MIIT: '截至目前' (as of now) in 人民日报 2022-01-23; not a CNNIC year-end figure."),
}
ISO_DATE_PATTERN = r"\d{4}-\d{2}-\d{2}"


def row_annotation(raw_indicator: str, year: int, indicator: str, basis: str) -> tuple[str, str]:
    """(reference_date, note) of one national row: dated statements and integrated-survey back-casts."""
    key = (raw_indicator, year)
    if key in DATED_STATEMENTS:
        return DATED_STATEMENTS[key]
    if indicator in INCOME_SURVEY_INDICATORS and basis == "current" and year < INCOME_SURVEY_FIRST_YEAR:
        if key not in INCOME_SURVEY_BACKCAST:
            raise ValueError(f"urban_rural_national.csv: {raw_indicator} {year} would be a current-basis value "
                             f"before the {INCOME_SURVEY_FIRST_YEAR} survey reform; declare its basis "
                             "(INCOME_SURVEY_BACKCAST) or give it an _old_caliber suffix")
        return "", INCOME_SURVEY_BACKCAST[key]
    return "", ""


def split_indicator(raw: str) -> tuple[str, str, str]:
    """(indicator, period, basis) from a raw name with suffixes _jun, _miit_jan, _census_nov1, _old/_mixed_caliber."""
    for suffix, period, basis in (("_jun", "jun", "current"), ("_miit_jan", "jan", "current"),
                                  ("_census_nov1", "nov1", "current"), ("_old_caliber", "year", "old_survey"),
                                  ("_mixed_caliber", "year", "mixed")):
        if raw.endswith(suffix):
            return raw[: -len(suffix)], period, basis
    return raw, "year", "current"


def national_basis(indicator: str, year: int, period: str, basis: str) -> str:
    """Basis after the census-2020 and CNNIC-2021 breaks (NOTES B.1 and B.6)."""
    if indicator in PRE_CENSUS_INDICATORS and period == "year" and year <= 2019:
        return "pre_census_2020"
    if indicator in CNNIC_REBASED_INDICATORS and year <= 2020:
        return "pre_2021_rebase"
    return basis


def producer_of(title: str) -> str:
    """Statistical producer named in a source title."""
    rules = [("CNNIC", "CNNIC"), ("数字中国发展报告", "CAC"), ("工信部", "MIIT"), ("MIIT", "MIIT"),
             ("电信普遍服务", "MIIT"),
             ("商务", "MOFCOM"), ("农业农村部", "MARA"), ("公安部", "NBS/MPS"), ("国家统计局", "NBS"),
             ("NBS", "NBS"), ("统计", "NBS"), ("中国经济网", "NBS"), ("普查", "NBS"),
             # People's Daily page that does not name the producer of the figure.
             ("人民日报 2024-10-05", "not stated")]
    for needle, producer in rules:
        if needle in title:
            return producer
    raise ValueError(f"urban_rural_national.csv: no producer rule matches source title {title!r}")


def parse_bound(text: str) -> tuple[str, float]:
    """('>', 90.0) for '>90', ('=', 57.35) for '57.35'."""
    text = text.strip()
    if text[:1] in "<>":
        return text[0], float(text[1:])
    return "=", float(text)


def national_frame(src: Path) -> tuple[pd.DataFrame, list[dict]]:
    """Tidy national series and the rows moved to value_conflicts."""
    raw = read_csv(src / "urban_rural_national.csv", dtype=str)
    rows, moved = [], []
    for record in raw.itertuples():
        year = int(record.year)
        if (record.indicator, year, record.value) in DROPPED_NATIONAL:
            moved.append(record._asdict())
            continue
        indicator, period, basis = split_indicator(record.indicator)
        basis = national_basis(indicator, year, period, basis)
        qualifier, number = parse_bound(record.value)
        unit, factor = NATIONAL_UNITS[record.unit]
        flag, flag_reason = "", ""
        if (record.indicator, year) in SUSPECT_ROWS:
            flag, flag_reason = "suspect", SUSPECT_ROWS[(record.indicator, year)]
        elif (record.indicator, year) in WEAK_SOURCE_ROWS:
            flag, flag_reason = "weak_source", WEAK_SOURCE_ROWS[(record.indicator, year)]
        reference_date, note = row_annotation(record.indicator, year, indicator, basis)
        rows.append({
            "indicator": indicator, "year": year, "period": period, "basis": basis,
            "value": round(number * factor, 6), "qualifier": qualifier, "unit": unit,
            "value_as_published": record.value, "unit_as_published": record.unit,
            "producer": "MIIT" if record.indicator.endswith("_miit_jan") else producer_of(record.source_title),
            "flag": flag, "flag_reason": flag_reason, "reference_date": reference_date, "note": note,
            "source_title": record.source_title, "source_url": record.source_url,
        })
    frame = pd.DataFrame(rows).sort_values(["indicator", "basis", "period", "year"]).reset_index(drop=True)
    check_annotations_used(frame)
    return frame, moved


def check_annotations_used(frame: pd.DataFrame) -> None:
    """Stop if a declared back-cast or dated statement no longer matches a row (the source changed)."""
    noted = set(zip(frame["indicator"], frame["year"], frame["note"]))
    for (raw, year), note in INCOME_SURVEY_BACKCAST.items():
        if (raw, year, note) not in noted:
            raise ValueError(f"urban_rural_national.csv: declared back-cast {raw} {year} not found")
    dated = set(zip(frame["year"], frame["reference_date"]))
    for (raw, year), (date, _note) in DATED_STATEMENTS.items():
        if (year, date) not in dated:
            raise ValueError(f"urban_rural_national.csv: dated statement {raw} {year} not found")


NATIONAL_DESCRIPTION = (
    "National urban and rural series gathered from stored copies of public pages (NBS releases and "
    "statistical communiqués, CNNIC reports, MOFCOM, MIIT, MARA), one row per published number, with the "
    "page it was read from. Long format: the indicator name is ours; 'period' says whether the value is "
    "annual/year-end ('year'), end of June ('jun'), reported in January ('jan') or the census date 1 Nov "
    "2020 ('nov1'); 'basis' separates values across series breaks (old_survey: rural net income and the "
    "old urban survey, which NBS still published for 2013-2014 beside the integrated survey of 2013; mixed: "
    "the 2014 ratio of urban disposable to rural net income; "
    "pre_census_2020: urbanisation and urban population as printed before the 7th-census revision; "
    "pre_2021_rebase: CNNIC rural netizens before the 2021 change). The 2012 Engel coefficients and income "
    "ratio are on the current (integrated-survey) basis: NBS back-calculated 2012 on that basis, and the 'note' "
    "column and series_breaks (first_year_backcast) say so. Statements made during a year (e.g. 5G villages, "
    "July 2024) carry their date in 'reference_date'. Bounds worded '超过90%' or '不足70%' "
    "are kept as value 90 or 70 with qualifier '>' or '<'. Rural online retail published in 万亿元 is "
    "converted to 亿元 (x10,000); the published text is kept in value_as_published. Gaps: CNNIC urban and "
    "rural penetration for most years before 2020, urbanisation 2013-2015, consumption 2013-2016, urban and "
    "rural Engel coefficients in many years (see the data appendix)."
)


def national_resource(src: Path) -> tuple[Resource, list[dict]]:
    """Resource for the national series (and rows that go to value_conflicts)."""
    frame, moved = national_frame(src)
    fields = [
        field("indicator", "string", "Indicator", "", "Our indicator name (see the data appendix).", required=True),
        field("year", "integer", "Year", "calendar year", "", 2012, 2025, required=True),
        field("period", "string", "Reference period", "", "year = annual or year-end, or a statement made during "
              "the year (its date is in reference_date); jun = end of June; jan = reported in January; nov1 = "
              "census date 1 Nov.", enum=["year", "jun", "jan", "nov1"],
              required=True),
        field("basis", "string", "Series basis", "", "Separates values across series breaks; see series_breaks.",
              enum=["current", "old_survey", "mixed", "pre_census_2020", "pre_2021_rebase"], required=True),
        field("value", "number", "Value (in 'unit')", "see unit column", "For a bound, the bound itself.",
              0, required=True),
        field("qualifier", "string", "Qualifier", "", "'=' exact; '>' more than; '<' less than (as worded).",
              enum=["=", ">", "<"], required=True),
        field("unit", "string", "Unit of value", "", "", enum=sorted({u for u, _ in NATIONAL_UNITS.values()}),
              required=True),
        field("value_as_published", "string", "Value as published", "", "Text exactly as on the page.",
              required=True),
        field("unit_as_published", "string", "Unit as published", "", ""),
        field("producer", "string", "Statistical producer", "", "NBS, CNNIC, MIIT, MOFCOM, MARA, CAC.",
              enum=["NBS", "NBS/MPS", "CNNIC", "MIIT", "MOFCOM", "MARA", "CAC", "not stated"]),
        field("flag", "string", "Flag", "", "suspect = kept but contradicted by a later report; weak_source = "
              "only a low-quality host gives it.", enum=["suspect", "weak_source"]),
        field("flag_reason", "string", "Why flagged", "", ""),
        field("reference_date", "string", "Date the value refers to (statements)", "ISO date",
              "Set where a value is a statement made during the year rather than a year-end (or end-of-period) "
              "figure: the as-of date if the source states one, otherwise the date of the statement. Empty = "
              "the usual date of the period.", pattern=ISO_DATE_PATTERN),
        field("note", "string", "Note on basis or date", "", "Why a value sits in its basis or period (e.g. "
              "2012 values that NBS back-calculated on the 2013 integrated-survey basis)."),
        field("source_title", "string", "Source as cited on the page", "", "", required=True),
        field("source_url", "string", "Page where the value was read", "", "", required=True),
    ]
    resource = Resource(
        name="national_urban_rural", path="national_urban_rural.csv",
        title="National urban-rural series: income, consumption, Engel, urbanisation, internet, e-commerce",
        description=NATIONAL_DESCRIPTION, kind="national",
        sources=[
            source("Statistical communiqués and 居民收入和消费支出情况 releases", "National Bureau of Statistics of "
                   "China (NBS)", "https://www.stats.gov.cn/sj/", table="per-row source_url (news copies)",
                   year="2013-2025"),
            source("中国互联网络发展状况统计报告 (Statistical Report on Internet Development in China), reports 37-56",
                   "China Internet Network Information Center (CNNIC)", "https://www.cnnic.net.cn/",
                   table="urban/rural penetration and netizens", year="2016-2025"),
            source("Press conferences on rural e-commerce", "Ministry of Commerce (MOFCOM)", "http://www.mofcom.gov.cn/"),
            source("Village broadband, fibre, 4G and 5G statements", "MIIT; MARA; CAC (数字中国发展报告)",
                   "https://www.miit.gov.cn/"),
        ],
        licenses=[LICENCE_OFFICIAL_NONE],
        frame=frame, fields=fields, primary_key=["indicator", "year", "period", "basis"],
        source_line="Source: NBS; CNNIC; MOFCOM; MIIT (national series, data/national_urban_rural.csv)",
        coverage=f"{frame['year'].min()}-{frame['year'].max()}; {frame['indicator'].nunique()} indicators",
    )
    return resource, moved


# --------------------------------------------------------------------------------------------
# Series breaks, value conflicts, value flags (data, not comments)
# --------------------------------------------------------------------------------------------

BREAK_COLUMNS = ["break_id", "scope", "resource", "indicators", "last_year_before", "first_year_after",
                 "basis_before", "basis_after", "kind", "description", "handling", "documented_in"]
SERIES_BREAKS = [
    ("income_survey_2013", "national", "national_urban_rural", "; ".join(INCOME_SURVEY_INDICATORS),
     2014, INCOME_SURVEY_FIRST_YEAR, "old_survey", "current", "definition",
     "NBS replaced the separate urban and rural household surveys by one integrated survey in 2013: rural "
     "net income (纯收入) became rural disposable income (可支配收入), and urban disposable income changed "
     "basis. The two bases overlap: NBS still published old-survey figures for 2013 (urban DI 26955, rural "
     "net income 8896, Engel coefficients, ratio 3.03) and rural net income for 2014 (9892), and it "
     "back-calculated 2012 on the new basis (first_year_backcast), which its retrospective reports compare "
     "directly with later years (2012 Engel coefficients 33.0 / 32.0 / 35.9, ratio 2.88; the old-survey 2012 "
     f"ratio was 24565 / 7917 = 3.10, {OLD_SURVEY_2012_URL}). The new-basis 2013 urban/rural DI and 2014 rural "
     "DI were not found.",
     "Each value carries the basis it was published on: old-survey values have basis='old_survey' (columns "
     "'__old_survey' in national_series; rural net income is its own indicator), the 2012 back-calculated "
     "values are on the current basis with a note saying so. No current-basis value is older than "
     "first_year_backcast and no old-survey value is newer than last_year_before (checked by `python -m "
     "helpers validate`). Provincial income starts in 2013 on the new basis; pre-2013 values in the raw .dta "
     "are not imported.",
     "NOTES-figure1-and-national.md B.7; urban_rural_income_population/PROVENANCE.md; NBS 2022-10-11 report "
     "(source_url of the 2012 Engel rows)"),
    ("income_ratio_2014_mixed", "national", "national_urban_rural", "urban_rural_income_ratio", 2014, 2015,
     "mixed", "current", "definition",
     "The 2014 ratio 2.92 divides urban disposable income (new basis) by rural net income (old basis). "
     "Current-basis ratios exist for 2012 (NBS back-calculation) and from 2015; none was found for 2013-2014.",
     "basis='mixed'; a separate column in national_series.", "NOTES-figure1-and-national.md B.7"),
    ("urbanisation_census_2020", "national", "national_urban_rural", "urbanization_rate; urban_population",
     2019, 2020, "pre_census_2020", "current", "census_revision",
     "The 2016-2019 national urbanisation rates and urban population were printed before the 7th census "
     "(1 Nov 2020). NBS later revised 2011-2019 upward (e.g. 2017: 58.52 printed, 60.24 revised), but the "
     "revised national values were not found. 2020 is the census value (63.89, 1 Nov); 2021-2024 are on the "
     "post-census basis.",
     "basis='pre_census_2020' for 2016-2019 (separate '__pre_census_2020' columns); the census value has "
     "period='nov1'. Never compute growth across 2019/2020 from these rows.",
     "NOTES-figure1-and-national.md B.6; urban_rural_income_population/PROVENANCE.md"),
    ("population_vintage_census_2020", "provincial", "population",
     "resident_population_10k; urban_population_10k; rural_population_10k", 2019, 2020,
     "census_revised", "census_revised", "vintage",
     "Provincial population for 2016-2019 is the current NBS platform series, revised after the 7th census; it "
     "differs from the yearbook prints (national 2019: 141008 here, 140005 printed).",
     "No split needed inside our data (one vintage); do not mix with printed yearbook levels or with the "
     "national pre-census prints.", "urban_rural_income_population/PROVENANCE.md"),
    ("urbanisation_census_2010_provincial", "provincial", "nbs_macro",
     "urbanisation_rate_pct_pre2010; urbanisation_rate_pct", 2009, 2010, "pre_census_2010", "current",
     "census_revision",
     "The provincial urbanisation series jumps in 2010 (6th census), e.g. Jiangsu 55.6 -> 60.58, Guizhou "
     "29.89 -> 33.81. Values for 2016-2024 match the census-2020-revised population (max 0.14 pp); the "
     "vintage of 2010-2015 was not verified.",
     "2005-2009 are in urbanisation_rate_pct_pre2010, 2010-2024 in urbanisation_rate_pct.",
     "nbs_fsnd_renjiyi/PROVENANCE.md; checked when importing"),
    ("cnnic_rural_netizens_2021", "national", "national_urban_rural", "rural_netizens", 2020, 2021,
     "pre_2021_rebase", "current", "rebase",
     "CNNIC rural netizens fall from 3.09 (Dec 2020) to 2.84 (Dec 2021) while rural penetration rises "
     "(55.9 -> 57.6): a re-basing, probably to the 2020 census (cause not verified). The rural share of "
     "netizens is built on the same headcount and may be affected too.",
     "basis='pre_2021_rebase' up to 2020 (incl. Jun 2019/2020); no growth across 2020/2021.",
     "NOTES-figure1-and-national.md B.1"),
    ("farm_machinery_2016", "provincial", "agri_inputs",
     "agri_machinery_power_10k_kw_pre2016; agri_machinery_power_10k_kw", 2015, 2016, "pre_2016", "current",
     "rebase",
     "Total power of agricultural machinery was re-based in 2016 after the 3rd agricultural census "
     "(national 111,728 -> 97,246 10k kW).",
     "2010-2015 in agri_machinery_power_10k_kw_pre2016, 2016-2023 in agri_machinery_power_10k_kw; use levels "
     "or growth only within a segment.", "techme_yearbook_sci_tech_rural/PROVENANCE.md"),
    ("rural_electricity_2020", "provincial", "rural_electricity",
     "rural_electricity_100m_kwh_2016_2019; rural_electricity_100m_kwh", 2019, 2020, "pre_2020", "current",
     "definition",
     "Rural electricity consumption changes coverage between 2019 and 2020 (national 9,482.87 -> 6,210.98; "
     "Shanghai 1,102.04 -> 10.18 while Hunan 132.98 -> 309.88). No note in the export.",
     "2016-2019 and 2020-2024 are separate columns; 2022 and Beijing 2024 are flagged suspect in value_flags.",
     "nbs_rural_electricity_gdp_structure_rain118/PROVENANCE.md"),
    ("ceads_sectoral_vs_apparent", "provincial", "co2_ceads_sectoral; energy",
     "co2_sectoral_mt; co2_apparent_mt", None, None, "sectoral", "apparent", "method",
     "CEADs publishes a sectoral (IPCC) inventory and an apparent-consumption (reference approach) inventory. "
     "They differ strongly for coal provinces (Shanxi 2013: 1,499 Mt apparent vs 509 Mt sectoral; 81% of "
     "province-years differ by more than 5%).",
     "Two resources and two column names; never mixed or spliced. The sectoral inventory ends in 2019.",
     "ceads_provincial_co2_openclimate/PROVENANCE.md; energy_panel_wangmeng/PROVENANCE.md"),
    ("gdp_vintage_2023_census", "provincial", "nbs_macro; gdp_structure",
     "gdp_100m_yuan; gdp_first_published_100m_yuan; secondary_share_first_published_pct; va_*", None, None,
     "first_published", "revised_5th_economic_census", "vintage",
     "NBS revised 1992-2023 regional GDP after the 5th economic census (2023). The revised GDP and the VA "
     "by sector are one vintage; the first-published GDP and the secondary share in nbs_macro are the "
     "yearbook vintage (they differ by up to 11 pp, Qinghai 2016).",
     "Separate columns per vintage; compute shares within one vintage only.",
     "nbs_rural_electricity_gdp_structure_rain118/PROVENANCE.md; nbs_fsnd_renjiyi/PROVENANCE.md"),
    ("so2_2016_method", "provincial", "energy", "so2_emissions_10k_t", 2015, 2016, "pre_2016", "current",
     "method", "SO2 emissions have a break in 2016 (change in environmental statistics method).",
     "Kept as one column with this break recorded; do not compute growth across 2015/2016.",
     "energy_panel_wangmeng/PROVENANCE.md"),
    ("highway_mileage_2006", "provincial", "transport", "highway_mileage_10k_km", 2005, 2006, "pre_2006",
     "current", "coverage", "Provincial highway mileage before 2006 excludes village roads (2005 provinces sum "
     "to 193.0 vs national 334.5 10k km).", "2005 is not imported.",
     "transport_resident_income_ahia11/PROVENANCE.md"),
    ("resident_income_2013", "provincial", "income_consumption", "resident_disposable_income_yuan", 2012, 2013,
     "unverified", "integrated_survey", "definition",
     "All-resident disposable income exists from the 2013 integrated survey; the source's 2005-2012 values "
     "have no stated origin.", "Only 2013-2024 are imported.",
     "transport_resident_income_ahia11/PROVENANCE.md"),
    ("pku_subindex_release", "provincial", "digital_finance",
     "dfiic_monetary_fund; dfiic_investment; dfiic_credit_investigation",
     None, None, "", "", "coverage",
     "Some PKU-DFIIC business sub-indices were not published in some years (products not yet launched; not "
     "published from 2019 for regulatory reasons).", "Missing cells stay missing.",
     "pku_dfiic_province/PROVENANCE.md"),
]


# break_id -> first year the producer published on the new basis by back-calculation (before the change).
BREAK_BACKCASTS = {"income_survey_2013": INCOME_SURVEY_BACKCAST_YEAR,
                   "income_ratio_2014_mixed": INCOME_SURVEY_BACKCAST_YEAR}


def breaks_frame() -> pd.DataFrame:
    """SERIES_BREAKS as a frame, with first_year_backcast after first_year_after."""
    frame = pd.DataFrame(SERIES_BREAKS, columns=BREAK_COLUMNS)
    unknown = set(BREAK_BACKCASTS) - set(frame["break_id"])
    if unknown:
        raise ValueError(f"BREAK_BACKCASTS names unknown breaks {sorted(unknown)}")
    backcast = frame["break_id"].map(BREAK_BACKCASTS).astype("Int64")
    frame.insert(frame.columns.get_loc("first_year_after") + 1, "first_year_backcast", backcast)
    for column in ("last_year_before", "first_year_after"):
        frame[column] = frame[column].astype("Int64")
    return frame


def breaks_resource() -> Resource:
    """Series breaks as a table."""
    frame = breaks_frame()
    fields = [
        field("break_id", "string", "Break id", "", "", required=True),
        field("scope", "string", "Scope", "", "", enum=["national", "provincial"], required=True),
        field("resource", "string", "Resource(s) affected", "", "", required=True),
        field("indicators", "string", "Indicators or columns affected", "", "Semicolon-separated.", required=True),
        field("last_year_before", "integer", "Last year on the old basis", "calendar year",
              "Last year for which values on the old basis were published (may overlap the new basis).",
              1990, 2030),
        field("first_year_after", "integer", "First year on the new basis", "calendar year",
              "Year the change took effect (the break year used by charts).", 1990, 2030),
        field("first_year_backcast", "integer", "First year on the new basis by back-calculation",
              "calendar year", "Set where the producer back-calculated years before first_year_after on the "
              "new basis (e.g. NBS 2012 for the 2013 survey reform); those values are stored on the new basis. "
              "Empty = no back-calculation.", 1990, 2030),
        field("basis_before", "string", "Basis before", "", ""),
        field("basis_after", "string", "Basis after", "", ""),
        field("kind", "string", "Kind of break", "", "",
              enum=["definition", "census_revision", "rebase", "method", "vintage", "coverage"], required=True),
        field("description", "string", "What changed", "", "", required=True),
        field("handling", "string", "How the data and loaders handle it", "", "", required=True),
        field("documented_in", "string", "Where the gathering notes document it", "",
              "Path under the gathered sources (not part of the repository)."),
    ]
    return Resource(
        name="series_breaks", path="series_breaks.csv", title="Known series breaks",
        description=("Every known break in a series (definition, census revision, re-basing, method, vintage, "
                     "coverage), with how data/ and the loaders keep the two sides apart."),
        kind="metadata", sources=[source("Gathering notes (PROVENANCE.md, NOTES) of the project", "this project")],
        licenses=[{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                   "title": "CC BY 4.0 (our documentation)", "redistribution": "Allowed with attribution."}],
        frame=frame, fields=fields, primary_key=["break_id"], coverage=f"{len(frame)} breaks",
    )


CONFLICT_COLUMNS = ["conflict_id", "scope", "resource", "indicator", "province_code", "year", "value_used",
                    "value_used_source", "value_other", "value_other_as_published", "value_other_source",
                    "kind", "decision", "reason"]
def relative_gap(high: float, low: float) -> float:
    """Gap of `low` below `high` as a share of `high`: 1 - low / high."""
    return 1 - low / high


def relative_gap_range(high: float, low: float, half_step: float) -> tuple[float, float]:
    """Smallest and largest 1 - low/high when both published values are rounded to +-half_step."""
    return (relative_gap(high - half_step, low + half_step), relative_gap(high + half_step, low - half_step))


def farmers_label_reason(urban=56.3, rural=35.1, overall=43.6, farmers=18.6, headline=37.5) -> str:
    """Why 18.6 is read as the farmers' score, with the gaps computed from the published scores."""
    low, high = relative_gap_range(urban, rural, 0.05)
    edge_urban, edge_rural = urban - 0.05, rural + 0.05
    return (f"Rural residents 35.1 vs urban 56.3 give a gap of {100 * relative_gap(urban, rural):.1f}%, not the "
            f"report's {headline}%: with both scores rounded to 0.1 the gap lies between {100 * low:.2f}% and "
            f"{100 * high:.2f}%, so {headline}% is reached only at the edge of the rounding interval (urban "
            f"{edge_urban:.2f}, rural {edge_rural:.2f} give {100 * relative_gap(edge_urban, edge_rural):.2f}%); "
            f"the scores are close to the headline, they do not reproduce it. Rural residents at {farmers} would "
            f"imply a {100 * relative_gap(urban, farmers):.0f}% gap, far from it; {farmers} is "
            f"{100 * relative_gap(overall, farmers):.0f}% below {overall}, as the source says ('低57%'); "
            "参考消息网 states the farmer label.")


NATIONAL_CONFLICTS = [
    ("fig1_farmers_label", "national", "digital_literacy_2021", "score (farmers)", None, 2021, 18.6,
     "fx361 (李强、孟如 2024); 参考消息网 2022-07-25 states 农民", None, "农村居民 18.6",
     "fx361.cc labels 18.6 '农村居民'", "label",
     "18.6 kept as the farmers (occupation) score; 35.1 as rural residents", farmers_label_reason()),
    ("engel_rural_2023", "national", "national_urban_rural", "engel_coefficient_rural", None, 2023, 32.4,
     "国家统计局《2023年统计公报》", 32.35, "32.35", "向运华等(2024), wxredian.com", "rounding",
     "32.4 kept in the series", "The communiqué is the primary source; 32.35 rounds to 32.4."),
    ("urbanisation_2016_rounding", "national", "national_urban_rural", "urbanization_rate", None, 2016, 57.35,
     "中新社 quoting NBS", 57.4, "57.4", "NBS rounded figure (not stored)", "rounding",
     "57.35 kept", "More precise figure; 57.4 is its rounding (NOTES B.5)."),
    ("rural_penetration_2021_miit", "national", "national_urban_rural", "rural_internet_penetration_rate", None,
     2021, 57.6, "CNNIC 49th report (Dec 2021)", 59.2, "59.2", "MIIT via 人民日报 2022-01-23 ('截至目前')",
     "different_producer", "both kept (MIIT as period='jan' 2022, producer MIIT); CNNIC used for the series",
     "Different producers and dates; CNNIC gives a consistent series (NOTES B.3)."),
    ("rural_penetration_2024_suspect", "national", "national_urban_rural", "rural_internet_penetration_rate",
     None, 2024, 65.6, "CNNIC 55th report (news copy, m.bookdao.com)", 67.3, "about 67.3 (implied)",
     "CNNIC 56th report: 69.2 in Jun 2025 = Dec 2024 + 1.9 pp", "suspect",
     "65.6 kept with flag 'suspect'; not replaced by the implied 67.3",
     "An implied value is not a published one; check the CNNIC PDF (NOTES B.2)."),
    ("income_ratio_2023_aggregator", "national", "national_urban_rural", "urban_rural_income_ratio", None, 2023,
     2.39, "国家统计局《2023年统计公报》", 2.5, "2.5:1", "fudaoke.com aggregator", "weak_source",
     "2.39 kept; 2.5 not used", "Contradicts the official communiqué (NOTES B.8)."),
    ("urban_population_2017_vintage", "national", "national_urban_rural", "urban_population", None, 2017, 81347,
     "国家统计局《2017年统计公报》 (printed, pre-census)", 84343, "84343",
     "NBS platform national export (Rain-118), census-revised", "vintage",
     "81347 kept with basis 'pre_census_2020'",
     "Two vintages of the same quantity; the revised value is the current NBS series."),
    ("urban_population_2019_vintage", "national", "national_urban_rural", "urban_population", None, 2019, 84843,
     "NBS 2019 year-end release (printed, pre-census)", 88426, "88426",
     "NBS platform national export (Rain-118), census-revised", "vintage",
     "84843 kept with basis 'pre_census_2020'", "As above; national total 2019: 140005 printed vs 141008 revised."),
]
PROVINCIAL_NOTE_CONFLICTS = [
    ("guangdong_2019_resident_income", "provincial", "income_points", "resident_disposable_income_yuan", 440000,
     2019, 39014, "hxqdsh.com (南方财富网 mirror)", 39614, "39,614", "China Daily 'Top 10' via dictall.com",
     "typo", "39014 kept", "39014 gives a smooth implied urban weight (0.689 between 0.684 and 0.694); 39614 "
     "would give 0.710."),
    ("beijing_2019_urban_mislabel", "provincial", "income_consumption", "urban_disposable_income_yuan", 110000,
     2019, 73848.51, "vervain1902 tmp_inc_urban.dta (NBS provincial urban series)", 67756, "67756",
     "phb.net.cn city ranking, labelled 'urban'", "mislabel", "73848.51 kept; 67756 not used",
     "67756 is Beijing's all-resident income."),
    ("beijing_2024_resident_income", "provincial", "income_points", "resident_disposable_income_yuan", 110000,
     2024, None, "", 80541, "80,541", "wowkorea.jp machine translation", "typo", "not recorded",
     "The same article says both Shanghai and Beijing exceed 85,000."),
]


FLAG_COLUMNS = ["resource", "column", "province_code", "year", "flag", "reason"]
NATIONAL_FLAGS = [
    ("national_urban_rural", "rural_internet_penetration_rate", None, 2024, "suspect",
     SUSPECT_ROWS[("rural_internet_penetration_rate", 2024)]),
    ("national_urban_rural", "rural_online_retail_sales", None, 2023, "weak_source",
     WEAK_SOURCE_ROWS[("rural_online_retail_sales", 2023)]),
    ("national_urban_rural", "urban_rural_income_ratio", None, 2024, "weak_source",
     WEAK_SOURCE_ROWS[("urban_rural_income_ratio", 2024)]),
]


def conflicts_resource(rows: list[tuple]) -> Resource:
    """Value conflicts as a table: both values, their sources, the one used and why."""
    frame = pd.DataFrame(rows, columns=CONFLICT_COLUMNS)
    frame["province_code"] = frame["province_code"].astype("Int64")
    fields = [
        field("conflict_id", "string", "Conflict id", "", "", required=True),
        field("scope", "string", "Scope", "", "", enum=["national", "provincial"], required=True),
        field("resource", "string", "Resource", "", "", required=True),
        field("indicator", "string", "Indicator or column", "", "", required=True),
        field("province_code", "integer", "Province code (GB/T 2260)", "", "Empty for national values."),
        field("year", "integer", "Year", "calendar year", "", 1990, 2030, required=True),
        field("value_used", "number", "Value kept in data/", "unit of the indicator", "Empty if none is used."),
        field("value_used_source", "string", "Source of the value kept", "", ""),
        field("value_other", "number", "Other value", "unit of the indicator", "Empty if not a plain number."),
        field("value_other_as_published", "string", "Other value as published", "", "", required=True),
        field("value_other_source", "string", "Source of the other value", "", "", required=True),
        field("kind", "string", "Kind of conflict", "", "",
              enum=["label", "rounding", "different_producer", "suspect", "weak_source", "vintage", "typo",
                    "mislabel", "sources_disagree"], required=True),
        field("decision", "string", "What we did", "", "", required=True),
        field("reason", "string", "Why", "", "", required=True),
    ]
    return Resource(
        name="value_conflicts", path="value_conflicts.csv", title="Conflicting values and the one used",
        description=("Every case where two sources (or two vintages) give different values for the same "
                     "quantity: both values stay on record with their sources, the one kept in data/, and why. "
                     "Rounding-only differences between overlapping sources are listed too."),
        kind="metadata", sources=[source("Gathering notes (PROVENANCE.md, NOTES) and import cross-checks",
                                         "this project")],
        licenses=[{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                   "title": "CC BY 4.0 (our documentation)", "redistribution": "Allowed with attribution."}],
        frame=frame, fields=fields, primary_key=["conflict_id"], foreign_keys=PROVINCE_FK,
        coverage=f"{len(frame)} conflicts",
    )


def flags_resource(rows: list[tuple]) -> Resource:
    """Values kept as published but flagged."""
    frame = pd.DataFrame(rows, columns=FLAG_COLUMNS)
    frame["province_code"] = frame["province_code"].astype("Int64")
    frame["year"] = frame["year"].astype("Int64")
    fields = [
        field("resource", "string", "Resource", "", "", required=True),
        field("column", "string", "Column or indicator", "", "", required=True),
        field("province_code", "integer", "Province code", "", "Empty = every province (or national)."),
        field("year", "integer", "Year", "calendar year", "Empty = every year.", 1990, 2030),
        field("flag", "string", "Flag", "", "", enum=["suspect", "weak_source", "caveat"], required=True),
        field("reason", "string", "Reason", "", "", required=True),
    ]
    return Resource(
        name="value_flags", path="value_flags.csv", title="Flagged values (kept as published)",
        description=("Values that are kept as published but should be used with care: suspect (contradicted "
                     "by an identity or a later report), weak_source, or caveat. provincial_panel(..., "
                     "drop_suspect=True) blanks the suspect ones on request; nothing is blanked by default."),
        kind="metadata", sources=[source("Gathering notes (PROVENANCE.md, NOTES) and import cross-checks",
                                         "this project")],
        licenses=[{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                   "title": "CC BY 4.0 (our documentation)", "redistribution": "Allowed with attribution."}],
        frame=frame, fields=fields, primary_key=["resource", "column", "province_code", "year", "flag"],
        foreign_keys=PROVINCE_FK, coverage=f"{len(frame)} flags",
    )


# --------------------------------------------------------------------------------------------
# Writing data/ and the descriptor
# --------------------------------------------------------------------------------------------

PACKAGE_META = {
    "profile": "tabular-data-package",
    "name": "nqpf-urban-rural-data",
    "title": "Data for the NQPF and urban-rural integration teaching and replication book",
    "description": (
        "Tidy copies of public statistics behind the book on Liu Yuyang (2024), rebuilt by "
        "tools/import_sources.py from the gathered sources, with raw files kept where their original form "
        "matters. Every value traces to a named public source; nothing is interpolated or filled. Each "
        "resource states its own sources and licence; 'kind' says how helpers.data uses it "
        "(reference, figure, national, provincial_panel, provincial_points, metadata, raw)."),
    "licenses": [{"name": "various", "title": "Per resource (see each resource's licenses)"}],
}


# Plausible ranges: the observed range of a column (values flagged suspect left out) widened by this factor
# and rounded outward to one significant digit. A unit slip (x or / 100, 10,000) lands outside; a value that
# is right but outside must be flagged suspect in value_flags (the validator then accepts it).
PLAUSIBLE_FACTOR = 4
KEY_FIELDS = {"province_code", "year", "point_id", "group_order", "difference_from_panel"}


def one_digit(value: float, up: bool) -> float:
    """value rounded to one significant digit, up (away from zero) or down (towards zero)."""
    if value == 0:
        return 0.0
    exponent = math.floor(math.log10(abs(value)))
    mantissa = abs(value) / 10 ** exponent
    digit = math.ceil(mantissa - 1e-9) if up else math.floor(mantissa + 1e-9)
    return math.copysign(float(f"{digit}e{exponent}"), value)


def plausible_bounds(values: pd.Series) -> list[float]:
    """[minimum, maximum] a column may plausibly hold: observed range widened by PLAUSIBLE_FACTOR, one digit."""
    low, high = float(values.min()), float(values.max())
    lower = one_digit(low / PLAUSIBLE_FACTOR, up=False) if low > 0 else one_digit(low * PLAUSIBLE_FACTOR, up=True)
    upper = one_digit(high * PLAUSIBLE_FACTOR, up=True) if high > 0 else one_digit(high / PLAUSIBLE_FACTOR, up=False)
    return [lower, upper]


def unflagged(frame: pd.DataFrame, resource: str, column: str, suspect: list[tuple], key: str | None = None) -> pd.Series:
    """Numeric values of `column`, without cells a suspect flag covers (key: column naming the indicator, long tables)."""
    keep = frame[column].notna()
    for flag_resource, flag_column, code, year in suspect:
        if flag_resource != resource:
            continue
        hit = (frame[key] == flag_column) if key else pd.Series(flag_column == column, index=frame.index)
        if code is not None and not pd.isna(code) and "province_code" in frame:
            hit &= frame["province_code"] == code
        if year is not None and not pd.isna(year) and "year" in frame:
            hit &= frame["year"] == year
        keep &= ~hit
    return pd.to_numeric(frame.loc[keep, column])


def declared_fields(resource: Resource, suspect: list[tuple]) -> list[dict]:
    """The schema fields with a 'plausible' range on each numeric value column (or 'plausibleBy' indicator)."""
    fields = [dict(spec) for spec in resource.fields]
    if resource.kind not in ("provincial_panel", "provincial_points", "national", "figure"):
        return fields
    for spec in fields:
        if spec["type"] not in ("number", "integer") or spec["name"] in KEY_FIELDS:
            continue
        if resource.kind == "national":
            ranges = {}
            for indicator, rows in resource.frame.groupby("indicator", sort=True):
                values = unflagged(rows, resource.name, spec["name"], suspect, key="indicator")
                if len(values):
                    ranges[indicator] = plausible_bounds(values)
            spec["plausibleBy"] = {"field": "indicator", "ranges": ranges}
            continue
        values = unflagged(resource.frame, resource.name, spec["name"], suspect)
        if len(values):
            low, high = plausible_bounds(values)
            hard = spec.get("constraints", {})  # never wider than the hard limits (e.g. a share's 0-100)
            low = max(low, hard["minimum"]) if "minimum" in hard else low
            high = min(high, hard["maximum"]) if "maximum" in hard else high
            spec["plausible"] = {"minimum": low, "maximum": high}
    return fields


def expected_shape(resource: Resource) -> dict:
    """Rows (and, for provincial panels, years and provinces per year) the validator must find."""
    expected = {"rows": len(resource.frame)}
    if resource.kind == "provincial_panel":
        counts = resource.frame.groupby("year")["province_code"].nunique()
        expected["years"] = [int(year) for year in counts.index]
        same = counts.nunique() == 1
        expected["provinces_per_year"] = int(counts.iloc[0]) if same else {str(y): int(n) for y, n in counts.items()}
    return expected


def resource_entry(resource: Resource, data_dir: Path, suspect: list[tuple] = ()) -> dict:
    """The descriptor entry for one written file (hash and size computed from the file)."""
    path = data_dir / resource.path
    entry = {"name": resource.name, "path": resource.path, "title": resource.title,
             "description": resource.description, "kind": resource.kind}
    if resource.fields:
        entry.update({"profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
                      "encoding": "utf-8"})
    else:
        entry.update({"profile": "data-resource", "format": path.suffix.lstrip(".").lower() or "bin"})
    entry.update({"bytes": path.stat().st_size, "hash": hash_string(path), "sources": resource.sources,
                  "licenses": resource.licenses})
    if resource.source_line:
        entry["source_line"] = resource.source_line
    if resource.coverage:
        entry["coverage"] = resource.coverage
    entry.update(resource.extra)
    if resource.fields:
        entry["expected"] = expected_shape(resource)
        schema = {"fields": declared_fields(resource, list(suspect)), "missingValues": [""],
                  "primaryKey": resource.primary_key}
        if resource.foreign_keys:
            schema["foreignKeys"] = resource.foreign_keys
        entry["schema"] = schema
    return entry


def write_resource(resource: Resource, data_dir: Path) -> None:
    """Write a tidy table, or copy a raw file byte for byte."""
    target = data_dir / resource.path
    if resource.raw_from is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(resource.raw_from, target)
    else:
        write_table(resource.frame, resource.fields, target)


def check_unique_panel_columns(resources: list[Resource]) -> None:
    """Panel column names must be unique across resources (provincial_panel joins by name)."""
    seen = {}
    for resource in resources:
        if resource.kind != "provincial_panel":
            continue
        for spec in resource.fields:
            if spec["name"] in ("province_code", "year"):
                continue
            if spec["name"] in seen:
                raise ValueError(f"column {spec['name']!r} in both {seen[spec['name']]} and {resource.name}")
            seen[spec["name"]] = resource.name


def build_resources(src: Path) -> list[Resource]:
    """Every resource of data/, in descriptor order."""
    national, moved_national = national_resource(src)
    resources = [provinces_resource(), digital_literacy_resource(src), national]
    conflicts = list(NATIONAL_CONFLICTS) + list(PROVINCIAL_NOTE_CONFLICTS)
    flags = list(NATIONAL_FLAGS)
    provincial, more_conflicts, more_flags = provincial_resources(src)
    resources += provincial
    conflicts += more_conflicts
    flags += more_flags
    resources += [breaks_resource(), conflicts_resource(conflicts), flags_resource(flags)]
    resources += raw_resources(src)
    if len(moved_national) != len(DROPPED_NATIONAL):
        raise ValueError(f"expected {len(DROPPED_NATIONAL)} national rows moved to conflicts, "
                         f"found {len(moved_national)}")
    return resources


def write_package(resources: list[Resource], data_dir: Path) -> None:
    """Write every resource, remove stale files, and write datapackage.json."""
    check_unique_panel_columns(resources)
    names = [r.name for r in resources]
    if len(names) != len(set(names)):
        raise ValueError(f"duplicate resource names: {sorted(n for n in names if names.count(n) > 1)}")
    data_dir.mkdir(parents=True, exist_ok=True)
    keep = {r.path for r in resources} | {DESCRIPTOR_NAME}
    for path in sorted(data_dir.rglob("*"), reverse=True):
        relative = path.relative_to(data_dir).as_posix()
        if path.is_file() and relative not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    for resource in resources:
        write_resource(resource, data_dir)
    descriptor = dict(PACKAGE_META)
    flags = next(r.frame for r in resources if r.name == "value_flags")
    suspect = [(f.resource, f.column, f.province_code, f.year) for f in flags[flags["flag"] == "suspect"].itertuples()]
    descriptor["resources"] = [resource_entry(r, data_dir, suspect) for r in resources]
    descriptor["not_redistributed"] = NOT_REDISTRIBUTED
    descriptor["not_available"] = [{"what": w, "missing": m, "where_online": o} for w, m, o in NOT_AVAILABLE]
    (data_dir / DESCRIPTOR_NAME).write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n",
                                            encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Rebuild data/ from the gathered sources."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", type=Path, default=DEFAULT_SOURCE_DIR)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    resources = build_resources(args.source_dir)
    write_package(resources, args.data_dir)
    print(f"wrote {len(resources)} resources to {args.data_dir}")
    return 0


# --------------------------------------------------------------------------------------------
# Provincial panels
# --------------------------------------------------------------------------------------------

ALIASES = alias_map(pd.DataFrame(PROVINCES, columns=["province_code", "province_zh", "province_zh_full",
                                                     "province_en", "iso_3166_2", "region"]))
NATIONAL_LABELS = {"全国", "全国合计", "national", "China"}


def with_codes(frame: pd.DataFrame, name_column: str, source_name: str) -> pd.DataFrame:
    """Frame with province_code from the names in `name_column`; national rows must be dropped before."""
    frame = frame.copy()
    frame["province_code"] = codes_for(frame[name_column], ALIASES, source_name)
    return frame


def drop_national(frame: pd.DataFrame, name_column: str) -> pd.DataFrame:
    """Rows that are not national totals."""
    return frame[~frame[name_column].astype(str).str.strip().isin(NATIONAL_LABELS)]


def wide_from_long(long: pd.DataFrame, mapping: dict, source_name: str, indicator="indicator",
                   value="value") -> pd.DataFrame:
    """Wide province-year frame: one column per mapped indicator; error on duplicate keys."""
    picked = long[long[indicator].isin(mapping)].copy()
    picked["column"] = picked[indicator].map(mapping)
    duplicated = picked.duplicated(["province_code", "year", "column"], keep=False)
    if duplicated.any():
        raise ValueError(f"{source_name}: duplicate province-year values:\n{picked[duplicated].head()}")
    wide = picked.pivot(index=["province_code", "year"], columns="column", values=value).reset_index()
    wide.columns.name = None
    return wide


def coverage_text(frame: pd.DataFrame, columns: list[str]) -> str:
    """'column: first-last (n values); ...' for a panel's indicator columns."""
    parts = []
    for column in columns:
        years = frame.loc[frame[column].notna(), "year"]
        if len(years):
            parts.append(f"{column}: {years.min()}-{years.max()} ({len(years)} province-years)")
    return "; ".join(parts)


def panel_resource(name, title, description, frame, value_fields, sources, licenses, source_line,
                   first_year, last_year, extra=None) -> Resource:
    """A provincial panel resource keyed by province_code + year (rows with no value dropped)."""
    columns = [f["name"] for f in value_fields]
    frame = frame[["province_code", "year"] + columns].dropna(subset=columns, how="all")
    frame = frame.sort_values(["province_code", "year"]).reset_index(drop=True)
    return Resource(
        name=name, path=f"{name}.csv", title=title, description=description, kind="provincial_panel",
        sources=sources, licenses=licenses, frame=frame,
        fields=province_key_fields(first_year, last_year) + value_fields,
        primary_key=["province_code", "year"], foreign_keys=PROVINCE_FK, source_line=source_line,
        coverage=coverage_text(frame, columns), extra=extra or {},
    )


def github_source(title, repo, commit, path, publisher, table="", year=None):
    """Source entry for a file in a public GitHub repository at a commit."""
    return source(title, publisher, f"https://github.com/{repo}/blob/{commit}/{path}", table=table, year=year,
                  repository=repo, commit=commit)


NBS = "National Bureau of Statistics of China (NBS)"
NBS_FSND = "https://data.stats.gov.cn/easyquery.htm?cn=E0103"
RAIN118 = ("Rain-118/China-s-agricultural-green-transformation-monitoring-screen",
           "8c3f6b10db5db3285bdd4b3ab7ec36e03801569e")
VERVAIN = ("vervain1902/human-capital", "7186f2fe6cba332407ce96501fe28cbf60b55d16")
AHIA11 = ("ahia11/SHU-CES---ttc-platform", "151eb23771662afbb2d75e5b16658f094f386193")
RENJIYI = ("RenJiyi163/panel_data_analysis_for_thesis", "e6d65372ec36319dd3d838f5c5e12841f7c77f26")
TECHME = ("huhuaping/techme", "9ad60a190dec4a56953da9c478d42cd44c80762a")
TECEXP = ("1376524890/tec_expenditure", "e84be71b604e212df566bfb0886bf2a77c9a0449")
WANGMENG = ("WangMeng0734/china-provincial-energy-consumption-panel", "b55589e1e406719d98d8a91fd3166a3139901e95")
OPENCLIMATE = ("Open-Earth-Foundation/OpenClimate", "822037b737999c397f58b442a5a31e4098dd42e1")
PKU_REPO = ("pedrohcgs/claude-code-my-workflow", "f97ce33c8bd0084937fcd2c98b37e26c8ca24198")
STUDENT_INTERNET = ("yangyanghuiming/python-final", "82307f6566cabb8d1db25e140e63ed2f8296d0d5")
LMQ = ("1lmq/FYP_QMM2_Chinese_Railways", "ad20598b1532abab0d369ba66e7204df0bffdf87")


# ---- income and consumption -----------------------------------------------------------------

INCOME_DIR = Path(PROVINCIAL) / "urban_rural_income_population"
INCOME_COLUMNS = {  # gathered indicator -> our panel column
    "urban_disposable_income": "urban_disposable_income_yuan",
    "rural_disposable_income": "rural_disposable_income_yuan",
    "rural_consumption": "rural_consumption_yuan",
    "resident_disposable_income": "resident_disposable_income_yuan",
    "resident_consumption": "resident_consumption_yuan",
    "urban_consumption": "urban_consumption_yuan",
}
ROUNDING_TOLERANCE_YUAN = 1.0  # published integers vs 2-decimal copies of the same NBS figure


def urban_income(src: Path) -> pd.DataFrame:
    """Urban per-capita disposable income 2013-2020 from the NBS provincial series (vervain1902 copy)."""
    raw = read_csv(src / INCOME_DIR / "raw_vervain1902_human_capital" / "tmp_inc_urban.csv")
    raw = drop_national(raw, "provcd")
    raw = raw[raw["cyear"].between(2013, 2020)].rename(columns={"cyear": "year"})
    raw = with_codes(raw, "provcd", "tmp_inc_urban.csv")
    return raw[["province_code", "year"]].assign(urban_disposable_income_yuan=raw["inc_urban"])


def rural_income_2013_2015(src: Path) -> pd.DataFrame:
    """Rural disposable income 2013-2015 (new basis) from vervain1902 1_IncGap.dta (export)."""
    raw = read_csv(src / INCOME_DIR / "raw_vervain1902_human_capital" / "1_IncGap_income_columns.csv")
    raw = drop_national(raw, "prov_hanzi")
    raw = raw[raw["cyear"].between(2013, 2015)].rename(columns={"cyear": "year"})
    raw = with_codes(raw, "prov_hanzi", "1_IncGap_income_columns.csv")
    return raw[["province_code", "year"]].assign(rural_disposable_income_yuan=raw["inc_rural"])


def gathered_income_rows(src: Path) -> pd.DataFrame:
    """All rows of the two gathered long income files, with province codes."""
    frames = [read_csv(src / INCOME_DIR / name) for name in
              ("income_consumption_long.csv", "all_resident_income_consumption_long.csv")]
    rows = pd.concat(frames, ignore_index=True)
    return with_codes(rows, "province_zh", "urban_rural_income_population long files")


def resident_income(src: Path) -> pd.DataFrame:
    """All-resident disposable income 2013-2024 (ahia11 compilation of NBS 分省年度数据)."""
    raw = read_csv(src / PROVINCIAL / "transport_resident_income_ahia11" / "transport_income_long_2005_2024.csv")
    raw = raw[(raw["indicator"] == "resident_disposable_income") & (raw["year"] >= 2013)]
    raw = with_codes(raw, "province_zh", "transport_income_long_2005_2024.csv")
    return raw[["province_code", "year"]].assign(resident_disposable_income_yuan=raw["value"])


def is_panel_row(row) -> bool:
    """True for the gathered rows that form a panel column (one source per column and year range)."""
    title = str(row.source_title)
    if row.indicator in ("rural_disposable_income", "rural_consumption"):
        return "Rain-118" in title
    if row.indicator == "resident_consumption":
        return "青海统计年鉴2018 表23-15" in title
    return False


def income_frames(src: Path) -> tuple[pd.DataFrame, pd.DataFrame, list[tuple]]:
    """(panel, points, conflicts): the income panel, every other gathered value, and real conflicts."""
    rows = gathered_income_rows(src)
    used = rows[[is_panel_row(r) for r in rows.itertuples()]]
    panel = wide_from_long(used, INCOME_COLUMNS, "income long files")
    for part in (urban_income(src), rural_income_2013_2015(src), resident_income(src)):
        panel = panel.merge(part, on=["province_code", "year"], how="outer", suffixes=("", "_new"))
        for column in part.columns[2:]:
            if f"{column}_new" in panel:
                overlap = panel[column].notna() & panel[f"{column}_new"].notna()
                if overlap.any():
                    raise ValueError(f"income: two panel sources for {column}")
                panel[column] = panel[column].fillna(panel[f"{column}_new"])
                panel = panel.drop(columns=f"{column}_new")
    points = rows.drop(used.index)
    # The long file repeats the vervain1902 urban series that forms the panel column: not a second source.
    repeat = (points["indicator"] == "urban_disposable_income") & points["source_title"].str.contains("vervain1902")
    check_repeat_equals_panel(points[repeat], panel)
    points, conflicts = compare_points(points[~repeat], panel)
    return panel, points, conflicts


def check_repeat_equals_panel(repeat: pd.DataFrame, panel: pd.DataFrame) -> None:
    """Stop unless the repeated urban rows equal the panel's urban income exactly (same source)."""
    merged = repeat.merge(panel, on=["province_code", "year"])
    if len(merged) != 248 or (merged["value"] - merged["urban_disposable_income_yuan"]).abs().max() > 0.005:
        raise ValueError("income: the long file's vervain1902 urban rows differ from tmp_inc_urban.csv")


def compare_points(points: pd.DataFrame, panel: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple]]:
    """Status of each non-panel value against the panel value, and conflict rows where they differ."""
    lookup = panel.set_index(["province_code", "year"])
    statuses, differences, conflicts = [], [], []
    for row in points.itertuples():
        column = INCOME_COLUMNS[row.indicator]
        key = (row.province_code, row.year)
        panel_value = lookup[column].get(key) if column in lookup and key in lookup.index else None
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
            conflicts.append((f"income_{row.indicator}_{row.province_code}_{row.year}", "provincial",
                              "income_consumption", column, row.province_code, row.year, float(panel_value),
                              "panel source (see income_consumption)", float(row.value), str(row.value),
                              f"{row.source_title} ({row.source_url})", "sources_disagree",
                              "panel value kept", "The panel column uses one source throughout."))
    points = points.assign(status=statuses, difference_from_panel=differences)
    return points, conflicts


INCOME_DESCRIPTION = (
    "Per-capita disposable income and consumption of urban, rural and all residents by province (yuan, "
    "current prices), on the NBS integrated household survey basis (2013 onward). Each column has one "
    "source: urban income 2013-2020 is the NBS provincial urban series (copy in GitHub vervain1902/"
    "human-capital, source not stated there, but equal to every independent value: 86 of 86 within 0.5 yuan); "
    "rural income and consumption 2016-2024 are NBS 分省年度数据 exports (GitHub Rain-118); rural income "
    "2013-2015 comes from the same vervain1902 file (1_IncGap.dta, new basis; its national row equals NBS "
    "9430/10489/11422); all-resident income 2013-2024 is the NBS series as compiled in GitHub ahia11 "
    "(equal to 90 of 90 independent values); all-resident consumption only for 2017 (Qinghai Statistical "
    "Yearbook 2018, table 23-15). NOT AVAILABLE: urban income after 2020, urban consumption (any year), "
    "Engel coefficients by province. Do not derive urban income from all-resident income with population "
    "shares: NBS survey weights differ, and the derivation is about 5% low on average and up to 16% low "
    "(Tibet 2017). Scattered values from news and yearbooks are in resource income_points.")


def income_resource(src: Path) -> tuple[Resource, Resource, list[tuple]]:
    """The income/consumption panel, the scattered points, and conflicts between them."""
    panel, points, conflicts = income_frames(src)
    value_fields = [
        amount("urban_disposable_income_yuan", "Urban per-capita disposable income", "yuan per capita",
               "城镇居民人均可支配收入, 2013-2020 only (NBS provincial series via vervain1902).",
               basis="integrated_survey_2013"),
        amount("rural_disposable_income_yuan", "Rural per-capita disposable income", "yuan per capita",
               "农村居民人均可支配收入: 2016-2024 NBS export (Rain-118); 2013-2015 vervain1902 1_IncGap.dta.",
               basis="integrated_survey_2013"),
        amount("rural_consumption_yuan", "Rural per-capita consumption expenditure", "yuan per capita",
               "农村居民人均消费支出, 2016-2024 (NBS export via Rain-118).", basis="integrated_survey_2013"),
        amount("resident_disposable_income_yuan", "All-resident per-capita disposable income", "yuan per capita",
               "全体居民人均可支配收入, 2013-2024 (NBS via ahia11).", basis="integrated_survey_2013"),
        amount("resident_consumption_yuan", "All-resident per-capita consumption expenditure", "yuan per capita",
               "全体居民人均消费支出, 2017 only (Qinghai Statistical Yearbook 2018, table 23-15).",
               basis="integrated_survey_2013"),
    ]
    sources = [
        github_source("NBS provincial urban per-capita disposable income 2010-2020 (tmp_inc_urban.dta; rural "
                      "income in 1_IncGap.dta)", *VERVAIN, "1_mydata/0_Macro/tmp_inc_urban.dta",
                      "vervain1902 (LiuZiyu), compiled from NBS; original source not stated", year=2024),
        github_source("NBS 分省年度数据 exports: 农村居民人均可支配收入, 农村居民人均消费支出 (2016-2024)", *RAIN118,
                      "分省数据/数据/农村居民人均可支配收入/农村居民人均可支配收入 (元).csv", NBS, year=2026),
        github_source("NBS 分省年度数据 全体居民人均可支配收入 (merged_provincial_data.json)", *AHIA11,
                      "public/data/merged_provincial_data.json", "ahia11, compiled from NBS (source not stated)",
                      year=2025),
        source("青海统计年鉴2018 表23-15 各地区全体居民人均收支及排序(2017年)", "青海省统计局 (Qinghai Statistics Bureau)",
               "http://tjj.qinghai.gov.cn/nj/2018/html/2315.htm", table="23-15", year=2018),
        source("NBS 分省年度数据 → 人民生活 (where the missing urban series can be downloaded when online)", NBS,
               NBS_FSND),
    ]
    resource = panel_resource(
        "income_consumption", "Urban, rural and all-resident income and consumption by province",
        INCOME_DESCRIPTION, panel, value_fields, sources, [LICENCE_OFFICIAL_NONE],
        "Source: NBS household survey by province (data/income_consumption.csv)", 2013, 2024)
    points_resource = income_points_resource(points)
    return resource, points_resource, conflicts


def income_points_resource(points: pd.DataFrame) -> Resource:
    """Every gathered income/consumption value not used as a panel value, with its source."""
    frame = points.assign(indicator=points["indicator"].map(INCOME_COLUMNS))
    frame = frame.sort_values(["indicator", "province_code", "year", "source_title"]).reset_index(drop=True)
    frame["point_id"] = range(1, len(frame) + 1)
    fields = [
        field("point_id", "integer", "Row id", "", "", 1, required=True),
        field("province_code", "integer", "Province code (GB/T 2260)", "", "", required=True),
        field("year", "integer", "Year", "calendar year", "", 2013, 2024, required=True),
        field("indicator", "string", "Indicator (panel column name)", "", "",
              enum=sorted(set(INCOME_COLUMNS.values())), required=True),
        amount("value", "Value", "yuan per capita"),
        field("status", "string", "Relation to the panel value", "", "agrees_with_panel (within 1 yuan), "
              "differs_from_panel (see value_conflicts), only_source (no panel value).",
              enum=["agrees_with_panel", "differs_from_panel", "only_source"], required=True),
        field("difference_from_panel", "number", "Value minus panel value", "yuan per capita", ""),
        field("source_title", "string", "Source", "", "", required=True),
        field("source_url", "string", "URL", "", "", required=True),
    ]
    return Resource(
        name="income_points", path="income_points.csv",
        title="Scattered provincial income and consumption values (news, yearbooks) with their sources",
        description=("Values gathered from provincial yearbooks, news rankings and Wikipedia mirrors that are "
                     "not a panel column: urban income 2016-2018 from the XJBT yearbook and Fujian/Qinghai "
                     "yearbooks (they corroborate the panel), partial all-resident income (top-10 rankings), "
                     "urban consumption (Qinghai 2016; Shanghai and Qinghai 2022) and urban income 2022 "
                     "(Shanghai, Qinghai). Kept so that every gathered number stays on record."),
        kind="provincial_points",
        sources=[source("Per-row source_title and source_url (NBS figures as reported)", "various",
                        "http://tjj.xjbt.gov.cn/2020nj/table/fl1-05.htm",
                        table="e.g. XJBT Statistical Yearbook 2020, appendix 1-5"),
                 source("NBS 分省年度数据 → 人民生活", NBS, NBS_FSND)],
        licenses=[LICENCE_OFFICIAL_NONE], frame=frame, fields=fields, primary_key=["point_id"],
        foreign_keys=PROVINCE_FK, coverage=f"{len(frame)} values",
    )


# ---- population --------------------------------------------------------------------------------

def population_resource(src: Path) -> Resource:
    """Year-end resident, urban and rural population by province (census-2020-revised NBS vintage)."""
    raw = read_csv(src / INCOME_DIR / "population_long.csv")
    raw = with_codes(raw, "province_zh", "population_long.csv")
    mapping = {"resident_population_year_end": "resident_population_10k",
               "urban_population_year_end": "urban_population_10k",
               "rural_population_year_end": "rural_population_10k"}
    wide = wide_from_long(raw, mapping, "population_long.csv")
    value_fields = [
        amount("resident_population_10k", "Year-end resident population", "10,000 persons",
               "年末常住人口, 2015-2024 (NBS export via GitHub 1lmq).", basis="census_2020_revised"),
        amount("urban_population_10k", "Year-end urban population", "10,000 persons",
               "城镇人口, 2016-2024 (NBS export via Rain-118).", basis="census_2020_revised"),
        amount("rural_population_10k", "Year-end rural population", "10,000 persons",
               "乡村人口, 2016-2024 (NBS export via Rain-118).", basis="census_2020_revised"),
    ]
    return panel_resource(
        "population", "Resident, urban and rural population by province",
        ("Year-end resident population (2015-2024) and urban and rural population (2016-2024), from NBS "
         "分省年度数据 exports. 2016-2019 are the series revised after the 2020 census, not the yearbook prints; "
         "urban + rural equals resident population in 278 of 279 province-years (the other by 1, rounding). "
         "Population for 2013-2014 (and urban/rural for 2015) was not found."),
        wide, value_fields,
        [github_source("NBS 分省年度数据 exports 城镇人口, 乡村人口 (万人)", *RAIN118, "分省数据/数据/人口/城镇人口 (万人).csv",
                       NBS, year=2026),
         github_source("NBS 分省年度数据 export 年末常住人口(万人), 2015-2024", *LMQ, "分省年度数据.csv", NBS, year=2025)],
        [LICENCE_OFFICIAL_NONE], "Source: NBS 分省年度数据 (data/population.csv)", 2015, 2024)


# ---- NBS macro panel (fsnd, renjiyi) -------------------------------------------------------------

FSND_FILE = Path(PROVINCIAL) / "nbs_fsnd_renjiyi" / "nbs_panel_integrated_2005_2024.csv"


def nbs_macro_resource(src: Path) -> Resource:
    """GDP (two vintages), urbanisation, employment, trade, tax and investment from NBS exports."""
    raw = with_codes(read_csv(src / FSND_FILE), "地区", "nbs_panel_integrated_2005_2024.csv")
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
        amount("gdp_100m_yuan", "Regional GDP, latest revised vintage", "100 million yuan (current prices)",
               "地区生产总值, NBS series revised after the 5th economic census (2006-2024); same values as "
               "gdp_structure and sci_tech_nbs.", basis="revised_5th_economic_census"),
        amount("gdp_first_published_100m_yuan", "Regional GDP as first published", "100 million yuan (current prices)",
               "地区生产总值(当年价) as printed in the yearbooks (2005-2024).", basis="first_published"),
        amount("gdp_index_prev_year_100", "Real GDP index", "previous year = 100",
               "地区生产总值指数; Beijing missing 2015-2023 in the export."),
        share("secondary_share_first_published_pct", "Secondary industry share of GDP (first-published vintage)",
              "第二产业比重; old vintage: do not combine with gdp_structure VAs (differs by up to 11 pp).",
              basis="first_published"),
        share("urbanisation_rate_pct_pre2010", "Urbanisation rate before the 2010 census",
              "城镇化率 2005-2009, before the 6th-census level shift; not comparable with 2010+.",
              basis="pre_census_2010"),
        share("urbanisation_rate_pct", "Urbanisation rate (urban share of resident population)",
              "城镇化率 2010-2024 (NBS); 2016-2024 match the census-revised population within 0.14 pp.",
              basis="current"),
        amount("employed_persons_10k", "Employed persons", "10,000 persons",
               "就业人员数: only 2005-2010 and 2020-2024 (NBS changed the series)."),
        amount("urban_unit_employment_10k", "Employment in urban units", "10,000 persons", "城镇单位就业人员, 2008-2024."),
        amount("private_self_employed_10k", "Private and self-employed persons", "10,000 persons",
               "私营企业和个体就业人员, to 2019."),
        amount("fixed_asset_investment_100m_yuan", "Fixed-asset investment", "100 million yuan", "to 2017."),
        amount("trade_total_100m_yuan", "Imports plus exports", "100 million yuan", "进出口总额, 2016-2024 in yuan."),
        amount("trade_total_10k_usd", "Imports plus exports", "10,000 US dollars", "进出口总额, 2005-2014 in dollars."),
        amount("tax_revenue_100m_yuan", "Tax revenue", "100 million yuan", "税收收入."),
        amount("invention_patent_applications_nbs", "Invention patent applications (NBS export)", "applications",
               "发明专利申请数 as in the NBS export; see sci_tech for the S&T Yearbook series."),
    ]
    return panel_resource(
        "nbs_macro", "GDP, urbanisation, employment, trade and tax by province (NBS 分省年度数据)",
        ("Provincial panel from NBS 分省年度数据 exports compiled in GitHub RenJiyi163/panel_data_analysis_for_thesis "
         "(MIT). Two GDP vintages are separate columns. The urbanisation rate is split at the 2010 census. The "
         "export's sample-survey population counts (人口数_抽样调查) are not population and are not imported; "
         "resident population is in resource population."),
        frame, value_fields,
        [github_source("分省年度数据_整合.csv (NBS exports, integrated)", *RENJIYI, "分省年度数据_整合.csv",
                       "RenJiyi163, compiled from NBS", year=2026),
         source("分省年度数据 (provincial annual data)", NBS, NBS_FSND)],
        [licence_mit("Copyright (c) 2026 RenJiyi163")], "Source: NBS 分省年度数据 (data/nbs_macro.csv)", 2005, 2024)


# ---- GDP structure and rural electricity (Rain-118) ----------------------------------------------

RAIN_FILE = Path(PROVINCIAL) / "nbs_rural_electricity_gdp_structure_rain118" / \
    "rural_electricity_gdp_structure_long_2016_2025.csv"
VA_COLUMNS = {
    "va_primary": ("va_primary_100m_yuan", "Primary industry value added (第一产业增加值)"),
    "va_secondary": ("va_secondary_100m_yuan", "Secondary industry value added (第二产业增加值)"),
    "va_tertiary": ("va_tertiary_100m_yuan", "Tertiary industry value added (第三产业增加值)"),
    "va_agri_forestry_animal_fishery": ("va_agriculture_100m_yuan",
                                        "Agriculture, forestry, animal husbandry and fishery (农林牧渔业, incl. services)"),
    "va_industry": ("va_industry_100m_yuan", "Industry (工业)"),
    "va_construction": ("va_construction_100m_yuan", "Construction (建筑业)"),
    "va_wholesale_retail": ("va_wholesale_retail_100m_yuan", "Wholesale and retail (批发和零售业)"),
    "va_transport_storage_post": ("va_transport_100m_yuan", "Transport, storage and post (交通运输仓储和邮政业)"),
    "va_accommodation_catering": ("va_accommodation_catering_100m_yuan", "Accommodation and catering (住宿和餐饮业)"),
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
    raw = raw[raw["year"] <= 2024]  # 2025 GDP per capita has no GDP behind it (status unverified)
    mapping = {k: v[0] for k, v in VA_COLUMNS.items()} | {"gdp_per_capita": "gdp_per_capita_yuan"}
    wide = wide_from_long(raw, mapping, RAIN_FILE.name)
    value_fields = [amount(column, title, "100 million yuan (current prices)", basis="revised_5th_economic_census")
                    for column, title in VA_COLUMNS.values()]
    value_fields.append(amount("gdp_per_capita_yuan", "GDP per capita (人均地区生产总值)", "yuan per person",
                               basis="revised_5th_economic_census"))
    return panel_resource(
        "gdp_structure", "Value added by sector and GDP per capita by province, 2016-2024",
        ("Primary, secondary and tertiary value added, ten industry VAs and GDP per capita from NBS "
         "分省年度数据 exports (GitHub Rain-118), the vintage revised after the 5th economic census. GDP of the "
         "same vintage is gdp_100m_yuan in nbs_macro (identical in all 279 province-years); VA1+VA2+VA3 = GDP "
         "within 0.1. Primary VA for 2013-2015 is not available. The 2025 GDP-per-capita values in the export "
         "are not imported (no GDP behind them)."),
        wide, value_fields,
        [github_source("NBS 分省年度数据 exports 地区生产总值和增加值, one file per province", *RAIN118,
                       "分省数据/数据/第一产业增加值GDP比重/北京市.csv", NBS, year=2026)],
        [LICENCE_OFFICIAL_NONE], "Source: NBS 分省年度数据 (data/gdp_structure.csv)", 2016, 2024)


def rural_electricity_resource(src: Path) -> tuple[Resource, list[tuple]]:
    """Rural electricity consumption split at the 2019/2020 definition break; suspect values flagged."""
    raw = rain_long(src)
    raw = raw[raw["indicator"] == "rural_electricity_consumption"]
    frame = raw[["province_code", "year"]].copy()
    frame["rural_electricity_100m_kwh_2016_2019"] = raw["value"].where(raw["year"] <= 2019)
    frame["rural_electricity_100m_kwh"] = raw["value"].where(raw["year"] >= 2020)
    value_fields = [
        amount("rural_electricity_100m_kwh_2016_2019", "Rural electricity consumption, 2016-2019 definition",
               "100 million kWh", "农村用电量 before the 2020 coverage change.", basis="pre_2020"),
        amount("rural_electricity_100m_kwh", "Rural electricity consumption, 2020- definition", "100 million kWh",
               "农村用电量 from 2020; 2022 suspect (provinces sum to 14.8% below the national total).",
               basis="current"),
    ]
    flags = [("rural_electricity", "rural_electricity_100m_kwh", None, 2022, "suspect",
              "2022 is low in most provinces against 2021 and 2023, and provinces sum to 6,618.55 vs national "
              "7,765.57 (-14.8%)."),
             ("rural_electricity", "rural_electricity_100m_kwh", 110000, 2024, "suspect",
              "Beijing 38.20 in 2024 vs 73.04 in 2023: unexplained drop, as exported.")]
    resource = panel_resource(
        "rural_electricity", "Rural electricity consumption by province, 2016-2024 (break 2019/2020)",
        ("农村用电量 from NBS exports (GitHub Rain-118). The coverage changed between 2019 and 2020 (national "
         "9,482.87 -> 6,210.98; Shanghai 1,102.04 -> 10.18 while Hunan 132.98 -> 309.88), so the two segments are "
         "separate columns. 2013-2015 are not available."),
        frame, value_fields,
        [github_source("NBS 分省年度数据 export 农村用电量(亿千瓦小时)", *RAIN118, "分省数据/数据/农村用电量/农村用电量 (亿千瓦小时).csv",
                       NBS, year=2026)],
        [LICENCE_OFFICIAL_NONE], "Source: NBS 分省年度数据 (data/rural_electricity.csv)", 2016, 2024)
    return resource, flags


# ---- S&T, agriculture inputs and budget (techme: China S&T / Rural / Statistical Yearbooks) ------

TECHME_DIR = Path(PROVINCIAL) / "techme_yearbook_sci_tech_rural" / "clean_long"
# (dataset, variable code) -> (column, title, unit, {unit in source: factor to our unit})
TECHME_SCI = {
    ("RDActivity", "v4_zh_nbzc_hj"): ("rd_internal_exp_10k_yuan", "R&D internal expenditure (R&D经费内部支出)",
                                      "10,000 yuan", {"万元": 1}),
    ("RDActivity", "v4_zh_nbzc_jcyj"): ("rd_basic_research_10k_yuan", "R&D expenditure on basic research",
                                        "10,000 yuan", {"万元": 1}),
    ("RDIntense", "v4_ztr_jf_RD"): ("rd_exp_100m_yuan", "R&D expenditure (R&D经费)", "100 million yuan", {"亿元": 1}),
    ("RDIntense", "v4_ztr_qd_RD"): ("rd_intensity_pct", "R&D intensity (R&D expenditure / GDP, as published)",
                                    "percent of GDP", {"%": 1}),
    ("RDLaborHour", "v4_zh_qsdl_hj"): ("rd_fte_person_years", "R&D personnel, full-time equivalent",
                                       "person-years", {"人年": 1}),
    ("RDLaborHour", "v4_zh_qsdl_yjry"): ("rd_researchers_fte_person_years", "R&D researchers, full-time equivalent",
                                         "person-years", {"人年": 1}),
    ("RDSource", "v4_zh_nbzc_zfzj"): ("rd_exp_government_funds_10k_yuan", "R&D expenditure funded by government",
                                      "10,000 yuan", {"万元": 1}),
    ("RDSource", "v4_zh_nbzc_qyzj"): ("rd_exp_enterprise_funds_10k_yuan", "R&D expenditure funded by enterprises",
                                      "10,000 yuan", {"万元": 1}),
    ("RDPatentAccept", "v4_cg_zlsq_hj"): ("patent_applications", "Patent applications (all types)", "applications",
                                          {"件": 1}),
    ("RDPatentAccept", "v4_cg_zlsq_fm"): ("invention_patent_applications", "Invention patent applications",
                                          "applications", {"件": 1}),
    ("RDPatentAuthority", "v4_cg_zlsq2_hj"): ("patent_grants", "Patents granted (all types)", "patents", {"件": 1}),
    ("RDPatentAuthority", "v4_cg_zlsq2_fm"): ("invention_patent_grants", "Invention patents granted", "patents",
                                              {"件": 1}),
    ("RDPatentValid", "v4_cg_zlsyx_hj"): ("valid_patents", "Valid patents (all types)", "patents", {"件": 1}),
    ("RDPatentValid", "v4_cg_zlsyx_fm"): ("valid_invention_patents", "Valid invention patents", "patents", {"件": 1}),
    ("MarketPush", "v4_cg_jssc_je"): ("tech_market_outflow_10k_yuan",
                                      "Technology contracts sold (输出技术), value = NBS 技术市场成交额", "10,000 yuan",
                                      {"万元": 1}),
    ("MarketPull", "v4_cg_jssr_je"): ("tech_market_inflow_10k_yuan", "Technology contracts bought (吸纳技术), value",
                                      "10,000 yuan", {"万元": 1}),
    ("IndustryOperation", "v4_cy_scjy_zyyw"): ("hightech_revenue_100m_yuan",
                                               "High-tech industry main business revenue", "100 million yuan",
                                               {"亿元": 1}),
    ("IndustryOperation", "v4_cy_scjy_qys"): ("hightech_firms", "High-tech industry enterprises", "enterprises",
                                              {"个": 1}),
}
TECHME_AGRI = {
    ("AgriMachine", "v7_sctj_nyjx_zdl"): ("agri_machinery_power_10k_kw", "Total power of agricultural machinery "
                                          "(农业机械总动力)", "10,000 kW", {"万千瓦": 1}),
    ("AgriFertilizer", "v7_sctj_nyhf_hj"): ("fertilizer_use_10k_t", "Chemical fertiliser use (化肥施用量, "
                                            "pure nutrient)", "10,000 tonnes", {"万吨": 1}),
    ("AgriPesticide", "v7_sctj_cyny_nysy"): ("pesticide_use_10k_t", "Pesticide use (农药使用量)", "10,000 tonnes",
                                             {"万吨": 1, "吨": 1e-4}),
    ("AgriPesticide", "v7_sctj_cyny_cysy"): ("agri_diesel_use_10k_t", "Agricultural diesel use (农用柴油使用量)",
                                             "10,000 tonnes", {"万吨": 1}),
    ("AgriPlastic", "v7_sctj_nybm_bmsy"): ("agri_film_use_10k_t", "Agricultural plastic film use (农用薄膜使用量)",
                                           "10,000 tonnes", {"万吨": 1, "吨": 1e-4}),
    ("AgriMachine", "v7_sctj_nyjx_jgmj"): ("machine_ploughed_area_1000_ha", "Machine-ploughed area (机耕面积)",
                                           "1,000 hectares", {"千公顷": 1}),
}
TECHME_BUDGET = {
    ("PublicBudget", "v6_cz_yszc_hj"): ("budget_exp_total_100m_yuan", "General public budget expenditure (total)",
                                        "100 million yuan", {"亿元": 1}),
    ("PublicBudget", "v6_cz_yszc_jy"): ("budget_exp_education_100m_yuan", "Budget expenditure: education",
                                        "100 million yuan", {"亿元": 1}),
    ("PublicBudget", "v6_cz_yszc_kxjs"): ("budget_exp_sci_tech_100m_yuan", "Budget expenditure: science and technology",
                                          "100 million yuan", {"亿元": 1}),
    ("PublicBudget", "v6_cz_yszc_nls"): ("budget_exp_agri_forestry_water_100m_yuan",
                                         "Budget expenditure: agriculture, forestry and water", "100 million yuan",
                                         {"亿元": 1}),
}


def techme_wide(src: Path, spec: dict) -> pd.DataFrame:
    """Wide province-year frame from techme clean_long files, converting units as listed in `spec`."""
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
            parts.append(rows.assign(column=column, value=rows["value"] * rows["units"].map(factors)))
    long = pd.concat(parts, ignore_index=True)
    return wide_from_long(long, {c: c for c in long["column"].unique()}, "techme", indicator="column")


TECHME_SOURCES = [
    github_source("techme: China S&T, Rural and Statistical Yearbook tables digitised as an R data package",
                  *TECHME, "data/", "Hu Huaping (Northwest A&F University)", year=2026),
]


def sci_tech_resource(src: Path) -> Resource:
    """R&D, patents, technology market and high-tech industry by province, 2010-2023."""
    wide = techme_wide(src, TECHME_SCI)
    value_fields = [amount(c, t, u) if c != "rd_intensity_pct" else share(c, t)
                    for (c, t, u, _f) in TECHME_SCI.values()]
    for spec in value_fields:
        if spec["name"] == "rd_intensity_pct":
            spec["unit"] = "percent of GDP"
    return panel_resource(
        "sci_tech", "R&D, patents, technology market and high-tech industry by province (S&T Yearbook)",
        ("Provincial science and technology indicators from the China Statistical Yearbook on Science and "
         "Technology (中国科技统计年鉴), digitised in the MIT-licensed R package techme (province names cleaned "
         "of OCR errors; values unchanged). 'year' is the data year. Technology-market values exist for 2000, 2005, "
         "2010 and 2012-2023 (none for 2011); high-tech industry is missing for 2017. For 2024, see sci_tech_nbs."),
        wide, value_fields,
        TECHME_SOURCES + [source("中国科技统计年鉴 (China Statistical Yearbook on Science and Technology)", NBS,
                                 "https://www.stats.gov.cn/sj/ndsj/", year="2011-2024")],
        [licence_mit("Copyright (c) 2021 Hu Huaping")], "Source: China S&T Statistical Yearbook via techme "
        "(data/sci_tech.csv)", 2000, 2023)


def agri_inputs_resource(src: Path) -> Resource:
    """Farm machinery (split at 2016), fertiliser, pesticide, film and diesel use, 2010-2023."""
    wide = techme_wide(src, TECHME_AGRI)
    power = wide["agri_machinery_power_10k_kw"]
    wide["agri_machinery_power_10k_kw_pre2016"] = power.where(wide["year"] < 2016)
    wide["agri_machinery_power_10k_kw"] = power.where(wide["year"] >= 2016)
    value_fields = []
    for column, title, unit, _factors in TECHME_AGRI.values():
        if column == "agri_machinery_power_10k_kw":
            value_fields.append(amount("agri_machinery_power_10k_kw_pre2016", title + ", before the 2016 re-basing",
                                       unit, "2010-2015; not comparable with 2016+.", basis="pre_2016"))
            value_fields.append(amount(column, title + ", 2016 basis", unit, "2016-2023, after the re-basing "
                                       "that followed the 3rd agricultural census.", basis="current"))
        else:
            value_fields.append(amount(column, title, unit))
    return panel_resource(
        "agri_inputs", "Farm machinery and agricultural inputs by province (China Rural Statistical Yearbook)",
        ("Total power of agricultural machinery (split at the 2016 re-basing), machine-ploughed area, chemical "
         "fertiliser, pesticide, plastic film and agricultural diesel use, from the China Rural Statistical "
         "Yearbook via techme. Pesticide and film use are published in tonnes up to 2021 and in 10,000 tonnes "
         "from 2022; all are converted to 10,000 tonnes. Diesel use exists only from 2019."),
        wide, value_fields,
        TECHME_SOURCES + [source("中国农村统计年鉴 (China Rural Statistical Yearbook)", NBS,
                                 "https://www.stats.gov.cn/sj/ndsj/", year="2011-2024")],
        [licence_mit("Copyright (c) 2021 Hu Huaping")], "Source: China Rural Statistical Yearbook via techme "
        "(data/agri_inputs.csv)", 2010, 2023)


def public_budget_resource(src: Path) -> Resource:
    """General public budget expenditure by function, 2010-2023."""
    wide = techme_wide(src, TECHME_BUDGET)
    value_fields = [amount(c, t, u) for (c, t, u, _f) in TECHME_BUDGET.values()]
    return panel_resource(
        "public_budget", "General public budget expenditure by province: total, education, S&T, agriculture",
        ("一般公共预算支出 and three functional items from the China Statistical Yearbook (finance chapter) via "
         "techme, 2010-2023. 2024 totals and S&T spending are in sci_tech_nbs."),
        wide, value_fields,
        TECHME_SOURCES + [source("中国统计年鉴 第7部分 财政 (China Statistical Yearbook, public finance)", NBS,
                                 "https://www.stats.gov.cn/sj/ndsj/")],
        [licence_mit("Copyright (c) 2021 Hu Huaping")], "Source: China Statistical Yearbook via techme "
        "(data/public_budget.csv)", 2010, 2023)


def sci_tech_nbs_resource(src: Path) -> Resource:
    """NBS platform S&T panel 2011-2024: tech-market turnover, fiscal spending, R&D (2017+)."""
    raw = read_csv(src / PROVINCIAL / "nbs_sci_tech_panel_tecexp" / "provincial_panel_full_2011_2024.csv")
    raw = with_codes(raw, "province", "provincial_panel_full_2011_2024.csv")
    frame = raw[["province_code", "year"]].copy()
    frame["tech_market_turnover_100m_yuan"] = raw["tech_market_turnover"]
    frame["fiscal_expenditure_nbs_100m_yuan"] = raw["fiscal_expenditure"]
    frame["fiscal_sci_tech_exp_nbs_100m_yuan"] = raw["fiscal_sci_tech_exp"]
    frame["rd_exp_nbs_100m_yuan"] = raw["province_rd_exp"]
    value_fields = [
        amount("tech_market_turnover_100m_yuan", "Technology market turnover (技术市场成交额)", "100 million yuan",
               "Equals sci_tech.tech_market_outflow_10k_yuan / 10,000 where both exist; 2011-2024."),
        amount("fiscal_expenditure_nbs_100m_yuan", "General public budget expenditure (NBS platform)",
               "100 million yuan", "一般公共预算支出, 2011-2024."),
        amount("fiscal_sci_tech_exp_nbs_100m_yuan", "Local fiscal S&T expenditure (NBS platform)", "100 million yuan",
               "地方财政科学技术支出, 2011-2023."),
        amount("rd_exp_nbs_100m_yuan", "R&D expenditure (NBS platform / R&D bulletin)", "100 million yuan",
               "2017-2024 only."),
    ]
    return panel_resource(
        "sci_tech_nbs", "Technology market turnover, fiscal and R&D spending by province, 2011-2024 (NBS platform)",
        ("Columns of the NBS-derived panel in GitHub 1376524890/tec_expenditure that extend the yearbook series "
         "to 2024 (stated source: NBS National Data platform and the 2024 R&D bulletin). Patent counts and GDP of "
         "that panel duplicate other resources and are not imported; author-computed ratios are not imported. "
         "The repository also holds licensed CSMAR extracts: nothing from them was copied."),
        frame, value_fields,
        [github_source("provincial_panel_full.csv (NBS National Data + 2024 R&D bulletin)", *TECEXP,
                       "data/provincial_panel_full.csv", "1376524890, compiled from NBS", year=2026),
         source("分省年度数据 科技 / 财政", NBS, NBS_FSND)],
        [LICENCE_OFFICIAL_NONE], "Source: NBS National Data (data/sci_tech_nbs.csv)", 2011, 2024)


# ---- energy, CO2 ---------------------------------------------------------------------------------

ENERGY_COLUMNS = {  # source column -> (our column, title, unit)
    "Total energy consumption": ("energy_consumption_10k_tce", "Total energy consumption", "10,000 tce"),
    "Total electricity generation": ("electricity_generation_100m_kwh", "Electricity generation", "100 million kWh"),
    "Non fossil electricity generation": ("non_fossil_generation_100m_kwh", "Non-fossil electricity generation",
                                          "100 million kWh"),
    "Hydropower generation from Long": ("hydropower_generation_100m_kwh", "Hydropower generation", "100 million kWh"),
    "Raw coal production from Long": ("raw_coal_production_10k_t", "Raw coal production", "10,000 tonnes"),
    "Natural gas production from Long": ("natural_gas_production_100m_m3", "Natural gas production",
                                         "100 million cubic metres"),
    "SO2 emissions": ("so2_emissions_10k_t", "SO2 emissions (break in 2016)", "10,000 tonnes"),
    "Total apparent CO2 emissions (mt)": ("co2_apparent_mt", "CO2 emissions, CEADs APPARENT (reference-approach) "
                                          "inventory", "million tonnes CO2"),
}


def energy_resource(src: Path) -> Resource:
    """Energy consumption, generation, SO2 and CEADs apparent CO2, 1990-2025 (GDP and population omitted)."""
    raw = read_csv(src / PROVINCIAL / "energy_panel_wangmeng" / "raw_data.csv")
    raw = with_codes(raw, "Province", "energy raw_data.csv")
    frame = raw[["province_code"]].assign(year=raw["Year"])
    for column, (ours, _title, _unit) in ENERGY_COLUMNS.items():
        frame[ours] = raw[column]
    value_fields = [amount(ours, title, unit, basis="apparent" if ours == "co2_apparent_mt" else "")
                    for ours, title, unit in ENERGY_COLUMNS.values()]
    return panel_resource(
        "energy", "Energy consumption, electricity, SO2 and CEADs apparent CO2 by province",
        ("From the pre-imputation panel (raw_data.csv) of GitHub WangMeng0734/china-provincial-energy-consumption-"
         "panel: China Energy Statistical Yearbook, China Statistical Yearbook on Environment and the CEADs "
         "apparent CO2 inventory. Only these columns are imported: the panel's GDP (wrong for several provinces in "
         "2021-2022) and population (registered/resident switch in 2015) are NOT imported; use nbs_macro and "
         "population. Energy consumption is missing for Tibet (all years but 2017) and some 2020-2022 "
         "province-years. co2_apparent_mt is the APPARENT inventory: never mix it with co2_sectoral_mt. "
         "SO2 has a method break in 2016."),
        frame, value_fields,
        [github_source("raw_data.csv (pre-imputation panel)", *WANGMENG,
                       "energy-consumption-forecasting-china/02_Data/csv/raw_data.csv",
                       "Li, Li, Zhao, Wang, Wu, Wang (manuscript under review), compiled from yearbooks and CEADs",
                       year=2026),
         source("中国能源统计年鉴 (China Energy Statistical Yearbook)", NBS, "https://www.stats.gov.cn/sj/ndsj/"),
         source("CEADs provincial apparent CO2 inventory", "CEADs (Carbon Emission Accounts & Datasets)",
                "https://www.ceads.net/")],
        [{"name": "not-stated", "title": "Not stated (yearbook statistics and CEADs data, compiled)",
          "redistribution": ("The compilation states no licence; its README says the yearbooks and CEADs data "
                             "remain subject to their providers' terms. We redistribute only yearbook values and "
                             "the CEADs apparent inventory (free to use with citation of CEADs), attributed; the "
                             "compiled file itself is not copied.")}],
        "Source: China Energy Statistical Yearbook; CEADs apparent inventory (data/energy.csv)", 1990, 2025)


CEADS_CITATION = ("Guan et al. 2021 Earth's Future 9:e2021EF002241; Shan et al. 2020 Sci Data 7:54; "
                  "Shan et al. 2018 Sci Data 5:170201; Shan et al. 2016 Applied Energy 184:742-750")
CEADS_EARLY_ANOMALIES = [(460000, 2002, "Hainan 2002 = 1.0 Mt vs about 9 Mt in neighbouring years (in the source)"),
                         (640000, 2000, "Ningxia 2000-2002 about 0.8-1.1 Mt vs 17 Mt in 1999 (in the source)"),
                         (640000, 2001, "Ningxia 2000-2002 about 0.8-1.1 Mt vs 17 Mt in 1999 (in the source)"),
                         (640000, 2002, "Ningxia 2000-2002 about 0.8-1.1 Mt vs 17 Mt in 1999 (in the source)"),
                         (530000, 2004, "Yunnan 2004 dip (in the source)")]


def ceads_resource(src: Path) -> tuple[Resource, list[tuple]]:
    """CEADs sectoral-approach provincial CO2 totals, 1997-2019, 30 provinces (no Tibet)."""
    folder = src / PROVINCIAL / "ceads_provincial_co2_openclimate"
    raw = with_codes(read_csv(folder / "ceads_total_co2_mt_from_raw_xlsx.csv"), "province_en", "ceads extract")
    frame = raw[["province_code", "year"]].assign(co2_sectoral_mt=raw["co2_scope1_total_mt"])
    check_ceads_against_openclimate(frame, read_csv(folder / "EmissionsAgg_openclimate_tCO2.csv"))
    flags = [("co2_ceads_sectoral", "co2_sectoral_mt", code, year, "suspect", reason)
             for code, year, reason in CEADS_EARLY_ANOMALIES]
    resource = panel_resource(
        "co2_ceads_sectoral", "CO2 emissions by province, CEADs sectoral (IPCC) inventory, 1997-2019",
        ("Scope-1 total CO2 (47 sectors x 17 fuels plus process emissions) from the CEADs provincial inventories "
         "by the IPCC sectoral approach, read from each province sheet of the 23 yearly workbooks (cell 'Scope 1 "
         "Total' x 'Total Consumption'), as redistributed by OpenClimate. Agrees with OpenClimate's own totals "
         "(raw file kept) to rounding. 30 provinces: Tibet is not covered. 2020 onward are not in this copy. "
         "This is the SECTORAL inventory: never mix with co2_apparent_mt in energy."),
        frame, [amount("co2_sectoral_mt", "CO2 emissions, CEADs sectoral inventory (scope 1 total)",
                       "million tonnes CO2", basis="sectoral")],
        [source("Provincial CO2 emission inventory (by IPCC Sectoral Approach)", "CEADs",
                "https://ceads.net/data/province/by_sectoral_accounting/Provincial/", year="1997-2019",
                citation=CEADS_CITATION),
         github_source("CEADS_china_provinces raw workbooks and EmissionsAgg.csv", *OPENCLIMATE,
                       "harmonize/data/raw/CEADS_china_provinces/", "Open Earth Foundation (OpenClimate)", year=2023)],
        [{"name": "CEADs-terms", "title": "CEADs: freely available, cite CEADs and the papers",
          "path": "https://ceads.net/", "redistribution": ("Freely available to the public; users must cite "
                                                           f"CEADs and {CEADS_CITATION}. OpenClimate's compilation "
                                                           "is Apache-2.0.")}],
        "Source: CEADs provincial CO2 inventories, sectoral approach (data/co2_ceads_sectoral.csv)", 1997, 2019)
    return resource, flags


def check_ceads_against_openclimate(frame: pd.DataFrame, openclimate: pd.DataFrame) -> None:
    """Stop if the extracted Mt totals differ from OpenClimate's tonnes by more than 0.01 Mt."""
    iso = {row[4]: row[0] for row in PROVINCES}
    other = openclimate.assign(province_code=openclimate["actor_id"].map(iso),
                               other_mt=openclimate["total_emissions"] / 1e6)
    merged = frame.merge(other[["province_code", "year", "other_mt"]], on=["province_code", "year"])
    worst = (merged["co2_sectoral_mt"] - merged["other_mt"]).abs().max()
    if len(merged) < 600 or worst > 0.01:
        raise ValueError(f"CEADs extract vs OpenClimate: {len(merged)} matches, max |diff| {worst} Mt")


# ---- internet, digital finance, transport ---------------------------------------------------------

def internet_resource(src: Path) -> Resource:
    """CNNIC internet penetration rate by province, 2010-2016."""
    raw = read_csv(src / PROVINCIAL / "internet_penetration_2010_2016" / "internet_penetration_long_2010_2016.csv")
    raw = with_codes(raw, "province_zh", "internet_penetration_long_2010_2016.csv")
    frame = raw[["province_code", "year"]].assign(internet_penetration_pct=raw["value"])
    return panel_resource(
        "internet_penetration", "Internet penetration rate by province, 2010-2016 (CNNIC)",
        ("互联网普及率 (netizens / resident population) by province, 2010-2016, from a table in a student project "
         "on GitHub (source not stated). It reproduces CNNIC's statement that 14 provinces exceeded the national "
         "rate in 2015, Hainan and Inner Mongolia being the two additions on 2014. No provincial values after "
         "2016 were found (they are in the provincial tables of later CNNIC reports)."),
        frame, [share("internet_penetration_pct", "Internet penetration rate (互联网普及率)",
                      "Percent of resident population (CNNIC definition).")],
        [source("中国互联网络发展状况统计报告 (provincial tables)", "CNNIC", "https://www.cnnic.net.cn/", year="2011-2017"),
         github_source("data/Internet penetration.csv", *STUDENT_INTERNET, "data/Internet penetration.csv",
                       "yangyanghuiming (student project; source not stated)")],
        [{"name": "not-stated", "title": "Not stated (CNNIC statistics in an unlicensed student file)",
          "redistribution": ("No licence and no stated source; the values are CNNIC's published provincial "
                             "statistics (a state body's statistics), which we redistribute as facts with "
                             "attribution.")}],
        "Source: CNNIC, provincial internet penetration (data/internet_penetration.csv)", 2010, 2016)


PKU_COLUMNS = {
    "index_aggregate": ("dfiic_index", "Digital financial inclusion index (总指数)"),
    "coverage_breadth": ("dfiic_coverage_breadth", "Coverage breadth (覆盖广度)"),
    "usage_depth": ("dfiic_usage_depth", "Usage depth (使用深度)"),
    "digitization_level": ("dfiic_digitization_level", "Digitisation level (数字化程度)"),
    "payment": ("dfiic_payment", "Payment sub-index"),
    "insurance": ("dfiic_insurance", "Insurance sub-index"),
    "monetary_fund": ("dfiic_monetary_fund", "Monetary fund sub-index (2013-2018)"),
    "investment": ("dfiic_investment", "Investment sub-index (2014-2023)"),
    "credit": ("dfiic_credit", "Credit sub-index"),
    "credit_investigation": ("dfiic_credit_investigation", "Credit investigation sub-index (2015-2018)"),
}
PKU_CITATION = ("郭峰、王靖一、王芳、孔涛、张勋、程志云 (2020) 测度中国数字普惠金融发展：指数编制与空间特征. 经济学(季刊) "
                "19(4): 1401-1418")


def digital_finance_resource(src: Path) -> tuple[Resource, list[tuple]]:
    """Peking University Digital Financial Inclusion Index by province, 2011-2023."""
    raw = read_csv(src / PROVINCIAL / "pku_dfiic_province" / "pku_dfiic_province_2011_2023.csv")
    raw = with_codes(raw, "province_zh", "pku_dfiic_province_2011_2023.csv")
    if not (raw["province_code"] == raw["prov_code"] * 10000).all():
        raise ValueError("PKU-DFIIC: province names and 2-digit codes disagree")
    frame = raw[["province_code", "year"]].copy()
    for column, (ours, _title) in PKU_COLUMNS.items():
        frame[ours] = raw[column]
    flags = [("digital_finance", "dfiic_payment", code, 2011, "caveat",
              "payment sub-index is 0.00 in 2011 as published; logs need care") for code in (540000, 630000)]
    resource = panel_resource(
        "digital_finance", "Peking University Digital Financial Inclusion Index (PKU-DFIIC) by province, 2011-2023",
        ("北京大学数字普惠金融指数, 2011-2023 edition: aggregate index, three first-level dimensions and six business "
         "sub-indices, in index points (2011 base; higher = more inclusion). Values as released (2 decimals for "
         "2011-2015, full precision after). Gaps in monetary fund, investment and credit investigation are in the "
         "release. Zhejiang 2011-2020 equals an independent copy of the 2011-2020 edition."),
        frame, [amount(ours, title, "index points (2011 base)") for ours, title in PKU_COLUMNS.values()],
        [source("北京大学数字普惠金融指数 (PKU-DFIIC) 2011-2023", "北京大学数字金融研究中心 & 蚂蚁科技集团研究院 (Institute of "
                "Digital Finance, Peking University)", "https://idf.pku.edu.cn/zsbz/index.htm", year=2024,
                citation=PKU_CITATION),
         github_source("PKU_DFIIC_province.dta (cleaned from the official workbook)", *PKU_REPO,
                       "PKU_DFIIC_province.dta", "QianbinDou (pull request 124)", year=2026)],
        [{"name": "free-research-use-with-citation", "title": "Free for research use; cite Guo et al. (2020)",
          "path": "https://idf.pku.edu.cn/", "redistribution": ("Published by the PKU Institute of Digital Finance "
                                                               "for free research use with citation of Guo et al. "
                                                               "(2020); redistributed here for teaching and "
                                                               "replication with that citation. The host repo's MIT "
                                                               "licence covers its template, not the data.")}],
        "Source: Peking University Digital Financial Inclusion Index (Guo et al. 2020) (data/digital_finance.csv)",
        2011, 2023)
    return resource, flags


TRANSPORT_COLUMNS = {
    "highway_mileage": ("highway_mileage_10k_km", "Highway mileage (公路里程)", "10,000 km"),
    "railway_operating_mileage": ("railway_mileage_10k_km", "Railway operating mileage (铁路营业里程)", "10,000 km"),
    "expressway_mileage": ("expressway_mileage_10k_km", "Expressway mileage (高速公路里程)", "10,000 km"),
    "civil_vehicles": ("civil_vehicles_10k", "Civil motor vehicles owned (民用汽车拥有量)", "10,000 vehicles"),
    "passenger_traffic_total": ("passenger_traffic_10k", "Passenger traffic, all modes (客运量)", "10,000 persons"),
    "passenger_traffic_highway": ("passenger_traffic_highway_10k", "Passenger traffic by highway", "10,000 persons"),
    "passenger_traffic_railway": ("passenger_traffic_railway_10k", "Passenger traffic by railway", "10,000 persons"),
    "passenger_traffic_waterway": ("passenger_traffic_waterway_10k", "Passenger traffic by waterway",
                                   "10,000 persons"),
}


def transport_resource(src: Path) -> tuple[Resource, list[tuple]]:
    """Road and rail mileage, vehicles and passenger traffic by province (2005 mileage excluded)."""
    raw = read_csv(src / PROVINCIAL / "transport_resident_income_ahia11" / "transport_income_long_2005_2024.csv")
    raw = raw[raw["indicator"].isin(TRANSPORT_COLUMNS)]
    # 2005 mileage is on the pre-2006 basis (village roads not counted): not imported (see series_breaks).
    raw = raw[~((raw["year"] == 2005) & raw["indicator"].str.endswith("mileage"))]
    raw = with_codes(raw, "province_zh", "transport_income_long_2005_2024.csv")
    wide = wide_from_long(raw, {k: v[0] for k, v in TRANSPORT_COLUMNS.items()}, "transport")
    flags = [("transport", "expressway_mileage_10k_km", 540000, None, "caveat",
              "Tibet expressway is 0.00-0.04 (10,000 km, 2 decimals): under 500 km rounds to zero; missing 2007-2013")]
    resource = panel_resource(
        "transport", "Highway, railway and expressway mileage, vehicles and passenger traffic by province",
        ("NBS 分省年度数据 values (labels and units exactly NBS's) compiled in the teaching platform GitHub "
         "ahia11/SHU-CES---ttc-platform, source not stated there; provincial sums reproduce the national totals in "
         "every year. Mileage 2006-2023 (2005 excluded: old basis), vehicles 2005-2023, passenger traffic "
         "2005-2024 (pandemic drop 2020-2022). Values in 10,000 km with 2 decimals, so small provinces are coarse."),
        wide, [amount(c, t, u) for c, t, u in TRANSPORT_COLUMNS.values()],
        [github_source("public/data/merged_provincial_data.json", *AHIA11, "public/data/merged_provincial_data.json",
                       "ahia11, compiled from NBS (source not stated)", year=2025),
         source("分省年度数据 运输和邮电", NBS, NBS_FSND)],
        [{"name": "not-stated", "title": "Not stated (MIT badge without licence file; official statistics)",
          "redistribution": LICENCE_OFFICIAL_NONE["redistribution"]}],
        "Source: NBS 分省年度数据 (data/transport.csv)", 2005, 2024)
    return resource, flags


# ---- cross-source checks: same quantity in two resources ---------------------------------------

RELATIVE_TOLERANCE = 0.005  # above 0.5% two sources are said to disagree
DUPLICATE_CONCEPTS = [
    # (resource a, column a, factor a, resource b, column b, factor b, what)
    ("sci_tech", "tech_market_outflow_10k_yuan", 1e-4, "sci_tech_nbs", "tech_market_turnover_100m_yuan", 1,
     "technology market turnover"),
    ("public_budget", "budget_exp_total_100m_yuan", 1, "sci_tech_nbs", "fiscal_expenditure_nbs_100m_yuan", 1,
     "general public budget expenditure"),
    ("public_budget", "budget_exp_sci_tech_100m_yuan", 1, "sci_tech_nbs", "fiscal_sci_tech_exp_nbs_100m_yuan", 1,
     "fiscal S&T expenditure"),
    ("sci_tech", "rd_exp_100m_yuan", 1, "sci_tech_nbs", "rd_exp_nbs_100m_yuan", 1, "R&D expenditure"),
    ("sci_tech", "invention_patent_applications", 1, "nbs_macro", "invention_patent_applications_nbs", 1,
     "invention patent applications"),
]


def duplicate_conflicts(resources: dict[str, Resource]) -> list[tuple]:
    """Conflict rows where two resources give the same quantity and differ by more than 0.5%."""
    rows = []
    for name_a, col_a, f_a, name_b, col_b, f_b, what in DUPLICATE_CONCEPTS:
        a = resources[name_a].frame[["province_code", "year", col_a]].dropna()
        b = resources[name_b].frame[["province_code", "year", col_b]].dropna()
        merged = a.merge(b, on=["province_code", "year"])
        merged["x"], merged["y"] = merged[col_a] * f_a, merged[col_b] * f_b
        gap = (merged["x"] - merged["y"]).abs()
        # NBS columns are printed to 0.01 (亿元): a gap within half of that is rounding, not disagreement.
        differs = (gap > RELATIVE_TOLERANCE * merged[["x", "y"]].abs().max(axis=1)) & (gap > 0.005)
        for row in merged[differs].itertuples():
            rows.append((f"{col_a}_vs_{col_b}_{row.province_code}_{row.year}", "provincial", f"{name_a}; {name_b}",
                         f"{what} ({col_a} x {f_a:g} vs {col_b})", row.province_code, row.year, float(row.x),
                         f"{name_a}.{col_a}", float(row.y), format_number(float(getattr(row, col_b))),
                         f"{name_b}.{col_b}", "sources_disagree", "both kept, each in its own column",
                         f"Same quantity, two compilations differ by more than {RELATIVE_TOLERANCE:.1%}; "
                         "use one column consistently."))
    return rows


def check_same_gdp(nbs_macro: Resource, src: Path) -> None:
    """Stop if the Rain-118 GDP is not the nbs_macro revised GDP (they are documented as identical)."""
    rain = rain_long(src)
    rain = rain[(rain["indicator"] == "gdp") & (rain["year"] <= 2024)]
    merged = rain.merge(nbs_macro.frame, on=["province_code", "year"])
    worst = (merged["value"] - merged["gdp_100m_yuan"]).abs().max()
    if len(merged) != 279 or worst > 0.05:
        raise ValueError(f"GDP vintages: {len(merged)} matches, max |diff| {worst}")


# ---- raw files kept as obtained ---------------------------------------------------------------

def raw_file(key: str, number: int, path: Path, target_name: str, description: str, sources: list[dict],
             licences: list[dict]) -> Resource:
    """A raw file copied byte for byte to data/raw/<key>/."""
    return Resource(name=f"raw_{key}_{number:02d}", path=f"raw/{key}/{target_name}",
                    title=f"{target_name} (raw, as obtained)", description=description, kind="raw",
                    sources=sources, licenses=licences, raw_from=path)


def raw_group(key, folder: Path, names: list[str], description, sources, licences) -> list[Resource]:
    """Raw resources for several files of one source folder (names relative to `folder`)."""
    return [raw_file(key, i, folder / name, name, description, sources, licences)
            for i, name in enumerate(names, start=1)]


def raw_resources(src: Path) -> list[Resource]:
    """Raw files whose original form matters (NBS exports, Stata files, upstream readmes), all small."""
    prov = src / PROVINCIAL
    income = prov / "urban_rural_income_population"
    rain_electric = prov / "nbs_rural_electricity_gdp_structure_rain118" / "raw_nbs_exports"
    gdp_files = sorted(p.name for p in (rain_electric / "gdp_structure_by_province").iterdir())
    nbs_export = ("Raw NBS National Data export (分省年度数据), unchanged (UTF-8 with BOM, as committed upstream). "
                  "Header lines name the database and the period; footer '数据来源：国家统计局'.")
    resources = []
    resources += raw_group("nbs_rain118_income_population", income / "raw_rain118_nbs_exports",
                           sorted(p.name for p in (income / "raw_rain118_nbs_exports").iterdir()), nbs_export,
                           [github_source("分省数据 / 全国数据 exports", *RAIN118, "分省数据/数据/", NBS, year=2026)],
                           [LICENCE_OFFICIAL_NONE])
    resources += raw_group("nbs_rain118_electricity_gdp", rain_electric,
                           sorted(p.name for p in rain_electric.iterdir() if p.is_file())
                           + [f"gdp_structure_by_province/{n}" for n in gdp_files], nbs_export,
                           [github_source("分省数据 / 全国数据 exports", *RAIN118, "分省数据/数据/", NBS, year=2026)],
                           [LICENCE_OFFICIAL_NONE])
    resources += raw_group("nbs_1lmq_population", income / "raw_1lmq_nbs_export", ["分省年度数据_年末常住人口.csv"],
                           nbs_export + " Written from the stored file text, UTF-8.",
                           [github_source("分省年度数据.csv (年末常住人口)", *LMQ, "分省年度数据.csv", NBS, year=2025)],
                           [LICENCE_OFFICIAL_NONE])
    fsnd = prov / "nbs_fsnd_renjiyi" / "raw_nbs_exports"
    resources += raw_group("nbs_fsnd_renjiyi", fsnd, sorted(p.name for p in fsnd.iterdir()),
                           "Raw NBS 分省年度数据 exports (converted GBK to UTF-8, otherwise unchanged) and the "
                           "author's budget sheet (.xls).",
                           [github_source("raw NBS exports 分省年度数据*.csv", *RENJIYI, "", NBS, year=2026)],
                           [licence_mit("Copyright (c) 2026 RenJiyi163")])
    vervain = income / "raw_vervain1902_human_capital"
    resources += raw_group("vervain1902_income", vervain, ["tmp_inc_urban.dta", "1_IncGap.dta"],
                           "Stata files exactly as committed upstream: provincial urban and rural per-capita "
                           "disposable income 2010-2020 (2010-2012 on the old survey basis, not imported).",
                           [github_source("1_mydata/0_Macro/tmp_inc_urban.dta and 1_IncGap.dta", *VERVAIN,
                                          "1_mydata/0_Macro/", "vervain1902 (LiuZiyu); source not stated", year=2024)],
                           [{"name": "not-stated", "title": "Not stated (no licence file; official statistics)",
                             "redistribution": LICENCE_OFFICIAL_NONE["redistribution"]}])
    internet = prov / "internet_penetration_2010_2016" / "raw"
    resources += raw_group("internet_penetration", internet, ["Internet penetration.csv"],
                           "The source table (wide, 地区 x 2016年...2010年), written from the stored text with LF "
                           "line endings; values unchanged.",
                           [github_source("data/Internet penetration.csv", *STUDENT_INTERNET,
                                          "data/Internet penetration.csv", "yangyanghuiming")],
                           [{"name": "not-stated", "title": "Not stated (CNNIC statistics)",
                             "redistribution": "No licence; CNNIC's published statistics, redistributed as facts with attribution."}])
    pku = prov / "pku_dfiic_province" / "raw"
    resources += raw_group("pku_dfiic", pku, ["PKU_DFIIC_province.dta", "UPSTREAM_README_PKU_DFIIC_cleaning.md"],
                           "The cleaned Stata file exactly as committed upstream, and its README (data "
                           "dictionary, missing-value notes, citation).",
                           [github_source("PKU_DFIIC_province.dta", *PKU_REPO, "PKU_DFIIC_province.dta",
                                          "QianbinDou", year=2026)],
                           [{"name": "free-research-use-with-citation", "title": "Free for research use; cite "
                             "Guo et al. (2020)", "redistribution": "Cite " + PKU_CITATION}])
    ceads = prov / "ceads_provincial_co2_openclimate"
    resources += raw_group("ceads_openclimate", ceads, ["EmissionsAgg_openclimate_tCO2.csv",
                                                        "UPSTREAM_README_OpenClimate.md"],
                           "OpenClimate's province totals of the CEADs sectoral inventory (tonnes CO2, 1998-2019, "
                           "ISO 3166-2 codes), unchanged, and OpenClimate's README with the CEADs terms. The 23 "
                           "CEADs workbooks (6.4 MB) are not copied; see not_redistributed.",
                           [github_source("harmonize/data/processed/CEADS_china_provinces/EmissionsAgg.csv",
                                          *OPENCLIMATE, "harmonize/data/processed/CEADS_china_provinces/EmissionsAgg.csv",
                                          "Open Earth Foundation", year=2023)],
                           [{"name": "CEADs-terms", "title": "CEADs: freely available, cite CEADs and the papers "
                             "(compilation Apache-2.0)", "redistribution": "Cite " + CEADS_CITATION}])
    return resources


NOT_REDISTRIBUTED = [
    {"title": "Provincial 'NQPF' index = actual / LSTM-predicted green TFP (Cao & Dai 2025, Applied Economics "
              "Letters), 31 provinces 2010-2022, plus prefectures and counties",
     "path": "https://github.com/RubyDai/New-Quality-Productive-Forces/blob/66376bdf50b386e3f656d43d942833c250ed210f/NQPF_Data_China.xlsx",
     "reason": ("No licence stated and the values are not official statistics (model output); cited only. "
                "Obtain it from the repository to use it as an external robustness series.")},
    {"title": "CEADs provincial emission inventories, 23 workbooks 1997-2019 (47 sectors x 17 fuels)",
     "path": "https://github.com/Open-Earth-Foundation/OpenClimate/tree/822037b737999c397f58b442a5a31e4098dd42e1/harmonize/data/raw/CEADS_china_provinces",
     "reason": "6.4 MB; the provincial totals are extracted to co2_ceads_sectoral.csv and checked against "
               "OpenClimate's totals (kept in data/raw/ceads_openclimate/). Also at https://ceads.net/ (account)."},
    {"title": "techme R data package, all datasets (raw_long / clean_long, 1.8 MB each) and variable dictionary",
     "path": "https://github.com/huhuaping/techme/tree/9ad60a190dec4a56953da9c478d42cd44c80762a/data",
     "reason": "Size; the variables used are extracted to sci_tech, agri_inputs and public_budget (values unchanged)."},
    {"title": "ahia11 merged_provincial_data.json and yeardatas_converted.json",
     "path": "https://github.com/ahia11/SHU-CES---ttc-platform/tree/151eb23771662afbb2d75e5b16658f094f386193/public/data",
     "reason": "Size (0.3 MB); the values used are extracted to transport and income_consumption."},
    {"title": "WangMeng0734 energy panel raw_data.csv (and its imputed files)",
     "path": "https://github.com/WangMeng0734/china-provincial-energy-consumption-panel/tree/b55589e1e406719d98d8a91fd3166a3139901e95/energy-consumption-forecasting-china/02_Data/csv",
     "reason": ("No licence; the file also holds erroneous GDP and break-prone population columns. Only the "
                "energy, SO2 and apparent-CO2 columns are extracted to energy.csv. The imputed files are never "
                "used (interpolated values).")},
    {"title": "tec_expenditure provincial_panel_full.csv (with author-computed ratios) and its CSMAR extracts",
     "path": "https://github.com/1376524890/tec_expenditure/tree/e84be71b604e212df566bfb0886bf2a77c9a0449/data",
     "reason": "No licence; only four NBS columns are extracted. The CSMAR extracts are licensed and never copied."},
    {"title": "RenJiyi163 panel_with_broad_tax.csv (author's analysis panel with derived ratios)",
     "path": "https://github.com/RenJiyi163/panel_data_analysis_for_thesis",
     "reason": "Derived values; the NBS values are imported from the integrated export instead."},
    {"title": "Figshare replication panel 'digital inclusive finance and urban-rural integration' (article 30656798)",
     "path": "https://figshare.com/articles/dataset/30656798",
     "reason": "Could not be obtained; contents unverified."},
]


NOT_AVAILABLE = [  # (what, which years or scope are missing, where to get it when online)
    ("Urban per-capita disposable income by province", "2021-2024 (2013-2020 complete)",
     "NBS 分省年度数据 → 人民生活 → 城镇居民人均可支配收入"),
    ("Urban per-capita consumption expenditure by province", "all years (points only: Qinghai 2016; Shanghai "
     "and Qinghai 2022, in income_points)", "NBS 分省年度数据 → 人民生活 → 城镇居民人均消费支出"),
    ("Engel coefficients by province, urban and rural", "all years", "provincial statistical yearbooks"),
    ("All-resident consumption by province", "all years except 2017", "NBS 分省年度数据 → 人民生活"),
    ("Digital infrastructure by province: broadband ports and users, rural broadband users, mobile users, "
     "optical cable length, base stations", "all years", "NBS 分省年度数据 → 邮电通信"),
    ("Internet penetration by province", "2017 onward", "provincial tables of the CNNIC reports"),
    ("Employment by the three sectors by province", "all years (dual-structure measures can use VA shares only)",
     "provincial yearbooks; China Labour Statistical Yearbook"),
    ("Primary-industry value added by province", "before 2016", "NBS 分省年度数据 → 国民经济核算"),
    ("Rural electricity consumption by province", "before 2016, and a series consistent across 2019/2020",
     "NBS 分省年度数据 → 能源"),
    ("Resident population by province", "before 2015 (urban and rural population before 2016)",
     "NBS 分省年度数据 → 人口"),
    ("CO2 by province on the CEADs sectoral basis", "2020 onward; Tibet in every year", "https://ceads.net/"),
    ("National urbanisation rate", "2013-2015, and the census-revised values for 2011-2019", "NBS"),
    ("National urban and rural disposable income on the new basis", "urban and rural 2013, rural 2014", "NBS"),
    ("CNNIC urban and rural internet penetration and rural netizens", "Dec 2013, 2014 and 2016-2019; rural "
     "penetration 2022", "CNNIC reports"),
    ("National consumption expenditure; urban and rural Engel coefficients", "consumption 2013-2016; Engel "
     "2014-2016, 2018, 2019, 2022, 2024", "NBS statistical communiqués"),
    ("National rural online retail sales", "2017-2019 and 2024", "MOFCOM"),
    ("Digital-literacy scores by occupation (other than farmers), age or gender", "2021 report",
     "result section of the CASS report"),
    ("Postal and telecom business volume; urban green coverage by province", "all years",
     "NBS 分省年度数据"),
]


# ---- values flagged after checks on the panels (re-verified at every import) ----------------------
# Each flag below states what the numbers show; the check behind it runs on every import and stops the
# import if the data no longer show it, so a flag never outlives the evidence for it.

PROVINCE_EN = {row[0]: row[3] for row in PROVINCES}
IDENTITY_TOLERANCE = 1.0  # provinces vs national total: rounding differences stay below this (10,000 kW)


def thousands(value: float) -> str:
    """'8,987.3' for a number (shortest form up to 2 decimals, thousands separated)."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text


def cell(frame: pd.DataFrame, column: str, code: int, year: int) -> float:
    """One province-year value of a panel frame (error if absent)."""
    hit = frame.loc[(frame["province_code"] == code) & (frame["year"] == year), column]
    if hit.empty or pd.isna(hit.iloc[0]):
        raise ValueError(f"{column}: no value for {PROVINCE_EN[code]} {year}, which a flag check expects")
    return float(hit.iloc[0])


def unit_slip_flag(frame: pd.DataFrame, resource: str, column: str, code: int, year: int, unit: str,
                   context: str) -> tuple:
    """Suspect flag for a value below 1% of both neighbouring years, after checking that it is."""
    value, before, after = (cell(frame, column, code, y) for y in (year, year - 1, year + 1))
    if value >= 0.01 * min(before, after):
        raise ValueError(f"{column} {PROVINCE_EN[code]} {year} = {value} is no longer a unit slip; review the flag")
    reason = (f"{PROVINCE_EN[code]} {year} = {thousands(value)} ({unit}) between {thousands(before)} ({year - 1}) "
              f"and {thousands(after)} ({year + 1}), about 1/{round(before / value, -3):,.0f} of them: a unit slip in "
              f"the compiled source. {context} Kept as published, not converted.")
    return (resource, column, code, year, "suspect", reason)


def energy_flags(energy: pd.DataFrame) -> list[tuple]:
    """Ningxia 2020 energy consumption (0.79 between 7,648 and 8,047.9)."""
    co2 = [cell(energy, "co2_apparent_mt", 640000, y) for y in (2019, 2020, 2021)]
    context = (f"0.79 read as 100 million tce would be 7,900, between its neighbours; CEADs apparent CO2 of "
               f"Ningxia rises {' -> '.join(f'{v:.1f}' for v in co2)} Mt over 2019-2021, so consumption did not "
               "collapse.")
    return [unit_slip_flag(energy, "energy", "energy_consumption_10k_tce", 640000, 2020, "10,000 tce", context)]


NON_FOSSIL, HYDRO = "non_fossil_generation_100m_kwh", "hydropower_generation_100m_kwh"


def non_fossil_vs_hydro(energy: pd.DataFrame) -> pd.DataFrame:
    """Province-years with both columns: whether non-fossil generation equals hydropower or exceeds it."""
    both = energy.dropna(subset=[NON_FOSSIL, HYDRO])[["province_code", "year", NON_FOSSIL, HYDRO]].copy()
    both["equal"] = (both[NON_FOSSIL] - both[HYDRO]).abs() < 1e-9
    both["exceeds"] = both[NON_FOSSIL] > both[HYDRO] + 1e-9
    if (~both["equal"] & ~both["exceeds"]).any():
        raise ValueError("energy: non-fossil generation below hydropower somewhere; review the non-fossil flags")
    return both


def non_fossil_year_counts(both: pd.DataFrame) -> str:
    """'year: equal/with both' for every year since 2010, e.g. '2014: 30/31'."""
    recent = both[both["year"] >= 2010].groupby("year")["equal"].agg(["sum", "size"])
    return ", ".join(f"{year}: {int(row['sum'])}/{int(row['size'])}" for year, row in recent.iterrows())


def non_fossil_flags(energy: pd.DataFrame) -> list[tuple]:
    """Non-fossil generation that only repeats hydropower: a column caveat, and suspect where it did exceed earlier."""
    both = non_fossil_vs_hydro(energy)
    exceeds = both[both["exceeds"]]
    if len(exceeds) > 0.25 * len(both):
        raise ValueError("energy: non-fossil generation now exceeds hydropower in most province-years; review the flags")
    by_year = exceeds.groupby("year").size()
    never = sorted(set(both["province_code"]) - set(exceeds["province_code"]))
    caveat = (f"Non-fossil generation equals hydropower exactly in {int(both['equal'].sum())} of {len(both)} "
              f"province-years (equal/with both since 2010: {non_fossil_year_counts(both)}); it exceeds hydropower "
              f"only in {len(exceeds)} ({', '.join(f'{y}: {n}' for y, n in by_year.items())}) and never in "
              f"{', '.join(PROVINCE_EN[c] for c in never)}. "
              "Wind, solar and nuclear generation look missing in most years, so the column is not a consistent "
              "non-fossil series; where it equals hydropower read it as hydropower only. Kept as published.")
    first_exceeds = exceeds.groupby("province_code")["year"].min()
    later = both[both["equal"] & (both["year"] > both["province_code"].map(first_exceeds))]
    flags = [("energy", NON_FOSSIL, None, None, "caveat", caveat)]
    for row in later.sort_values(["province_code", "year"]).itertuples():
        reason = (f"{PROVINCE_EN[row.province_code]} {row.year}: non-fossil generation {thousands(row[3])} equals "
                  f"hydropower, but exceeded it in {int(first_exceeds[row.province_code])}; the non-hydro part "
                  "(wind, solar, nuclear) does not vanish, so it is missing here. Kept as published.")
        flags.append(("energy", NON_FOSSIL, int(row.province_code), int(row.year), "suspect", reason))
    return flags


def machinery_identity(src: Path) -> pd.DataFrame:
    """Per year: the provinces' total farm-machinery power, the national total, and their difference."""
    raw = read_csv(src / TECHME_DIR / "AgriMachine.csv")
    raw = raw[raw["variables"] == "v7_sctj_nyjx_zdl"]
    is_national = raw["province"].astype(str).str.strip().isin(NATIONAL_LABELS)
    table = pd.DataFrame({"provinces": raw[~is_national].groupby("year")["value"].sum(),
                          "national": raw[is_national].set_index("year")["value"]})
    table["difference"] = table["provinces"] - table["national"]
    return table


# Years where the provinces do not add up to the national total, and the only provinces whose value in
# that year breaks their path (MACHINERY_RULES; the series grows almost everywhere).
MACHINERY_SUSPECTS = {2010: [320000, 510000], 2011: [340000]}


def machinery_candidates(power: pd.DataFrame, year: int) -> list[int]:
    """Provinces whose value in `year` breaks their own path (MACHINERY_RULES: first year vs the next two)."""
    wide = power.pivot(index="province_code", columns="year", values="agri_machinery_power_10k_kw_pre2016")
    if year == int(power["year"].min()):
        picked = wide[(wide[year] > 1.05 * wide[year + 1]) & (wide[year] > 1.05 * wide[year + 2])]
    else:
        picked = wide[(wide[year] < 0.9 * wide[year - 1]) & (wide[year] < 0.9 * wide[year + 1])]
    return sorted(int(code) for code in picked.index)


MACHINERY_RULES = {2010: "more than 5% above both 2011 and 2012", 2011: "more than 10% below both neighbours"}


def machinery_reason(power: pd.DataFrame, code: int, year: int, identity: pd.DataFrame) -> str:
    """Why one farm-machinery value is suspect, with its neighbours and the identity gap of its year."""
    first = int(power["year"].min())
    span = (year, year + 1, year + 2) if year == first else (year - 1, year, year + 1)
    path = ", ".join(f"{thousands(cell(power, 'agri_machinery_power_10k_kw_pre2016', code, y))} ({y})" for y in span)
    gap = identity.loc[year]
    clean = identity[identity["difference"].abs() < IDENTITY_TOLERANCE].index
    names = " and ".join(PROVINCE_EN[c] for c in MACHINERY_SUSPECTS[year])
    are, they = ("are", "they are") if len(MACHINERY_SUSPECTS[year]) > 1 else ("is", "it is")
    return (f"{PROVINCE_EN[code]}: {path}. In {year} the provinces sum to {thousands(gap['provinces'])} against "
            f"the national total {thousands(gap['national'])} ({gap['difference']:+,.1f}), while every other "
            f"year {min(clean)}-{max(clean)} matches within {IDENTITY_TOLERANCE:g}. Only {names} {are} "
            f"{MACHINERY_RULES[year]} in {year}, so {they} the likely source of the gap (a transcription error in "
            "the compiled yearbook table, suspected). Kept as published, not corrected.")


def machinery_flags(agri: pd.DataFrame, identity: pd.DataFrame) -> list[tuple]:
    """Farm-machinery values that break the provinces-to-national identity (2010, 2011) and Jiangxi 2013."""
    power = agri.dropna(subset=["agri_machinery_power_10k_kw_pre2016"])
    broken = sorted(int(y) for y in identity.index[identity["difference"].abs() >= IDENTITY_TOLERANCE])
    if broken != sorted(MACHINERY_SUSPECTS):
        raise ValueError(f"farm machinery: provinces differ from the national total in {broken}, flags expect "
                         f"{sorted(MACHINERY_SUSPECTS)}; review MACHINERY_SUSPECTS")
    flags = []
    for year, codes in MACHINERY_SUSPECTS.items():
        if machinery_candidates(power, year) != sorted(codes):
            raise ValueError(f"farm machinery {year}: outlying provinces are {machinery_candidates(power, year)}, "
                             f"flags expect {codes}")
        flags += [("agri_inputs", "agri_machinery_power_10k_kw_pre2016", code, year, "suspect",
                   machinery_reason(power, code, year, identity)) for code in codes]
    return flags + [jiangxi_2013_caveat(power, identity)]


def jiangxi_2013_caveat(power: pd.DataFrame, identity: pd.DataFrame) -> tuple:
    """Jiangxi's 2013 fall in farm-machinery power is in the official totals: a caveat, not a suspect value."""
    before, value = (cell(power, "agri_machinery_power_10k_kw_pre2016", 360000, y) for y in (2012, 2013))
    if value > 0.5 * before or abs(identity.loc[2013, "difference"]) >= IDENTITY_TOLERANCE:
        raise ValueError("farm machinery: Jiangxi 2012/2013 no longer matches its caveat; review it")
    return ("agri_inputs", "agri_machinery_power_10k_kw_pre2016", 360000, 2013, "caveat",
            f"Jiangxi falls from {thousands(before)} (2012) to {thousands(value)} (2013), {value / before - 1:+.0%}, "
            "then grows again; the provinces still add up to the national total in 2013, so the fall is in the "
            "official statistics (a provincial revision, cause not documented). Do not read 2012-2013 as a change.")


TECH_MARKET_COLUMNS = [("sci_tech_nbs", "tech_market_turnover_100m_yuan", 1.0),
                       ("sci_tech", "tech_market_outflow_10k_yuan", 10_000.0)]  # (resource, column, per 100m yuan)
CHONGQING_ALTERNATION = range(2014, 2020)
GUANGXI_STATEMENT_URL = "https://niita.cn/news/view?id=19544"


def turnover_series(nbs: pd.DataFrame, code: int) -> pd.Series:
    """A province's technology-market turnover (100 million yuan) by year."""
    rows = nbs[nbs["province_code"] == code].dropna(subset=["tech_market_turnover_100m_yuan"])
    return rows.set_index("year")["tech_market_turnover_100m_yuan"].astype(float)


def check_copies_agree(nbs: pd.DataFrame, yearbook: pd.DataFrame, code: int, years) -> None:
    """Stop unless the NBS-platform turnover equals the yearbook outflow / 10,000 in the given years."""
    for year in years:
        a = cell(nbs, "tech_market_turnover_100m_yuan", code, year)
        b = cell(yearbook, "tech_market_outflow_10k_yuan", code, year) / 10_000
        if abs(a - b) > 0.01:
            raise ValueError(f"technology market {PROVINCE_EN[code]} {year}: NBS {a} vs yearbook {b}")


def alternates(changes: pd.Series) -> bool:
    """True if consecutive changes switch sign every time."""
    signs = list(changes > 0)
    return all(a != b for a, b in zip(signs, signs[1:]))


def tech_market_shortfall(src: Path) -> pd.Series:
    """National technology-market turnover minus the provinces' sum, by year (100 million yuan)."""
    raw = read_csv(src / TECHME_DIR / "MarketPush.csv")
    raw = raw[raw["variables"] == "v4_cg_jssc_je"]
    is_national = raw["province"].astype(str).str.strip().isin(NATIONAL_LABELS)
    national = raw[is_national].set_index("year")["value"]
    return (national - raw[~is_national].groupby("year")["value"].sum()) / 10_000


def tech_market_flags(nbs: pd.DataFrame, yearbook: pd.DataFrame, shortfall: pd.Series) -> list[tuple]:
    """Caveats on Chongqing 2014-2019 (alternating) and Guangxi 2021 (ten-fold spike), both as published."""
    chongqing = turnover_series(nbs, 500000)
    years = list(CHONGQING_ALTERNATION)
    changes = chongqing.pct_change().loc[years]
    gap = shortfall.loc[[years[0] - 1] + years]
    if (changes.abs() < 0.5).any() or not alternates(changes) or alternates(gap.diff().dropna()):
        raise ValueError(f"technology market Chongqing: the 2014-2019 pattern changed ({list(changes.round(2))}); "
                         "review the caveat")
    check_copies_agree(nbs, yearbook, 500000, range(2012, 2024))
    path = ", ".join(f"{chongqing[y]:.1f}" for y in range(2013, 2021))
    chongqing_reason = (
        f"Chongqing 2013-2020: {path} (100 million yuan): up and down by {changes.abs().min():.0%}-"
        f"{changes.abs().max():.0%} in alternate years 2014-2019. Both copies (NBS platform and S&T Yearbook "
        f"outflow) give the same values, and the provinces' sum stays {gap.min():,.0f}-{gap.max():,.0f} below "
        f"the national total in {years[0] - 1}-{years[-1]} without alternating, so this is how NBS published it; "
        "which years (if any) are wrong cannot be told. Do not read year-to-year changes; average over years.")
    guangxi = turnover_series(nbs, 450000)
    if not (guangxi[2021] > 5 * guangxi[2020] and guangxi[2021] > 3 * guangxi[2022]):
        raise ValueError("technology market Guangxi 2021: no longer a one-year spike; review the caveat")
    check_copies_agree(nbs, yearbook, 450000, [2020, 2021, 2022])
    inflow = [cell(yearbook, "tech_market_inflow_10k_yuan", 450000, y) / 10_000 for y in (2020, 2021, 2022)]
    guangxi_reason = (
        f"Guangxi 2021 = {guangxi[2021]:.2f} (100 million yuan) against {guangxi[2020]:.2f} (2020) and "
        f"{guangxi[2022]:.2f} (2022), {guangxi[2021] / guangxi[2020]:.1f} times 2020. Both copies agree; "
        f"technology bought by Guangxi also peaks in 2021 ({' / '.join(f'{v:,.1f}' for v in inflow)} for "
        "2020-2022), and the Guangxi S&T department said 2021 technology-contract turnover passed 100 billion "
        f"yuan ({GUANGXI_STATEMENT_URL}, 2022-08-03), so the spike looks real rather than a unit slip (that "
        f"would give {guangxi[2021] / 10:.2f}). It dominates min-max scaling of this column.")
    flags = []
    for resource, column, _factor in TECH_MARKET_COLUMNS:
        flags += [(resource, column, 500000, year, "caveat", chongqing_reason) for year in CHONGQING_ALTERNATION]
        flags.append((resource, column, 450000, 2021, "caveat", guangxi_reason))
    return flags


def checked_panel_flags(by_name: dict, src: Path) -> list[tuple]:
    """Flags from the checks above (energy unit slip, non-fossil = hydro, farm-machinery identity, technology market)."""
    return (energy_flags(by_name["energy"].frame) + non_fossil_flags(by_name["energy"].frame)
            + machinery_flags(by_name["agri_inputs"].frame, machinery_identity(src))
            + tech_market_flags(by_name["sci_tech_nbs"].frame, by_name["sci_tech"].frame,
                                tech_market_shortfall(src)))


def provincial_resources(src: Path):
    """Provincial panels, plus the conflicts and flags found while building them."""
    income, income_points, conflicts = income_resource(src)
    electricity, electricity_flags = rural_electricity_resource(src)
    ceads, ceads_flags = ceads_resource(src)
    finance, finance_flags = digital_finance_resource(src)
    transport, transport_flags = transport_resource(src)
    resources = [income, income_points, population_resource(src), nbs_macro_resource(src),
                 gdp_structure_resource(src), electricity, sci_tech_resource(src), sci_tech_nbs_resource(src),
                 agri_inputs_resource(src), public_budget_resource(src), energy_resource(src), ceads,
                 internet_resource(src), finance, transport]
    by_name = {r.name: r for r in resources}
    check_same_gdp(by_name["nbs_macro"], src)
    conflicts += duplicate_conflicts(by_name)
    flags = electricity_flags + ceads_flags + finance_flags + transport_flags + [
        ("income_consumption", "urban_disposable_income_yuan", None, 2013, "caveat",
         "Some provinces carry integer-valued 2013 entries (e.g. Inner Mongolia 26004.00), others cents: the "
         "compiler mixed yearbook tables; all checked values agree with NBS."),
        ("income_consumption", "rural_disposable_income_yuan", None, 2013, "caveat",
         "2013-2015 rural income comes from a file whose original source is not stated (vervain1902 1_IncGap.dta); "
         "its 2016-2020 values equal NBS within 0.5 yuan and its national row equals NBS."),
        ("income_consumption", "rural_disposable_income_yuan", None, 2014, "caveat", "as 2013"),
        ("income_consumption", "rural_disposable_income_yuan", None, 2015, "caveat", "as 2013"),
        ("nbs_macro", "gdp_index_prev_year_100", 110000, None, "caveat", "Beijing missing 2015-2023 in the export."),
    ]
    flags += checked_panel_flags(by_name, src)
    return resources, conflicts, flags


if __name__ == "__main__":
    raise SystemExit(main())
