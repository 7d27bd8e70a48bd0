"""Part III (paths): the paper's recommendations mapped to indicators, where provinces stand, lever sizes.

Each recommendation (claim id P1-1 ... P4-5) is paired with the provincial indicators that would show
it working, the Part II constraints it answers, and whether our data measure it, only proxy it, or
do not have it. A *lever* is one indicator a policy could move; its size is read from two-way
fixed-effects regressions of URI (or the urban/rural income ratio) on the lever plus the Part I
controls (helpers.nqpf_models), and, for comparison, from the same regression with year effects
only (differences between provinces). Both are associations, not causal effects.

Only ``load_path_inputs`` and ``load_path_data`` read data (through helpers.data); everything else takes frames.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers import measures, nqpf, nqpf_models, uri
from helpers.explorers import scenario
from helpers.style import MUTED, NATIONAL_COLOUR, PALETTE, REGION_COLOURS, add_source, bilingual, use_house_style

REGION_ZH = {"East": "东部", "Central": "中部", "West": "西部", "Northeast": "东北"}
KEYS = ["province_code", "year"]


@dataclass(frozen=True)
class Lever:
    """An indicator a policy could move: its column in the path frame, labels, unit and the data columns behind it."""

    name: str
    label_zh: str
    label_en: str
    unit: str
    columns: tuple[str, ...]
    note: str = ""


BUDGET = "budget_exp_total_100m_yuan"
LEVERS: dict[str, Lever] = {lever.name: lever for lever in (
    Lever("rd_intensity", "R&D经费投入强度", "R&D intensity", "% of GDP", ("rd_intensity_pct",), "in the NQPF index"),
    Lever("sci_tech_share", "财政科技支出占比", "S&T share of public budget", "% of budget spending",
          ("budget_exp_sci_tech_100m_yuan", BUDGET)),
    Lever("tech_market", "技术市场成交额占GDP比重", "technology sold / GDP", "% of GDP",
          ("tech_market_turnover_100m_yuan", "gdp_100m_yuan"), "in the NQPF index"),
    Lever("tech_inflow", "吸纳技术成交额占GDP比重", "technology bought / GDP", "% of GDP",
          ("tech_market_inflow_10k_yuan", "gdp_100m_yuan")),
    Lever("invention_patents", "每亿元GDP发明专利授权数", "invention patents per GDP",
          "grants per 100 million yuan", ("invention_patent_grants", "gdp_100m_yuan"), "in the NQPF index"),
    Lever("education_share", "财政教育支出占比", "education share of public budget", "% of budget spending",
          ("budget_exp_education_100m_yuan", BUDGET)),
    Lever("basic_research_share", "基础研究经费占R&D比重", "basic research share of R&D", "% of R&D spending",
          ("rd_basic_research_10k_yuan", "rd_internal_exp_10k_yuan")),
    Lever("nonfarm_share", "非农产业增加值占比", "non-farm share of GDP", "% of GDP",
          ("va_secondary_100m_yuan", "va_tertiary_100m_yuan", "gdp_100m_yuan"), "2016 onwards"),
    Lever("ln_farm_machinery", "农业机械总动力(对数)", "ln farm machinery power", "ln 10,000 kW",
          ("agri_machinery_power_10k_kw",), "2016 basis"),
    Lever("digital_finance", "数字普惠金融指数", "digital financial inclusion (PKU-DFIIC)", "index points",
          ("dfiic_index",), "in the NQPF index"),
    Lever("internet_penetration", "互联网普及率", "internet penetration (all residents)", "%",
          ("internet_penetration_pct",), "provincial series ends in 2016"),
    Lever("ln_highway", "公路里程(对数)", "ln highway mileage", "ln 10,000 km", ("highway_mileage_10k_km",)),
    Lever("ln_railway", "铁路营业里程(对数)", "ln railway mileage", "ln 10,000 km", ("railway_mileage_10k_km",)),
    Lever("rural_electricity_pc", "农村人均用电量", "rural electricity per rural resident", "MWh per person",
          ("rural_electricity_100m_kwh_2016_2019", "rural_population_10k"), "2016-2019 definition only"),
)}

#: Indicators a recommendation names but our data cannot test as levers (why in each note); never modelled.
NOT_TESTABLE: dict[str, Lever] = {lever.name: lever for lever in (
    Lever("non_fossil_share", "非化石能源发电占比", "non-fossil share of electricity generation", "%",
          ("non_fossil_generation_100m_kwh", "electricity_generation_100m_kwh", "hydropower_generation_100m_kwh"),
          "non-fossil generation repeats hydropower in most province-years (value_flags); kept only where it "
          "exceeds hydropower, too few province-years in 2013-2020 for a within-province slope"),
)}

#: Per-resident network lengths, for rankings only (the models use ln mileage with province effects).
RANKING_ONLY = {
    "railway_per_10k": Lever("railway_per_10k", "每万人铁路营业里程", "railway km per 10,000 residents", "km",
                             ("railway_mileage_10k_km", "resident_population_10k")),
    "highway_per_10k": Lever("highway_per_10k", "每万人公路里程", "highway km per 10,000 residents", "km",
                             ("highway_mileage_10k_km", "resident_population_10k")),
}


def lever_columns(names: Sequence[str]) -> list[str]:
    """Data-layer columns behind the named levers (or ranking-only indicators), first-use order."""
    unknown = [n for n in names if _lever(n) is None]
    if unknown:
        raise ValueError(f"unknown lever(s) {unknown}; levers: {sorted(LEVERS)}")
    return list(dict.fromkeys(c for n in names for c in _lever(n).columns))


def _lever(name: str) -> Lever | None:
    """The Lever of a name in LEVERS, RANKING_ONLY or NOT_TESTABLE (None if unknown)."""
    return LEVERS.get(name) or RANKING_ONLY.get(name) or NOT_TESTABLE.get(name)


def model_columns(names: Sequence[str]) -> list[str]:
    """Data-layer columns a lever model uses: the levers, the URI indicators and the Part I controls."""
    controls = ["gdp_100m_yuan", BUDGET]
    uri_columns = measures.raw_columns(uri.URI_INDICATORS)
    return list(dict.fromkeys(lever_columns(names) + uri_columns + controls))


@dataclass(frozen=True)
class Recommendation:
    """One recommendation of the paper: what would show it working in our data, and which constraints it answers."""

    claim: str
    measure: str
    levers: tuple[str, ...]
    working_if: str
    constraints: tuple[str, ...]
    status: str  # "measured", "proxy" or "not in our data"


RECOMMENDATIONS: tuple[Recommendation, ...] = (
    Recommendation("P1-1", "Diverse, stable funding for rural science and technology",
                   ("sci_tech_share", "rd_intensity"),
                   "provinces that raise the S&T share of spending and R&D intensity see URI rise",
                   ("C1-3", "C1-4"), "proxy"),
    Recommendation("P1-2", "Urban science radiating to the countryside (transfer agencies, secondments)",
                   ("tech_market", "tech_inflow"),
                   "more technology traded and bought goes with higher URI", ("C3-4", "C2-3"), "proxy"),
    Recommendation("P1-3", "Industry-university-research platforms and incentives", (),
                   "joint projects and results applied in rural firms (no provincial series)", ("C1-4", "C2-2"),
                   "not in our data"),
    Recommendation("P1-4", "Innovation climate; farmers' acceptance of technology", ("internet_penetration",),
                   "higher internet use goes with higher URI (digital literacy by province is not published)",
                   ("C1-1", "C1-2"), "proxy"),
    Recommendation("P2-1", "Plan urban and rural industry as one", (),
                   "integrated supply and value chains (no provincial series)", ("C2-2",), "not in our data"),
    Recommendation("P2-2", "Stronger intellectual-property protection", ("invention_patents",),
                   "more invention patents per unit of GDP goes with higher URI", ("C2-2",), "proxy"),
    Recommendation("P2-3", "Train the people industrial innovation needs", ("education_share",),
                   "a larger education share of spending goes with higher URI (training itself is not measured)",
                   ("C1-3", "C3-2"), "proxy"),
    Recommendation("P2-4", "Basic research and key technologies in agriculture", ("basic_research_share",),
                   "a larger basic-research share of R&D (all fields; agriculture is not separated)", ("C1-4",),
                   "proxy"),
    Recommendation("P2-5", "County agro-processing, agricultural parks and clusters",
                   ("nonfarm_share", "ln_farm_machinery"),
                   "a larger non-farm share and more farm machinery go with a smaller income ratio",
                   ("C2-1", "C2-2"), "proxy"),
    Recommendation("P3-1", "Labour: migrants become full urban citizens", (),
                   "the resident-minus-hukou urbanisation gap narrows (national data only, across a census break)",
                   ("C3-2",), "not in our data"),
    Recommendation("P3-2", "Land: farmland transfer and city-cluster planning", (),
                   "land-transfer area and scale farming (no provincial series)", ("C3-1",), "not in our data"),
    Recommendation("P3-3", "Capital: rural finance and venture capital", ("digital_finance",),
                   "digital financial inclusion goes with higher URI", ("C3-3",), "proxy"),
    Recommendation("P3-4", "Data and technology: close the digital divide", ("internet_penetration",),
                   "internet penetration goes with higher URI (rural penetration by province is not published)",
                   ("C3-5", "C1-2", "C4-1"), "proxy"),
    Recommendation("P4-1", "Information infrastructure: broadband, 5G, sensors", ("internet_penetration",),
                   "connectivity goes with higher URI (no provincial broadband or 5G counts)", ("C4-1", "C3-5"),
                   "proxy"),
    Recommendation("P4-2", "Transport links between city and countryside", ("ln_highway", "ln_railway"),
                   "longer highway and railway networks go with higher URI", ("C3-1",), "measured"),
    Recommendation("P4-3", "Energy: rural grids and renewables", ("rural_electricity_pc", "non_fossil_share"),
                   "rural electricity use and the renewable share rise and go with higher URI (the provincial "
                   "non-fossil series mostly repeats hydropower: the renewable part is not testable)", (), "proxy"),
    Recommendation("P4-4", "Shared, standard public-service facilities", ("education_share",),
                   "education spending share (urban-rural facility gaps are not in our data)", ("C4-3",), "proxy"),
    Recommendation("P4-5", "Industrial parks and environmental infrastructure", (),
                   "parks, sewage and waste facilities in rural areas (no provincial series)", ("C4-4",),
                   "not in our data"),
)


def lever_resources(names: Sequence[str], catalogue: pd.DataFrame) -> list[str]:
    """Data resources behind a lever model (levers, URI indicators, controls), from helpers.data.panel_catalogue()."""
    return measures.resources_for(model_columns(names), catalogue)


# ---------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------

#: Data-layer columns for the path levers beyond those of the Part I analysis.
EXTRA_COLUMNS = [
    "budget_exp_sci_tech_100m_yuan", "budget_exp_education_100m_yuan", "budget_exp_total_100m_yuan",
    "tech_market_inflow_10k_yuan", "gdp_100m_yuan", "rd_basic_research_10k_yuan", "rd_internal_exp_10k_yuan",
    "railway_mileage_10k_km", "highway_mileage_10k_km", "resident_population_10k", "rural_population_10k",
    "rural_electricity_100m_kwh_2016_2019", "non_fossil_generation_100m_kwh", "electricity_generation_100m_kwh",
    "hydropower_generation_100m_kwh",
]



def load_path_inputs() -> pd.DataFrame:
    """Read the extra province-year columns through the data layer (I/O)."""
    from helpers.data import provincial_panel

    return provincial_panel(EXTRA_COLUMNS)


def load_path_data() -> tuple[nqpf_models.AnalysisData, pd.DataFrame]:
    """The Part I analysis data and the path frame (analysis frame + lever variables), read through the data layer."""
    data = nqpf_models.build_analysis_data(nqpf_models.load_inputs())
    return data, path_frame(data.frame, path_variables(load_path_inputs()))


def _share(numerator: pd.Series, denominator: pd.Series, scale: float = 100.0) -> pd.Series:
    """scale * numerator / denominator, NaN where the denominator is missing or not positive."""
    denominator = denominator.astype(float)
    return scale * numerator.astype(float) / denominator.where(denominator > 0)


def path_variables(raw: pd.DataFrame) -> pd.DataFrame:
    """province_code, year and the lever variables not in the Part I frame, computed from raw columns."""
    absent = [c for c in EXTRA_COLUMNS if c not in raw.columns]
    if absent:
        raise ValueError(f"raw panel lacks column(s) {absent}; load them with load_path_inputs()")
    out = raw[KEYS].astype(int).copy()
    out["sci_tech_share"] = _share(raw["budget_exp_sci_tech_100m_yuan"], raw["budget_exp_total_100m_yuan"])
    out["education_share"] = _share(raw["budget_exp_education_100m_yuan"], raw["budget_exp_total_100m_yuan"])
    # Inflow is in 10,000 yuan and GDP in 100 million yuan: 1e4 / 1e8 = 1e-4, times 100 for percent.
    out["tech_inflow"] = _share(raw["tech_market_inflow_10k_yuan"], raw["gdp_100m_yuan"], scale=1e-2)
    out["basic_research_share"] = _share(raw["rd_basic_research_10k_yuan"], raw["rd_internal_exp_10k_yuan"])
    out["ln_railway"] = np.log(raw["railway_mileage_10k_km"].astype(float).where(raw["railway_mileage_10k_km"] > 0))
    # 10,000 km per 10,000 residents = km per resident; times 10,000 gives km per 10,000 residents.
    out["railway_per_10k"] = _share(raw["railway_mileage_10k_km"], raw["resident_population_10k"], scale=1e4)
    out["highway_per_10k"] = _share(raw["highway_mileage_10k_km"], raw["resident_population_10k"], scale=1e4)
    # 100 million kWh / 10,000 persons = 10,000 kWh per person = 10 MWh per person.
    out["rural_electricity_pc"] = _share(raw["rural_electricity_100m_kwh_2016_2019"], raw["rural_population_10k"],
                                         scale=10.0)
    # Non-fossil generation equal to hydropower is hydropower only (wind, solar, nuclear missing; value_flags),
    # so the share is kept only where non-fossil generation exceeds hydropower.
    consistent = non_fossil_exceeds_hydro(raw)
    out["non_fossil_share"] = _share(raw["non_fossil_generation_100m_kwh"].where(consistent),
                                     raw["electricity_generation_100m_kwh"])
    return out


def non_fossil_exceeds_hydro(raw: pd.DataFrame) -> pd.Series:
    """True where non-fossil generation > hydropower generation (both present): the rows with more than hydro."""
    non_fossil = raw["non_fossil_generation_100m_kwh"].astype(float)
    hydro = raw["hydropower_generation_100m_kwh"].astype(float)
    return (non_fossil > hydro).fillna(False).astype(bool)


def non_fossil_years(raw: pd.DataFrame) -> pd.DataFrame:
    """Per year: province-years with both non-fossil and hydropower generation, how many equal, how many exceed."""
    both = raw.dropna(subset=["non_fossil_generation_100m_kwh", "hydropower_generation_100m_kwh"])
    exceeds = non_fossil_exceeds_hydro(both)
    table = pd.DataFrame({"year": both["year"].astype(int), "exceeds": exceeds, "equal": ~exceeds})
    return table.groupby("year").agg(with_both=("exceeds", "size"), equal=("equal", "sum"),
                                     exceeds=("exceeds", "sum")).reset_index()


def provinces_never_exceeding_hydro(raw: pd.DataFrame) -> list[str]:
    """English names of provinces with both values whose non-fossil generation never exceeds hydropower."""
    both = raw.dropna(subset=["non_fossil_generation_100m_kwh", "hydropower_generation_100m_kwh"])
    exceeding = set(both.loc[non_fossil_exceeds_hydro(both), "province_en"])
    return sorted(set(both["province_en"]) - exceeding, key=list(both["province_en"]).index)


def lever_coverage(frame: pd.DataFrame, name: str, window: tuple[int, int] = nqpf_models.MODEL_WINDOW) -> dict:
    """Province-years with the lever in the model window, provinces with any, and provinces with two or more years."""
    first, last = window
    rows = frame.loc[frame["year"].between(first, last) & frame[name].notna()]
    per_province = rows.groupby("province_code").size()
    return {"n_obs": len(rows), "n_provinces": len(per_province), "n_provinces_repeated": int((per_province >= 2).sum()),
            "n_years": int(rows["year"].nunique())}


def path_frame(analysis_frame: pd.DataFrame, variables: pd.DataFrame) -> pd.DataFrame:
    """The Part I analysis frame with the path lever variables joined on province and year."""
    overlap = [c for c in variables.columns if c in analysis_frame.columns and c not in KEYS]
    if overlap:
        raise ValueError(f"lever variables {overlap} already exist in the analysis frame")
    return analysis_frame.merge(variables, on=KEYS, how="left", validate="one_to_one")


# ---------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------


def recommendations(path: int) -> tuple[Recommendation, ...]:
    """The recommendations of one path (1-4), in the paper's order."""
    chosen = tuple(r for r in RECOMMENDATIONS if r.claim.startswith(f"P{path}-"))
    if not chosen:
        raise ValueError(f"no recommendations for path {path!r}; paths are 1, 2, 3 and 4")
    return chosen


def year_runs(years: Sequence[int]) -> str:
    """Years as runs of consecutive years: [2014, 2015, 2021] -> '2014-2015, 2021'; '' for none."""
    ordered = sorted({int(y) for y in years})
    runs: list[list[int]] = []
    for year in ordered:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else f"{run[0]}" for run in runs)


def lever_label(name: str) -> str:
    """'English label (unit)' of a lever."""
    lever = _lever(name)
    if lever is None:
        raise ValueError(f"unknown lever {name!r}; levers: {sorted(LEVERS)}")
    return f"{lever.label_en} ({lever.unit})"


def recommendation_table(path: int, frame: pd.DataFrame) -> pd.DataFrame:
    """One row per recommendation: indicators (with the years they cover), what would show it working, constraints."""
    rows = []
    for item in recommendations(path):
        indicators = []
        for name in item.levers:
            span = year_runs(frame.dropna(subset=[name])["year"]) or "no data"
            untested = ", not testable" if name in NOT_TESTABLE else ""
            indicators.append(f"{lever_label(name)}, {span}{untested}")
        rows.append({
            "claim": item.claim,
            "recommendation": item.measure,
            "indicators in our data": "; ".join(indicators) or "none",
            "would show it working": item.working_if,
            "constraints answered": ", ".join(item.constraints) or "none named in Part II",
            "data": item.status,
        })
    return pd.DataFrame(rows)


def lever_table(frame: pd.DataFrame, levers: Sequence[str], outcomes: Sequence[str] = ("uri",)) -> pd.DataFrame:
    """For each lever and outcome: two-way FE and year-effects-only slopes (lever + Part I controls, 2013-2020)."""
    rows = []
    for name in levers:
        if name not in frame.columns:
            raise ValueError(f"lever {name!r} is not a column of the path frame")
        for outcome in outcomes:
            for comparison, options in (("within provinces", {}), ("between provinces", {"entity_effects": False})):
                result = nqpf_models.fit(frame, outcome, [name, *nqpf_models.CONTROLS], **options)
                row = nqpf_models.term_row(result, name, frame, outcome=outcome, comparison=comparison)
                row["lever"] = lever_label(name)
                rows.append(row)
    columns = ["lever", "term", "outcome", "comparison", "coef", "se", "ci_low", "ci_high", "p", "std_coef",
               "n_obs", "n_clusters", "years"]
    return pd.DataFrame(rows)[columns]


def lever_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Compact view of lever_table: one row per lever, one 'slope (p)' column per outcome and comparison."""
    names = {"uri": "URI", "income_ratio": "income ratio"}
    cells = table.assign(
        column=[f"{names.get(o, o)}, {c.split()[0]}" for o, c in zip(table["outcome"], table["comparison"])],
        cell=[f"{coef:.3f} ({nqpf_models.p_text(p)})" for coef, p in zip(table["coef"], table["p"])],
    )
    wide = cells.pivot(index="lever", columns="column", values="cell")
    ordered = [f"{names.get(o, o)}, {c}" for o in dict.fromkeys(table["outcome"]) for c in ("within", "between")]
    extra = table.groupby("lever").agg(years=("years", "first"), n_obs=("n_obs", "max"))
    levers = list(dict.fromkeys(table["lever"]))
    return wide[ordered].join(extra).reindex(levers).reset_index()


def describe_slope(row: pd.Series, alpha: float = 0.05) -> str:
    """Plain words for one slope: 'positive (p = 0.020)' or 'negative, not significant (p = 0.310)'."""
    sign = "positive" if row["coef"] > 0 else "negative"
    significance = "" if row["p"] < alpha else ", not significant"
    return f"{sign}{significance} ({nqpf_models.p_text(row['p'])})"


def slope_numbers(table: pd.DataFrame, term: str, outcome: str, prefix: str) -> dict:
    """Glue-ready numbers of one lever's within and between slopes: coef, CI, p text, words, std slope, n, years."""
    values = {}
    for comparison, key in (("within provinces", "within"), ("between provinces", "between")):
        rows = table[(table["term"] == term) & (table["outcome"] == outcome) & (table["comparison"] == comparison)]
        if len(rows) != 1:
            raise ValueError(f"expected one {comparison} row for {term!r} on {outcome!r}, found {len(rows)}")
        row = rows.iloc[0]
        values.update({
            f"{prefix}_{key}": row["coef"], f"{prefix}_{key}_lo": row["ci_low"], f"{prefix}_{key}_hi": row["ci_high"],
            f"{prefix}_{key}_p": nqpf_models.p_text(row["p"]), f"{prefix}_{key}_words": describe_slope(row),
            f"{prefix}_{key}_std": row["std_coef"], f"{prefix}_{key}_n": int(row["n_obs"]),
            f"{prefix}_{key}_years": row["years"],
        })
    return values


# ---------------------------------------------------------------------------------------
# Index levers: an indicator inside the NQPF index
# ---------------------------------------------------------------------------------------


def index_lever_inputs(data: nqpf_models.AnalysisData) -> tuple[pd.Series, dict, pd.Series]:
    """Weights, signs and pooled normalisation spans (max - min over the index's rows) of the main NQPF index."""
    specs = nqpf.NQPF_INDICATORS
    names = [spec.name for spec in specs]
    used = data.frame.loc[data.frame["nqpf"].notna(), names]
    spans = (used.max() - used.min()).rename("span")
    return data.nqpf.weights, {spec.name: spec.sign for spec in specs}, spans


def index_runner(data: nqpf_models.AnalysisData, lever: str, outcome: str = "uri"):
    """amounts -> implied change in the outcome when `lever` (an NQPF indicator) moves, via the baseline model."""
    fit = nqpf_models.baseline_fits(data.frame)[outcome]
    weights, signs, spans = index_lever_inputs(data)
    if lever not in weights.index:
        raise ValueError(f"{lever!r} is not an indicator of the main NQPF index; indicators: {list(weights.index)}")

    def run(amounts) -> pd.DataFrame:
        return scenario.index_scenario(fit, "nqpf", lever, amounts, weights, signs, spans)

    return run


def direct_runner(frame: pd.DataFrame, lever: str, outcome: str = "uri", per_unit: float = 1.0):
    """amounts -> implied change in the outcome from the two-way FE model of the outcome on the lever + controls."""
    fit = nqpf_models.fit(frame, outcome, [lever, *nqpf_models.CONTROLS])

    def run(amounts) -> pd.DataFrame:
        return scenario.direct_scenario(fit, lever, amounts, per_unit=per_unit)

    return run


def mean_change(frame: pd.DataFrame, column: str, window: tuple[int, int] = nqpf_models.MODEL_WINDOW) -> float:
    """Mean over provinces of (value in the window's last year - value in its first year), provinces with both."""
    first, last = window
    wide = frame.pivot(index="province_code", columns="year", values=column)
    if first not in wide.columns or last not in wide.columns:
        raise ValueError(f"{column!r} has no values for {first} or {last}")
    return float((wide[last] - wide[first]).dropna().mean())


# ---------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------


def ranking_year(frame: pd.DataFrame, column: str) -> int:
    """Latest year in which the column covers as many provinces as in its best-covered year."""
    return nqpf_models.latest_full_year(frame, column)


def ranked_figure(frame: pd.DataFrame, columns: Sequence[str], source: str, years: Sequence[int] | None = None):
    """One panel per column: provinces ranked in the column's latest full year, bars in region colours."""
    use_house_style()
    years = [ranking_year(frame, c) for c in columns] if years is None else list(years)
    fig, axes = plt.subplots(1, len(columns), figsize=(4.8 * len(columns), 7.2), squeeze=False)
    for ax, column, year in zip(axes[0], columns, years):
        lever = LEVERS.get(column) or RANKING_ONLY.get(column)
        rows = frame.loc[(frame["year"] == year) & frame[column].notna()].sort_values(column)
        if rows.empty:
            raise ValueError(f"no province has {column!r} in {year}")
        labels = [f"{zh} {en}" for zh, en in zip(rows["province_zh"], rows["province_en"])]
        ax.barh(labels, rows[column], color=[REGION_COLOURS.get(r, MUTED) for r in rows["region"]])
        mean = rows[column].mean()
        ax.axvline(mean, color=NATIONAL_COLOUR, linestyle=":", linewidth=1.2)
        ax.annotate(bilingual("省份均值", f"mean {mean:.3g}", " "), (mean, 0.01), xycoords=("data", "axes fraction"),
                    fontsize=7, xytext=(3, 0), textcoords="offset points")
        ax.set_title(bilingual(f"{lever.label_zh} ({year})", f"{lever.label_en}, {year}"), fontsize=10)
        ax.set_xlabel(lever.unit)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(axis="y", visible=False)
    present = [r for r in REGION_COLOURS if r in set(frame["region"])]
    handles = [plt.Rectangle((0, 0), 1, 1, color=REGION_COLOURS[r]) for r in present]
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    fig.legend(handles, [f"{REGION_ZH[r]} {r}" for r in present], loc="upper center", ncol=len(present), fontsize=8,
               bbox_to_anchor=(0.5, 1.0))
    add_source(fig, source)
    return fig


def lever_figure(table: pd.DataFrame, title: tuple[str, str], source: str):
    """Standardised slope (beta * sd(x)/sd(y)) with 95% CI of each lever, within and between provinces."""
    use_house_style()
    levers = list(dict.fromkeys(table["lever"]))
    outcomes = list(dict.fromkeys(table["outcome"]))
    fig, axes = plt.subplots(1, len(outcomes), figsize=(5.2 * len(outcomes), 0.75 * len(levers) + 1.8),
                             squeeze=False, sharey=True)
    styles = {"within provinces": (PALETTE[0], "o", -0.15), "between provinces": (PALETTE[1], "s", 0.15)}
    outcome_names = {"uri": ("城乡融合指数", "URI index"), "income_ratio": ("城乡收入比", "urban/rural income ratio")}
    for ax, outcome in zip(axes[0], outcomes):
        for comparison, (colour, marker, offset) in styles.items():
            rows = table[(table["outcome"] == outcome) & (table["comparison"] == comparison)].set_index("lever")
            rows = rows.reindex(levers)
            scale = rows["std_coef"] / rows["coef"]
            positions = np.arange(len(levers))[::-1] + offset
            low, high = rows["ci_low"] * scale, rows["ci_high"] * scale
            ax.hlines(positions, np.minimum(low, high), np.maximum(low, high), color=colour, linewidth=1.4)
            filled = rows["p"] < 0.05
            ax.scatter(rows["std_coef"][filled], positions[filled.to_numpy()], color=colour, marker=marker, zorder=3,
                       label=bilingual("省内" if comparison.startswith("within") else "省际", comparison, " "))
            ax.scatter(rows["std_coef"][~filled], positions[~filled.to_numpy()], facecolor="white",
                       edgecolor=colour, marker=marker, zorder=3)
        ax.axvline(0, color=NATIONAL_COLOUR, linewidth=0.8)
        ax.set_yticks(np.arange(len(levers))[::-1], [lever.replace(" (", "\n(") for lever in levers], fontsize=8)
        zh, en = outcome_names.get(outcome, (outcome, outcome))
        ax.set_title(bilingual(f"结果: {zh}", f"outcome: {en}"), fontsize=10)
        ax.set_xlabel(bilingual("标准化系数 (95%置信区间)", "standardised slope (95% CI)", " "))
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.suptitle(bilingual(*title, " "), fontsize=11)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=8, bbox_to_anchor=(0.5, 0.0),
               title=bilingual("实心: p < 0.05; 空心: 不显著", "filled: p < 0.05; hollow: not significant", " "),
               title_fontsize=8)
    add_source(fig, source)
    return fig
