"""Collect every figure and table of record of the book from its executed notebooks,
with a manifest.

    .venv/bin/python -m tools.replicate [--no-build] [--pages PAGE ...]
    (or: make replicate)

1. Checks data/ against data/datapackage.json (files, SHA-256, columns, types): the
   inputs are the committed data, nothing else.
2. Builds the book (`jupyter-book build .`; the build re-executes exactly the pages whose
   inputs changed, book/_ext/page_inputs.py), unless --no-build. MyST-NB writes each
   executed page to _build/jupyter_execute/<page>.ipynb.
3. From those notebooks, in book order: every figure (a code cell with
   `mystnb.figure.name` in its metadata) becomes outputs/figures/<name>.png (and .svg
   when the cell made one); every table of record (a cell with `output_name` metadata)
   becomes outputs/tables/<name>.csv (the table as displayed) and <name>.html.
4. Writes outputs/manifest.json and outputs/manifest.csv: per file its page, chapter
   title, cell name, caption, the data files and helper modules the page's kernel read
   (recorded by the build, _build/page-inputs.json), size and SHA-256; and compares the
   checksums with the previous run.

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
            continue  # a page without code cells (MyST-NB writes notebooks only for notebook pages)
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


def previous_checksums(output_dir: Path) -> dict[str, str]:
    """file -> sha256 from the last run's manifest, if any."""
    path = output_dir / MANIFEST_JSON
    return (
        {
            row["file"]: row["sha256"]
            for row in json.loads(path.read_text(encoding="utf-8"))
        }
        if path.is_file()
        else {}
    )


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
    previous = previous_checksums(OUTPUT_DIR)
    shutil.rmtree(OUTPUT_DIR, ignore_errors=True)
    OUTPUT_DIR.mkdir()
    rows, problems = manifest_rows(ROOT, pages, OUTPUT_DIR)
    write_manifest(rows, OUTPUT_DIR)
    counts = {
        kind: len({row["name"] for row in rows if row["kind"] == kind})
        for kind in ("figure", "table")
    }
    print(
        f"replicate: {counts['figure']} figures and {counts['table']} tables from "
        f"{len({row['page'] for row in rows})} pages; manifest in "
        f"outputs/{MANIFEST_JSON} and outputs/{MANIFEST_CSV}"
    )
    if previous:
        comparison = compare_runs(previous, rows)
        print(
            "replicate: against the previous run: "
            + ", ".join(f"{len(v)} {k}" for k, v in comparison.items())
        )
        for name in comparison["changed"]:
            print(f"  changed: {name}")
    for problem in problems:
        print(f"replicate: PROBLEM {problem}", file=sys.stderr)
    print(
        f"replicate: done in {time.perf_counter() - started:.1f} s, {len(problems)} "
        "problem(s)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
