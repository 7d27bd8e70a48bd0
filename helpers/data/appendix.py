"""Tables of the data appendix, computed from the descriptor and the panels (the page
draws its charts itself).

Functions take the descriptor (a dict) or frames as arguments and do no file I/O and no
drawing; the page loads them with helpers.data and passes them in.
"""

from __future__ import annotations

import pandas as pd

PROVINCE_COUNT = 31
KIND_ORDER = [
    "figure",
    "national",
    "provincial_panel",
    "provincial_points",
    "reference",
    "metadata",
    "raw",
]


def publishers(resource: dict) -> str:
    """Distinct publishers of a resource's sources, in order, joined by '; '."""
    seen = []
    for source in resource.get("sources", []):
        if source.get("publisher") and source["publisher"] not in seen:
            seen.append(source["publisher"])
    return "; ".join(seen)


def licence_text(resource: dict) -> str:
    """Licence title(s) of a resource."""
    return (
        "; ".join(
            lic.get("title", lic.get("name", ""))
            for lic in resource.get("licenses", [])
        )
        or "not stated"
    )


def sources_table(descriptor: dict) -> pd.DataFrame:
    """One row per table resource: name, title, kind, coverage, publishers, licence,
    redistribution.
    """
    rows = [
        {
            "resource": r["name"],
            "title": r["title"],
            "kind": r.get("kind", ""),
            "coverage": short_coverage(r.get("coverage", "")),
            "publishers": publishers(r),
            "licence": licence_text(r),
            "redistribution": "; ".join(
                lic.get("redistribution", "") for lic in r.get("licenses", [])
            ),
        }
        for r in descriptor["resources"]
        if r.get("kind") != "raw"
    ]
    frame = pd.DataFrame(rows)
    frame["order"] = frame["kind"].map({k: i for i, k in enumerate(KIND_ORDER)})
    return (
        frame.sort_values(["order", "resource"])
        .drop(columns="order")
        .reset_index(drop=True)
    )


def short_coverage(coverage: str) -> str:
    """Overall first-last years of a 'column: 2013-2020 (n province-years); ...'
    coverage text.
    """
    years = [
        part.split(": ", 1)[1].split(" ")[0]
        for part in coverage.split("; ")
        if ": " in part
    ]
    if not years:
        return coverage
    firsts = [int(y.split("-")[0]) for y in years]
    lasts = [int(y.split("-")[-1]) for y in years]
    return f"{min(firsts)}-{max(lasts)}, {len(years)} columns"


def raw_files_table(descriptor: dict) -> pd.DataFrame:
    """Raw files kept as obtained: path, size in kB and where they come from."""
    rows = [
        {
            "path": f"data/{r['path']}",
            "kB": round(r["bytes"] / 1024, 1),
            "from": r["sources"][0].get(
                "repository", r["sources"][0].get("publisher", "")
            ),
            "licence": licence_text(r),
        }
        for r in descriptor["resources"]
        if r.get("kind") == "raw"
    ]
    return pd.DataFrame(rows)


def not_redistributed_table(descriptor: dict) -> pd.DataFrame:
    """Sources cited but not copied into data/, with why and where they are."""
    return pd.DataFrame(
        descriptor.get("not_redistributed", []), columns=["title", "reason", "path"]
    )


def not_available_table(descriptor: dict) -> pd.DataFrame:
    """Data the analysis would want but that no gathered source has."""
    return pd.DataFrame(
        descriptor.get("not_available", []), columns=["what", "missing", "where_online"]
    )


def coverage_matrix(
    panel: pd.DataFrame,
    columns: list[str],
    years: range | list[int],
    provinces: int = PROVINCE_COUNT,
) -> pd.DataFrame:
    """Share of provinces with a value, per column (rows) and year (columns):
    count(non-missing) / provinces.
    """
    present = panel[["year"] + list(columns)].copy()
    present[list(columns)] = present[list(columns)].notna()
    counts = (
        present.groupby("year")[list(columns)].sum().reindex(list(years), fill_value=0)
    )
    return (counts / provinces).T


# Columns of the wide national frame that describe a value (bound, flag, statement date)
# rather than hold one.
NATIONAL_ANNOTATIONS = ("__qualifier", "__flag", "__date")


def national_coverage(wide: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """(matrix, groups) for the national series: 1 where a value exists, rows grouped by
    basis/period suffix.
    """
    columns = [
        c for c in wide.columns if c != "year" and not c.endswith(NATIONAL_ANNOTATIONS)
    ]
    years = range(int(wide["year"].min()), int(wide["year"].max()) + 1)
    matrix = coverage_matrix(wide, sorted(columns), years, provinces=1)
    groups = pd.Series(
        {c: c.split("__", 1)[1] if "__" in c else "current, annual" for c in columns}
    )
    order = sorted(
        matrix.index, key=lambda c: (groups[c] != "current, annual", groups[c], c)
    )
    return matrix.loc[order], groups


BREAK_COLUMNS = [
    "break_id",
    "resource",
    "indicators",
    "last_year_before",
    "first_year_after",
    "first_year_backcast",
    "kind",
    "description",
    "handling",
]


def breaks_table(breaks: pd.DataFrame) -> pd.DataFrame:
    """The series_breaks rows with the columns a reader needs: the years that place each
    break, what it is, the handling.

    last_year_before = last year published on the old basis; first_year_after = year the
    change took effect (where charts mark it); first_year_backcast = first year the
    producer re-estimated on the new basis.
    """
    missing = [c for c in BREAK_COLUMNS if c not in breaks.columns]
    if missing:
        raise KeyError(
            f"series_breaks: column(s) {missing} not found; columns present: "
            f"{list(breaks.columns)}"
        )
    return breaks[BREAK_COLUMNS].reset_index(drop=True)


DATED_COLUMNS = [
    "indicator",
    "year",
    "period",
    "value_as_published",
    "reference_date",
    "producer",
    "note",
]


def dated_values_table(national_long: pd.DataFrame) -> pd.DataFrame:
    """National values stated on a given day during the year (reference_date set), e.g.
    coverage milestones.
    """
    missing = [c for c in DATED_COLUMNS if c not in national_long.columns]
    if missing:
        raise KeyError(
            f"national series: column(s) {missing} not found; columns present: "
            f"{list(national_long.columns)}"
        )
    dated = national_long[national_long["reference_date"].notna()]
    return (
        dated[DATED_COLUMNS]
        .sort_values(["reference_date", "indicator"])
        .reset_index(drop=True)
    )


def derived_urban_income(resident_income, rural_income, urban_share):
    """Urban income implied by the population-share identity: (resident - (1 - s) *
    rural) / s.
    """
    return (resident_income - (1 - urban_share) * rural_income) / urban_share


def urban_income_derivation_error(panel: pd.DataFrame) -> pd.DataFrame:
    """Per province-year: urban income derived with s = urban / (urban + rural
    population) vs the NBS value.

    error_pct = 100 * (derived - published) / published; needs resident, urban and rural
    income and urban and rural population in the same row (rows missing any are
    dropped).
    """
    needed = [
        "resident_disposable_income_yuan",
        "urban_disposable_income_yuan",
        "rural_disposable_income_yuan",
        "urban_population_10k",
        "rural_population_10k",
    ]
    rows = panel.dropna(subset=needed).copy()
    share = rows["urban_population_10k"] / (
        rows["urban_population_10k"] + rows["rural_population_10k"]
    )
    rows["derived_urban_income_yuan"] = derived_urban_income(
        rows["resident_disposable_income_yuan"],
        rows["rural_disposable_income_yuan"],
        share,
    )
    rows["error_pct"] = 100 * (
        rows["derived_urban_income_yuan"] / rows["urban_disposable_income_yuan"] - 1
    )
    keep = [c for c in ("province_code", "province_en", "year") if c in rows] + [
        "urban_disposable_income_yuan",
        "derived_urban_income_yuan",
        "error_pct",
    ]
    return rows[keep].reset_index(drop=True)
