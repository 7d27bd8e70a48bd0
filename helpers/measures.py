"""Indicator systems: how each indicator of a composite index is derived from the data
layer's columns.

An :class:`Indicator` says what one indicator is (block, bilingual label, sign, unit)
and how it is computed from raw provincial columns (numerator / denominator * scale).
The functions here turn a raw province-year panel into indicator columns, list the data
resources behind each indicator, and account for every province-year an index cannot
use. The NQPF and URI indicator sets live in helpers.nqpf and helpers.uri.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from helpers import indices

#: Columns that identify a province-year in frames built here.
KEY_COLUMNS = ["province_code", "province_zh", "province_en", "region", "year"]


@dataclass(frozen=True)
class Indicator:
    """One indicator of a composite index: x = scale * numerator / denominator (or the
    numerator itself).
    """

    name: str
    block: str
    label_en: str
    label_zh: str
    sign: int
    unit: str
    numerator: str
    denominator: str | None = None
    scale: float = 1.0
    note: str = ""

    @property
    def raw_columns(self) -> tuple[str, ...]:
        """The data-layer columns this indicator is computed from."""
        return (
            (self.numerator,)
            if self.denominator is None
            else (self.numerator, self.denominator)
        )


@dataclass(frozen=True)
class ValueExclusion:
    """A published value the book does not use, with the reason (applied visibly, never
    silently).
    """

    province_code: int
    year: int
    column: str
    reason: str


def raw_columns(specs: Iterable[Indicator]) -> list[str]:
    """Data-layer columns needed by a set of indicators, in first-use order, without
    repeats.
    """
    return list(dict.fromkeys(c for spec in specs for c in spec.raw_columns))


def signs(specs: Iterable[Indicator]) -> dict[str, int]:
    """Mapping indicator name -> sign, as helpers.indices expects."""
    return {spec.name: spec.sign for spec in specs}


def check_unique_names(specs: Sequence[Indicator]) -> None:
    """Raise ValueError if two indicators share a name."""
    names = [spec.name for spec in specs]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"indicator names must be unique; repeated: {repeated}")


def apply_exclusions(
    panel: pd.DataFrame, exclusions: Iterable[ValueExclusion]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Blank the listed values (set to NaN) and return the panel and a table of what was
    blanked and why.
    """
    out = panel.copy()
    rows = []
    for item in exclusions:
        if item.column not in out.columns:
            continue
        hit = (out["province_code"] == item.province_code) & (out["year"] == item.year)
        for index in out.index[hit]:
            if pd.notna(out.at[index, item.column]):
                rows.append(
                    {
                        "province_code": item.province_code,
                        "year": item.year,
                        "column": item.column,
                        "value_as_published": out.at[index, item.column],
                        "reason": item.reason,
                    }
                )
                out.at[index, item.column] = np.nan
    report = pd.DataFrame(
        rows,
        columns=["province_code", "year", "column", "value_as_published", "reason"],
    )
    return out, report


def derive_indicators(panel: pd.DataFrame, specs: Sequence[Indicator]) -> pd.DataFrame:
    """Key columns plus one column per indicator: scale * numerator / denominator (NaN
    stays NaN).
    """
    check_unique_names(specs)
    needed = [c for c in KEY_COLUMNS if c != "region"] + raw_columns(specs)
    absent = [c for c in needed if c not in panel.columns]
    if absent:
        raise ValueError(
            f"panel lacks column(s) {absent}; load them with "
            "helpers.data.provincial_panel"
        )
    out = panel[[c for c in KEY_COLUMNS if c in panel.columns]].copy()
    out["province_code"] = out["province_code"].astype(int)
    out["year"] = out["year"].astype(int)
    for spec in specs:
        numerator = panel[spec.numerator].astype(float)
        if spec.denominator is None:
            values = numerator * spec.scale
        else:
            denominator = panel[spec.denominator].astype(float)
            bad = denominator <= 0
            if bad.any():
                row = panel.loc[bad.idxmax()]
                raise ValueError(
                    f"indicator {spec.name!r}: denominator {spec.denominator!r} is "
                    f"{row[spec.denominator]} (province {row['province_code']}, year "
                    f"{row['year']}); expected a positive number"
                )
            values = spec.scale * numerator / denominator
        out[spec.name] = values.to_numpy()
    return out


def restrict_years(frame: pd.DataFrame, window: tuple[int, int]) -> pd.DataFrame:
    """Rows with window[0] <= year <= window[1]."""
    first, last = window
    if first > last:
        raise ValueError(f"window must run forwards, found {window}")
    return frame.loc[frame["year"].between(first, last)]


def indicator_table(
    specs: Sequence[Indicator],
    weights: pd.Series,
    resources: dict[str, str],
    block_labels: dict[str, tuple[str, str]],
) -> pd.DataFrame:
    """One row per indicator: block, labels, sign, unit, formula, source resources and
    weight.
    """
    rows = []
    for spec in specs:
        formula = (
            spec.numerator
            if spec.denominator is None
            else f"{spec.numerator} / {spec.denominator}"
        )
        if spec.scale != 1:
            formula = f"{spec.scale:g} × {formula}"
        zh, en = block_labels.get(spec.block, (spec.block, spec.block))
        rows.append(
            {
                "block": f"{en} ({zh})",
                "indicator": spec.label_en,
                "指标": spec.label_zh,
                "sign": "+" if spec.sign > 0 else "−",
                "unit": spec.unit,
                "computed as": formula,
                "source resource": ", ".join(
                    dict.fromkeys(resources[c] for c in spec.raw_columns)
                ),
                "weight": float(weights.get(spec.name, np.nan)),
            }
        )
    return pd.DataFrame(rows)


def column_resources(catalogue: pd.DataFrame) -> dict[str, str]:
    """Mapping data-layer column -> resource name, from
    helpers.data.panel_catalogue().
    """
    return dict(zip(catalogue["column"], catalogue["resource"]))


def resources_for(columns: Iterable[str], catalogue: pd.DataFrame) -> list[str]:
    """Data resources (in first-use order) that hold the given data-layer columns."""
    from helpers.data import resources_for as data_resources_for

    return data_resources_for(columns, catalogue)


def index_accounting(
    derived: pd.DataFrame,
    specs: Sequence[Indicator],
    window: tuple[int, int],
    exclusions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Why province-years in the window are not in the index: one row per (reason,
    count, provinces, years).
    """
    names = [spec.name for spec in specs]
    in_window = restrict_years(derived, window)
    indices.check_indicators(in_window, names)
    dropped = indices.missing_report(in_window, names)
    detail = in_window.loc[dropped.index, ["province_en", "year"]].assign(
        reason=dropped["reason"]
    )
    if exclusions is not None and len(exclusions):
        # Say when a gap is our exclusion of a published value, not a gap in the source.
        excluded = set(
            zip(exclusions["province_code"].astype(int), exclusions["year"].astype(int))
        )
        codes = in_window.loc[detail.index, "province_code"].astype(int)
        ours = [(c, y) in excluded for c, y in zip(codes, detail["year"].astype(int))]
        detail.loc[ours, "reason"] = (
            detail.loc[ours, "reason"] + " (published value excluded by us)"
        )
    summary = (
        detail.groupby("reason")
        .agg(
            province_years=("year", "size"),
            provinces=("province_en", lambda s: ", ".join(sorted(set(s)))),
            years=("year", lambda s: _year_span(s)),
        )
        .reset_index()
        .sort_values("province_years", ascending=False, ignore_index=True)
    )
    used = in_window.loc[~in_window.index.isin(detail.index)]
    total = pd.DataFrame(
        [
            {
                "reason": "used by the index (all indicators observed)",
                "province_years": len(used),
                "provinces": f"{used['province_en'].nunique()} provinces",
                "years": f"{window[0]}-{window[1]}",
            }
        ]
    )
    return pd.concat([total, summary], ignore_index=True)


def _year_span(years: pd.Series) -> str:
    """Compact list of years, e.g. '2013-2016, 2020'."""
    values = sorted(set(int(y) for y in years))
    runs, start, prev = [], values[0], values[0]
    for year in values[1:] + [None]:
        if year is not None and year == prev + 1:
            prev = year
            continue
        runs.append(f"{start}" if start == prev else f"{start}-{prev}")
        if year is not None:
            start = prev = year
    return ", ".join(runs)
