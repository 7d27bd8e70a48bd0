"""Expected answers of assignment a3, computed from the data when the instructor builds
the assignment.

`python -m tools.classroom build` calls `expected()` and writes each value into the
hidden tests as a literal (`EXPECTED["key"]` in the source), so nothing a student's
notebook redefines can change them.
"""

from helpers import nqpf_models, panel, urban_rural
from helpers.data import national_series, provincial_panel

CONTROLS = ["ln_gdp", "gov_spending"]


def _term(fit, term: str):
    """Coefficient row (coef, se, p) of one term of a fitted model."""
    return panel.coef_table(fit).set_index("term").loc[term]


def expected() -> dict:
    """Every value the hidden tests of a3 compare with, by key."""
    frame = nqpf_models.build_analysis_data(nqpf_models.load_inputs()).frame
    budget = provincial_panel(
        ["budget_exp_sci_tech_100m_yuan", "budget_exp_total_100m_yuan"]
    )
    budget["sci_tech_pct"] = (
        100
        * budget["budget_exp_sci_tech_100m_yuan"]
        / budget["budget_exp_total_100m_yuan"]
    )
    with_budget = frame.merge(
        budget[["province_code", "year", "sci_tech_pct"]],
        on=["province_code", "year"],
        how="left",
    )
    science = _term(
        nqpf_models.fit(with_budget, "uri", ["sci_tech_pct", *CONTROLS]), "sci_tech_pct"
    )
    finance = _term(
        nqpf_models.fit(frame, "uri", ["digital_finance", *CONTROLS]), "digital_finance"
    )
    highway = nqpf_models.fit(frame, "uri", ["ln_highway", *CONTROLS]).params[
        "ln_highway"
    ]

    hukou = urban_rural.hukou_gap(national_series(period=None)).sort_values("year")

    power = provincial_panel(
        ["rural_electricity_100m_kwh", "rural_population_10k"], drop_suspect=True
    )
    power = power[power["year"].isin([2020, 2023])].dropna(
        subset=["rural_electricity_100m_kwh", "rural_population_10k"]
    )
    years_seen = power.groupby("province_code")["year"].nunique()
    kept = years_seen[years_seen == 2].index
    totals = (
        power[power["province_code"].isin(kept)]
        .groupby("year")[["rural_electricity_100m_kwh", "rural_population_10k"]]
        .sum()
    )
    per_resident = totals["rural_electricity_100m_kwh"] / totals["rural_population_10k"]
    return {
        "coef_sci_tech": float(science["coef"]),
        "p_sci_tech": float(science["p"]),
        "coef_finance": float(finance["coef"]),
        "finance_supports_premise": bool(finance["coef"] > 0 and finance["p"] < 0.05),
        "gap_first": float(hukou["gap_points"].iloc[0]),
        "gap_last": float(hukou["gap_points"].iloc[-1]),
        "same_basis": bool(
            hukou["resident_basis"].iloc[0] == hukou["resident_basis"].iloc[-1]
        ),
        "coef_highway": float(highway),
        "growth_pct": float(100 * (per_resident[2023] / per_resident[2020] - 1)),
        "n_provinces": int(len(kept)),
    }
