"""Panel models linking NQPF and urban-rural integration (URI): baseline, robustness, channels, regions.

Every model is a two-way fixed-effects regression (province and year effects) with standard errors
clustered by province (helpers.panel). The estimation window is 2013-2020, the years in which the URI
index and the urban/rural income ratio exist. Results are associations within provinces over time;
nothing here identifies a causal effect.

``load_inputs`` is the only function that reads data (through helpers.data); everything else takes
frames as arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from helpers import indices, measures, nqpf, panel, uri
from helpers.measures import Indicator

ENTITY, TIME = "province_code", "year"
MODEL_WINDOW = (2013, 2020)
CONTROLS = ("ln_gdp", "gov_spending")
CONTROL_LABELS = {"ln_gdp": "ln GDP (100 million yuan)", "gov_spending": "Budget spending / GDP (%)"}

#: Data-layer columns for controls and channels (beyond the index indicators).
EXTRA_COLUMNS = [
    "gdp_100m_yuan", "budget_exp_total_100m_yuan", "va_secondary_100m_yuan", "va_tertiary_100m_yuan",
    "va_agriculture_100m_yuan", "highway_mileage_10k_km", "agri_machinery_power_10k_kw",
    "fertilizer_use_10k_t", "pesticide_use_10k_t", "internet_penetration_pct",
]

#: Channel variables: label, unit, and the data resources they come from.
CHANNELS = {
    "digital_finance": ("Digital financial inclusion (PKU-DFIIC)", "数字普惠金融指数", "index points"),
    "internet_penetration": ("Internet penetration", "互联网普及率", "percent (2013-2016 only)"),
    "rural_income_growth": ("Rural per-capita income growth", "农村居民人均可支配收入增长率", "percent"),
    "tertiary_share": ("Tertiary share of GDP", "第三产业增加值占比", "percent (2016+)"),
    "nonfarm_share": ("Non-farm share of GDP", "非农产业增加值占比", "percent (2016+)"),
    "ln_farm_machinery": ("ln farm machinery power (2016 basis)", "农业机械总动力(对数)", "ln 10,000 kW (2016+)"),
    "ln_highway": ("ln highway mileage", "公路里程(对数)", "ln 10,000 km"),
    "energy_intensity": ("Energy per unit of GDP", "单位GDP能耗", "tce per 10,000 yuan"),
    "co2_intensity": ("CO2 per unit of GDP", "单位GDP二氧化碳排放", "t CO2 per 10,000 yuan"),
    "fertiliser_intensity": ("Fertiliser per unit of farm value added", "单位农业增加值化肥施用量",
                             "t per 10,000 yuan (2016+)"),
    "pesticide_intensity": ("Pesticide per unit of farm value added", "单位农业增加值农药使用量",
                            "kg per 10,000 yuan (2016+)"),
    "tech_market": ("Technology-market turnover / GDP", "技术市场成交额占GDP比重", "percent"),
}

@dataclass(frozen=True)
class AnalysisData:
    """Everything the Part I pages need: the province-year frame, the fitted indices and their accounting."""

    frame: pd.DataFrame
    nqpf: indices.IndexResult
    uri: indices.IndexResult
    variants: dict
    excluded: pd.DataFrame
    nqpf_accounting: pd.DataFrame
    uri_accounting: pd.DataFrame


# ---------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------


def input_columns() -> list[str]:
    """Every data-layer column the Part I analysis uses."""
    return list(dict.fromkeys(nqpf.raw_columns() + uri.raw_columns() + EXTRA_COLUMNS))


def load_inputs() -> pd.DataFrame:
    """Read the province-year panel of input_columns() through the data layer (the only I/O here)."""
    from helpers.data import provincial_panel

    return provincial_panel(input_columns())


def source_line(resources: Sequence[str]) -> str:
    """Chart source line naming each data resource, from data/datapackage.json (reads the descriptor)."""
    from helpers.data import source_line as data_source_line

    return data_source_line(resources, "Indices and models: this book (helpers.nqpf_models).")


def controls_and_channels(raw: pd.DataFrame) -> pd.DataFrame:
    """province_code, year, controls (ln GDP, spending/GDP) and channel variables computed from raw columns."""
    out = raw[[ENTITY, TIME]].astype(int).copy()
    gdp = raw["gdp_100m_yuan"].astype(float)
    out["ln_gdp"] = np.log(gdp)
    out["gov_spending"] = 100 * raw["budget_exp_total_100m_yuan"].astype(float) / gdp
    out["tertiary_share"] = 100 * raw["va_tertiary_100m_yuan"].astype(float) / gdp
    out["nonfarm_share"] = 100 * (raw["va_secondary_100m_yuan"] + raw["va_tertiary_100m_yuan"]).astype(float) / gdp
    out["ln_highway"] = np.log(raw["highway_mileage_10k_km"].astype(float))
    out["ln_farm_machinery"] = np.log(raw["agri_machinery_power_10k_kw"].astype(float))
    farm_va = raw["va_agriculture_100m_yuan"].astype(float)
    out["fertiliser_intensity"] = raw["fertilizer_use_10k_t"].astype(float) / farm_va
    out["pesticide_intensity"] = 1000 * raw["pesticide_use_10k_t"].astype(float) / farm_va
    out["internet_penetration"] = raw["internet_penetration_pct"].astype(float)
    income = raw[[ENTITY, TIME, "rural_disposable_income_yuan"]].astype({ENTITY: int, TIME: int})
    lagged = panel.add_lag(income, "rural_disposable_income_yuan", ENTITY, TIME)
    growth = 100 * (lagged["rural_disposable_income_yuan"] / lagged["rural_disposable_income_yuan_lag1"] - 1)
    out["rural_income_growth"] = growth.to_numpy()
    return out


def build_analysis_data(raw: pd.DataFrame) -> AnalysisData:
    """Indices (main and variants), outcomes, controls and channels in one province-year frame, 2013-2022."""
    nqpf_frame, excluded = nqpf.nqpf_indicator_frame(raw)
    variants = {
        "nqpf": nqpf.nqpf_index(nqpf_frame),
        "nqpf_topsis": nqpf.nqpf_index(nqpf_frame, method="topsis"),
        "nqpf_equal": nqpf.nqpf_index(nqpf_frame, method="equal"),
        "nqpf_extended": nqpf.nqpf_index(nqpf_frame, nqpf.NQPF_EXTENDED),
        "nqpf_no_digital": nqpf.nqpf_index(nqpf_frame, nqpf.indicators_without(["digital"])),
        "nqpf_no_green": nqpf.nqpf_index(nqpf_frame, nqpf.indicators_without(["green"])),
    }
    frame = nqpf_frame.copy()
    for name, result in variants.items():
        frame[name] = result.score.reindex(frame.index)

    uri_frame = uri.uri_indicator_frame(raw)
    uri_result = uri.uri_index(uri_frame)
    uri_scores = uri_frame[[ENTITY, TIME, "income_ratio", "urbanisation"]].assign(uri=uri_result.score)
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
        nqpf_accounting=measures.index_accounting(nqpf_frame, nqpf.NQPF_INDICATORS, nqpf.NQPF_WINDOW, excluded),
        uri_accounting=measures.index_accounting(uri_frame, uri.URI_INDICATORS, uri.URI_WINDOW),
    )


def indicator_tables(data: AnalysisData, catalogue: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The NQPF (extended set, main weights) and URI indicator tables with sign, unit, source and weight."""
    resources = measures.column_resources(catalogue)
    return {
        "nqpf": measures.indicator_table(nqpf.NQPF_EXTENDED, data.nqpf.weights, resources, nqpf.BLOCK_LABELS)
        .assign(weight_extended=data.variants["nqpf_extended"].weights.reindex(
            [s.name for s in nqpf.NQPF_EXTENDED]).to_numpy()),
        "uri": measures.indicator_table(uri.URI_INDICATORS, data.uri.weights, resources, uri.BLOCK_LABELS),
    }


def overlap(first: Sequence[Indicator], second: Sequence[Indicator]) -> dict[str, set]:
    """Shared indicator names and shared data-layer columns of two indicator sets (both must be empty)."""
    return {
        "names": {s.name for s in first} & {s.name for s in second},
        "raw_columns": set(measures.raw_columns(first)) & set(measures.raw_columns(second)),
    }


# ---------------------------------------------------------------------------------------
# Tables for reading
# ---------------------------------------------------------------------------------------

#: Human names of model terms, for tables (regressors, controls and channels of the Part I models).
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


def p_cell(p: float) -> str:
    """A p-value for a table cell: '< 0.001' below 0.001, else three decimals."""
    if not 0 <= p <= 1:
        raise ValueError(f"p-value must lie in [0, 1], found {p}")
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def significant(x: float, figures: int = 3) -> str:
    """x as text with `figures` significant digits and no exponent: 129.28 -> '129', -0.000898 -> '-0.000898'."""
    if pd.isna(x):
        return "–"
    if x == 0:
        return "0"
    decimals = max(0, figures - 1 - int(np.floor(np.log10(abs(x)))))
    return f"{x:,.{decimals}f}"


def coef_display(table: pd.DataFrame, labels: dict[str, str], digits: int | None = None) -> pd.DataFrame:
    """Coefficient rows for reading: the label columns renamed, then estimate, SE, 95% interval, p and sample.

    ``table`` has helpers.panel.coef_table columns (coef, se, p, ci_low, ci_high, n_obs; optionally std_coef,
    n_clusters, years); ``labels`` maps its label columns to display names, in display order. Term codes
    become TERM_LABELS names. Numbers are text with ``digits`` decimals (default: three significant digits),
    missing values '–'.
    """
    def number(x) -> str:
        if digits is None or pd.isna(x):
            return significant(x)
        return f"{x:,.{digits}f}"

    out = table[list(labels)].rename(columns=labels).reset_index(drop=True)
    for column in out.columns:
        out[column] = out[column].map(lambda v: TERM_LABELS.get(v, v) if isinstance(v, str) else v)
    rows = table.reset_index(drop=True)
    out["Coefficient"] = rows["coef"].map(number)
    out["Std. error"] = rows["se"].map(number)
    out["95% interval"] = [f"{number(lo)} to {number(hi)}" for lo, hi in zip(rows["ci_low"], rows["ci_high"])]
    out["p"] = rows["p"].map(p_cell)
    if "std_coef" in rows:
        out["Standardised"] = rows["std_coef"].map(lambda x: "–" if pd.isna(x) else f"{x:.2f}")
    out["Province-years"] = rows["n_obs"].astype(int)
    if "n_clusters" in rows:
        out["Provinces"] = rows["n_clusters"].astype(int)
    if "years" in rows:
        out["Years"] = rows["years"]
    return out


def show(table: pd.DataFrame):
    """A display frame as a Styler: no index, cell text HTML-escaped, missing values '–'."""
    return table.style.hide(axis="index").format(escape="html", na_rep="–")


def indicator_display(table: pd.DataFrame) -> pd.DataFrame:
    """An indicator_tables() table for reading: bilingual indicator names, weights in percent, '–' if none."""
    def percent(w) -> str:
        return "–" if pd.isna(w) else f"{100 * w:.1f}%"

    out = pd.DataFrame({
        "Block 维度": table["block"],
        "Indicator 指标": table["indicator"] + " " + table["指标"],
        "Sign": table["sign"],
        "Unit": table["unit"],
        "Data": table["source resource"],
        "Weight": table["weight"].map(percent),
    })
    if "weight_extended" in table:
        out["Weight, extended index"] = table["weight_extended"].map(percent)
    return out


# ---------------------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------------------


def fit(frame: pd.DataFrame, outcome: str, regressors: Sequence[str], window: tuple[int, int] = MODEL_WINDOW,
        **options) -> panel.PanelFit:
    """Two-way FE of outcome on regressors (province and year effects, clustered by province) in the window."""
    sample = measures.restrict_years(frame, window)
    return panel.twoway_fe(sample, outcome, list(regressors), ENTITY, TIME, **options)


def p_text(p: float) -> str:
    """A p-value as text for prose: 'p < 0.001' below 0.001, else 'p = 0.034'."""
    if not 0 <= p <= 1:
        raise ValueError(f"p-value must lie in [0, 1], found {p}")
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def term_row(result: panel.PanelFit, term: str, frame: pd.DataFrame, **labels) -> dict:
    """One tidy row for one coefficient, with the standardised coefficient beta * sd(x) / sd(y) on the sample."""
    row = panel.coef_table(result).set_index("term").loc[term].to_dict()
    sample = frame.loc[result.sample_index]
    row["std_coef"] = row["coef"] * sample[term].std() / sample[result.outcome].std()
    row["years"] = f"{int(sample[TIME].min())}-{int(sample[TIME].max())}"
    return {**labels, "term": term, **row}


def baseline_fits(frame: pd.DataFrame, nqpf_column: str = "nqpf") -> dict[str, panel.PanelFit]:
    """URI on NQPF + controls and the income ratio on NQPF + controls (two-way FE)."""
    return {outcome: fit(frame, outcome, [nqpf_column, *CONTROLS]) for outcome in ("uri", "income_ratio")}


def baseline_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Tidy coefficient table of both baseline models (NQPF and controls)."""
    rows = []
    for outcome, result in baseline_fits(frame).items():
        for term in result.params.index:
            rows.append(term_row(result, term, frame, model=f"{outcome} on NQPF"))
    return pd.DataFrame(rows)


def add_catch_up_trend(frame: pd.DataFrame, column: str = "uri", base_year: int = MODEL_WINDOW[0]) -> pd.DataFrame:
    """Add 'catch_up' = (province's value of column in base_year) x (year - base_year): a convergence trend."""
    start = frame.loc[frame[TIME] == base_year].set_index(ENTITY)[column]
    out = frame.copy()
    out["catch_up"] = out[ENTITY].map(start) * (out[TIME] - base_year)
    return out


def robustness_specs(frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame, str, dict]]:
    """(label, frame, NQPF column, fit options) for each robustness check of the baseline."""
    lagged = panel.add_lag(frame, "nqpf", ENTITY, TIME)
    return [
        ("Baseline (entropy NQPF)", frame, "nqpf", {}),
        ("NQPF lagged one year", lagged, "nqpf_lag1", {}),
        ("Without the four municipalities", panel.drop_municipalities(frame), "nqpf", {}),
        ("Entropy-TOPSIS NQPF", frame, "nqpf_topsis", {}),
        ("Equal-weight NQPF", frame, "nqpf_equal", {}),
        ("Extended NQPF (+ high-tech, no 2017)", frame, "nqpf_extended", {}),
        ("No controls", frame, "nqpf", {"controls": ()}),
        ("Catch-up trend (2013 URI x year)", add_catch_up_trend(frame), "nqpf", {"controls": (*CONTROLS, "catch_up")}),
        ("Year effects only (compares provinces)", frame, "nqpf", {"entity_effects": False}),
    ]


def robustness_table(frame: pd.DataFrame, outcomes: Sequence[str] = ("uri", "income_ratio")) -> pd.DataFrame:
    """NQPF coefficient in each robustness specification, for each outcome."""
    rows = []
    for label, data, column, options in robustness_specs(frame):
        options = dict(options)
        controls = options.pop("controls", CONTROLS)
        for outcome in outcomes:
            result = fit(data, outcome, [column, *controls], **options)
            row = term_row(result, column, data, specification=label, outcome=outcome)
            row["term"] = "nqpf"
            rows.append(row)
    return pd.DataFrame(rows)


def theil_fit(frame: pd.DataFrame) -> panel.PanelFit:
    """Theil index of the urban-rural income gap on NQPF + controls (2016-2020: population starts 2016)."""
    return fit(frame, "theil", ["nqpf", *CONTROLS])


def region_fit(frame: pd.DataFrame, outcome: str = "uri") -> panel.PanelFit:
    """Outcome on NQPF x region (one slope per NBS region) + controls, in one two-way FE regression."""
    with_terms, names = panel.interact_by_group(frame, "nqpf", "region")
    return fit(with_terms, outcome, [*names, *CONTROLS])


def region_table(frame: pd.DataFrame, outcomes: Sequence[str] = ("uri", "income_ratio")) -> pd.DataFrame:
    """NQPF slope by NBS region for each outcome, with the number of provinces in each region."""
    rows = []
    with_terms, names = panel.interact_by_group(frame, "nqpf", "region")
    for outcome in outcomes:
        result = region_fit(frame, outcome)
        table = panel.coef_table(result).set_index("term")
        sample = with_terms.loc[result.sample_index]
        for name in names:
            region = name.removeprefix("nqpf_x_")
            row = table.loc[name].to_dict()
            row.update(outcome=outcome, region=region,
                       provinces=int(sample.loc[sample["region"] == region, ENTITY].nunique()))
            rows.append(row)
    return pd.DataFrame(rows)


def channel_table(frame: pd.DataFrame, channel: str, nqpf_column: str = "nqpf",
                  outcome: str = "uri", between: bool = True) -> pd.DataFrame:
    """(a) channel on NQPF [and (a') with year effects only]; (b0) URI on NQPF and (b) on NQPF + channel, same sample.

    Set ``between=False`` for channels measured as levels (e.g. ln highway mileage), where a comparison
    across provinces would compare province sizes rather than anything NQPF does.
    """
    if channel not in frame.columns:
        raise ValueError(f"channel {channel!r} not in the analysis frame")
    step_a = fit(frame, channel, [nqpf_column, *CONTROLS])
    step_b = fit(frame, outcome, [nqpf_column, channel, *CONTROLS])
    same_sample = frame.loc[step_b.sample_index]
    step_b0 = fit(same_sample, outcome, [nqpf_column, *CONTROLS])
    rows = [term_row(step_a, nqpf_column, frame, step="(a) channel on NQPF", outcome=channel)]
    if between:
        step_a_between = fit(frame, channel, [nqpf_column, *CONTROLS], entity_effects=False)
        rows.append(term_row(step_a_between, nqpf_column, frame, step="(a') channel on NQPF, year effects only",
                             outcome=channel))
    rows += [
        term_row(step_b0, nqpf_column, frame, step="(b0) URI on NQPF, same sample", outcome=outcome),
        term_row(step_b, nqpf_column, frame, step="(b) URI on NQPF + channel", outcome=outcome),
        term_row(step_b, channel, frame, step="(b) URI on NQPF + channel", outcome=outcome),
    ]
    table = pd.DataFrame(rows)
    table.insert(0, "channel", channel)
    table.insert(1, "nqpf_version", nqpf_column)
    return table


def channel_summary(frame: pd.DataFrame, channel: str, nqpf_column: str = "nqpf", between: bool = True) -> pd.DataFrame:
    """Only step (a), channel on NQPF [and (a') across provinces], for channels without a URI step."""
    rows = [term_row(fit(frame, channel, [nqpf_column, *CONTROLS]), nqpf_column, frame,
                     step="(a) channel on NQPF", outcome=channel)]
    if between:
        rows.append(term_row(fit(frame, channel, [nqpf_column, *CONTROLS], entity_effects=False), nqpf_column,
                             frame, step="(a') channel on NQPF, year effects only", outcome=channel))
    return pd.DataFrame(rows)


def association_table(frame: pd.DataFrame, outcome: str, regressors: Sequence[str], label: str = "",
                      **options) -> pd.DataFrame:
    """Two-way FE (or year effects only, entity_effects=False) of outcome on regressors + controls: a row per regressor."""
    result = fit(frame, outcome, [*regressors, *CONTROLS], **options)
    return pd.DataFrame([term_row(result, term, frame, model=label or outcome) for term in regressors])


def describe_channel(table: pd.DataFrame, alpha: float = 0.05) -> dict:
    """Plain reading of a channel table: sign/significance of (a), and how much the NQPF slope moves in (b)."""
    step_a = table[table["step"].str.startswith("(a)")].iloc[0]
    between = table[table["step"].str.startswith("(a')")]
    b0 = table[table["step"].str.startswith("(b0)")].iloc[0]
    b_rows = table[table["step"].str.startswith("(b) ")]
    b_nqpf = b_rows[b_rows["term"] == b0["term"]].iloc[0]
    b_channel = b_rows[b_rows["term"] != b0["term"]].iloc[0]
    return {
        "a_sign": "positive" if step_a["coef"] > 0 else "negative",
        "a_significant": bool(step_a["p"] < alpha),
        "a_between_sign": None if between.empty else ("positive" if between.iloc[0]["coef"] > 0 else "negative"),
        "a_between_significant": None if between.empty else bool(between.iloc[0]["p"] < alpha),
        "channel_on_uri_sign": "positive" if b_channel["coef"] > 0 else "negative",
        "channel_on_uri_significant": bool(b_channel["p"] < alpha),
        "nqpf_change_pct": 100 * (b_nqpf["coef"] - b0["coef"]) / abs(b0["coef"]),
        "nqpf_change_direction": "towards zero" if abs(b_nqpf["coef"]) < abs(b0["coef"]) else "away from zero",
        "n_obs": int(b0["n_obs"]),
        "years": step_a["years"],
    }


# ---------------------------------------------------------------------------------------
# Descriptives and the comparison with the literature
# ---------------------------------------------------------------------------------------


def national_path(frame: pd.DataFrame, column: str, balanced: bool = False) -> pd.Series:
    """Unweighted mean of a score over provinces by year (balanced=True: only provinces seen every year)."""
    data = frame.dropna(subset=[column])
    if balanced:
        years = data.groupby(ENTITY)[TIME].nunique()
        data = data.loc[data[ENTITY].isin(years.index[years == data[TIME].nunique()])]
    return data.groupby(TIME)[column].mean()


def regional_means(frame: pd.DataFrame, column: str, years: tuple[int, int] | None = None) -> pd.Series:
    """Mean score by NBS region over the given years (all years if None), highest first."""
    data = frame if years is None else measures.restrict_years(frame, years)
    return data.dropna(subset=[column]).groupby("region")[column].mean().sort_values(ascending=False)


def latest_full_year(frame: pd.DataFrame, column: str) -> int:
    """The latest year in which the score covers as many provinces as in its best-covered year."""
    from helpers.data import latest_full_year as data_latest_full_year

    return data_latest_full_year(frame, column, ENTITY, TIME)


def province_ranking(frame: pd.DataFrame, column: str, year: int) -> pd.DataFrame:
    """Provinces ranked by a score in one year (1 = highest)."""
    rows = frame.loc[(frame[TIME] == year) & frame[column].notna(), ["province_en", "province_zh", "region", column]]
    rows = rows.sort_values(column, ascending=False, ignore_index=True)
    rows.insert(0, "rank", np.arange(1, len(rows) + 1))
    return rows


def within_between_changes(frame: pd.DataFrame, x: str, y: str, window: tuple[int, int] = MODEL_WINDOW) -> pd.DataFrame:
    """Per province: mean of x and y over the window, and their change from first to last year observed."""
    data = measures.restrict_years(frame, window).dropna(subset=[x, y]).sort_values(TIME)
    grouped = data.groupby(["province_en", "region"])
    out = grouped.agg(x_mean=(x, "mean"), y_mean=(y, "mean"), x_first=(x, "first"), x_last=(x, "last"),
                      y_first=(y, "first"), y_last=(y, "last"), n_years=(TIME, "size")).reset_index()
    out["x_change"] = out["x_last"] - out["x_first"]
    out["y_change"] = out["y_last"] - out["y_first"]
    return out


def start_and_change(frame: pd.DataFrame, column: str, window: tuple[int, int] = MODEL_WINDOW) -> pd.DataFrame:
    """Per province with the column observed in both end years of the window: start value and change."""
    first, last = window
    ends = frame.loc[frame[TIME].isin([first, last])].pivot_table(index=[ENTITY, "region"], columns=TIME,
                                                                 values=column).dropna()
    if first not in ends.columns or last not in ends.columns:
        raise ValueError(f"{column!r} is not observed in both {first} and {last} for any province")
    return pd.DataFrame({"start": ends[first], "change": ends[last] - ends[first]}).reset_index()


def catch_up_pattern(frame: pd.DataFrame, x: str, y: str, window: tuple[int, int] = MODEL_WINDOW) -> dict:
    """Correlations across provinces: start of y with change of y, and start of y with change of x."""
    ys = start_and_change(frame, y, window).drop(columns="region")
    xs = start_and_change(frame, x, window).drop(columns="region")
    both = ys.merge(xs, on=ENTITY, suffixes=("", "_x"))
    return {"corr_start_change": float(both["start"].corr(both["change"])),
            "corr_start_x_change": float(both["start"].corr(both["change_x"])),
            "n_provinces": int(len(both))}


def regional_change(frame: pd.DataFrame, column: str, window: tuple[int, int] = MODEL_WINDOW) -> pd.Series:
    """Mean change of a column over the window by NBS region, largest first."""
    changes = start_and_change(frame, column, window)
    return changes.groupby("region")["change"].mean().sort_values(ascending=False)


def coupling_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Coupling coordination of NQPF and URI for every province-year with both (C, T, D and its class)."""
    data = frame.dropna(subset=["nqpf", "uri"]).reset_index(drop=True)
    coupled = indices.coupling_coordination(data["nqpf"], data["uri"])
    classes = indices.coordination_class(coupled["D"])
    return pd.concat([data[[ENTITY, "province_en", "region", TIME, "nqpf", "uri"]], coupled, classes], axis=1)


LITERATURE_POINT_ESTIMATE = 0.268  # agricultural NQPF on URI, 30 provinces 2013-2022, two-way FE (zhao2025anpf)


def literature_comparison(data: AnalysisData, robustness: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Each published regularity next to what our data show, whether they agree, and why (computed text)."""
    frame = data.frame
    path = national_path(frame, "nqpf", balanced=True)
    rising = bool((path.diff().dropna() > 0).all())
    n_balanced = int(frame.dropna(subset=["nqpf"]).groupby(ENTITY)[TIME].nunique().eq(path.size).sum())
    nqpf_regions = regional_means(frame, "nqpf")
    uri_regions = regional_means(frame, "uri")
    order = lambda s: " > ".join(s.index)  # noqa: E731
    east_central_west = lambda s: s["East"] > s["Central"] > s["West"]  # noqa: E731
    last_year = latest_full_year(frame, "nqpf")
    top = province_ranking(frame, "nqpf", last_year).head(3)["province_en"].tolist()
    top_mean = frame.groupby("province_en")["nqpf"].mean().sort_values(ascending=False).head(3).index.tolist()
    base = robustness.set_index(["specification", "outcome"])
    b_uri = base.loc[("Baseline (entropy NQPF)", "uri")]
    b_ratio = base.loc[("Baseline (entropy NQPF)", "income_ratio")]
    between = base.loc[("Year effects only (compares provinces)", "uri")]
    between_ratio = base.loc[("Year effects only (compares provinces)", "income_ratio")]
    catch_up = base.loc[("Catch-up trend (2013 URI x year)", "uri")]

    def signif(row) -> str:
        return f"{row['coef']:.3f} (se {row['se']:.3f}, p = {row['p']:.3f}, n = {int(row['n_obs'])})"

    rows = [
        ("NQPF rises every year", "Li & Liu (2024), Sustainability 16(24); 叶天驰 & 胡海生 (2024), 运筹与模糊学 14(3)",
         f"mean of the {n_balanced} provinces observed every year, "
         + ", ".join(f"{y}: {v:.3f}" for y, v in path.iloc[[0, -1]].items())
         + ("; rises every year" if rising else "; does not rise every year"),
         "agree" if rising else "disagree",
         "Pooled normalisation keeps the time trend; R&D, patents and digital finance grow in every province."),
        ("Regional order of NQPF: East > Central > West",
         "叶天驰 & 胡海生 (2024): East highest; 科学学与科学技术管理 47(1) (2026): East > Central > Northeast > West",
         order(nqpf_regions), "agree" if east_central_west(nqpf_regions) else "disagree",
         "Means over 2013-2022. The literature also puts the Northeast below the East; its rank against "
         "Central and West varies across studies, as here."),
        ("Beijing and Shanghai lead NQPF", "Li & Liu (2024), Sustainability 16(24): Shanghai and Beijing first",
         f"top three in {last_year} (latest year with every province): {', '.join(top)}; "
         f"mean over 2013-2022: {', '.join(top_mean)}",
         "agree" if {"Beijing", "Shanghai"} <= set(top_mean) else "partly",
         "Beijing's lead rests mostly on technology-market turnover and R&D intensity, the two indicators on "
         "which it is furthest ahead and which carry much of the entropy weight."),
        ("URI falls from East to West",
         "王凯 et al. (2025), 热带地理; 雷兴长 & 伏广彬 (2020): Shanghai, Beijing, Zhejiang highest",
         order(uri_regions), "agree" if uri_regions["East"] > uri_regions["West"] else "disagree",
         "Our URI has only two indicators (income ratio, urbanisation); the Northeast scores high because its "
         "income ratio is low and it is highly urbanised."),
        ("NQPF raises URI (positive, significant, two-way FE)",
         "黄庆华 & 潘婷 (2025), 275 cities; Zhao et al. (2025), 30 provinces (agricultural NQPF)",
         "two-way FE: " + signif(b_uri) + "; year effects only: " + signif(between),
         "disagree" if (b_uri["coef"] < 0 and b_uri["p"] < alpha) else ("agree" if (b_uri["coef"] > 0 and b_uri["p"] < alpha) else "not significant"),
         "Across provinces the association is positive (year effects only), as the literature reports. Within "
         "provinces it is negative: provinces that started with a wide income gap closed it fastest and saw "
         f"NQPF grow slowest. A catch-up trend (2013 URI x year) shrinks the within slope to {catch_up['coef']:.3f} "
         f"(p = {catch_up['p']:.3f}) but does not remove it. Published URI indices add level indicators that "
         "trend with development; ours has only a ratio and a share, so catch-up weighs more."),
        ("NQPF narrows the urban-rural income gap",
         "two provincial studies (2024), abstracts only: one finds a narrowing, one an inverted U",
         "two-way FE: " + signif(b_ratio) + "; year effects only: " + signif(between_ratio),
         "disagree" if (b_ratio["coef"] > 0 and b_ratio["p"] < alpha) else ("agree" if (b_ratio["coef"] < 0 and b_ratio["p"] < alpha) else "not significant"),
         "The same catch-up pattern: the ratio fell everywhere, fastest in western provinces with slow NQPF growth."),
        ("Point estimate 0.268 (agricultural NQPF on URI)", "Zhao et al. (2025), Sustainability 17(14)",
         f"our two-way FE slope {b_uri['coef']:.3f} (standardised {b_uri['std_coef']:.2f})",
         "not comparable",
         "Different indices on both sides (agricultural NQPF, five-dimension URI); magnitudes depend entirely on "
         "index construction, so only signs and patterns are compared."),
    ]
    return pd.DataFrame(rows, columns=["literature finding", "sources", "our data", "agreement", "why"])
