"""The provinces reference table (data/provinces.csv) from
sources/curated/provinces.csv.
"""

from __future__ import annotations

from importers import curated
from importers.common import Resource, field, source

# --------------------------------------------------------------------------------------
# Provinces reference table
# --------------------------------------------------------------------------------------


def provinces_resource() -> Resource:
    """The reference table every loader maps province names to."""
    frame = curated.provinces()
    fields = [
        field(
            "province_code",
            "integer",
            "GB/T 2260 code",
            "",
            "Six-digit administrative division code "
            "of the province (e.g. 110000 Beijing).",
            110000,
            659999,
            required=True,
        ),
        field(
            "province_zh",
            "string",
            "Short Chinese name",
            "",
            "As used by NBS tables (北京, 内蒙古, 广西).",
            required=True,
            unique=True,
        ),
        field(
            "province_zh_full",
            "string",
            "Full Chinese name",
            "",
            "Official name (北京市, 内蒙古自治区).",
            required=True,
            unique=True,
        ),
        field(
            "province_en",
            "string",
            "English name",
            "",
            "Pinyin name; Shaanxi (陕西) and Shanxi (山西) "
            "kept distinct; Tibet for 西藏.",
            required=True,
            unique=True,
        ),
        field(
            "iso_3166_2",
            "string",
            "ISO 3166-2 code",
            "",
            "ISO 3166-2:CN subdivision code.",
            required=True,
            unique=True,
        ),
        field(
            "region",
            "string",
            "NBS four-region group",
            "",
            "NBS grouping (东西中部和东北地区划分方法, 2011): East, Central, West, "
            "Northeast.",
            enum=["East", "Central", "West", "Northeast"],
            required=True,
        ),
        field(
            "region_zh",
            "string",
            "Region (Chinese)",
            "",
            "",
            enum=list(dict.fromkeys(frame["region_zh"])),
            required=True,
        ),
        field(
            "is_municipality",
            "boolean",
            "Municipality directly under the central government",
            "",
            "Beijing, Tianjin, Shanghai, Chongqing (dropped in a robustness check).",
            required=True,
        ),
    ]
    return Resource(
        name="provinces",
        path="provinces.csv",
        title="Provinces of mainland China (reference table)",
        description=(
            "The 31 provincial-level divisions of mainland China (Hong Kong, Macao and "
            "Taiwan are not in any source). Every loader maps the names used by "
            "sources to these codes; a name that is not here is an error."
        ),
        kind="reference",
        sources=[
            source(
                "GB/T 2260 Codes for the administrative divisions of the People's "
                "Republic of China",
                "Standardization Administration of China / Ministry of Civil Affairs",
                "https://www.mca.gov.cn/mzsj/xzqh/2022/202201xzqh.html",
            ),
            source(
                "东西中部和东北地区划分方法 (division into East, Central, West and "
                "Northeast)",
                "National Bureau of Statistics of China (NBS)",
                "https://www.stats.gov.cn/zt_18555/zthd/sjtjr/dejtjkfr/tjkp/202302/t20230216_1909741.htm",
                year=2011,
            ),
            source(
                "ISO 3166-2:CN",
                "International Organization for Standardization",
                "https://www.iso.org/obp/ui/#iso:code:3166:CN",
            ),
        ],
        licenses=[
            {
                "name": "public-standard",
                "title": "Facts from public standards (codes and names)",
                "redistribution": "Codes and names are public facts; no restriction.",
            }
        ],
        frame=frame,
        fields=fields,
        primary_key=["province_code"],
        source_line="Province codes: GB/T 2260; regions: NBS four-region division",
        coverage="31 provinces",
        extra={"official": official_declaration(frame)},
    )


# The columns `python -m helpers validate` holds provinces.csv to, cell by cell.
OFFICIAL_FIELDS = ["province_code", "province_zh", "province_zh_full", "province_en"]


def official_declaration(frame) -> dict:
    """The descriptor's 'official' block: the GB/T 2260 code and Chinese names of each
    province and the English name the project uses, as rows of OFFICIAL_FIELDS.
    """
    return {
        "description": (
            "GB/T 2260 codes, short and full Chinese names of the 31 provincial-level "
            "divisions, and the English names this project uses; `python -m helpers "
            "validate` fails, naming row and column, where provinces.csv differs."
        ),
        "key": "province_code",
        "fields": OFFICIAL_FIELDS,
        "rows": [
            [
                int(row.province_code),
                *(str(getattr(row, f)) for f in OFFICIAL_FIELDS[1:]),
            ]
            for row in frame.itertuples(index=False)
        ],
    }
