"""Collect every figure and table of record of the book from its executed notebooks,
with a manifest.

    .venv/bin/python -m tools.replicate [--no-build] [--pages PAGE ...] [--baseline M]
    (or: make replicate)

1. Checks data/ against data/datapackage.json (files, SHA-256, columns, types): the
   inputs are the committed data, nothing else.
2. Builds the book (`jupyter-book build .`; the build re-executes exactly the pages
   whose inputs changed, book/_ext/page_inputs.py), unless --no-build. MyST-NB writes
   each executed page to _build/jupyter_execute/<page>.ipynb.
3. From those notebooks, in book order: every figure (a code cell with
   `mystnb.figure.name` in its metadata) becomes outputs/figures/<name>.png (and .svg
   when the cell made one); every table of record (a cell with `output_name` metadata)
   becomes outputs/tables/<name>.csv (the table as displayed) and <name>.html.
4. Writes the analysis data: the province-year panel the Part I pages build (every
   index and variant, the coupling degree and class, the normalised indicators) as
   outputs/data/analysis_panel.csv, with its codebook (tools/analysis_data.py).
5. Writes outputs/manifest.json and outputs/manifest.csv: per file its page, chapter
   title, cell name, caption, the data files and helper modules the page's kernel read
   (recorded by the build, _build/page-inputs.json), size and SHA-256.
6. Compares the new manifest with the previous run's (or --baseline PATH/manifest.json,
   whose files are read beside it) and writes outputs/changes.txt: outputs added,
   removed and changed; for a changed table the cells that differ, old and new; for a
   changed figure, that it changed.

Everything is written into a staging folder first; outputs/ is replaced only when the
new outputs are complete, so a failed run leaves the previous outputs as they were.

Exit status 0 only if the build succeeded, every named cell produced its output and
names are unique.
"""

from __future__ import annotations

import argparse
import base64
import csv
import io
import json
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import yaml

from helpers.data.descriptor import sha256_of

ROOT = Path(__file__).resolve().parents[1]
OUTPUT_DIR = ROOT / "outputs"
# A new run is written to STAGING/outputs (so its manifest paths read outputs/...) and
# moved into place only when complete.
STAGING = ROOT / ".outputs-staging"
# Text, not .md: jupyter-book's only_build_toc_files would add a Markdown file under the
# project to exclude_patterns, a changed Sphinx config that re-executes every page.
CHANGES_REPORT = "changes.txt"
# A changed table lists at most this many of its changed cells.
MAX_CELLS_SHOWN = 20
EXECUTED_DIR = Path("_build") / "jupyter_execute"
PAGE_INPUTS = Path("_build") / "page-inputs.json"
MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"
CSV_COLUMNS = [
    "file",
    "sha256",
    "bytes",
    "kind",
    "name",
    "caption",
    "page",
    "chapter_title",
    "notebook",
    "data_files",
    "helpers",
]
FIGURE_TYPES = {"image/png": ".png", "image/svg+xml": ".svg"}


def toc_pages(root: Path) -> list[str]:
    """Docnames (e.g. 'book/constraints/tech_pull') of every page in _toc.yml, root
    first, in toc order.
    """
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    chapters = [c for part in toc.get("parts", []) for c in part["chapters"]] + toc.get(
        "chapters", []
    )
    return [toc["root"]] + [c["file"] for c in chapters]


def page_title(notebook: dict) -> str:
    """The first level-one Markdown heading of a notebook (its chapter title), or ''."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in "".join(cell.get("source", "")).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def figure_name(cell: dict) -> str | None:
    """The cross-reference name of a figure cell (metadata mystnb.figure.name), or
    None.
    """
    figure = (cell.get("metadata", {}).get("mystnb") or {}).get("figure") or {}
    return figure.get("name") if isinstance(figure, dict) else None


def figure_caption(cell: dict) -> str:
    """The first line of a figure cell's caption."""
    figure = (cell.get("metadata", {}).get("mystnb") or {}).get("figure") or {}
    caption = str(figure.get("caption", "")).strip()
    return caption.splitlines()[0] if caption else ""


class TableText(HTMLParser):
    """The rows of the first <table> in HTML, as the reader sees them (header and body
    cells as text).
    """

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.depth = 0
        self.done = False

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        if tag == "table":
            self.depth += 1
        elif tag == "tr" and self.depth == 1:
            self.rows.append([])
        elif tag in ("td", "th") and self.depth == 1 and self.rows:
            self.cell = []

    def handle_endtag(self, tag):
        if self.done:
            return
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.depth -= 1
            self.done = self.depth == 0

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    """The displayed rows of the first table in an HTML output (pandas frames and
    Stylers alike).
    """
    parser = TableText()
    parser.feed(html)
    return [row for row in parser.rows if row]


def output_data(cell: dict, mime: str):
    """The last output of a cell that carries this MIME type, or None."""
    found = None
    for output in cell.get("outputs", []):
        if mime in output.get("data", {}):
            found = output["data"][mime]
    return found


def extract_page(notebook: dict, output_dir: Path) -> tuple[list[dict], list[str]]:
    """Write the page's named figures and tables into output_dir; (one entry per file,
    problems).
    """
    entries, problems = [], []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        name = figure_name(cell)
        if name:
            written = False
            for mime, suffix in FIGURE_TYPES.items():
                data = output_data(cell, mime)
                if data is None:
                    continue
                path = output_dir / "figures" / f"{name}{suffix}"
                path.parent.mkdir(parents=True, exist_ok=True)
                text = "".join(data) if isinstance(data, list) else data
                path.write_bytes(
                    base64.b64decode(text) if suffix == ".png" else text.encode("utf-8")
                )
                entries.append(
                    {
                        "kind": "figure",
                        "name": name,
                        "caption": figure_caption(cell),
                        "path": path,
                    }
                )
                written = True
            if not written:
                problems.append(f"figure {name!r}: the cell has no image output")
        name = cell.get("metadata", {}).get("output_name")
        if name:
            html = output_data(cell, "text/html")
            if html is None:
                problems.append(f"table {name!r}: the cell has no HTML table output")
                continue
            html = "".join(html) if isinstance(html, list) else html
            folder = output_dir / "tables"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{name}.html").write_text(html, encoding="utf-8")
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(table_rows(html))
            (folder / f"{name}.csv").write_text(buffer.getvalue(), encoding="utf-8")
            entries += [
                {
                    "kind": "table",
                    "name": name,
                    "caption": "",
                    "path": folder / f"{name}{suffix}",
                }
                for suffix in (".csv", ".html")
            ]
    return entries, problems


def manifest_rows(
    root: Path, pages: list[str], output_dir: Path
) -> tuple[list[dict], list[str]]:
    """Extract every page's outputs; one manifest row per file, and the problems
    found.
    """
    inputs_file = root / PAGE_INPUTS
    inputs = (
        json.loads(inputs_file.read_text(encoding="utf-8"))
        if inputs_file.is_file()
        else {}
    )
    rows, problems, owner = [], [], {}
    for docname in pages:
        executed = root / EXECUTED_DIR / f"{docname}.ipynb"
        if not executed.is_file():
            # A page without code cells: MyST-NB writes notebooks only for notebook
            # pages.
            continue
        notebook = json.loads(executed.read_text(encoding="utf-8"))
        entries, page_problems = extract_page(notebook, output_dir)
        problems += [f"{docname}: {problem}" for problem in page_problems]
        read = sorted(inputs.get(docname, {}))
        for entry in entries:
            key = (entry["kind"], entry["name"])
            if owner.setdefault(key, docname) != docname:
                problems.append(
                    f"{docname}: {entry['kind']} name {entry['name']!r} is also used "
                    f"by {owner[key]}"
                )
            path = entry["path"]
            rows.append(
                {
                    "file": path.relative_to(output_dir.parent).as_posix(),
                    "sha256": sha256_of(path),
                    "bytes": path.stat().st_size,
                    "kind": entry["kind"],
                    "name": entry["name"],
                    "caption": entry["caption"],
                    "page": docname.removeprefix("book/"),
                    "chapter_title": page_title(notebook),
                    "notebook": f"{docname}.md",
                    "data_files": [name for name in read if name.startswith("data/")],
                    "helpers": [name for name in read if name.startswith("helpers/")],
                }
            )
    return rows, problems


def write_manifest(rows: list[dict], output_dir: Path) -> None:
    """Write the manifest as JSON (lists kept) and CSV (lists joined with '; ')."""
    (output_dir / MANIFEST_JSON).write_text(
        json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    with open(output_dir / MANIFEST_CSV, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    **row,
                    "data_files": "; ".join(row["data_files"]),
                    "helpers": "; ".join(row["helpers"]),
                }
            )


def compare_runs(previous: dict[str, str], rows: list[dict]) -> dict[str, list[str]]:
    """Files whose checksum is unchanged, changed, new or gone, against the previous
    run's manifest.
    """
    current = {row["file"]: row["sha256"] for row in rows}
    return {
        "identical": sorted(f for f in current if previous.get(f) == current[f]),
        "changed": sorted(
            f for f in current if f in previous and previous[f] != current[f]
        ),
        "new": sorted(f for f in current if f not in previous),
        "gone": sorted(f for f in previous if f not in current),
    }


def analysis_rows(root: Path, pages: list[str], output_dir: Path) -> list[dict]:
    """Write the analysis panel and its codebook; their manifest rows."""
    from tools import analysis_data

    # The codebook names the page that builds each column among all the book's pages,
    # whichever pages this run collects.
    paths = analysis_data.write_analysis_data(
        root, toc_pages(root), output_dir / "data"
    )
    captions = {
        analysis_data.PANEL_FILE: "Province-year analysis panel (indices, coupling, "
        "normalised indicators)",
        analysis_data.CODEBOOK_FILE: "Codebook of the analysis panel",
    }
    return [
        {
            "file": path.relative_to(output_dir.parent).as_posix(),
            "sha256": sha256_of(path),
            "bytes": path.stat().st_size,
            "kind": "data",
            "name": path.stem,
            "caption": captions[path.name],
            "page": "",
            "chapter_title": "",
            "notebook": "tools/analysis_data.py",
            "data_files": analysis_data.data_files(),
            "helpers": analysis_data.helper_files(root),
        }
        for path in paths
    ]


def read_csv_rows(path: Path) -> list[list[str]]:
    """Rows of a CSV file as text cells."""
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def cell_changes(old: list[list[str]], new: list[list[str]]) -> list[tuple]:
    """(row, column, old, new) for every cell that differs between two tables (first
    row the header; rows matched by position, labelled 'number (first cell)'; a row
    or column only in one table shows '' on the other side).
    """
    header = new[0] if new else []
    old_header = old[0] if old else []
    changes = []
    for position in range(max(len(old_header), len(header))):
        before = old_header[position] if position < len(old_header) else ""
        after = header[position] if position < len(header) else ""
        if before != after:
            changes.append(("header", f"column {position + 1}", before, after))
    for number in range(1, max(len(old), len(new))):
        row_old = old[number] if number < len(old) else []
        row_new = new[number] if number < len(new) else []
        label = f"{number} ({(row_new or row_old or [''])[0]})"
        for position in range(max(len(row_old), len(row_new))):
            before = row_old[position] if position < len(row_old) else ""
            after = row_new[position] if position < len(row_new) else ""
            if before != after:
                names = header if position < len(header) else old_header
                column = names[position] if position < len(names) else f"{position + 1}"
                changes.append(
                    (label, column or f"column {position + 1}", before, after)
                )
    return changes


def changes_report(
    old_rows: list[dict],
    new_rows: list[dict],
    old_root: Path,
    new_root: Path,
    baseline: str,
) -> str:
    """The markdown report of what changed between two manifests; table files are read
    under old_root and new_root (the folders their manifest paths are relative to).
    """
    comparison = compare_runs({r["file"]: r["sha256"] for r in old_rows}, new_rows)
    lines = [
        "# What changed",
        "",
        f"Against {baseline}: {len(comparison['identical'])} outputs identical, "
        f"{len(comparison['changed'])} changed, {len(comparison['new'])} added, "
        f"{len(comparison['gone'])} removed.",
        "",
    ]
    for title, key in (("Added", "new"), ("Removed", "gone")):
        if comparison[key]:
            lines += [f"## {title}", ""] + [f"- `{f}`" for f in comparison[key]] + [""]
    if comparison["changed"]:
        lines += ["## Changed", ""]
    for name in comparison["changed"]:
        if name.endswith(".html") and name[:-5] + ".csv" in comparison["changed"]:
            lines += [f"- `{name}`: the table's HTML (its cells as in the .csv)", ""]
            continue
        if not name.endswith(".csv"):
            kind = "figure" if "/figures/" in f"/{name}" else "file"
            lines += [f"- `{name}`: the {kind} changed", ""]
            continue
        if not (old_root / name).is_file():
            lines += [f"- `{name}`: changed (the baseline's copy is not there)", ""]
            continue
        cells = cell_changes(
            read_csv_rows(old_root / name), read_csv_rows(new_root / name)
        )
        lines += [f"- `{name}`: {len(cells)} cell(s) differ", ""]
        if cells:
            lines += ["  | row | column | old | new |", "  |---|---|---|---|"]
            lines += [
                "  | " + " | ".join(_cell(v) for v in cell) + " |"
                for cell in cells[:MAX_CELLS_SHOWN]
            ]
            if len(cells) > MAX_CELLS_SHOWN:
                lines.append(f"\n  ... and {len(cells) - MAX_CELLS_SHOWN} more")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _cell(value: str) -> str:
    """A table cell for a markdown table (pipes escaped, empty shown as a dash)."""
    return value.replace("|", "\\|") if value else "–"


def read_manifest(path: Path) -> list[dict]:
    """The rows of a manifest.json."""
    return json.loads(path.read_text(encoding="utf-8"))


def put_in_place(staged: Path, target: Path) -> None:
    """Replace target with staged (the old target is removed only after the move)."""
    old = staged.parent / "previous"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staged.rename(target)
    shutil.rmtree(staged.parent, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--no-build",
        action="store_true",
        help="use the executed notebooks of the last build",
    )
    parser.add_argument(
        "--pages",
        nargs="+",
        metavar="PAGE",
        help="only these toc pages, e.g. constraints/tech_pull (default: every page)",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="manifest.json to compare with (default: the previous run's, "
        "outputs/manifest.json); its files are read beside it",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if (
        subprocess.run(
            [sys.executable, "-m", "helpers", "validate"], cwd=ROOT
        ).returncode
        != 0
    ):
        print(
            "replicate: data/ does not match data/datapackage.json; nothing was "
            "collected",
            file=sys.stderr,
        )
        return 1
    if not args.no_build:
        jupyter_book = Path(sys.executable).with_name("jupyter-book")
        if (
            subprocess.run(
                [str(jupyter_book), "build", ".", "--builder", "html"], cwd=ROOT
            ).returncode
            != 0
        ):
            print(
                "replicate: the book build failed; nothing was collected",
                file=sys.stderr,
            )
            return 1
    pages = toc_pages(ROOT)
    if args.pages:
        wanted = [
            f"book/{name.removeprefix('book/').removesuffix('.md')}"
            for name in args.pages
        ]
        unknown = sorted(set(wanted) - set(pages))
        if unknown:
            print(f"replicate: not pages of _toc.yml: {unknown}", file=sys.stderr)
            return 2
        pages = [page for page in pages if page in wanted]
    baseline = args.baseline or OUTPUT_DIR / MANIFEST_JSON
    if args.baseline and not baseline.is_file():
        print(f"replicate: {baseline}: no such manifest", file=sys.stderr)
        return 2
    shutil.rmtree(STAGING, ignore_errors=True)
    staged = STAGING / OUTPUT_DIR.name
    staged.mkdir(parents=True)
    rows, problems = manifest_rows(ROOT, pages, staged)
    rows += analysis_rows(ROOT, pages, staged)
    write_manifest(rows, staged)
    counts = {
        kind: len({row["name"] for row in rows if row["kind"] == kind})
        for kind in ("figure", "table", "data")
    }
    n_pages = len({row["page"] for row in rows if row["page"]})
    print(
        f"replicate: {counts['figure']} figures, {counts['table']} tables and "
        f"{counts['data']} data files from {n_pages} pages; "
        f"manifest in outputs/{MANIFEST_JSON} and outputs/{MANIFEST_CSV}"
    )
    if baseline.is_file():
        shown = (
            baseline.resolve().relative_to(ROOT)
            if baseline.resolve().is_relative_to(ROOT)
            else baseline
        )
        report = changes_report(
            read_manifest(baseline),
            rows,
            baseline.resolve().parent.parent,
            STAGING,
            f"`{shown}`",
        )
        comparison = compare_runs(
            {row["file"]: row["sha256"] for row in read_manifest(baseline)}, rows
        )
        print(
            "replicate: against the previous run: "
            + ", ".join(f"{len(v)} {k}" for k, v in comparison.items())
        )
        for name in comparison["changed"]:
            print(f"  changed: {name}")
    else:
        report = "# What changed\n\nNo previous run to compare with.\n"
    (staged / CHANGES_REPORT).write_text(report, encoding="utf-8")
    if problems:
        print(
            f"replicate: outputs/ kept as it was; the incomplete new outputs are in "
            f"{staged.relative_to(ROOT)}",
            file=sys.stderr,
        )
    else:
        put_in_place(staged, OUTPUT_DIR)
        print(f"replicate: what changed: outputs/{CHANGES_REPORT}")
    for problem in problems:
        print(f"replicate: PROBLEM {problem}", file=sys.stderr)
    print(
        f"replicate: done in {time.perf_counter() - started:.1f} s, {len(problems)} "
        "problem(s)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
