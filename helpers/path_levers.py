"""Part III (paths): what the four path pages share: the paper's recommendations and the
lever labels,
and the lever analysis the four path pages run with their own levers.

Each recommendation (claim id P1-1 ... P4-5) is paired with the provincial indicators
that would show it working, the Part II constraints it answers, and whether our data
measure it, only proxy it, or do not have it. A *lever* is one indicator a policy could
move; ``LEVERS`` holds its labels, unit and the data-layer columns behind it. The pages
compute the lever variables (pandas) and draw the figures; ``lever_table`` fits one
regression per lever (helpers.panel.twoway_fe). Nothing here reads data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from helpers import measures, uri
from helpers.panel import coef_table, twoway_fe
from helpers.tables import p_text, readable_table

# behind ln GDP and spending / GDP (Part I)
CONTROL_COLUMNS = [
    "gdp_100m_yuan",
    "budget_exp_total_100m_yuan",
]


@dataclass(frozen=True)
class Lever:
    """An indicator a policy could move: its column in the path frame, labels, unit and
    the data columns behind it.
    """

    name: str
    label_zh: str
    label_en: str
    unit: str
    columns: tuple[str, ...]
    note: str = ""


BUDGET = "budget_exp_total_100m_yuan"
LEVERS: dict[str, Lever] = {
    lever.name: lever
    for lever in (
        Lever(
            "rd_intensity",
            "R&D经费投入强度",
            "R&D intensity",
            "% of GDP",
            ("rd_intensity_pct",),
            "in the NQPF index",
        ),
        Lever(
            "sci_tech_share",
            "财政科技支出占比",
            "S&T share of public budget",
            "% of budget spending",
            ("budget_exp_sci_tech_100m_yuan", BUDGET),
        ),
        Lever(
            "tech_market",
            "技术市场成交额占GDP比重",
            "technology sold / GDP",
            "% of GDP",
            ("tech_market_turnover_100m_yuan", "gdp_100m_yuan"),
            "in the NQPF index",
        ),
        Lever(
            "tech_inflow",
            "吸纳技术成交额占GDP比重",
            "technology bought / GDP",
            "% of GDP",
            ("tech_market_inflow_10k_yuan", "gdp_100m_yuan"),
        ),
        Lever(
            "invention_patents",
            "每亿元GDP发明专利授权数",
            "invention patents per GDP",
            "grants per 100 million yuan",
            ("invention_patent_grants", "gdp_100m_yuan"),
            "in the NQPF index",
        ),
        Lever(
            "education_share",
            "财政教育支出占比",
            "education share of public budget",
            "% of budget spending",
            ("budget_exp_education_100m_yuan", BUDGET),
        ),
        Lever(
            "basic_research_share",
            "基础研究经费占R&D比重",
            "basic research share of R&D",
            "% of R&D spending",
            ("rd_basic_research_10k_yuan", "rd_internal_exp_10k_yuan"),
        ),
        Lever(
            "nonfarm_share",
            "非农产业增加值占比",
            "non-farm share of GDP",
            "% of GDP",
            ("va_secondary_100m_yuan", "va_tertiary_100m_yuan", "gdp_100m_yuan"),
            "2016 onwards",
        ),
        Lever(
            "ln_farm_machinery",
            "农业机械总动力(对数)",
            "ln farm machinery power",
            "ln 10,000 kW",
            ("agri_machinery_power_10k_kw",),
            "2016 basis",
        ),
        Lever(
            "digital_finance",
            "数字普惠金融指数",
            "digital financial inclusion (PKU-DFIIC)",
            "index points",
            ("dfiic_index",),
            "in the NQPF index",
        ),
        Lever(
            "internet_penetration",
            "互联网普及率",
            "internet penetration (all residents)",
            "%",
            ("internet_penetration_pct",),
            "provincial series ends in 2016",
        ),
        Lever(
            "ln_highway",
            "公路里程(对数)",
            "ln highway mileage",
            "ln 10,000 km",
            ("highway_mileage_10k_km",),
        ),
        Lever(
            "ln_railway",
            "铁路营业里程(对数)",
            "ln railway mileage",
            "ln 10,000 km",
            ("railway_mileage_10k_km",),
        ),
        Lever(
            "rural_electricity_pc",
            "农村人均用电量",
            "rural electricity per rural resident",
            "MWh per person",
            ("rural_electricity_100m_kwh_2016_2019", "rural_population_10k"),
            "2016-2019 definition only",
        ),
    )
}

#: Indicators a recommendation names but our data cannot test as levers (why in each
#: note); never modelled.
NOT_TESTABLE: dict[str, Lever] = {
    lever.name: lever
    for lever in (
        Lever(
            "non_fossil_share",
            "非化石能源发电占比",
            "non-fossil share of electricity generation",
            "%",
            (
                "non_fossil_generation_100m_kwh",
                "electricity_generation_100m_kwh",
                "hydropower_generation_100m_kwh",
            ),
            "non-fossil generation repeats hydropower in most province-years "
            "(value_flags); kept only where it exceeds hydropower, too few "
            "province-years in 2013-2020 for a within-province slope",
        ),
    )
}

#: Per-resident network lengths, for rankings only (the models use ln mileage with
#: province effects).
RANKING_ONLY = {
    "railway_per_10k": Lever(
        "railway_per_10k",
        "每万人铁路营业里程",
        "railway km per 10,000 residents",
        "km",
        ("railway_mileage_10k_km", "resident_population_10k"),
    ),
    "highway_per_10k": Lever(
        "highway_per_10k",
        "每万人公路里程",
        "highway km per 10,000 residents",
        "km",
        ("highway_mileage_10k_km", "resident_population_10k"),
    ),
}


def lever_columns(names: Sequence[str]) -> list[str]:
    """Data-layer columns behind the named levers (or ranking-only indicators),
    first-use order.
    """
    unknown = [n for n in names if _lever(n) is None]
    if unknown:
        raise ValueError(f"unknown lever(s) {unknown}; levers: {sorted(LEVERS)}")
    return list(dict.fromkeys(c for n in names for c in _lever(n).columns))


def _lever(name: str) -> Lever | None:
    """The Lever of a name in LEVERS, RANKING_ONLY or NOT_TESTABLE (None if unknown)."""
    return LEVERS.get(name) or RANKING_ONLY.get(name) or NOT_TESTABLE.get(name)


def model_columns(names: Sequence[str]) -> list[str]:
    """Data-layer columns a lever model uses: the levers, the URI indicators and the
    Part I controls.
    """
    uri_columns = measures.raw_columns(uri.URI_INDICATORS)
    return list(dict.fromkeys(lever_columns(names) + uri_columns + CONTROL_COLUMNS))


@dataclass(frozen=True)
class Recommendation:
    """One recommendation of the paper: what would show it working in our data, and
    which constraints it answers.
    """

    claim: str
    measure: str
    levers: tuple[str, ...]
    working_if: str
    constraints: tuple[str, ...]
    status: str  # "measured", "proxy" or "not in our data"


RECOMMENDATIONS: tuple[Recommendation, ...] = (
    Recommendation(
        "P1-1",
        "Diverse, stable funding for rural science and technology",
        ("sci_tech_share", "rd_intensity"),
        "provinces that raise the S&T share of spending and R&D intensity see URI rise",
        ("C1-3", "C1-4"),
        "proxy",
    ),
    Recommendation(
        "P1-2",
        "Urban science radiating to the countryside (transfer agencies, secondments)",
        ("tech_market", "tech_inflow"),
        "more technology traded and bought goes with higher URI",
        ("C3-4", "C2-3"),
        "proxy",
    ),
    Recommendation(
        "P1-3",
        "Industry-university-research platforms and incentives",
        (),
        "joint projects and results applied in rural firms (no provincial series)",
        ("C1-4", "C2-2"),
        "not in our data",
    ),
    Recommendation(
        "P1-4",
        "Innovation climate; farmers' acceptance of technology",
        ("internet_penetration",),
        "higher internet use goes with higher URI (digital literacy by province is "
        "not published)",
        ("C1-1", "C1-2"),
        "proxy",
    ),
    Recommendation(
        "P2-1",
        "Plan urban and rural industry as one",
        (),
        "integrated supply and value chains (no provincial series)",
        ("C2-2",),
        "not in our data",
    ),
    Recommendation(
        "P2-2",
        "Stronger intellectual-property protection",
        ("invention_patents",),
        "more invention patents per unit of GDP goes with higher URI",
        ("C2-2",),
        "proxy",
    ),
    Recommendation(
        "P2-3",
        "Train the people industrial innovation needs",
        ("education_share",),
        "a larger education share of spending goes with higher URI (training itself "
        "is not measured)",
        ("C1-3", "C3-2"),
        "proxy",
    ),
    Recommendation(
        "P2-4",
        "Basic research and key technologies in agriculture",
        ("basic_research_share",),
        "a larger basic-research share of R&D (all fields; agriculture is not "
        "separated)",
        ("C1-4",),
        "proxy",
    ),
    Recommendation(
        "P2-5",
        "County agro-processing, agricultural parks and clusters",
        ("nonfarm_share", "ln_farm_machinery"),
        "a larger non-farm share and more farm machinery go with a smaller income "
        "ratio",
        ("C2-1", "C2-2"),
        "proxy",
    ),
    Recommendation(
        "P3-1",
        "Labour: migrants become full urban citizens",
        (),
        "the resident-minus-hukou urbanisation gap narrows (national data only, "
        "across a census break)",
        ("C3-2",),
        "not in our data",
    ),
    Recommendation(
        "P3-2",
        "Land: farmland transfer and city-cluster planning",
        (),
        "land-transfer area and scale farming (no provincial series)",
        ("C3-1",),
        "not in our data",
    ),
    Recommendation(
        "P3-3",
        "Capital: rural finance and venture capital",
        ("digital_finance",),
        "digital financial inclusion goes with higher URI",
        ("C3-3",),
        "proxy",
    ),
    Recommendation(
        "P3-4",
        "Data: close the digital divide, break up data silos",
        ("internet_penetration",),
        "internet penetration goes with higher URI (rural penetration by province is "
        "not published)",
        ("C3-5", "C1-2", "C4-1"),
        "proxy",
    ),
    Recommendation(
        "P3-5",
        "Technology: urban-rural exchange, funds, ties with co-operatives",
        (),
        "technology exchanged between city and countryside (no provincial series)",
        ("C3-4",),
        "not in our data",
    ),
    Recommendation(
        "P4-1",
        "Information infrastructure: broadband, 5G, sensors",
        ("internet_penetration",),
        "connectivity goes with higher URI (no provincial broadband or 5G counts)",
        ("C4-1", "C3-5"),
        "proxy",
    ),
    Recommendation(
        "P4-2",
        "Transport links between city and countryside",
        ("ln_highway", "ln_railway"),
        "longer highway and railway networks go with higher URI",
        ("C3-1",),
        "measured",
    ),
    Recommendation(
        "P4-3",
        "Energy: rural grids and renewables",
        ("rural_electricity_pc", "non_fossil_share"),
        "rural electricity use and the renewable share rise and go with higher URI "
        "(the provincial non-fossil series mostly repeats hydropower: the renewable "
        "part is not testable)",
        (),
        "proxy",
    ),
    Recommendation(
        "P4-4",
        "Shared, standard public-service facilities",
        ("education_share",),
        "education spending share (urban-rural facility gaps are not in our data)",
        ("C4-3",),
        "proxy",
    ),
    Recommendation(
        "P4-5",
        "Industrial parks in peri-urban and rural areas",
        (),
        "parks with roads, water, power and communications (no provincial series)",
        ("C4-4",),
        "not in our data",
    ),
    Recommendation(
        "P4-6",
        "Environmental infrastructure",
        (),
        "rural sewage, waste and ecological-restoration facilities (no provincial "
        "series)",
        ("C4-4",),
        "not in our data",
    ),
)


def lever_resources(names: Sequence[str], catalogue: pd.DataFrame) -> list[str]:
    """Data resources behind a lever model (levers, URI indicators, controls), from
    helpers.data.panel_catalogue().
    """
    return measures.resources_for(model_columns(names), catalogue)


# --------------------------------------------------------------------------------------
# Tables and words
# --------------------------------------------------------------------------------------


def recommendations(path: int) -> tuple[Recommendation, ...]:
    """The recommendations of one path (1-4), in the paper's order."""
    chosen = tuple(r for r in RECOMMENDATIONS if r.claim.startswith(f"P{path}-"))
    if not chosen:
        raise ValueError(
            f"no recommendations for path {path!r}; paths are 1, 2, 3 and 4"
        )
    return chosen


def year_runs(years: Sequence[int]) -> str:
    """Years as runs of consecutive years: [2014, 2015, 2021] -> '2014-2015, 2021'; ''
    for none.
    """
    ordered = sorted({int(y) for y in years})
    runs: list[list[int]] = []
    for year in ordered:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(
        f"{run[0]}-{run[-1]}" if len(run) > 1 else f"{run[0]}" for run in runs
    )


def lever_label(name: str) -> str:
    """'English label (unit)' of a lever."""
    lever = _lever(name)
    if lever is None:
        raise ValueError(f"unknown lever {name!r}; levers: {sorted(LEVERS)}")
    return f"{lever.label_en} ({lever.unit})"


def ranking_levers(frame: pd.DataFrame, names: Sequence[str]) -> dict:
    """What evidence_figures.lever_ranking_figure draws: each named column with its
    lever (labels, unit; RANKING_ONLY columns too) and its latest year with every
    province (helpers.data.latest_full_year).
    """
    from helpers.data import latest_full_year

    return {
        name: (RANKING_ONLY.get(name) or LEVERS[name], latest_full_year(frame, name))
        for name in names
    }


def lever_labels(names: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Chinese and English label of each named lever, in the order given."""
    return {name: (LEVERS[name].label_zh, LEVERS[name].label_en) for name in names}


def recommendation_table(path: int, frame: pd.DataFrame) -> pd.DataFrame:
    """One row per recommendation: indicators (with the years they cover), what would
    show it working, constraints.
    """
    rows = []
    for item in recommendations(path):
        indicators = []
        for name in item.levers:
            span = year_runs(frame.dropna(subset=[name])["year"]) or "no data"
            untested = ", not testable" if name in NOT_TESTABLE else ""
            indicators.append(f"{lever_label(name)}, {span}{untested}")
        rows.append(
            {
                "Claim": item.claim,
                "Recommendation": item.measure,
                "Indicators in our data (years)": "; ".join(indicators) or "none",
                "Would show it working": item.working_if,
                "Constraints answered": ", ".join(item.constraints)
                or "none named in Part II",
                "Data": item.status,
            }
        )
    return pd.DataFrame(rows)


OUTCOME_NAMES = {"uri": "URI 城乡融合指数", "income_ratio": "Income ratio 城乡收入比"}
COMPARISON_NAMES = {
    "within provinces": "within 省内",
    "between provinces": "between 省际",
}


def slope_text(value: float, p: float, digits: int = 2) -> str:
    """One slope for a table cell: '−0.52 (p = 0.020)', with a true minus sign and no
    negative zero.
    """
    number = f"{value:.{digits}f}"
    if float(number) == 0:
        number = number.lstrip("-")
    return f"{number} ({p_text(p)})".replace("-", "\u2212")


def lever_summary(table: pd.DataFrame) -> pd.DataFrame:
    """One row per lever, a 'standardised slope (p)' column per outcome and comparison
    (two header rows), years, n.

    ``table`` has one row per lever, outcome and comparison with columns term, outcome,
    comparison, std_coef, p, years and n_obs (as the path pages build it). Standardised
    slopes (SDs of the outcome per SD of the lever) are comparable across levers; the
    slopes in each lever's own units are in the full table.
    """
    missing = {
        "term",
        "outcome",
        "comparison",
        "std_coef",
        "p",
        "years",
        "n_obs",
    } - set(table.columns)
    if missing:
        raise ValueError(f"lever table lacks column(s) {sorted(missing)}")
    cells = table.assign(
        cell=[slope_text(c, p) for c, p in zip(table["std_coef"], table["p"])]
    )
    wide = cells.pivot(index="term", columns=["outcome", "comparison"], values="cell")
    outcomes = list(dict.fromkeys(table["outcome"]))
    wide = wide[
        [(o, c) for o in outcomes for c in COMPARISON_NAMES if (o, c) in wide.columns]
    ]
    wide.columns = pd.MultiIndex.from_tuples(
        [(OUTCOME_NAMES.get(o, o), COMPARISON_NAMES[c]) for o, c in wide.columns]
    )
    extra = table.groupby("term").agg(years=("years", "first"), n_obs=("n_obs", "max"))
    wide[("Years 年份", "")] = extra["years"]
    wide[("Province-years 样本", "")] = extra["n_obs"].astype(int)
    terms = list(dict.fromkeys(table["term"]))
    wide = wide.reindex(terms)
    wide.index = [bilingual_lever(t) for t in terms]
    wide.index.name = "Lever 杠杆"
    return wide


def lever_summary_table(table: pd.DataFrame):
    """lever_summary as a readable_table: one header row (e.g. 'URI 城乡融合指数,
    within 省内'), the lever labels as the first column.
    """
    summary = lever_summary(table)
    summary.columns = [", ".join(filter(None, c)) for c in summary.columns]
    return readable_table(summary, index=True)


def coverage_table(frame: pd.DataFrame, levers: Sequence[str]):
    """Provinces with a value of each lever, by year, as a readable_table."""
    counts = frame.groupby("year")[list(levers)].count().T
    counts.index = [bilingual_lever(name) for name in levers]
    counts.columns = [str(year) for year in counts.columns]
    return readable_table(
        counts.rename_axis("Lever 杠杆"),
        index=True,
        caption="Provinces with data, by year 各年有数据的省份数",
    )


FULL_TABLE_COLUMNS = {
    "term": "Lever",
    "outcome": "Outcome",
    "comparison": "Comparison",
    "coef": "Slope (lever units)",
    "se": "Clustered SE",
    "p": "p",
    "ci_low": "95% CI low",
    "ci_high": "95% CI high",
    "std_coef": "Standardised slope",
    "n_obs": "Province-years",
    "n_clusters": "Provinces",
    "years": "Years",
}


def full_table(table: pd.DataFrame) -> pd.DataFrame:
    """The page's lever table with readable names: lever and outcome labels, human
    column headers.
    """
    out = table[[c for c in FULL_TABLE_COLUMNS if c in table.columns]].copy()
    out["term"] = [bilingual_lever(t) for t in out["term"]]
    out["outcome"] = out["outcome"].map(lambda o: OUTCOME_NAMES.get(o, o))
    for column in ("n_obs", "n_clusters"):
        if column in out:
            out[column] = out[column].astype(int)
    return out.rename(columns=FULL_TABLE_COLUMNS)


def full_table_view(table: pd.DataFrame):
    """full_table as a Styler: no index, floats to 4 significant figures."""
    return (
        full_table(table)
        .style.hide(axis="index")
        .format(lambda v: f"{v:.4g}" if isinstance(v, float) else v)
    )


def bilingual_lever(name: str) -> str:
    """'中文 English (unit)' label of a lever."""
    lever = _lever(name)
    if lever is None:
        raise ValueError(f"unknown lever {name!r}; levers: {sorted(LEVERS)}")
    return f"{lever.label_zh} {lever.label_en} ({lever.unit})"


def describe_slope(row: pd.Series, alpha: float = 0.05) -> str:
    """Plain words for one slope: 'positive (p = 0.020)' or 'negative, not significant
    (p = 0.310)'.
    """
    sign = "positive" if row["coef"] > 0 else "negative"
    significance = "" if row["p"] < alpha else ", not significant"
    return f"{sign}{significance} ({p_text(row['p'])})"


# --------------------------------------------------------------------------------------
# The lever analysis of the path pages
# --------------------------------------------------------------------------------------

COMPARISONS = {True: "within provinces", False: "between provinces"}
#: The Part I controls (ln GDP, budget spending / GDP) and the years every lever model
#: uses (urban income by province stops in 2020).
MODEL_CONTROLS = ("ln_gdp", "gov_spending")
MODEL_YEARS = (2013, 2020)


def model_sample(frame: pd.DataFrame, years: tuple[int, int] = MODEL_YEARS):
    """The province-years of the lever models: the rows of `years` (inclusive)."""
    return frame[frame["year"].between(*years)]


def lever_slope(
    sample: pd.DataFrame,
    lever: str,
    outcome: str,
    controls: Sequence[str],
    entity_effects: bool = True,
) -> pd.Series:
    """outcome ~ lever + controls + year effects (+ province effects), SEs clustered by
    province: the lever's slope, its standardised slope (times SD lever / SD outcome
    over the rows used) and the years used.
    """
    fit = twoway_fe(
        sample,
        outcome,
        [lever, *controls],
        entity="province_code",
        time="year",
        entity_effects=entity_effects,
    )
    row = coef_table(fit).set_index("term").loc[lever]
    used = sample.loc[fit.sample_index]
    scale = used[lever].std() / used[outcome].std()
    return pd.Series(
        {
            "term": lever,
            "outcome": outcome,
            "comparison": COMPARISONS[entity_effects],
            **row[["coef", "se", "p", "ci_low", "ci_high", "n_obs", "n_clusters"]],
            "std_coef": row["coef"] * scale,
            "std_low": row["ci_low"] * scale,
            "std_high": row["ci_high"] * scale,
            "years": f"{used['year'].min()}-{used['year'].max()}",
        }
    )


def lever_table(
    frame: pd.DataFrame,
    levers: Sequence[str],
    controls: Sequence[str] = MODEL_CONTROLS,
    outcomes: Sequence[str] = ("uri", "income_ratio"),
    years: tuple[int, int] = MODEL_YEARS,
) -> pd.DataFrame:
    """lever_slope for every lever, outcome and comparison (within, then between
    provinces) on the model years, one regression each, one row each.
    """
    sample = model_sample(frame, years)
    return pd.DataFrame(
        [
            lever_slope(sample, lever, outcome, controls, within)
            for lever in levers
            for outcome in outcomes
            for within in COMPARISONS
        ]
    )


def slope_lookups(table: pd.DataFrame):
    """The two look-ups a page's sentences use: slope(term, comparison, outcome="uri")
    is one row of the lever table (comparison 'within' or 'between'); words(...) says
    it, e.g. 'positive (p = 0.020)' or 'negative, not significant (p = 0.310)'.
    """
    rows = table.set_index(["term", "outcome", "comparison"])

    def slope(term: str, comparison: str, outcome: str = "uri") -> pd.Series:
        return rows.loc[(term, outcome, f"{comparison} provinces")]

    def words(term: str, comparison: str, outcome: str = "uri") -> str:
        return describe_slope(slope(term, comparison, outcome))

    return slope, words


def lever_fit(
    frame: pd.DataFrame,
    term: str,
    outcome: str = "uri",
    controls: Sequence[str] = MODEL_CONTROLS,
    years: tuple[int, int] = MODEL_YEARS,
):
    """outcome ~ term + controls with province and year effects on the model years,
    SEs clustered by province (helpers.panel.twoway_fe): the fit a scenario reads.
    """
    return twoway_fe(
        model_sample(frame, years),
        outcome,
        [term, *controls],
        entity="province_code",
        time="year",
    )


def add_levers(frame: pd.DataFrame, levers: pd.DataFrame) -> pd.DataFrame:
    """`frame` with the lever columns of `levers` merged on province_code and year (one
    row each, error otherwise; province-years without levers keep them missing).
    """
    return frame.merge(
        levers, on=["province_code", "year"], how="left", validate="one_to_one"
    )


def chart_sources(
    levers: Sequence[str],
    ranked: Sequence[str] | None = None,
    catalogue: pd.DataFrame | None = None,
) -> dict[str, str]:
    """A path page's chart source lines (read from data/datapackage.json): 'ranked'
    (the lever columns of the ranking chart, `ranked` or all levers), 'model' (the lever
    models), 'index' (the NQPF index) and 'scenario' (index and lever models).
    catalogue: helpers.data.panel_catalogue(), read if not given.
    """
    from helpers import nqpf, nqpf_models
    from helpers.data import panel_catalogue, source_line

    catalogue = panel_catalogue() if catalogue is None else catalogue

    ranked_columns = lever_columns(ranked if ranked is not None else levers)
    index_resources = measures.resources_for(
        nqpf.raw_columns(extended=False), catalogue
    )
    model_resources = lever_resources(levers, catalogue)
    return {
        "ranked": source_line(measures.resources_for(ranked_columns, catalogue)),
        "model": nqpf_models.source_line(model_resources),
        "index": nqpf_models.source_line(index_resources),
        "scenario": nqpf_models.source_line(
            list(dict.fromkeys(index_resources + model_resources))
        ),
    }
