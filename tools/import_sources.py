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
          required=False, basis=""):
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
              required=True),
        field("province_zh_full", "string", "Full Chinese name", "", "Official name (北京市, 内蒙古自治区).",
              required=True),
        field("province_en", "string", "English name", "", "Pinyin name; Shaanxi (陕西) and Shanxi (山西) "
              "kept distinct; Tibet for 西藏.", required=True),
        field("iso_3166_2", "string", "ISO 3166-2 code", "", "ISO 3166-2:CN subdivision code.", required=True),
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
               "mean (it reproduces the report's 37.5% urban-rural gap) and 18.6 is 57% below 43.6 as that "
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
                   "redistribution": ("No licence is stated. Four published summary scores are reproduced as "
                                      "facts with citation of the report; the report text is not copied.")}],
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
        rows.append({
            "indicator": indicator, "year": year, "period": period, "basis": basis,
            "value": round(number * factor, 6), "qualifier": qualifier, "unit": unit,
            "value_as_published": record.value, "unit_as_published": record.unit,
            "producer": "MIIT" if record.indicator.endswith("_miit_jan") else producer_of(record.source_title),
            "flag": flag, "flag_reason": flag_reason,
            "source_title": record.source_title, "source_url": record.source_url,
        })
    frame = pd.DataFrame(rows).sort_values(["indicator", "basis", "period", "year"]).reset_index(drop=True)
    return frame, moved


NATIONAL_DESCRIPTION = (
    "National urban and rural series gathered from stored copies of public pages (NBS releases and "
    "statistical communiqués, CNNIC reports, MOFCOM, MIIT, MARA), one row per published number, with the "
    "page it was read from. Long format: the indicator name is ours; 'period' says whether the value is "
    "annual/year-end ('year'), end of June ('jun'), reported in January ('jan') or the census date 1 Nov "
    "2020 ('nov1'); 'basis' separates values across series breaks (old_survey: rural net income and the "
    "old urban survey before 2013; mixed: the 2014 ratio of urban disposable to rural net income; "
    "pre_census_2020: urbanisation and urban population as printed before the 7th-census revision; "
    "pre_2021_rebase: CNNIC rural netizens before the 2021 change). Bounds worded '超过90%' or '不足70%' "
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
        field("period", "string", "Reference period", "", "year = annual or year-end; jun = end of June; "
              "jan = reported in January; nov1 = census date 1 Nov.", enum=["year", "jun", "jan", "nov1"],
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
    ("income_survey_2013", "national", "national_urban_rural",
     "per_capita_net_income_rural; per_capita_disposable_income_urban; engel_coefficient_rural; "
     "engel_coefficient_urban; urban_rural_income_ratio", 2012, 2013, "old_survey", "current", "definition",
     "NBS replaced the separate urban and rural household surveys by one integrated survey in 2013: rural "
     "net income (纯收入) became rural disposable income (可支配收入), and urban disposable income changed "
     "basis. 2013 urban DI 26955 and rural 8896, 2014 rural 9892, and the 2013 Engel coefficients are on the "
     "old basis; the new-basis 2013 urban/rural DI and 2014 rural DI were not found.",
     "Old-basis values carry basis='old_survey' and rural net income is its own indicator; national_series "
     "puts them in '__old_survey' columns, never in the current series. Provincial income starts in 2013 on "
     "the new basis; pre-2013 values in the raw .dta are not imported.",
     "NOTES-figure1-and-national.md B.7; urban_rural_income_population/PROVENANCE.md"),
    ("income_ratio_2014_mixed", "national", "national_urban_rural", "urban_rural_income_ratio", 2013, 2015,
     "mixed", "current", "definition",
     "The 2014 ratio 2.92 divides urban disposable income by rural net income (mixed bases).",
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
    ("farm_machinery_2016", "provincial", "sci_tech_agri",
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
    ("pku_subindex_release", "provincial", "digital_finance", "monetary_fund; investment; credit_investigation",
     None, None, "", "", "coverage",
     "Some PKU-DFIIC business sub-indices were not published in some years (products not yet launched; not "
     "published from 2019 for regulatory reasons).", "Missing cells stay missing.",
     "pku_dfiic_province/PROVENANCE.md"),
]


def breaks_resource() -> Resource:
    """Series breaks as a table."""
    frame = pd.DataFrame(SERIES_BREAKS, columns=BREAK_COLUMNS)
    fields = [
        field("break_id", "string", "Break id", "", "", required=True),
        field("scope", "string", "Scope", "", "", enum=["national", "provincial"], required=True),
        field("resource", "string", "Resource(s) affected", "", "", required=True),
        field("indicators", "string", "Indicators or columns affected", "", "Semicolon-separated.", required=True),
        field("last_year_before", "integer", "Last year on the old basis", "calendar year", "", 1990, 2030),
        field("first_year_after", "integer", "First year on the new basis", "calendar year", "", 1990, 2030),
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
NATIONAL_CONFLICTS = [
    ("fig1_farmers_label", "national", "digital_literacy_2021", "score (farmers)", None, 2021, 18.6,
     "fx361 (李强、孟如 2024); 参考消息网 2022-07-25 states 农民", None, "农村居民 18.6",
     "fx361.cc labels 18.6 '农村居民'", "label",
     "18.6 kept as the farmers (occupation) score; 35.1 as rural residents",
     "35.1 vs 56.3 reproduces the report's 37.5% urban-rural gap; 18.6 is 57% below 43.6; 参考消息网 "
     "states the farmer label; rural residents at 18.6 would imply a 67% gap."),
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
                    "mislabel", "aggregation"], required=True),
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


def resource_entry(resource: Resource, data_dir: Path) -> dict:
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
        schema = {"fields": resource.fields, "missingValues": [""], "primaryKey": resource.primary_key}
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
    descriptor["resources"] = [resource_entry(r, data_dir) for r in resources]
    descriptor["not_redistributed"] = NOT_REDISTRIBUTED
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


# ==== PROVINCIAL (replaced below) ====
def provincial_resources(src: Path):
    """Provincial panels, plus the conflicts and flags found while building them."""
    return [], [], []


def raw_resources(src: Path) -> list[Resource]:
    """Raw files kept as obtained."""
    return []


NOT_REDISTRIBUTED = []
# ==== END PROVINCIAL ====

if __name__ == "__main__":
    raise SystemExit(main())
