"""Rebuild every figure and table of the book from data/ into outputs/, with a manifest.

    .venv/bin/python tools/replicate.py [--jobs N]      (or: make replicate)

1. Checks data/ against data/datapackage.json (files, SHA-256, columns, types): the inputs are the raw
   committed data, nothing else.
2. Deletes outputs/ and executes every page of the book in a fresh kernel (no execution cache), pages
   in parallel (tools/run_pages.py). Each page saves its outputs through helpers.outputs, which writes
   a record per output.
3. Joins the records into outputs/manifest.json and outputs/manifest.csv: for each output file, the paper
   element or chapter it belongs to, the notebook and helper function(s) that made it, the data
   resources it used, and its SHA-256. Checks that every resource exists in the descriptor, every helper
   can be imported, and every file in outputs/ has a record.
4. Compares the checksums with the previous run, if there was one, and says which files changed.

Exit status 0 only if every page ran and every check passed.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import importlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_pages import ROOT, run  # noqa: E402  (tools/ is a folder of scripts, not a package)

OUTPUT_DIR = ROOT / "outputs"
MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"
CSV_COLUMNS = ["file", "sha256", "bytes", "kind", "name", "element", "page", "chapter_title", "notebook",
               "made_by", "resources"]


def toc_pages(root: Path) -> list[Path]:
    """Source files of every page in _toc.yml (root first), in toc order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    chapters = [c for part in toc.get("parts", []) for c in part["chapters"]] + toc.get("chapters", [])
    names = [toc["root"]] + [c["file"] for c in chapters]
    return [next(root / f"{n}{s}" for s in (".md", ".ipynb") if (root / f"{n}{s}").is_file()) for n in names]


def is_notebook(path: Path) -> bool:
    """True for .ipynb files and for Markdown files with a jupytext/MyST-NB header (MyST-NB's own test)."""
    from myst_nb.core.read import is_myst_markdown_notebook

    return path.suffix == ".ipynb" or is_myst_markdown_notebook(path.read_text(encoding="utf-8"))


def sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def page_title(notebook: Path) -> str:
    """The first level-one heading of a MyST page (its chapter title), or '' if none."""
    for line in notebook.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return ""


def resource_names(root: Path) -> set[str]:
    """Names of the resources declared in data/datapackage.json."""
    descriptor = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    return {resource["name"] for resource in descriptor["resources"]}


def importable(dotted: str) -> bool:
    """True if module.qualname names an object that can be imported (e.g. helpers.gaps.percent_lower)."""
    parts = dotted.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for attribute in parts[split:]:
                obj = getattr(obj, attribute)
            return True
        except AttributeError:
            return False
    return False


def manifest_rows(records: list[dict], output_dir: Path, root: Path) -> list[dict]:
    """One manifest row per output file: provenance from its record plus size and SHA-256."""
    rows = []
    for record in records:
        notebook = root / record["notebook"]
        title = page_title(notebook) if notebook.is_file() else ""
        for relative in record["files"]:
            path = output_dir / relative
            rows.append({
                "file": f"outputs/{relative}",
                "sha256": sha256(path) if path.is_file() else "",
                "bytes": path.stat().st_size if path.is_file() else 0,
                "kind": record["kind"], "name": record["name"], "element": record["element"],
                "page": record["page"], "chapter_title": title, "notebook": record["notebook"],
                "made_by": list(record["made_by"]), "resources": list(record["resources"]),
            })
    return sorted(rows, key=lambda row: row["file"])


def manifest_problems(rows: list[dict], output_dir: Path, known_resources: set[str], root: Path) -> list[str]:
    """Everything that makes the manifest untrustworthy: missing files, unknown data, helpers, or pages."""
    problems = []
    listed = {row["file"] for row in rows}
    for row in rows:
        where = f"{row['file']} (page {row['page']})"
        if not row["sha256"]:
            problems.append(f"{where}: recorded but the file does not exist")
        if not (root / row["notebook"]).is_file():
            problems.append(f"{where}: notebook {row['notebook']} does not exist")
        problems += [f"{where}: data resource {name!r} is not in data/datapackage.json"
                     for name in row["resources"] if name not in known_resources]
        problems += [f"{where}: helper {name} cannot be imported" for name in row["made_by"] if not importable(name)]
    for kind in ("figures", "tables"):
        for path in sorted((output_dir / kind).glob("*")) if (output_dir / kind).is_dir() else []:
            if f"outputs/{path.relative_to(output_dir).as_posix()}" not in listed:
                problems.append(f"outputs/{path.relative_to(output_dir).as_posix()}: written without a record "
                                "(save it with helpers.outputs.save_figure / save_table)")
    return problems


def write_manifest(rows: list[dict], output_dir: Path) -> None:
    """Write the manifest as JSON (lists kept) and CSV (lists joined with '; ')."""
    (output_dir / MANIFEST_JSON).write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    with open(output_dir / MANIFEST_CSV, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "made_by": "; ".join(row["made_by"]), "resources": "; ".join(row["resources"])})


def compare_runs(previous: dict[str, str], rows: list[dict]) -> dict[str, list[str]]:
    """Files whose checksum is unchanged, changed, new or gone, against the previous run's manifest."""
    current = {row["file"]: row["sha256"] for row in rows}
    return {
        "identical": sorted(f for f in current if previous.get(f) == current[f]),
        "changed": sorted(f for f in current if f in previous and previous[f] != current[f]),
        "new": sorted(f for f in current if f not in previous),
        "gone": sorted(f for f in previous if f not in current),
    }


def previous_checksums(output_dir: Path) -> dict[str, str]:
    """file -> sha256 from the last run's manifest, if any."""
    path = output_dir / MANIFEST_JSON
    return {row["file"]: row["sha256"] for row in json.loads(path.read_text(encoding="utf-8"))} if path.is_file() else {}


def validate_data() -> int:
    """Run `python -m helpers validate` on data/; its exit status."""
    import subprocess

    return subprocess.run([sys.executable, "-m", "helpers", "validate"], cwd=ROOT).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="pages executed at once")
    parser.add_argument("--timeout", type=int, default=60, help="seconds a cell may run (the slowest takes ~10 s)")
    parser.add_argument("--pages", nargs="+", metavar="PAGE",
                        help="only these toc pages, e.g. constraints/tech_pull (default: every page)")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    if validate_data() != 0:
        print("replicate: data/ does not match data/datapackage.json; nothing was rebuilt", file=sys.stderr)
        return 1
    previous = previous_checksums(OUTPUT_DIR)
    shutil.rmtree(OUTPUT_DIR, ignore_errors=True)
    pages = [page for page in toc_pages(ROOT) if is_notebook(page)]
    if args.pages:
        wanted = {f"book/{name.removeprefix('book/').removesuffix('.md')}.md" for name in args.pages}
        pages = [page for page in pages if page.relative_to(ROOT).as_posix() in wanted]
        if len(pages) != len(wanted):
            print(f"replicate: not all of {sorted(wanted)} are notebook pages in _toc.yml", file=sys.stderr)
            return 2
    print(f"replicate: executing {len(pages)} pages from data/ over {args.jobs} processes", flush=True)
    results = run(pages, args.jobs, args.timeout)

    from helpers.outputs import read_records

    rows = manifest_rows(read_records(OUTPUT_DIR), OUTPUT_DIR, ROOT)
    OUTPUT_DIR.mkdir(exist_ok=True)
    write_manifest(rows, OUTPUT_DIR)
    problems = [f"{Path(r['page']).relative_to(ROOT)}: {r['error']}" for r in results if r["error"]]
    problems += manifest_problems(rows, OUTPUT_DIR, resource_names(ROOT), ROOT)

    counts = {kind: sum(row["kind"] == kind for row in rows) for kind in ("figure", "table")}
    print(f"replicate: {counts['figure']} figure files and {counts['table']} tables from "
          f"{len({row['page'] for row in rows})} pages; manifest in outputs/{MANIFEST_JSON} and outputs/{MANIFEST_CSV}")
    if previous:
        comparison = compare_runs(previous, rows)
        print("replicate: against the previous run: " + ", ".join(f"{len(v)} {k}" for k, v in comparison.items()))
        for name in comparison["changed"]:
            print(f"  changed: {name}")
    for problem in problems:
        print(f"replicate: PROBLEM {problem}", file=sys.stderr)
    print(f"replicate: done in {time.perf_counter() - started:.1f} s, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
