"""Figure 1 of the paper: the four digital-literacy scores of 2021
(data/digital_literacy_2021.csv).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from importers import curated
from importers.common import Resource, field, read_csv, source

# --------------------------------------------------------------------------------------
# Figure 1: digital-literacy scores, 2021
# --------------------------------------------------------------------------------------


def digital_literacy_resource(src: Path) -> Resource:
    """The four group scores behind the paper's Figure 1, in the paper's order."""
    raw = read_csv(src / "digital_literacy_2021.csv", dtype=str)
    groups = curated.figure1_groups()
    unknown = set(raw["group_zh"]) - set(groups)
    if unknown:
        raise ValueError(f"digital_literacy_2021.csv: unknown group label(s) {unknown}")
    rows = []
    for record in raw.itertuples():
        order, group_id, label, label_note = groups[record.group_zh]
        rows.append(
            {
                "group_order": order,
                "group_id": group_id,
                "group_zh": label,
                "group_zh_as_published": record.group_zh,
                "group_en": record.group_en.split(";")[0].strip(),
                "dimension": record.dimension,
                "score": float(record.score),
                "year": 2021,
                "label_note": label_note,
                "source_url": record.source_url,
                "evidence_quote": record.evidence_quote,
            }
        )
    frame = pd.DataFrame(rows).sort_values("group_order")
    fields = [
        field(
            "group_order",
            "integer",
            "Order of the bar in the paper's Figure 1",
            "",
            "",
            1,
            4,
            required=True,
        ),
        field(
            "group_id",
            "string",
            "Group id",
            "",
            "",
            enum=["overall", "urban_residents", "rural_residents", "farmers"],
            required=True,
        ),
        field(
            "group_zh",
            "string",
            "Group (Chinese)",
            "",
            "Label used in our Figure 1.",
            required=True,
        ),
        field(
            "group_zh_as_published",
            "string",
            "Group label in the gathered file",
            "",
            "Kept to show where the label was corrected (farmers).",
        ),
        field("group_en", "string", "Group (English)", "", "", required=True),
        field(
            "dimension",
            "string",
            "Grouping dimension",
            "",
            "",
            enum=["overall", "residence", "occupation"],
        ),
        field(
            "score",
            "number",
            "Average digital-literacy score",
            "points out of 100",
            "Mean score on the report's 0-100 scale.",
            0,
            100,
            required=True,
        ),
        field(
            "year",
            "integer",
            "Survey year",
            "calendar year",
            "",
            2021,
            2021,
            required=True,
        ),
        field("label_note", "string", "Note on the label", "", ""),
        field(
            "source_url",
            "string",
            "Page where the value was read",
            "",
            "Stored copy of a public page.",
        ),
        field(
            "evidence_quote",
            "string",
            "Quote containing the value",
            "",
            "Verbatim from the page.",
        ),
    ]
    return Resource(
        name="digital_literacy_2021",
        path="digital_literacy_2021.csv",
        title=(
            "Average digital-literacy scores of four groups, China 2021 (the paper's "
            "Figure 1)"
        ),
        description=(
            "Mean digital-literacy scores (out of 100) for all respondents, urban "
            "residents, rural residents and farmers, from the CASS Informatization "
            "Research Centre's 2021 survey report, as quoted by the pages named on "
            "each row. These are the four values of the paper's only figure (图1 "
            "2021年中国不同群体数字素养平均得分). Scores for other occupations, age "
            "cohorts or gender were not found."
        ),
        kind="figure",
        sources=[
            source(
                "乡村振兴战略背景下中国乡村数字素养调查分析报告 (Survey report on "
                "rural digital literacy in China under the rural revitalisation "
                "strategy)",
                "中国社会科学院信息化研究中心 (CASS Informatization Research Centre)",
                "https://www.fxbaogao.com/detail/2962278",
                year=2021,
                table="result section (values via the quoting pages below)",
            ),
            source(
                "Quoting page for 43.6 (overall)",
                "新疆维吾尔自治区 government site",
                "http://ipv6.xj.gov.cn/info/10548/70819.htm",
            ),
            source(
                "Quoting page for 56.3 and 35.1 (向运华等 2024)",
                "wxredian.com",
                "https://wxredian.com/art?id=04e4a3a8203b6a43761577ba8d62a74e",
            ),
            source(
                "Quoting page for 18.6 (李强、孟如 2024)",
                "fx361.cc",
                "https://m.fx361.cc/news/2024/0320/23961531.html",
            ),
            source(
                "Second source stating the farmer label for 18.6",
                "参考消息网 (2022-07-25)",
                "https://ztjszhb.com/finance/qyzx/20220725/2486424",
            ),
        ],
        licenses=[
            {
                "name": "not-stated",
                "title": "Not stated (published survey results quoted as facts)",
                "redistribution": (
                    "No licence is stated. We redistribute only four published summary "
                    "scores, as facts with citation of the report; the report text is "
                    "not copied."
                ),
            }
        ],
        frame=frame,
        fields=fields,
        primary_key=["group_id"],
        source_line=(
            "数据来源：中国社会科学院信息化研究中心"
            "《乡村振兴战略背景下中国乡村数字素养调查分析报告》(2021) "
            "/ Source: CASS Informatization Research Centre, rural digital literacy "
            "survey report (2021)"
        ),
        coverage="2021; four groups",
    )
