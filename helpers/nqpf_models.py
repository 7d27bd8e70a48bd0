"""The Part I analysis data and what the Part I pages share: the analysis frame, model
helpers, table formatters.

``build_analysis_data`` puts both indices (main and variants), the outcomes, the
controls and the channel variables in one province-year frame; ``load_inputs`` is the
only function that reads data (through helpers.data). The models themselves are on the
pages: each page calls helpers.panel.twoway_fe with its specification in a visible cell
(two-way fixed effects, standard errors clustered by province, 2013-2020, the years in
which the URI index and the urban/rural income ratio exist). What is here is what
several pages share: ``term_row`` (a tidy coefficient row with the standardised
coefficient), ``p_text``, the catch-up correlations, and the formatters that make
coefficient and indicator tables readable. Results are associations; nothing here
identifies a causal effect.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from helpers import indices, measures, nqpf, panel, uri
from helpers.measures import Indicator

# Pages write nm.p_text in their sentences: the book's one p-value format, re-exported.
from helpers.tables import p_text as p_text
from helpers.tables import readable_table

ENTITY, TIME = "province_code", "year"
MODEL_WINDOW = (2013, 2020)
CONTROLS = ("ln_gdp", "gov_spending")
CONTROL_LABELS = {
    "ln_gdp": "ln GDP (100 million yuan)",
    "gov_spending": "Budget spending / GDP (%)",
}

#: Data-layer columns for controls and channels (beyond the index indicators).
EXTRA_COLUMNS = [
    "gdp_100m_yuan",
    "budget_exp_total_100m_yuan",
    "va_secondary_100m_yuan",
    "va_tertiary_100m_yuan",
    "va_agriculture_100m_yuan",
    "highway_mileage_10k_km",
    "agri_machinery_power_10k_kw",
    "fertilizer_use_10k_t",
    "pesticide_use_10k_t",
    "internet_penetration_pct",
]

#: Channel variables: label, unit, and the data resources they come from.
CHANNELS = {
    "digital_finance": (
        "Digital financial inclusion (PKU-DFIIC)",
        "数字普惠金融指数",
        "index points",
    ),
    "internet_penetration": (
        "Internet penetration",
        "互联网普及率",
        "percent (2013-2016 only)",
    ),
    "rural_income_growth": (
        "Rural per-capita income growth",
        "农村居民人均可支配收入增长率",
        "percent",
    ),
    "tertiary_share": (
        "Tertiary share of GDP",
        "第三产业增加值占比",
        "percent (2016+)",
    ),
    "nonfarm_share": ("Non-farm share of GDP", "非农产业增加值占比", "percent (2016+)"),
    "ln_farm_machinery": (
        "ln farm machinery power (2016 basis)",
        "农业机械总动力(对数)",
        "ln 10,000 kW (2016+)",
    ),
    "ln_highway": ("ln highway mileage", "公路里程(对数)", "ln 10,000 km"),
    "energy_intensity": (
        "Energy per unit of GDP",
        "单位GDP能耗",
        "tce per 10,000 yuan",
    ),
    "co2_intensity": (
        "CO2 per unit of GDP",
        "单位GDP二氧化碳排放",
        "t CO2 per 10,000 yuan",
    ),
    "fertiliser_intensity": (
        "Fertiliser per unit of farm value added",
        "单位农业增加值化肥施用量",
        "t per 10,000 yuan (2016+)",
    ),
    "pesticide_intensity": (
        "Pesticide per unit of farm value added",
        "单位农业增加值农药使用量",
        "kg per 10,000 yuan (2016+)",
    ),
    "tech_market": (
        "Technology-market turnover / GDP",
        "技术市场成交额占GDP比重",
        "percent",
    ),
}


@dataclass(frozen=True)
class AnalysisData:
    """Everything the Part I pages need: the province-year frame, the fitted indices and
    their accounting.
    """

    frame: pd.DataFrame
    nqpf: indices.IndexResult
    uri: indices.IndexResult
    variants: dict
    excluded: pd.DataFrame
    nqpf_accounting: pd.DataFrame
    uri_accounting: pd.DataFrame


# --------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------


def input_columns() -> list[str]:
    """Every data-layer column the Part I analysis uses."""
    return list(dict.fromkeys(nqpf.raw_columns() + uri.raw_columns() + EXTRA_COLUMNS))


def load_inputs() -> pd.DataFrame:
    """Read the province-year panel of input_columns() through the data layer (the only
    I/O here).
    """
    from helpers.data import provincial_panel

    return provincial_panel(input_columns())


def source_line(resources: Sequence[str]) -> str:
    """Chart source line naming each data resource, from data/datapackage.json (reads
    the descriptor).
    """
    from helpers.data import source_line as data_source_line

    return data_source_line(resources, "Indices and models: this book.")


def controls_and_channels(raw: pd.DataFrame) -> pd.DataFrame:
    """province_code, year, controls (ln GDP, spending/GDP) and channel variables
    computed from raw columns.
    """
    out = raw[[ENTITY, TIME]].astype(int).copy()
    gdp = raw["gdp_100m_yuan"].astype(float)
    out["ln_gdp"] = np.log(gdp)
    out["gov_spending"] = 100 * raw["budget_exp_total_100m_yuan"].astype(float) / gdp
    out["tertiary_share"] = 100 * raw["va_tertiary_100m_yuan"].astype(float) / gdp
    out["nonfarm_share"] = (
        100
        * (raw["va_secondary_100m_yuan"] + raw["va_tertiary_100m_yuan"]).astype(float)
        / gdp
    )
    out["ln_highway"] = np.log(raw["highway_mileage_10k_km"].astype(float))
    out["ln_farm_machinery"] = np.log(raw["agri_machinery_power_10k_kw"].astype(float))
    farm_va = raw["va_agriculture_100m_yuan"].astype(float)
    out["fertiliser_intensity"] = raw["fertilizer_use_10k_t"].astype(float) / farm_va
    out["pesticide_intensity"] = (
        1000 * raw["pesticide_use_10k_t"].astype(float) / farm_va
    )
    out["internet_penetration"] = raw["internet_penetration_pct"].astype(float)
    income = raw[[ENTITY, TIME, "rural_disposable_income_yuan"]].astype(
        {ENTITY: int, TIME: int}
    )
    lagged = panel.add_lag(income, "rural_disposable_income_yuan", ENTITY, TIME)
    growth = 100 * (
        lagged["rural_disposable_income_yuan"]
        / lagged["rural_disposable_income_yuan_lag1"]
        - 1
    )
    out["rural_income_growth"] = growth.to_numpy()
    return out


def build_analysis_data(raw: pd.DataFrame) -> AnalysisData:
    """Indices (main and variants), outcomes, controls and channels in one province-year
    frame, 2013-2022.
    """
    nqpf_frame, excluded = nqpf.nqpf_indicator_frame(raw)
    variants = {
        "nqpf": nqpf.nqpf_index(nqpf_frame),
        "nqpf_topsis": nqpf.nqpf_index(nqpf_frame, method="topsis"),
        "nqpf_equal": nqpf.nqpf_index(nqpf_frame, method="equal"),
        "nqpf_extended": nqpf.nqpf_index(nqpf_frame, nqpf.NQPF_EXTENDED),
        "nqpf_no_digital": nqpf.nqpf_index(
            nqpf_frame, nqpf.indicators_without(["digital"])
        ),
        "nqpf_no_green": nqpf.nqpf_index(
            nqpf_frame, nqpf.indicators_without(["green"])
        ),
    }
    frame = nqpf_frame.copy()
    for name, result in variants.items():
        frame[name] = result.score.reindex(frame.index)

    uri_frame = uri.uri_indicator_frame(raw)
    uri_result = uri.uri_index(uri_frame)
    uri_scores = uri_frame[[ENTITY, TIME, "income_ratio", "urbanisation"]].assign(
        uri=uri_result.score
    )
    frame = (
        frame.merge(uri_scores, on=[ENTITY, TIME], how="left")
        .merge(uri.theil_frame(raw), on=[ENTITY, TIME], how="left")
        .merge(controls_and_channels(raw), on=[ENTITY, TIME], how="left")
    )
    return AnalysisData(
        frame=frame,
        nqpf=variants["nqpf"],
        uri=uri_result,
        variants=variants,
        excluded=excluded,
        nqpf_accounting=measures.index_accounting(
            nqpf_frame, nqpf.NQPF_INDICATORS, nqpf.NQPF_WINDOW, excluded
        ),
        uri_accounting=measures.index_accounting(
            uri_frame, uri.URI_INDICATORS, uri.URI_WINDOW
        ),
    )


def indicator_tables(
    data: AnalysisData, catalogue: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """The NQPF (extended set, main weights) and URI indicator tables with sign, unit,
    source and weight.
    """
    resources = measures.column_resources(catalogue)
    return {
        "nqpf": measures.indicator_table(
            nqpf.NQPF_EXTENDED, data.nqpf.weights, resources, nqpf.BLOCK_LABELS
        ).assign(
            weight_extended=data.variants["nqpf_extended"]
            .weights.reindex([s.name for s in nqpf.NQPF_EXTENDED])
            .to_numpy()
        ),
        "uri": measures.indicator_table(
            uri.URI_INDICATORS, data.uri.weights, resources, uri.BLOCK_LABELS
        ),
    }


def overlap(first: Sequence[Indicator], second: Sequence[Indicator]) -> dict[str, set]:
    """Shared indicator names and shared data-layer columns of two indicator sets (both
    must be empty).
    """
    return {
        "names": {s.name for s in first} & {s.name for s in second},
        "raw_columns": set(measures.raw_columns(first))
        & set(measures.raw_columns(second)),
    }


# --------------------------------------------------------------------------------------
# Tables for reading
# --------------------------------------------------------------------------------------

#: Human names of model terms, for tables (regressors, controls and channels of the Part
#: I models).
TERM_LABELS = {
    "nqpf": "NQPF index 新质生产力指数",
    "nqpf_no_digital": "NQPF without its digital block",
    "nqpf_no_green": "NQPF without its green block",
    **CONTROL_LABELS,
    **{name: f"{en} {zh}" for name, (en, zh, _unit) in CHANNELS.items()},
    "invention_patents": "Invention patents / GDP",
    "uri": "URI index 城乡融合指数",
    "income_ratio": "Urban/rural income ratio 城乡收入比",
    "theil": "Theil index of the income gap",
}


def significant(x: float, figures: int = 3) -> str:
    """x as text with `figures` significant digits and no exponent: 129.28 -> '129',
    -0.000898 -> '-0.000898'.
    """
    if pd.isna(x):
        return "–"
    if x == 0:
        return "0"
    decimals = max(0, figures - 1 - int(np.floor(np.log10(abs(x)))))
    return f"{x:,.{decimals}f}"


#: Bilingual headers of coef_display's columns and its usual labels, as show() writes
#: them.
BILINGUAL_HEADERS = {
    "Outcome": "Outcome 结果变量",
    "Term": "Term 变量",
    "Step": "Step 步骤",
    "Comparison": "Comparison 比较",
    "Coefficient": "Coefficient 系数",
    "Std. error": "Std. error 标准误",
    "95% interval": "95% interval 95% 置信区间",
    "p": "p-value p 值",
    "Standardised": "Standardised 标准化系数",
    "Province-years": "Province-years 省份-年份",
    "Provinces": "Provinces 省份数",
    "Years": "Years 年份",
}
#: coef_display's columns of numbers written as text (aligned as numbers by show()).
COEF_ESTIMATES = ("Coefficient", "Std. error", "95% interval", "p", "Standardised")


def coef_display(
    table: pd.DataFrame, labels: dict[str, str], digits: int | None = None
) -> pd.DataFrame:
    """Coefficient rows for reading (show() makes them a readable_table): the label
    columns renamed, then estimate, SE, 95% interval, p (p_text) and sample.

    ``table`` has helpers.panel.coef_table columns (coef, se, p, ci_low, ci_high, n_obs;
    optionally std_coef, n_clusters, years); ``labels`` maps its label columns to
    display names, in display order. Term codes become TERM_LABELS names. Numbers are
    text with ``digits`` decimals (default: three significant digits), missing values
    '–'.
    """

    def number(x) -> str:
        if digits is None or pd.isna(x):
            return significant(x)
        return f"{x:,.{digits}f}"

    rows = table.reset_index(drop=True)
    out = rows[list(labels)].rename(columns=labels)
    out = out.map(lambda v: TERM_LABELS.get(v, v) if isinstance(v, str) else v)
    out["Coefficient"] = rows["coef"].map(number)
    out["Std. error"] = rows["se"].map(number)
    out["95% interval"] = [
        f"{number(lo)} to {number(hi)}"
        for lo, hi in zip(rows["ci_low"], rows["ci_high"])
    ]
    out["p"] = [p_text(p, label=False) for p in rows["p"]]
    if "std_coef" in rows:
        out["Standardised"] = rows["std_coef"].map(
            lambda x: "–" if pd.isna(x) else f"{x:.2f}"
        )
    out["Province-years"] = rows["n_obs"].astype(int)
    if "n_clusters" in rows:
        out["Provinces"] = rows["n_clusters"].astype(int)
    if "years" in rows:
        out["Years"] = rows["years"]
    return out


def show(table: pd.DataFrame):
    """A display frame as a readable_table (no index, text escaped, missing '–');
    coef_display's columns and usual labels get bilingual headers, its estimates align
    as numbers and its coefficient stays on screen when a phone scrolls the table.
    """
    return readable_table(
        table,
        columns=BILINGUAL_HEADERS,
        years=("year", "Year"),
        key="Coefficient" if "Coefficient" in table.columns else None,
        numeric=[c for c in COEF_ESTIMATES if c in table.columns],
    )


def indicator_display(table: pd.DataFrame) -> pd.DataFrame:
    """An indicator_tables() table for reading: bilingual indicator names, weights in
    percent, '–' if none.
    """

    def percent(w) -> str:
        return "–" if pd.isna(w) else f"{100 * w:.1f}%"

    out = pd.DataFrame(
        {
            "Block 维度": table["block"],
            "Indicator 指标": table["indicator"] + " " + table["指标"],
            "Sign": table["sign"],
            "Unit": table["unit"],
            "Data": table["source resource"],
            "Weight": table["weight"].map(percent),
        }
    )
    if "weight_extended" in table:
        out["Weight, extended index"] = table["weight_extended"].map(percent)
    return out


# --------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------


def fit(
    frame: pd.DataFrame,
    outcome: str,
    regressors: Sequence[str],
    window: tuple[int, int] = MODEL_WINDOW,
    **options,
) -> panel.PanelFit:
    """Two-way FE of outcome on regressors (province and year effects, clustered by
    province) in the window.
    """
    sample = measures.restrict_years(frame, window)
    return panel.twoway_fe(sample, outcome, list(regressors), ENTITY, TIME, **options)


def term_row(result: panel.PanelFit, term: str, frame: pd.DataFrame, **labels) -> dict:
    """One tidy row for one coefficient, with the standardised coefficient beta * sd(x)
    / sd(y) on the sample.
    """
    row = panel.coef_table(result).set_index("term").loc[term].to_dict()
    sample = frame.loc[result.sample_index]
    row["std_coef"] = row["coef"] * sample[term].std() / sample[result.outcome].std()
    row["years"] = f"{int(sample[TIME].min())}-{int(sample[TIME].max())}"
    return {**labels, "term": term, **row}


def baseline_fits(
    frame: pd.DataFrame, nqpf_column: str = "nqpf"
) -> dict[str, panel.PanelFit]:
    """URI on NQPF + controls and the income ratio on NQPF + controls (two-way FE)."""
    return {
        outcome: fit(frame, outcome, [nqpf_column, *CONTROLS])
        for outcome in ("uri", "income_ratio")
    }


# --------------------------------------------------------------------------------------
# Catch-up: start values and changes (factor_flow and green_transition)
# --------------------------------------------------------------------------------------


def latest_full_year(frame: pd.DataFrame, column: str) -> int:
    """The latest year in which the score covers as many provinces as in its
    best-covered year.
    """
    from helpers.data import latest_full_year as data_latest_full_year

    return data_latest_full_year(frame, column, ENTITY, TIME)


def start_and_change(
    frame: pd.DataFrame, column: str, window: tuple[int, int] = MODEL_WINDOW
) -> pd.DataFrame:
    """Per province with the column observed in both end years of the window: start
    value and change.
    """
    first, last = window
    ends = (
        frame.loc[frame[TIME].isin([first, last])]
        .pivot_table(index=[ENTITY, "region"], columns=TIME, values=column)
        .dropna()
    )
    if first not in ends.columns or last not in ends.columns:
        raise ValueError(
            f"{column!r} is not observed in both {first} and {last} for any province"
        )
    return pd.DataFrame(
        {"start": ends[first], "change": ends[last] - ends[first]}
    ).reset_index()


def catch_up_pattern(
    frame: pd.DataFrame, x: str, y: str, window: tuple[int, int] = MODEL_WINDOW
) -> dict:
    """Correlations across provinces: start of y with change of y, and start of y with
    change of x.
    """
    ys = start_and_change(frame, y, window).drop(columns="region")
    xs = start_and_change(frame, x, window).drop(columns="region")
    both = ys.merge(xs, on=ENTITY, suffixes=("", "_x"))
    return {
        "corr_start_change": float(both["start"].corr(both["change"])),
        "corr_start_x_change": float(both["start"].corr(both["change_x"])),
        "n_provinces": int(len(both)),
    }
