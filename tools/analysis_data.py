"""The book's province-year analysis panel and its codebook, as replication outputs.

`make replicate` writes outputs/data/analysis_panel.csv and
outputs/data/analysis_panel_codebook.csv with `write_analysis_data`. The panel is what
the Part I pages build with helpers.nqpf_models.build_analysis_data (every NQPF index
variant, the URI index, the Theil index, controls and channels), plus the coupling
coordination degree and class of NQPF and URI (helpers.indices) and the normalised
indicators each index was computed from. The codebook's meanings, units and formulas
are read from the same building blocks (indicator specifications, the index results,
the functions' one-line docstrings), never typed again here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from helpers import indices, nqpf, nqpf_models, uri
from helpers.data import panel_catalogue
from helpers.measures import Indicator

ENTITY, TIME = nqpf_models.ENTITY, nqpf_models.TIME
PANEL_FILE = "analysis_panel.csv"
CODEBOOK_FILE = "analysis_panel_codebook.csv"
CODEBOOK_COLUMNS = ["column", "meaning", "unit", "formula_or_source", "page"]
COUPLING_PREFIX = "coupling_"
NORMALISED_PREFIX = {"nqpf": "nqpf_z_", "uri": "uri_z_"}


def first_line(function) -> str:
    """The first sentence of a function's docstring (its formula, by the project's
    rule)."""
    return " ".join((function.__doc__ or "").split("\n\n")[0].split())


def coupling_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """C, T, D and the ten-class grade of NQPF and URI for the rows that have both."""
    both = frame.dropna(subset=["nqpf", "uri"])
    degree = indices.coupling_coordination(both["nqpf"], both["uri"])
    grade = indices.coordination_class(degree["D"])
    return pd.concat([degree, grade], axis=1).add_prefix(COUPLING_PREFIX)


def normalised_columns(result: indices.IndexResult, keys: pd.DataFrame, prefix: str):
    """An index's normalised indicators (z in [0, 1]) keyed by province and year."""
    return pd.concat(
        [keys.loc[result.normalised.index, [ENTITY, TIME]], result.normalised], axis=1
    ).rename(columns={c: prefix + c for c in result.normalised.columns})


def build_panel(raw: pd.DataFrame) -> tuple[pd.DataFrame, nqpf_models.AnalysisData]:
    """The panel: build_analysis_data's frame with coupling and normalised columns."""
    data = nqpf_models.build_analysis_data(raw)
    frame = data.frame.join(coupling_columns(data.frame))
    nqpf_keys, _ = nqpf.nqpf_indicator_frame(raw)
    for name, result, keys in (
        ("nqpf", data.nqpf, nqpf_keys),
        ("uri", data.uri, uri.uri_indicator_frame(raw)),
    ):
        z = normalised_columns(result, keys, NORMALISED_PREFIX[name])
        frame = frame.merge(z, on=[ENTITY, TIME], how="left")
    return frame.sort_values([ENTITY, TIME]).reset_index(drop=True), data


def indicator_formula(spec: Indicator, resources: dict[str, str]) -> str:
    """'scale x numerator / denominator' with the data resource of each column."""

    def named(column):
        return f"{column} ({resources.get(column, 'derived')})"

    formula = named(spec.numerator)
    if spec.denominator:
        formula += f" / {named(spec.denominator)}"
    if spec.scale != 1:
        formula = f"{spec.scale:g} x {formula}"
    return formula


def first_page_calling(function_name: str, pages: dict[str, str]) -> str:
    """The first page (toc order) whose text calls the function."""
    call = re.compile(rf"\b{re.escape(function_name)}\(")
    return next((page for page, text in pages.items() if call.search(text)), "")


def codebook(
    panel: pd.DataFrame,
    data: nqpf_models.AnalysisData,
    catalogue: pd.DataFrame,
    pages: dict[str, str],
    descriptor_fields: dict[str, dict],
) -> pd.DataFrame:
    """One row per panel column: meaning, unit, formula or source resource, page.

    pages maps page file -> its text, in toc order; descriptor_fields maps a column of
    the provinces reference table to its descriptor field.
    """
    resources = dict(zip(catalogue["column"], catalogue["resource"]))
    specs = {s.name: s for s in (*nqpf.NQPF_EXTENDED, *uri.URI_INDICATORS)}
    built_on = first_page_calling("build_analysis_data", pages)
    coupled_on = first_page_calling("coupling_coordination", pages)
    # controls_and_channels reads EXTRA_COLUMNS and rural income (for its growth).
    raw_columns = [*nqpf_models.EXTRA_COLUMNS, "rural_disposable_income_yuan"]
    computed = "helpers.nqpf_models.controls_and_channels, from " + ", ".join(
        dict.fromkeys(resources[c] for c in raw_columns)
    )
    rows = {}
    for column, field in descriptor_fields.items():
        rows[column] = (field.get("title", ""), "", "provinces (data/provinces.csv)")
    rows[TIME] = ("Calendar year", "year", "the data resources' year column")
    for name, spec in specs.items():
        rows[name] = (
            f"{spec.label_en} ({spec.label_zh})",
            spec.unit,
            indicator_formula(spec, resources),
        )
    for name, result in {**data.variants, "uri": data.uri}.items():
        used = ", ".join(result.weights.index)
        rows[name] = (
            f"{'URI' if name == 'uri' else 'NQPF'} index ({name}): {result.method} "
            f"weights over {len(result.weights)} indicators ({used})",
            "score in [0, 1]",
            first_line(
                indices.topsis_closeness
                if result.method == "topsis"
                else indices.composite_score
            ),
        )
    rows["theil"] = (
        "Theil index of the urban-rural income gap",
        "index (0 = no gap)",
        first_line(indices.theil_urban_rural),
    )
    for name, label in nqpf_models.CONTROL_LABELS.items():
        rows[name] = (label, "", computed)
    for name, (label_en, label_zh, unit) in nqpf_models.CHANNELS.items():
        rows.setdefault(
            name,
            (f"{label_en} ({label_zh})", unit, computed),
        )
    degree = first_line(indices.coupling_coordination)
    grade = first_line(indices.coordination_class)
    for part, meaning in (
        ("C", "Coupling degree C of NQPF and URI (耦合度)"),
        ("T", "Comprehensive development T of NQPF and URI"),
        ("D", "Coupling coordination degree D of NQPF and URI (耦合协调度)"),
    ):
        rows[COUPLING_PREFIX + part] = (meaning, "[0, 1]", degree)
    for part, meaning in (
        ("grade", "Class of D, 0-9"),
        ("class_zh", "Class of D (Chinese)"),
        ("class_en", "Class of D (English)"),
    ):
        rows[COUPLING_PREFIX + part] = (meaning, "", grade)
    for index_name, prefix in NORMALISED_PREFIX.items():
        for column in [c for c in panel.columns if c.startswith(prefix)]:
            spec = specs[column.removeprefix(prefix)]
            rows[column] = (
                f"{spec.label_en}, normalised for the {index_name.upper()} index "
                f"(sign {spec.sign:+d})",
                "[0, 1]",
                first_line(indices.minmax_normalise),
            )
    missing = [c for c in panel.columns if c not in rows]
    if missing:
        raise KeyError(f"codebook: no meaning for panel column(s) {missing}")
    return pd.DataFrame(
        [
            {
                "column": column,
                "meaning": rows[column][0],
                "unit": rows[column][1],
                "formula_or_source": rows[column][2],
                "page": coupled_on if column.startswith(COUPLING_PREFIX) else built_on,
            }
            for column in panel.columns
        ],
        columns=CODEBOOK_COLUMNS,
    )


def data_files() -> list[str]:
    """The data files the panel is built from: the indicators' resources, the
    provinces table and the descriptor."""
    from helpers.data import resources_for
    from helpers.data.descriptor import find_resource, read_descriptor

    descriptor = read_descriptor()
    names = resources_for(nqpf_models.input_columns(), panel_catalogue())
    paths = {find_resource(descriptor, name)["path"] for name in [*names, "provinces"]}
    return sorted(f"data/{path}" for path in [*paths, "datapackage.json"])


def helper_files(root: Path) -> list[str]:
    """The helper modules the panel is built with."""
    from helpers import measures

    modules = (indices, measures, nqpf, nqpf_models, uri)
    return sorted(
        Path(m.__file__).resolve().relative_to(root).as_posix() for m in modules
    )


def write_analysis_data(root: Path, pages: list[str], folder: Path) -> list[Path]:
    """Write the panel and its codebook into folder; the two paths."""
    from helpers.data.descriptor import read_descriptor

    raw = nqpf_models.load_inputs()
    panel, data = build_panel(raw)
    texts = {
        f"{page}.md": (root / f"{page}.md").read_text(encoding="utf-8")
        for page in pages
        if (root / f"{page}.md").is_file()
    }
    descriptor = read_descriptor()
    (provinces,) = [r for r in descriptor["resources"] if r["name"] == "provinces"]
    fields = {
        f["name"]: f
        for f in provinces["schema"]["fields"]
        if f["name"] in panel.columns
    }
    book = codebook(panel, data, panel_catalogue(), texts, fields)
    folder.mkdir(parents=True, exist_ok=True)
    panel.to_csv(
        folder / PANEL_FILE, index=False, encoding="utf-8", lineterminator="\n"
    )
    book.to_csv(
        folder / CODEBOOK_FILE, index=False, encoding="utf-8", lineterminator="\n"
    )
    return [folder / PANEL_FILE, folder / CODEBOOK_FILE]
