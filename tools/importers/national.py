"""The national urban-rural series (data/national_urban_rural.csv) from the gathered
national CSV.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from importers import curated
from importers.common import LICENCE_OFFICIAL_NONE, Resource, field, read_csv, source

# --------------------------------------------------------------------------------------
# National urban-rural series
# --------------------------------------------------------------------------------------

NATIONAL_UNITS = {  # unit as published -> (our unit, multiplier)
    "percent": ("percent", 1),
    "yuan per capita": ("yuan per capita", 1),
    "100 million yuan (亿元)": ("100 million yuan", 1),
    "trillion yuan (万亿元)": ("100 million yuan", 10_000),
    "100 million persons (亿人)": ("100 million persons", 1),
    "10,000 persons (万人)": ("10,000 persons", 1),
    "ratio (rural=1)": ("ratio (rural = 1)", 1),
}
# Which indicators a break affects and in which years: read from
# sources/curated/series_breaks.csv.
INCOME_SURVEY = curated.series_break("income_survey_2013")
INCOME_SURVEY_FIRST_YEAR = int(
    INCOME_SURVEY["first_year_after"]
)  # first year of the integrated survey
INCOME_SURVEY_INDICATORS = INCOME_SURVEY["indicator_list"]
CENSUS_2020 = curated.series_break("urbanisation_census_2020")
CNNIC_2021 = curated.series_break("cnnic_rural_netizens_2021")
# Rows that conflict with a kept row: moved to value_conflicts, not kept in the series.
DROPPED_NATIONAL = curated.national_dropped()
# (raw indicator, year) -> (reference_date, note): statements dated during the year (the
# as-of date where the source states one, otherwise the date of the statement) ...
DATED_STATEMENTS = curated.national_notes("dated_statement")
# ... and current-basis values dated before the survey reform, with the evidence that
# they are NBS back-calculations on the integrated basis; any other such row stops the
# import.
INCOME_SURVEY_BACKCAST = {
    key: note for key, (_date, note) in curated.national_notes("backcast").items()
}
ISO_DATE_PATTERN = r"\d{4}-\d{2}-\d{2}"


def row_annotation(
    raw_indicator: str, year: int, indicator: str, basis: str
) -> tuple[str, str]:
    """(reference_date, note) of one national row: dated statements and
    integrated-survey back-casts.
    """
    key = (raw_indicator, year)
    if key in DATED_STATEMENTS:
        return DATED_STATEMENTS[key]
    if (
        indicator in INCOME_SURVEY_INDICATORS
        and basis == "current"
        and year < INCOME_SURVEY_FIRST_YEAR
    ):
        if key not in INCOME_SURVEY_BACKCAST:
            raise ValueError(
                f"urban_rural_national.csv: {raw_indicator} {year} would be a "
                f"current-basis value before the {INCOME_SURVEY_FIRST_YEAR} survey "
                "reform; declare its basis (INCOME_SURVEY_BACKCAST) or give it an "
                "_old_caliber suffix"
            )
        return "", INCOME_SURVEY_BACKCAST[key]
    return "", ""


def split_indicator(raw: str) -> tuple[str, str, str]:
    """(indicator, period, basis) from a raw name with suffixes _jun, _miit_jan,
    _census_nov1, _old/_mixed_caliber.
    """
    for suffix, period, basis in (
        ("_jun", "jun", "current"),
        ("_miit_jan", "jan", "current"),
        ("_census_nov1", "nov1", "current"),
        ("_old_caliber", "year", "old_survey"),
        ("_mixed_caliber", "year", "mixed"),
    ):
        if raw.endswith(suffix):
            return raw[: -len(suffix)], period, basis
    return raw, "year", "current"


def national_basis(indicator: str, year: int, period: str, basis: str) -> str:
    """Basis after the census-2020 and CNNIC-2021 breaks (NOTES B.1 and B.6)."""
    if (
        indicator in CENSUS_2020["indicator_list"]
        and period == "year"
        and year <= CENSUS_2020["last_year_before"]
    ):
        return CENSUS_2020["basis_before"]
    if (
        indicator in CNNIC_2021["indicator_list"]
        and year <= CNNIC_2021["last_year_before"]
    ):
        return CNNIC_2021["basis_before"]
    return basis


def producer_of(title: str) -> str:
    """Statistical producer named in a source title."""
    rules = [
        ("CNNIC", "CNNIC"),
        ("数字中国发展报告", "CAC"),
        ("工信部", "MIIT"),
        ("MIIT", "MIIT"),
        ("电信普遍服务", "MIIT"),
        ("商务", "MOFCOM"),
        ("农业农村部", "MARA"),
        ("公安部", "NBS/MPS"),
        ("国家统计局", "NBS"),
        ("NBS", "NBS"),
        ("统计", "NBS"),
        ("中国经济网", "NBS"),
        ("普查", "NBS"),
        # People's Daily page that does not name the producer of the figure.
        ("人民日报 2024-10-05", "not stated"),
    ]
    for needle, producer in rules:
        if needle in title:
            return producer
    raise ValueError(
        f"urban_rural_national.csv: no producer rule matches source title {title!r}"
    )


def parse_bound(text: str) -> tuple[str, float]:
    """('>', 90.0) for '>90', ('=', 57.35) for '57.35'."""
    text = text.strip()
    if text[:1] in "<>":
        return text[0], float(text[1:])
    return "=", float(text)


def national_frame(src: Path) -> tuple[pd.DataFrame, list[dict]]:
    """Tidy national series and the rows moved to value_conflicts."""
    raw = read_csv(src / "urban_rural_national.csv", dtype=str).assign(note="")
    # Values the gathering notes record but the gathered CSV does not hold (CNNIC 2007
    # and 2009), same columns.
    raw = pd.concat([raw, curated.national_extra_rows()], ignore_index=True)
    flags = curated.national_flags()
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
        flag, flag_reason = flags.get((record.indicator, year), ("", ""))
        reference_date, note = row_annotation(record.indicator, year, indicator, basis)
        note = note or record.note
        rows.append(
            {
                "indicator": indicator,
                "year": year,
                "period": period,
                "basis": basis,
                "value": round(number * factor, 6),
                "qualifier": qualifier,
                "unit": unit,
                "value_as_published": record.value,
                "unit_as_published": record.unit,
                "producer": "MIIT"
                if record.indicator.endswith("_miit_jan")
                else producer_of(record.source_title),
                "flag": flag,
                "flag_reason": flag_reason,
                "reference_date": reference_date,
                "note": note,
                "source_title": record.source_title,
                "source_url": record.source_url,
            }
        )
    frame = (
        pd.DataFrame(rows)
        .sort_values(["indicator", "basis", "period", "year"])
        .reset_index(drop=True)
    )
    check_annotations_used(frame)
    return frame, moved


def check_annotations_used(frame: pd.DataFrame) -> None:
    """Stop if a declared back-cast or dated statement no longer matches a row (the
    source changed).
    """
    noted = set(zip(frame["indicator"], frame["year"], frame["note"]))
    for (raw, year), note in INCOME_SURVEY_BACKCAST.items():
        if (raw, year, note) not in noted:
            raise ValueError(
                f"urban_rural_national.csv: declared back-cast {raw} {year} not found"
            )
    dated = set(zip(frame["year"], frame["reference_date"]))
    for (raw, year), (date, _note) in DATED_STATEMENTS.items():
        if (year, date) not in dated:
            raise ValueError(
                f"urban_rural_national.csv: dated statement {raw} {year} not found"
            )


NATIONAL_DESCRIPTION = (
    "National urban and rural series gathered from stored copies of public pages (NBS "
    "releases and statistical communiqués, CNNIC reports, MOFCOM, MIIT, MARA), one row "
    "per published number, with the page it was read from. Long format: the indicator "
    "name is ours; 'period' says whether the value is annual/year-end ('year'), end of "
    "June ('jun'), reported in January ('jan') or the census date 1 Nov 2020 ('nov1'); "
    "'basis' separates values across series breaks (old_survey: rural net income and "
    "the old urban survey, which NBS still published for 2013-2014 beside the "
    "integrated survey of 2013; mixed: the 2014 ratio of urban disposable to rural net "
    "income; pre_census_2020: urbanisation and urban population as printed before the "
    "7th-census revision; pre_2021_rebase: CNNIC rural netizens before the 2021 "
    "change). The 2012 Engel coefficients and income ratio are on the current "
    "(integrated-survey) basis: NBS back-calculated 2012 on that basis, and the 'note' "
    "column and series_breaks (first_year_backcast) say so. Statements made during a "
    "year (e.g. 5G villages, July 2024) carry their date in 'reference_date'. Bounds "
    "worded '超过90%' or '不足70%' are kept as value 90 or 70 with qualifier '>' or "
    "'<'. Rural online retail published in 万亿元 is converted to 亿元 (x10,000); the "
    "published text is kept in value_as_published. CNNIC's urban and rural penetration "
    "for Dec 2007 and Dec 2009 come from the gathering notes "
    "(sources/curated/national_extra_rows.csv: the sites that quoted CNNIC are named, "
    "not the pages). Gaps: CNNIC urban and rural penetration for the other years "
    "before 2020, urbanisation 2013-2015, consumption 2013-2016, urban and rural Engel "
    "coefficients in many years (see the data appendix)."
)


def national_resource(src: Path) -> tuple[Resource, list[dict]]:
    """Resource for the national series (and rows that go to value_conflicts)."""
    frame, moved = national_frame(src)
    fields = [
        field(
            "indicator",
            "string",
            "Indicator",
            "",
            "Our indicator name (see the data appendix).",
            required=True,
        ),
        field(
            "year", "integer", "Year", "calendar year", "", 2007, 2025, required=True
        ),
        field(
            "period",
            "string",
            "Reference period",
            "",
            "year = annual or year-end, or a statement made during the year (its date "
            "is in reference_date); jun = end of June; jan = reported in January; "
            "nov1 = census date 1 Nov.",
            enum=["year", "jun", "jan", "nov1"],
            required=True,
        ),
        field(
            "basis",
            "string",
            "Series basis",
            "",
            "Separates values across series breaks; see series_breaks.",
            enum=[
                "current",
                "old_survey",
                "mixed",
                "pre_census_2020",
                "pre_2021_rebase",
            ],
            required=True,
        ),
        field(
            "value",
            "number",
            "Value (in 'unit')",
            "see unit column",
            "For a bound, the bound itself.",
            0,
            required=True,
        ),
        field(
            "qualifier",
            "string",
            "Qualifier",
            "",
            "'=' exact; '>' more than; '<' less than (as worded).",
            enum=["=", ">", "<"],
            required=True,
        ),
        field(
            "unit",
            "string",
            "Unit of value",
            "",
            "",
            enum=sorted({u for u, _ in NATIONAL_UNITS.values()}),
            required=True,
        ),
        field(
            "value_as_published",
            "string",
            "Value as published",
            "",
            "Text exactly as on the page.",
            required=True,
        ),
        field("unit_as_published", "string", "Unit as published", "", ""),
        field(
            "producer",
            "string",
            "Statistical producer",
            "",
            "NBS, CNNIC, MIIT, MOFCOM, MARA, CAC.",
            enum=[
                "NBS",
                "NBS/MPS",
                "CNNIC",
                "MIIT",
                "MOFCOM",
                "MARA",
                "CAC",
                "not stated",
            ],
        ),
        field(
            "flag",
            "string",
            "Flag",
            "",
            "suspect = kept but contradicted by a later report; weak_source = "
            "only a low-quality host gives it.",
            enum=["suspect", "weak_source"],
        ),
        field("flag_reason", "string", "Why flagged", "", ""),
        field(
            "reference_date",
            "string",
            "Date the value refers to (statements)",
            "ISO date",
            "Set where a value is a statement made during the year rather than a "
            "year-end (or end-of-period) figure: the as-of date if the source states "
            "one, otherwise the date of the statement. Empty = the usual date of the "
            "period.",
            pattern=ISO_DATE_PATTERN,
        ),
        field(
            "note",
            "string",
            "Note on basis, date or source",
            "",
            "Why a value sits in its basis or period (e.g. 2012 values that NBS "
            "back-calculated on the 2013 integrated-survey basis), or where a value "
            "from the gathering notes was read.",
        ),
        field(
            "source_title",
            "string",
            "Source as cited on the page",
            "",
            "",
            required=True,
        ),
        field(
            "source_url",
            "string",
            "Page where the value was read",
            "",
            "",
            required=True,
        ),
    ]
    resource = Resource(
        name="national_urban_rural",
        path="national_urban_rural.csv",
        title="National urban-rural series: income, consumption, Engel, "
        "urbanisation, internet, e-commerce",
        description=NATIONAL_DESCRIPTION,
        kind="national",
        sources=[
            source(
                "Statistical communiqués and 居民收入和消费支出情况 releases",
                "National Bureau of Statistics of China (NBS)",
                "https://www.stats.gov.cn/sj/",
                table="per-row source_url (news copies)",
                year="2013-2025",
            ),
            source(
                "中国互联网络发展状况统计报告 (Statistical Report on Internet "
                "Development in China), reports with figures for Dec 2007, Dec 2009 "
                "and 2015-2025",
                "China Internet Network Information Center (CNNIC)",
                "https://www.cnnic.net.cn/",
                table="urban/rural penetration and netizens (Dec 2007 and Dec 2009 as "
                "quoted by net.zhiding.cn, west999.com and cernet.edu.cn)",
                year="2008-2025",
            ),
            source(
                "Press conferences on rural e-commerce",
                "Ministry of Commerce (MOFCOM)",
                "http://www.mofcom.gov.cn/",
            ),
            source(
                "Village broadband, fibre, 4G and 5G statements",
                "MIIT; MARA; CAC (数字中国发展报告)",
                "https://www.miit.gov.cn/",
            ),
        ],
        licenses=[LICENCE_OFFICIAL_NONE],
        frame=frame,
        fields=fields,
        primary_key=["indicator", "year", "period", "basis"],
        source_line="Source: NBS; CNNIC; MOFCOM; MIIT (national series, "
        "data/national_urban_rural.csv)",
        coverage=f"{frame['year'].min()}-{frame['year'].max()}; "
        f"{frame['indicator'].nunique()} indicators",
    )
    return resource, moved
