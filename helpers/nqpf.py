"""The new quality productive forces (新质生产力, NQPF) index from the provincial data
in data/.

The indicator system follows the technology / green / digital framework of 卢江 et al.
(2024), as far as our data support it (see book/appendix/methods.md). Every indicator is
an intensity (per unit of GDP or of employment), never a level, because level variables
(patents, turnover) are dominated by province size and would take most of the entropy
weight. Per-capita forms are not used because provincial population is published in
data/ only from 2015.

Main index: 7 indicators, 2013-2022 (2013 = first year of the integrated household
survey that the URI index needs; 2022 = last year of CO2 data). The extended variant
adds the high-tech industry block; the source has no high-tech revenue for 2017, so that
variant loses 2017.
"""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from helpers import indices, measures
from helpers.measures import Indicator, ValueExclusion

BLOCK_LABELS = {
    "technology": ("科技生产力", "technological productivity"),
    "green": ("绿色生产力", "green productivity"),
    "digital": ("数字生产力", "digital productivity"),
    "industry": ("新兴产业", "new industries"),
}

NQPF_INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "rd_intensity",
        "technology",
        "R&D expenditure / GDP",
        "R&D经费投入强度",
        +1,
        "percent",
        "rd_intensity_pct",
        note="as published in the S&T Statistical Yearbook",
    ),
    Indicator(
        "rd_personnel",
        "technology",
        "R&D personnel (FTE) per 10,000 urban-unit employees",
        "每万名城镇单位就业人员R&D人员全时当量",
        +1,
        "person-years per 10,000 employees",
        "rd_fte_person_years",
        "urban_unit_employment_10k",
        note="employment denominator because population is not in data/ before 2015",
    ),
    Indicator(
        "invention_patents",
        "technology",
        "Invention patents granted per 100 million yuan of GDP",
        "每亿元GDP发明专利授权数",
        +1,
        "patents per 100 million yuan",
        "invention_patent_grants",
        "gdp_100m_yuan",
        note="per unit of GDP, not per capita: population is not in data/ before 2015",
    ),
    Indicator(
        "tech_market",
        "technology",
        "Technology-market turnover / GDP",
        "技术市场成交额占GDP比重",
        +1,
        "percent",
        "tech_market_turnover_100m_yuan",
        "gdp_100m_yuan",
        scale=100.0,
        note=(
            "turnover is lumpy from year to year (large contracts are registered in "
            "one year)"
        ),
    ),
    Indicator(
        "energy_intensity",
        "green",
        "Energy consumption per unit of GDP",
        "单位GDP能耗",
        -1,
        "tonnes of coal equivalent per 10,000 yuan",
        "energy_consumption_10k_tce",
        "gdp_100m_yuan",
        note="Tibet publishes no energy balance (except 2017)",
    ),
    Indicator(
        "co2_intensity",
        "green",
        "CO2 emissions per unit of GDP (CEADs apparent inventory)",
        "单位GDP二氧化碳排放",
        -1,
        "tonnes CO2 per 10,000 yuan",
        "co2_apparent_mt",
        "gdp_100m_yuan",
        scale=100.0,
        note=(
            "apparent (reference-approach) inventory, the CEADs series that reaches "
            "2022"
        ),
    ),
    Indicator(
        "digital_finance",
        "digital",
        "Digital financial inclusion index (PKU-DFIIC)",
        "数字普惠金融指数",
        +1,
        "index points (2011 base)",
        "dfiic_index",
        note="the only provincial digital indicator in data/ after 2016",
    ),
)

HIGHTECH_INDICATOR = Indicator(
    "hightech_revenue",
    "industry",
    "High-tech industry revenue / GDP",
    "高技术产业营业收入占GDP比重",
    +1,
    "percent",
    "hightech_revenue_100m_yuan",
    "gdp_100m_yuan",
    scale=100.0,
    note="not published for 2017 in our source, so the extended index has no 2017",
)

NQPF_EXTENDED: tuple[Indicator, ...] = NQPF_INDICATORS + (HIGHTECH_INDICATOR,)

NQPF_WINDOW = (2013, 2022)


def excluded_values(columns: Sequence[str] | None = None) -> tuple[ValueExclusion, ...]:
    """Published values the book does not use: the cells flagged 'suspect' in
    data/value_flags.csv, with that reason.

    The flag table is the one place these are recorded (e.g. Ningxia 2020 energy
    consumption, a unit slip); by default only the columns the NQPF indicators use.
    """
    from helpers.data import suspect_values

    rows = suspect_values(raw_columns(extended=True) if columns is None else columns)
    return tuple(
        ValueExclusion(int(r.province_code), int(r.year), r.column, r.reason)
        for r in rows.itertuples()
    )


#: Indicators the NQPF literature uses that our data cannot support, and why.
NOT_AVAILABLE = pd.DataFrame(
    [
        (
            "Average years of schooling; college students per capita",
            "labourers",
            "no provincial education-attainment series in data/",
        ),
        (
            "Optical cable length, broadband ports, mobile base stations",
            "means of labour / digital",
            "no provincial digital-infrastructure volumes in data/",
        ),
        ("Internet penetration", "digital", "provincial series ends in 2016"),
        (
            "Industrial robots per worker",
            "means of labour",
            "licensed IFR data, not public",
        ),
        (
            "Farm machinery power",
            "means of labour",
            "series re-based in 2016 (never spliced) and no crop area to scale it; "
            "used as a channel (M2-2) instead",
        ),
        (
            "Patents or R&D personnel per capita",
            "technology",
            "provincial population is in data/ only from 2015; intensities per GDP or "
            "per employee are used",
        ),
    ],
    columns=["indicator", "block", "why not used"],
)


def raw_columns(extended: bool = True) -> list[str]:
    """Data-layer columns the NQPF indicators need (for
    helpers.data.provincial_panel).
    """
    return measures.raw_columns(NQPF_EXTENDED if extended else NQPF_INDICATORS)


def indicators_without(
    blocks: Sequence[str], specs: Sequence[Indicator] = NQPF_INDICATORS
) -> tuple[Indicator, ...]:
    """The indicator set minus whole blocks (for channel checks that must not be
    circular).
    """
    unknown = [b for b in blocks if b not in BLOCK_LABELS]
    if unknown:
        raise ValueError(
            f"unknown NQPF block(s) {unknown}; blocks: {list(BLOCK_LABELS)}"
        )
    kept = tuple(spec for spec in specs if spec.block not in blocks)
    if not kept:
        raise ValueError(f"dropping {list(blocks)} leaves no indicators")
    return kept


def nqpf_indicator_frame(
    panel: pd.DataFrame,
    specs: Sequence[Indicator] = NQPF_EXTENDED,
    window: tuple[int, int] = NQPF_WINDOW,
    exclusions: Sequence[ValueExclusion] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Indicator values for the window after the exclusions (default:
    excluded_values()), and the table of them.
    """
    cleaned, excluded = measures.apply_exclusions(
        panel, excluded_values() if exclusions is None else exclusions
    )
    derived = measures.derive_indicators(cleaned, specs)
    return measures.restrict_years(derived, window).reset_index(drop=True), excluded


def nqpf_index(
    indicator_frame: pd.DataFrame,
    specs: Sequence[Indicator] = NQPF_INDICATORS,
    method: str = "entropy",
) -> indices.IndexResult:
    """NQPF score of every complete province-year: entropy (default), 'topsis' or
    'equal' weights.
    """
    return indices.build_index(indicator_frame, measures.signs(specs), method=method)
