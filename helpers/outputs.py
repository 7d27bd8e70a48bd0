"""The replication registry: every figure and table a page publishes, with what made it and from which data.

A page saves a book output through this module instead of writing files itself:

    from helpers.outputs import save_figure, save_table

    save_figure(fig, "c1_digital_literacy", page="constraints/tech_pull", element="Paper Figure 1",
                made_by=plot_digital_literacy, resources=["digital_literacy_2021"])
    save_table(gaps, "c1_literacy_gaps", page="constraints/tech_pull", element="Claim C1-1",
               made_by=literacy_gaps, resources=["digital_literacy_2021"])

Each call writes the files into outputs/ and one small JSON record beside them in outputs/records/.
One record per output (not one shared file) because pages execute in parallel and must never
write the same file. `make replicate` (tools/replicate.py) re-executes every page and joins the
records into outputs/manifest.json with a SHA-256 for every file.

The site build (`make book`, `make test`) sets NQPF_WRITE_OUTPUTS=0: the calls then check their
arguments and close the figure but write nothing, because drawing the PNG and the SVG again costs
more than the rest of a page and the site shows the figure it already drew; `make replicate` writes.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from helpers.paths import OUTPUT_DIR

RECORD_DIRNAME = "records"
WRITE_SWITCH = "NQPF_WRITE_OUTPUTS"
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
# Enough significant digits to keep every computed value, few enough that the last-bit noise of
# floating-point summation order never reaches the file: reruns give identical bytes.
TABLE_FLOAT_FORMAT = "%.10g"


def writing_enabled() -> bool:
    """True unless the environment sets NQPF_WRITE_OUTPUTS=0 (the site build does; replication does not)."""
    return os.environ.get(WRITE_SWITCH, "1") != "0"


def check_name(name: str) -> str:
    """The output name unchanged if it is a safe file stem (lower case, digits, _ and -)."""
    if not NAME_PATTERN.match(name):
        raise ValueError(f"output name {name!r}: use lower-case letters, digits, '_' or '-' only")
    return name


def function_name(made_by: Callable | Iterable[Callable]) -> list[str]:
    """Dotted names (module.qualname) of the helper function(s) that computed or drew an output."""
    functions = [made_by] if callable(made_by) else list(made_by)
    if not functions or not all(callable(f) for f in functions):
        raise TypeError("made_by: pass the helper function (or a list of them) that made the output")
    return [f"{f.__module__}.{f.__qualname__}" for f in functions]


def page_notebook(page: str) -> str:
    """The notebook source of a toc page: 'constraints/tech_pull' -> 'book/constraints/tech_pull.md'."""
    page = page.removeprefix("book/").removesuffix(".md")
    if not re.match(r"^[a-z_]+(/[a-z0-9_]+)*$", page):
        raise ValueError(f"page {page!r}: give the toc path under book/, e.g. 'constraints/tech_pull'")
    return f"book/{page}.md"


def make_record(name: str, kind: str, files: list[Path], *, page: str, made_by, resources: list[str],
                element: str, output_dir: Path) -> dict:
    """The manifest entry of one output (checksums are added by tools/replicate.py)."""
    if isinstance(resources, str) or not all(isinstance(r, str) and r for r in resources):
        raise TypeError("resources: pass a list of data resource names from data/datapackage.json")
    return {
        "name": check_name(name),
        "kind": kind,
        "files": [path.relative_to(output_dir).as_posix() for path in files],
        "element": element or "",
        "page": page.removeprefix("book/").removesuffix(".md"),
        "notebook": page_notebook(page),
        "made_by": function_name(made_by),
        "resources": sorted(resources),
    }


def write_record(record: dict, output_dir: Path) -> Path:
    """Write one record to outputs/records/<kind>-<name>.json; refuse a name another page already used."""
    folder = output_dir / RECORD_DIRNAME
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record['kind']}-{record['name']}.json"
    if path.exists():
        previous = json.loads(path.read_text(encoding="utf-8"))
        if previous.get("page") != record["page"]:
            raise ValueError(f"output name {record['name']!r} is already used by page {previous.get('page')!r}; "
                             f"page {record['page']!r} must choose another name (or run `make clean` if that page no "
                             "longer makes it)")
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def write_table_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write a table as UTF-8 CSV with fixed float format and line endings, so reruns are byte-identical."""
    keep_index = any(level is not None for level in frame.index.names)
    frame.to_csv(path, index=keep_index, float_format=TABLE_FLOAT_FORMAT, lineterminator="\n", encoding="utf-8")
    return path


def save_table(frame: pd.DataFrame, name: str, *, page: str, made_by, resources: list[str], element: str = "",
               output_dir: Path | None = None) -> Path:
    """Save a table as outputs/tables/<name>.csv and record which page, helper and data made it."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"save_table({name!r}): expected a pandas DataFrame, found {type(frame).__name__}")
    output_dir = Path(output_dir) if output_dir is not None else OUTPUT_DIR
    path = output_dir / "tables" / f"{check_name(name)}.csv"
    record = make_record(name, "table", [path], page=page, made_by=made_by, resources=resources,
                         element=element, output_dir=output_dir)
    if not writing_enabled():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    write_table_csv(frame, path)
    write_record(record, output_dir)
    return path


def save_figure(fig, name: str, *, page: str, made_by, resources: list[str], element: str = "",
                output_dir: Path | None = None) -> dict[str, Path]:
    """Save a figure as outputs/figures/<name>.png and .svg (helpers.style) and record what made it."""
    from helpers.style import save_figure as save_figure_files  # matplotlib loads only when a page draws

    output_dir = Path(output_dir) if output_dir is not None else OUTPUT_DIR
    check_name(name)
    # Validate the provenance before writing files, so a bad call leaves nothing half-registered.
    make_record(name, "figure", [], page=page, made_by=made_by, resources=resources, element=element,
                output_dir=output_dir)
    if not writing_enabled():
        import matplotlib.pyplot as plt

        plt.close(fig)  # as helpers.style.save_figure does, so the page shows the figure only where it glues it
        return {"png": output_dir / "figures" / f"{name}.png", "svg": output_dir / "figures" / f"{name}.svg"}
    paths = save_figure_files(fig, name, output_dir / "figures")
    record = make_record(name, "figure", [paths["png"], paths["svg"]], page=page, made_by=made_by,
                         resources=resources, element=element, output_dir=output_dir)
    write_record(record, output_dir)
    return paths


def read_records(output_dir: Path | None = None) -> list[dict]:
    """Every output record in outputs/records, sorted by kind then name."""
    folder = (Path(output_dir) if output_dir is not None else OUTPUT_DIR) / RECORD_DIRNAME
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    return sorted(records, key=lambda r: (r["kind"], r["name"]))
