"""Cross-source checks and the flags they produce (unit slips, non-fossil = hydro, farm
machinery, technology market), and the list of provincial resources.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from importers.common import (
    IDENTITY_TOLERANCE,
    NATIONAL_LABELS,
    PROVINCE_EN,
    Resource,
    cell,
    format_number,
    read_csv,
    thousands,
)
from importers.digital_transport import (
    digital_finance_resource,
    internet_resource,
    transport_resource,
)
from importers.energy import ceads_resource, energy_resource
from importers.income import income_resource, population_resource
from importers.nbs import (
    gdp_structure_resource,
    nbs_macro_resource,
    rain_long,
    rural_electricity_resource,
)
from importers.techme import (
    TECHME_DIR,
    agri_inputs_resource,
    public_budget_resource,
    sci_tech_nbs_resource,
    sci_tech_resource,
)

# ---- cross-source checks: same quantity in two resources
# ---------------------------------------

RELATIVE_TOLERANCE = 0.005  # above 0.5% two sources are said to disagree
DUPLICATE_CONCEPTS = [
    # (resource a, column a, factor a, resource b, column b, factor b, what)
    (
        "sci_tech",
        "tech_market_outflow_10k_yuan",
        1e-4,
        "sci_tech_nbs",
        "tech_market_turnover_100m_yuan",
        1,
        "technology market turnover",
    ),
    (
        "public_budget",
        "budget_exp_total_100m_yuan",
        1,
        "sci_tech_nbs",
        "fiscal_expenditure_nbs_100m_yuan",
        1,
        "general public budget expenditure",
    ),
    (
        "public_budget",
        "budget_exp_sci_tech_100m_yuan",
        1,
        "sci_tech_nbs",
        "fiscal_sci_tech_exp_nbs_100m_yuan",
        1,
        "fiscal S&T expenditure",
    ),
    (
        "sci_tech",
        "rd_exp_100m_yuan",
        1,
        "sci_tech_nbs",
        "rd_exp_nbs_100m_yuan",
        1,
        "R&D expenditure",
    ),
    (
        "sci_tech",
        "invention_patent_applications",
        1,
        "nbs_macro",
        "invention_patent_applications_nbs",
        1,
        "invention patent applications",
    ),
]


def duplicate_conflicts(resources: dict[str, Resource]) -> list[tuple]:
    """Conflict rows where two resources give the same quantity and differ by more than
    0.5%.
    """
    rows = []
    for name_a, col_a, f_a, name_b, col_b, f_b, what in DUPLICATE_CONCEPTS:
        a = resources[name_a].frame[["province_code", "year", col_a]].dropna()
        b = resources[name_b].frame[["province_code", "year", col_b]].dropna()
        merged = a.merge(b, on=["province_code", "year"])
        merged["x"], merged["y"] = merged[col_a] * f_a, merged[col_b] * f_b
        gap = (merged["x"] - merged["y"]).abs()
        # NBS columns are printed to 0.01 (亿元): a gap within half of that is rounding,
        # not disagreement.
        differs = (gap > RELATIVE_TOLERANCE * merged[["x", "y"]].abs().max(axis=1)) & (
            gap > 0.005
        )
        for row in merged[differs].itertuples():
            rows.append(
                (
                    f"{col_a}_vs_{col_b}_{row.province_code}_{row.year}",
                    "provincial",
                    f"{name_a}; {name_b}",
                    f"{what} ({col_a} x {f_a:g} vs {col_b})",
                    row.province_code,
                    row.year,
                    float(row.x),
                    f"{name_a}.{col_a}",
                    float(row.y),
                    format_number(float(getattr(row, col_b))),
                    f"{name_b}.{col_b}",
                    "sources_disagree",
                    "both kept, each in its own column",
                    "Same quantity, two compilations differ by more than "
                    f"{RELATIVE_TOLERANCE:.1%}; use one column consistently.",
                )
            )
    return rows


def check_same_gdp(nbs_macro: Resource, src: Path) -> None:
    """Stop if the Rain-118 GDP is not the nbs_macro revised GDP (they are documented as
    identical).
    """
    rain = rain_long(src)
    rain = rain[(rain["indicator"] == "gdp") & (rain["year"] <= 2024)]
    merged = rain.merge(nbs_macro.frame, on=["province_code", "year"])
    worst = (merged["value"] - merged["gdp_100m_yuan"]).abs().max()
    if len(merged) != 279 or worst > 0.05:
        raise ValueError(f"GDP vintages: {len(merged)} matches, max |diff| {worst}")


# ---- values flagged after checks on the panels (re-verified at every import)
# ---------------------- Each flag below states what the numbers show; the check behind
# it runs on every import and stops the import if the data no longer show it, so a flag
# never outlives the evidence for it.


def unit_slip_flag(
    frame: pd.DataFrame,
    resource: str,
    column: str,
    code: int,
    year: int,
    unit: str,
    context: str,
) -> tuple:
    """Suspect flag for a value below 1% of both neighbouring years, after checking that
    it is.
    """
    value, before, after = (
        cell(frame, column, code, y) for y in (year, year - 1, year + 1)
    )
    if value >= 0.01 * min(before, after):
        raise ValueError(
            f"{column} {PROVINCE_EN[code]} {year} = {value} is no longer a unit slip; "
            "review the flag"
        )
    reason = (
        f"{PROVINCE_EN[code]} {year} = {thousands(value)} ({unit}) between "
        f"{thousands(before)} ({year - 1}) and {thousands(after)} ({year + 1}), about "
        f"1/{round(before / value, -3):,.0f} of them: a unit slip in the compiled "
        f"source. {context} Kept as published, not converted."
    )
    return (resource, column, code, year, "suspect", reason)


def energy_flags(energy: pd.DataFrame) -> list[tuple]:
    """Ningxia 2020 energy consumption (0.79 between 7,648 and 8,047.9)."""
    co2 = [cell(energy, "co2_apparent_mt", 640000, y) for y in (2019, 2020, 2021)]
    context = (
        "0.79 read as 100 million tce would be 7,900, between its neighbours; CEADs "
        f"apparent CO2 of Ningxia rises {' -> '.join(f'{v:.1f}' for v in co2)} Mt over "
        "2019-2021, so consumption did not collapse."
    )
    return [
        unit_slip_flag(
            energy,
            "energy",
            "energy_consumption_10k_tce",
            640000,
            2020,
            "10,000 tce",
            context,
        )
    ]


NON_FOSSIL, HYDRO = "non_fossil_generation_100m_kwh", "hydropower_generation_100m_kwh"


def non_fossil_vs_hydro(energy: pd.DataFrame) -> pd.DataFrame:
    """Province-years with both columns: whether non-fossil generation equals hydropower
    or exceeds it.
    """
    both = energy.dropna(subset=[NON_FOSSIL, HYDRO])[
        ["province_code", "year", NON_FOSSIL, HYDRO]
    ].copy()
    both["equal"] = (both[NON_FOSSIL] - both[HYDRO]).abs() < 1e-9
    both["exceeds"] = both[NON_FOSSIL] > both[HYDRO] + 1e-9
    if (~both["equal"] & ~both["exceeds"]).any():
        raise ValueError(
            "energy: non-fossil generation below hydropower somewhere; review the "
            "non-fossil flags"
        )
    return both


def non_fossil_year_counts(both: pd.DataFrame) -> str:
    """'year: equal/with both' for every year since 2010, e.g. '2014: 30/31'."""
    recent = both[both["year"] >= 2010].groupby("year")["equal"].agg(["sum", "size"])
    return ", ".join(
        f"{year}: {int(row['sum'])}/{int(row['size'])}"
        for year, row in recent.iterrows()
    )


def non_fossil_flags(energy: pd.DataFrame) -> list[tuple]:
    """Non-fossil generation that only repeats hydropower: a column caveat, and suspect
    where it did exceed earlier.
    """
    both = non_fossil_vs_hydro(energy)
    exceeds = both[both["exceeds"]]
    if len(exceeds) > 0.25 * len(both):
        raise ValueError(
            "energy: non-fossil generation now exceeds hydropower in most "
            "province-years; review the flags"
        )
    by_year = exceeds.groupby("year").size()
    never = sorted(set(both["province_code"]) - set(exceeds["province_code"]))
    caveat = (
        "Non-fossil generation equals hydropower exactly in "
        f"{int(both['equal'].sum())} of {len(both)} province-years (equal/with both "
        f"since 2010: {non_fossil_year_counts(both)}); it exceeds hydropower only in "
        f"{len(exceeds)} ({', '.join(f'{y}: {n}' for y, n in by_year.items())}) and "
        f"never in {', '.join(PROVINCE_EN[c] for c in never)}. Wind, solar and nuclear "
        "generation look missing in most years, so the column is not a consistent "
        "non-fossil series; where it equals hydropower read it as hydropower only. "
        "Kept as published."
    )
    first_exceeds = exceeds.groupby("province_code")["year"].min()
    later = both[
        both["equal"] & (both["year"] > both["province_code"].map(first_exceeds))
    ]
    flags = [("energy", NON_FOSSIL, None, None, "caveat", caveat)]
    for row in later.sort_values(["province_code", "year"]).itertuples():
        reason = (
            f"{PROVINCE_EN[row.province_code]} {row.year}: non-fossil generation "
            f"{thousands(row[3])} equals hydropower, but exceeded it in "
            f"{int(first_exceeds[row.province_code])}; the non-hydro part (wind, "
            "solar, nuclear) does not vanish, so it is missing here. Kept as "
            "published."
        )
        flags.append(
            (
                "energy",
                NON_FOSSIL,
                int(row.province_code),
                int(row.year),
                "suspect",
                reason,
            )
        )
    return flags


def machinery_identity(src: Path) -> pd.DataFrame:
    """Per year: the provinces' total farm-machinery power, the national total, and
    their difference.
    """
    raw = read_csv(src / TECHME_DIR / "AgriMachine.csv")
    raw = raw[raw["variables"] == "v7_sctj_nyjx_zdl"]
    is_national = raw["province"].astype(str).str.strip().isin(NATIONAL_LABELS)
    table = pd.DataFrame(
        {
            "provinces": raw[~is_national].groupby("year")["value"].sum(),
            "national": raw[is_national].set_index("year")["value"],
        }
    )
    table["difference"] = table["provinces"] - table["national"]
    return table


# Years where the provinces do not add up to the national total, and the only provinces
# whose value in that year breaks their path (MACHINERY_RULES; the series grows almost
# everywhere).
MACHINERY_SUSPECTS = {2010: [320000, 510000], 2011: [340000]}


def machinery_candidates(power: pd.DataFrame, year: int) -> list[int]:
    """Provinces whose value in `year` breaks their own path (MACHINERY_RULES: first
    year vs the next two).
    """
    wide = power.pivot(
        index="province_code",
        columns="year",
        values="agri_machinery_power_10k_kw_pre2016",
    )
    if year == int(power["year"].min()):
        picked = wide[
            (wide[year] > 1.05 * wide[year + 1]) & (wide[year] > 1.05 * wide[year + 2])
        ]
    else:
        picked = wide[
            (wide[year] < 0.9 * wide[year - 1]) & (wide[year] < 0.9 * wide[year + 1])
        ]
    return sorted(int(code) for code in picked.index)


MACHINERY_RULES = {
    2010: "more than 5% above both 2011 and 2012",
    2011: "more than 10% below both neighbours",
}


def machinery_reason(
    power: pd.DataFrame, code: int, year: int, identity: pd.DataFrame
) -> str:
    """Why one farm-machinery value is suspect, with its neighbours and the identity gap
    of its year.
    """
    first = int(power["year"].min())
    span = (year, year + 1, year + 2) if year == first else (year - 1, year, year + 1)
    path = ", ".join(
        f"{thousands(cell(power, 'agri_machinery_power_10k_kw_pre2016', code, y))} "
        f"({y})"
        for y in span
    )
    gap = identity.loc[year]
    clean = identity[identity["difference"].abs() < IDENTITY_TOLERANCE].index
    names = " and ".join(PROVINCE_EN[c] for c in MACHINERY_SUSPECTS[year])
    are, they = (
        ("are", "they are") if len(MACHINERY_SUSPECTS[year]) > 1 else ("is", "it is")
    )
    return (
        f"{PROVINCE_EN[code]}: {path}. In {year} the provinces sum to "
        f"{thousands(gap['provinces'])} against the national total "
        f"{thousands(gap['national'])} ({gap['difference']:+,.1f}), while every other "
        f"year {min(clean)}-{max(clean)} matches within {IDENTITY_TOLERANCE:g}. Only "
        f"{names} {are} {MACHINERY_RULES[year]} in {year}, so {they} the likely source "
        "of the gap (a transcription error in the compiled yearbook table, "
        "suspected). Kept as published, not corrected."
    )


def machinery_flags(agri: pd.DataFrame, identity: pd.DataFrame) -> list[tuple]:
    """Farm-machinery values that break the provinces-to-national identity (2010, 2011)
    and Jiangxi 2013.
    """
    power = agri.dropna(subset=["agri_machinery_power_10k_kw_pre2016"])
    broken = sorted(
        int(y)
        for y in identity.index[identity["difference"].abs() >= IDENTITY_TOLERANCE]
    )
    if broken != sorted(MACHINERY_SUSPECTS):
        raise ValueError(
            f"farm machinery: provinces differ from the national total in {broken}, "
            f"flags expect {sorted(MACHINERY_SUSPECTS)}; review MACHINERY_SUSPECTS"
        )
    flags = []
    for year, codes in MACHINERY_SUSPECTS.items():
        if machinery_candidates(power, year) != sorted(codes):
            raise ValueError(
                f"farm machinery {year}: outlying provinces are "
                f"{machinery_candidates(power, year)}, flags expect {codes}"
            )
        flags += [
            (
                "agri_inputs",
                "agri_machinery_power_10k_kw_pre2016",
                code,
                year,
                "suspect",
                machinery_reason(power, code, year, identity),
            )
            for code in codes
        ]
    return flags + [jiangxi_2013_caveat(power, identity)]


def jiangxi_2013_caveat(power: pd.DataFrame, identity: pd.DataFrame) -> tuple:
    """Jiangxi's 2013 fall in farm-machinery power is in the official totals: a caveat,
    not a suspect value.
    """
    before, value = (
        cell(power, "agri_machinery_power_10k_kw_pre2016", 360000, y)
        for y in (2012, 2013)
    )
    if (
        value > 0.5 * before
        or abs(identity.loc[2013, "difference"]) >= IDENTITY_TOLERANCE
    ):
        raise ValueError(
            "farm machinery: Jiangxi 2012/2013 no longer matches its caveat; review it"
        )
    return (
        "agri_inputs",
        "agri_machinery_power_10k_kw_pre2016",
        360000,
        2013,
        "caveat",
        f"Jiangxi falls from {thousands(before)} (2012) to {thousands(value)} (2013), "
        f"{value / before - 1:+.0%}, then grows again; the provinces still add up to "
        "the national total in 2013, so the fall is in the official statistics (a "
        "provincial revision, cause not documented). Do not read 2012-2013 as a "
        "change.",
    )


TECH_MARKET_COLUMNS = [
    ("sci_tech_nbs", "tech_market_turnover_100m_yuan", 1.0),
    ("sci_tech", "tech_market_outflow_10k_yuan", 10_000.0),
]  # (resource, column, per 100m yuan)
CHONGQING_ALTERNATION = range(2014, 2020)
GUANGXI_STATEMENT_URL = "https://niita.cn/news/view?id=19544"


def turnover_series(nbs: pd.DataFrame, code: int) -> pd.Series:
    """A province's technology-market turnover (100 million yuan) by year."""
    rows = nbs[nbs["province_code"] == code].dropna(
        subset=["tech_market_turnover_100m_yuan"]
    )
    return rows.set_index("year")["tech_market_turnover_100m_yuan"].astype(float)


def check_copies_agree(
    nbs: pd.DataFrame, yearbook: pd.DataFrame, code: int, years
) -> None:
    """Stop unless the NBS-platform turnover equals the yearbook outflow / 10,000 in the
    given years.
    """
    for year in years:
        a = cell(nbs, "tech_market_turnover_100m_yuan", code, year)
        b = cell(yearbook, "tech_market_outflow_10k_yuan", code, year) / 10_000
        if abs(a - b) > 0.01:
            raise ValueError(
                f"technology market {PROVINCE_EN[code]} {year}: NBS {a} vs yearbook {b}"
            )


def alternates(changes: pd.Series) -> bool:
    """True if consecutive changes switch sign every time."""
    signs = list(changes > 0)
    return all(a != b for a, b in zip(signs, signs[1:]))


def tech_market_shortfall(src: Path) -> pd.Series:
    """National technology-market turnover minus the provinces' sum, by year (100
    million yuan).
    """
    raw = read_csv(src / TECHME_DIR / "MarketPush.csv")
    raw = raw[raw["variables"] == "v4_cg_jssc_je"]
    is_national = raw["province"].astype(str).str.strip().isin(NATIONAL_LABELS)
    national = raw[is_national].set_index("year")["value"]
    return (national - raw[~is_national].groupby("year")["value"].sum()) / 10_000


def tech_market_flags(
    nbs: pd.DataFrame, yearbook: pd.DataFrame, shortfall: pd.Series
) -> list[tuple]:
    """Caveats on Chongqing 2014-2019 (alternating) and Guangxi 2021 (ten-fold spike),
    both as published.
    """
    chongqing = turnover_series(nbs, 500000)
    years = list(CHONGQING_ALTERNATION)
    changes = chongqing.pct_change().loc[years]
    gap = shortfall.loc[[years[0] - 1] + years]
    if (
        (changes.abs() < 0.5).any()
        or not alternates(changes)
        or alternates(gap.diff().dropna())
    ):
        raise ValueError(
            "technology market Chongqing: the 2014-2019 pattern changed "
            f"({list(changes.round(2))}); review the caveat"
        )
    check_copies_agree(nbs, yearbook, 500000, range(2012, 2024))
    path = ", ".join(f"{chongqing[y]:.1f}" for y in range(2013, 2021))
    chongqing_reason = (
        f"Chongqing 2013-2020: {path} (100 million yuan): up and down by "
        f"{changes.abs().min():.0%}-{changes.abs().max():.0%} in alternate years "
        "2014-2019. Both copies (NBS platform and S&T Yearbook outflow) give the same "
        f"values, and the provinces' sum stays {gap.min():,.0f}-{gap.max():,.0f} below "
        f"the national total in {years[0] - 1}-{years[-1]} without alternating, so "
        "this is how NBS published it; which years (if any) are wrong cannot be told. "
        "Do not read year-to-year changes; average over years."
    )
    guangxi = turnover_series(nbs, 450000)
    if not (guangxi[2021] > 5 * guangxi[2020] and guangxi[2021] > 3 * guangxi[2022]):
        raise ValueError(
            "technology market Guangxi 2021: no longer a one-year spike; review the "
            "caveat"
        )
    check_copies_agree(nbs, yearbook, 450000, [2020, 2021, 2022])
    inflow = [
        cell(yearbook, "tech_market_inflow_10k_yuan", 450000, y) / 10_000
        for y in (2020, 2021, 2022)
    ]
    guangxi_reason = (
        f"Guangxi 2021 = {guangxi[2021]:.2f} (100 million yuan) against "
        f"{guangxi[2020]:.2f} (2020) and {guangxi[2022]:.2f} (2022), "
        f"{guangxi[2021] / guangxi[2020]:.1f} times 2020. Both copies agree; "
        "technology bought by Guangxi also peaks in 2021 "
        f"({' / '.join(f'{v:,.1f}' for v in inflow)} for 2020-2022), and the Guangxi "
        "S&T department said 2021 technology-contract turnover passed 100 billion "
        f"yuan ({GUANGXI_STATEMENT_URL}, 2022-08-03), so the spike looks real rather "
        f"than a unit slip (that would give {guangxi[2021] / 10:.2f}). It dominates "
        "min-max scaling of this column."
    )
    flags = []
    for resource, column, _factor in TECH_MARKET_COLUMNS:
        flags += [
            (resource, column, 500000, year, "caveat", chongqing_reason)
            for year in CHONGQING_ALTERNATION
        ]
        flags.append((resource, column, 450000, 2021, "caveat", guangxi_reason))
    return flags


def checked_panel_flags(by_name: dict, src: Path) -> list[tuple]:
    """Flags from the checks above (energy unit slip, non-fossil = hydro, farm-machinery
    identity, technology market).
    """
    return (
        energy_flags(by_name["energy"].frame)
        + non_fossil_flags(by_name["energy"].frame)
        + machinery_flags(by_name["agri_inputs"].frame, machinery_identity(src))
        + tech_market_flags(
            by_name["sci_tech_nbs"].frame,
            by_name["sci_tech"].frame,
            tech_market_shortfall(src),
        )
    )


def provincial_resources(src: Path):
    """Provincial panels, plus the conflicts found while building them and the flags the
    checks produce.
    """
    income, income_points, conflicts = income_resource(src)
    resources = [
        income,
        income_points,
        population_resource(src),
        nbs_macro_resource(src),
        gdp_structure_resource(src),
        rural_electricity_resource(src),
        sci_tech_resource(src),
        sci_tech_nbs_resource(src),
        agri_inputs_resource(src),
        public_budget_resource(src),
        energy_resource(src),
        ceads_resource(src),
        internet_resource(src),
        digital_finance_resource(src),
        transport_resource(src),
    ]
    by_name = {r.name: r for r in resources}
    check_same_gdp(by_name["nbs_macro"], src)
    conflicts += duplicate_conflicts(by_name)
    return resources, conflicts, checked_panel_flags(by_name, src)
