"""Series breaks, value conflicts and value flags as tables (data/series_breaks.csv,
value_conflicts.csv, value_flags.csv); the curated rows are read from sources/curated/.
"""

from __future__ import annotations

import pandas as pd
from importers import curated
from importers.common import PROVINCE_FK, Resource, field, source

# --------------------------------------------------------------------------------------
# Series breaks, value conflicts, value flags (data, not comments)
# --------------------------------------------------------------------------------------

BREAK_COLUMNS = [
    "break_id",
    "scope",
    "resource",
    "indicators",
    "last_year_before",
    "first_year_after",
    "first_year_backcast",
    "basis_before",
    "basis_after",
    "kind",
    "description",
    "handling",
    "documented_in",
]
FLAG_COLUMNS = ["resource", "column", "province_code", "year", "flag", "reason"]


def breaks_frame() -> pd.DataFrame:
    """The series breaks (sources/curated/series_breaks.csv), checked for the columns
    data/ needs.
    """
    frame = curated.series_breaks()
    if list(frame.columns) != BREAK_COLUMNS:
        raise ValueError(
            f"sources/curated/series_breaks.csv: expected columns {BREAK_COLUMNS}, "
            f"found {list(frame.columns)}"
        )
    return frame


def breaks_resource() -> Resource:
    """Series breaks as a table."""
    frame = breaks_frame()
    fields = [
        field("break_id", "string", "Break id", "", "", required=True),
        field(
            "scope",
            "string",
            "Scope",
            "",
            "",
            enum=["national", "provincial"],
            required=True,
        ),
        field("resource", "string", "Resource(s) affected", "", "", required=True),
        field(
            "indicators",
            "string",
            "Indicators or columns affected",
            "",
            "Semicolon-separated.",
            required=True,
        ),
        field(
            "last_year_before",
            "integer",
            "Last year on the old basis",
            "calendar year",
            "Last year for which values on the old basis were published (may overlap "
            "the new basis).",
            1990,
            2030,
        ),
        field(
            "first_year_after",
            "integer",
            "First year on the new basis",
            "calendar year",
            "Year the change took effect (the break year used by charts).",
            1990,
            2030,
        ),
        field(
            "first_year_backcast",
            "integer",
            "First year on the new basis by back-calculation",
            "calendar year",
            "Set where the producer back-calculated years before first_year_after on "
            "the new basis (e.g. NBS 2012 for the 2013 survey reform); those values "
            "are stored on the new basis. Empty = no back-calculation.",
            1990,
            2030,
        ),
        field("basis_before", "string", "Basis before", "", ""),
        field("basis_after", "string", "Basis after", "", ""),
        field(
            "kind",
            "string",
            "Kind of break",
            "",
            "",
            enum=[
                "definition",
                "census_revision",
                "rebase",
                "method",
                "vintage",
                "coverage",
            ],
            required=True,
        ),
        field("description", "string", "What changed", "", "", required=True),
        field(
            "handling",
            "string",
            "How the data and loaders handle it",
            "",
            "",
            required=True,
        ),
        field(
            "documented_in",
            "string",
            "Where the gathering notes document it",
            "",
            "Path under the gathered sources (not part of the repository).",
        ),
    ]
    return Resource(
        name="series_breaks",
        path="series_breaks.csv",
        title="Known series breaks",
        description=(
            "Every known break in a series (definition, census revision, re-basing, "
            "method, vintage, coverage), with how data/ and the loaders keep the two "
            "sides apart."
        ),
        kind="metadata",
        sources=[
            source(
                "Gathering notes (PROVENANCE.md, NOTES) of the project", "this project"
            )
        ],
        licenses=[
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "CC BY 4.0 (our documentation)",
                "redistribution": "Allowed with attribution.",
            }
        ],
        frame=frame,
        fields=fields,
        primary_key=["break_id"],
        coverage=f"{len(frame)} breaks",
    )


CONFLICT_COLUMNS = [
    "conflict_id",
    "scope",
    "resource",
    "indicator",
    "province_code",
    "year",
    "value_used",
    "value_used_source",
    "value_other",
    "value_other_as_published",
    "value_other_source",
    "kind",
    "decision",
    "reason",
]


def relative_gap(high: float, low: float) -> float:
    """Gap of `low` below `high` as a share of `high`: 1 - low / high."""
    return 1 - low / high


def relative_gap_range(
    high: float, low: float, half_step: float
) -> tuple[float, float]:
    """Smallest and largest 1 - low/high when both published values are rounded to
    +-half_step.
    """
    return (
        relative_gap(high - half_step, low + half_step),
        relative_gap(high + half_step, low - half_step),
    )


def farmers_label_reason(
    urban=56.3, rural=35.1, overall=43.6, farmers=18.6, headline=37.5
) -> str:
    """Why 18.6 is read as the farmers' score, with the gaps computed from the published
    scores.
    """
    low, high = relative_gap_range(urban, rural, 0.05)
    edge_urban, edge_rural = urban - 0.05, rural + 0.05
    return (
        "Rural residents 35.1 vs urban 56.3 give a gap of "
        f"{100 * relative_gap(urban, rural):.1f}%, not the report's {headline}%: with "
        f"both scores rounded to 0.1 the gap lies between {100 * low:.2f}% and "
        f"{100 * high:.2f}%, so {headline}% is reached only at the edge of the "
        f"rounding interval (urban {edge_urban:.2f}, rural {edge_rural:.2f} give "
        f"{100 * relative_gap(edge_urban, edge_rural):.2f}%); the scores are close to "
        f"the headline, they do not reproduce it. Rural residents at {farmers} would "
        f"imply a {100 * relative_gap(urban, farmers):.0f}% gap, far from it; "
        f"{farmers} is {100 * relative_gap(overall, farmers):.0f}% below {overall}, as "
        "the source says ('低57%'); 参考消息网 states the farmer label."
    )


def curated_conflicts() -> list[tuple]:
    """Conflicts decided by reading the sources (sources/curated/value_conflicts.csv);
    the Figure 1 label reason is re-computed from the published scores and must still
    match the recorded text.
    """
    rows = curated.conflicts()
    for row in rows:
        if row[0] == "fig1_farmers_label" and row[-1] != farmers_label_reason():
            raise ValueError(
                "sources/curated/value_conflicts.csv: fig1_farmers_label reason no "
                f"longer matches the scores; recomputed:\n{farmers_label_reason()}"
            )
    return rows


def conflicts_resource(rows: list[tuple]) -> Resource:
    """Value conflicts as a table: both values, their sources, the one used and why."""
    frame = pd.DataFrame(rows, columns=CONFLICT_COLUMNS)
    frame["province_code"] = frame["province_code"].astype("Int64")
    fields = [
        field("conflict_id", "string", "Conflict id", "", "", required=True),
        field(
            "scope",
            "string",
            "Scope",
            "",
            "",
            enum=["national", "provincial"],
            required=True,
        ),
        field("resource", "string", "Resource", "", "", required=True),
        field("indicator", "string", "Indicator or column", "", "", required=True),
        field(
            "province_code",
            "integer",
            "Province code (GB/T 2260)",
            "",
            "Empty for national values.",
        ),
        field(
            "year", "integer", "Year", "calendar year", "", 1990, 2030, required=True
        ),
        field(
            "value_used",
            "number",
            "Value kept in data/",
            "unit of the indicator",
            "Empty if none is used.",
        ),
        field("value_used_source", "string", "Source of the value kept", "", ""),
        field(
            "value_other",
            "number",
            "Other value",
            "unit of the indicator",
            "Empty if not a plain number.",
        ),
        field(
            "value_other_as_published",
            "string",
            "Other value as published",
            "",
            "",
            required=True,
        ),
        field(
            "value_other_source",
            "string",
            "Source of the other value",
            "",
            "",
            required=True,
        ),
        field(
            "kind",
            "string",
            "Kind of conflict",
            "",
            "",
            enum=[
                "label",
                "rounding",
                "different_producer",
                "suspect",
                "weak_source",
                "vintage",
                "typo",
                "mislabel",
                "sources_disagree",
            ],
            required=True,
        ),
        field("decision", "string", "What we did", "", "", required=True),
        field("reason", "string", "Why", "", "", required=True),
    ]
    return Resource(
        name="value_conflicts",
        path="value_conflicts.csv",
        title="Conflicting values and the one used",
        description=(
            "Every case where two sources (or two vintages) give different values for "
            "the same quantity: both values stay on record with their sources, the one "
            "kept in data/, and why. Rounding-only differences between overlapping "
            "sources are listed too."
        ),
        kind="metadata",
        sources=[
            source(
                "Gathering notes (PROVENANCE.md, NOTES) and import cross-checks",
                "this project",
            )
        ],
        licenses=[
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "CC BY 4.0 (our documentation)",
                "redistribution": "Allowed with attribution.",
            }
        ],
        frame=frame,
        fields=fields,
        primary_key=["conflict_id"],
        foreign_keys=PROVINCE_FK,
        coverage=f"{len(frame)} conflicts",
    )


def flags_resource(rows: list[tuple]) -> Resource:
    """Values kept as published but flagged."""
    frame = pd.DataFrame(rows, columns=FLAG_COLUMNS)
    frame["province_code"] = frame["province_code"].astype("Int64")
    frame["year"] = frame["year"].astype("Int64")
    fields = [
        field("resource", "string", "Resource", "", "", required=True),
        field("column", "string", "Column or indicator", "", "", required=True),
        field(
            "province_code",
            "integer",
            "Province code",
            "",
            "Empty = every province (or national).",
        ),
        field(
            "year",
            "integer",
            "Year",
            "calendar year",
            "Empty = every year.",
            1990,
            2030,
        ),
        field(
            "flag",
            "string",
            "Flag",
            "",
            "",
            enum=["suspect", "weak_source", "caveat"],
            required=True,
        ),
        field("reason", "string", "Reason", "", "", required=True),
    ]
    return Resource(
        name="value_flags",
        path="value_flags.csv",
        title="Flagged values (kept as published)",
        description=(
            "Values that are kept as published but should be used with care: suspect "
            "(contradicted by an identity or a later report), weak_source, or caveat. "
            "provincial_panel(..., drop_suspect=True) blanks the suspect ones on "
            "request; nothing is blanked by default."
        ),
        kind="metadata",
        sources=[
            source(
                "Gathering notes (PROVENANCE.md, NOTES) and import cross-checks",
                "this project",
            )
        ],
        licenses=[
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "CC BY 4.0 (our documentation)",
                "redistribution": "Allowed with attribution.",
            }
        ],
        frame=frame,
        fields=fields,
        primary_key=["resource", "column", "province_code", "year", "flag"],
        foreign_keys=PROVINCE_FK,
        coverage=f"{len(frame)} flags",
    )
