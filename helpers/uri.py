"""The urban-rural integration (城乡融合, URI) index and the urban-rural income gap from
data/.

The literature's URI indices have five dimensions (population, economy, society, space,
ecology) built from urban/rural ratios. Our provincial data support only two of them for
a common window: the urban/rural income ratio (economy, negative) and the urbanisation
rate (population, positive), for 2013-2020 (urban income by province stops in 2020). The
candidates we could not use, and why, are in NOT_AVAILABLE. The Theil index needs urban
and rural population, so it covers 2016-2020.
"""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from helpers import indices, measures
from helpers.measures import Indicator

BLOCK_LABELS = {
    "economy": ("经济融合", "economic integration"),
    "population": ("人口融合", "population integration"),
}

URI_INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "income_ratio",
        "economy",
        "Urban / rural per-capita disposable income",
        "城乡居民人均可支配收入比",
        -1,
        "ratio (rural = 1)",
        "urban_disposable_income_yuan",
        "rural_disposable_income_yuan",
        note="2013 integrated-survey basis; urban income by province ends in 2020",
    ),
    Indicator(
        "urbanisation",
        "population",
        "Urbanisation rate (urban share of resident population)",
        "常住人口城镇化率",
        +1,
        "percent",
        "urbanisation_rate_pct",
    ),
)

URI_WINDOW = (2013, 2020)

THEIL_COLUMNS = (
    "urban_disposable_income_yuan",
    "rural_disposable_income_yuan",
    "urban_population_10k",
    "rural_population_10k",
)

#: Indicators the URI literature uses that our data cannot support (or that we chose not
#: to use), and why.
NOT_AVAILABLE = pd.DataFrame(
    [
        (
            "Urban / rural consumption ratio",
            "economy",
            "no urban consumption by province in data/",
        ),
        (
            "Engel coefficient ratio",
            "society",
            "no Engel coefficients by province in data/",
        ),
        (
            "Dual contrast coefficient; non-farm / farm employment",
            "economy / population",
            "no employment by sector by province in data/",
        ),
        (
            "Road or rail network density",
            "space",
            "no provincial land area in data/ (used as a channel, M3-1, "
            "where province effects absorb the area)",
        ),
        ("Internet penetration", "space", "provincial series ends in 2016"),
        (
            "Urban / rural health, education and pension ratios",
            "society",
            "not in data/",
        ),
        (
            "Agriculture, forestry and water share of budget spending",
            "capital",
            "in data/, but it measures how agricultural a province is, not "
            "integration: it ranks Heilongjiang, Xinjiang and Inner Mongolia first; "
            "not used",
        ),
        (
            "Non-farm share of value added",
            "economy",
            "primary value added starts in 2016, and it is the M2 channel; keeping it "
            "out avoids circularity",
        ),
    ],
    columns=["indicator", "dimension", "why not used"],
)


def raw_columns() -> list[str]:
    """Data-layer columns the URI indicators and the Theil index need."""
    return list(
        dict.fromkeys(measures.raw_columns(URI_INDICATORS) + list(THEIL_COLUMNS))
    )


def uri_indicator_frame(
    panel: pd.DataFrame, window: tuple[int, int] = URI_WINDOW
) -> pd.DataFrame:
    """URI indicator values (income ratio, urbanisation) for the window."""
    derived = measures.derive_indicators(panel, URI_INDICATORS)
    return measures.restrict_years(derived, window).reset_index(drop=True)


def uri_index(
    indicator_frame: pd.DataFrame,
    specs: Sequence[Indicator] = URI_INDICATORS,
    method: str = "entropy",
) -> indices.IndexResult:
    """URI score of every complete province-year (entropy weights by default)."""
    return indices.build_index(indicator_frame, measures.signs(specs), method=method)


def theil_frame(panel: pd.DataFrame) -> pd.DataFrame:
    """province_code, year and the Theil index of the urban-rural income gap (NaN where
    an input is missing).
    """
    absent = [c for c in THEIL_COLUMNS if c not in panel.columns]
    if absent:
        raise ValueError(f"panel lacks column(s) {absent} needed for the Theil index")
    complete = panel.dropna(subset=list(THEIL_COLUMNS))
    theil = indices.theil_urban_rural(
        *(complete[c].astype(float) for c in THEIL_COLUMNS)
    )
    out = complete[["province_code", "year"]].astype(int).assign(theil=theil.to_numpy())
    return out.reset_index(drop=True)
