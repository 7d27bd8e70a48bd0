"""Expected answers of assignment a4, computed from the data when the instructor builds
the assignment.

`python -m tools.classroom build` calls `expected()` and writes each value into the
hidden tests as a literal (`EXPECTED["key"]` in the source), so nothing a student's
notebook redefines can change them. Province-year values are keyed
"<province_code>-<year>"; a missing value is None.
"""

import math

import numpy as np

from helpers import nqpf, nqpf_models
from helpers.data import load, provincial_panel, resource_info


def _by_province_year(frame, column: str) -> dict:
    """{"<code>-<year>": value or None} for one column of a province-year frame."""
    return {
        f"{int(code)}-{int(year)}": (
            None if value is None or math.isnan(value) else float(value)
        )
        for code, year, value in zip(
            frame["province_code"], frame["year"], frame[column]
        )
    }


def expected() -> dict:
    """Every value the hidden tests of a4 compare with, by key."""
    literacy = load("digital_literacy_2021").sort_values("group_order")
    raw = provincial_panel(
        [
            "urban_disposable_income_yuan",
            "rural_disposable_income_yuan",
            "gdp_100m_yuan",
            "budget_exp_total_100m_yuan",
        ]
    ).query("2013 <= year <= 2020")
    raw = raw.assign(
        income_ratio=raw["urban_disposable_income_yuan"]
        / raw["rural_disposable_income_yuan"],
        ln_gdp=np.log(raw["gdp_100m_yuan"]),
        gov_spending=100 * raw["budget_exp_total_100m_yuan"] / raw["gdp_100m_yuan"],
    )
    indicators, _ = nqpf.nqpf_indicator_frame(provincial_panel(nqpf.raw_columns()))
    scores = indicators.assign(
        nqpf=nqpf.nqpf_index(indicators).score.reindex(indicators.index)
    )
    scores = scores.set_index(["province_code", "year"])["nqpf"]
    raw = raw.assign(
        nqpf=[
            scores.get((code, year), np.nan)
            for code, year in zip(raw["province_code"], raw["year"])
        ]
    )
    book = nqpf_models.baseline_fits(
        nqpf_models.build_analysis_data(nqpf_models.load_inputs()).frame
    )["income_ratio"]
    terms = ["nqpf", "ln_gdp", "gov_spending"]
    return {
        "group_zh": literacy["group_zh"].tolist(),
        "group_en": literacy["group_en"].tolist(),
        "scores": [float(s) for s in literacy["score"]],
        "source_line": resource_info("digital_literacy_2021")["source_line"],
        "income_ratio": _by_province_year(raw, "income_ratio"),
        "ln_gdp": _by_province_year(raw, "ln_gdp"),
        "gov_spending": _by_province_year(raw, "gov_spending"),
        "nqpf": _by_province_year(raw, "nqpf"),
        "baseline_terms": terms,
        "baseline_coef": [float(book.params[t]) for t in terms],
        "baseline_se": [float(book.bse[t]) for t in terms],
        "baseline_n_obs": int(book.nobs),
    }
