"""Write the generated tables of README.md from the files they describe, so the README
cannot drift.

    .venv/bin/python -m tools.readme_tables [--check]

Blocks between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` are rewritten:
  sources   one row per data file with its source, coverage and licence
            (data/datapackage.json)
  datasets  every file in data/, the sources cited but not copied, and the data that do
            not exist
  software  the pinned versions of the main packages (requirements.txt)
  outputs   every figure and table with its page, files and the data files the page read
            (outputs/manifest.json, written by `make replicate`; left as is when absent)
--check exits 1 if a block is out of date instead of writing (tests/test_readme.py uses
it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
KEY_PACKAGES = [
    "jupyter-book",
    "Sphinx",
    "myst-nb",
    "jupytext",
    "ipykernel",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "mplfonts",
    "jieba",
    "ipywidgets",
    "otter-grader",
    "pytest",
    "playwright",
]


def cell(text) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped."""
    return re.sub(r"\s+", " ", str(text)).replace("|", "\\|").strip()


def table(header: list[str], rows: list[list]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def read_descriptor(root: Path) -> dict:
    return json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))


def publishers(resource: dict) -> str:
    """The distinct publishers (or titles) of a resource's sources, in order."""
    names = [
        s.get("publisher") or s.get("title", "") for s in resource.get("sources", [])
    ]
    return "; ".join(dict.fromkeys(n for n in names if n))


def licence(resource: dict) -> str:
    """A resource's licence title and what it allows, from its first licence entry."""
    entries = resource.get("licenses", [])
    if not entries:
        return "not stated"
    first = entries[0]
    return first.get("title", first.get("name", "")) + (
        f". {first['redistribution']}" if first.get("redistribution") else ""
    )


def sources_block(descriptor: dict) -> str:
    """One row per tidy data file (raw copies are listed under datasets)."""
    rows = [
        [
            f"`data/{r['path']}`",
            r.get("title", ""),
            publishers(r),
            r.get("coverage", ""),
            licence(r),
            "yes",
        ]
        for r in descriptor["resources"]
        if r.get("kind") != "raw"
    ]
    return table(
        [
            "Data file",
            "What it holds",
            "Source",
            "Coverage",
            "Licence and redistribution",
            "Provided",
        ],
        rows,
    )


def datasets_block(descriptor: dict) -> str:
    """Every file in data/ (raw copies grouped by folder), then what is cited only, then
    what does not exist.
    """
    tidy = [
        [f"`data/{r['path']}`", r["name"], r.get("kind", ""), f"{r.get('bytes', 0):,}"]
        for r in descriptor["resources"]
        if r.get("kind") != "raw"
    ]
    raw = defaultdict(list)
    for r in descriptor["resources"]:
        if r.get("kind") == "raw":
            raw[str(Path(r["path"]).parent)].append(r)
    folders = [
        [
            f"`data/{folder}/` ({len(files)} files)",
            ", ".join(sorted({f["name"].rsplit("_", 1)[0] for f in files})),
            "raw (as obtained)",
            f"{sum(f.get('bytes', 0) for f in files):,}",
        ]
        for folder, files in sorted(raw.items())
    ]
    parts = [table(["File", "Resource name", "Kind", "Bytes"], tidy + folders)]
    parts.append(analysis_data_block())
    parts.append(
        "Cited but not copied (no licence to redistribute, or too large; each can be "
        "obtained from its address):\n\n"
        + table(
            ["Source", "Where", "Why not provided"],
            [
                [x["title"], x["path"], x["reason"]]
                for x in descriptor["not_redistributed"]
            ],
        )
    )
    parts.append(
        "Data the analysis would want but that no gathered source provides (never "
        "filled in):\n\n"
        + table(
            ["What", "Missing", "Where it may be found online"],
            [
                [x["what"], x["missing"], x["where_online"]]
                for x in descriptor["not_available"]
            ],
        )
    )
    return "\n\n".join(parts)


def analysis_data_block() -> str:
    """The derived analysis data `make replicate` writes (not in data/: rebuilt by
    code)."""
    from tools import analysis_data

    folder = "outputs/data"
    return (
        "Derived analysis data, rebuilt from the files above by `make replicate` "
        "(`tools/analysis_data.py`, calling the tested building blocks "
        "`helpers.nqpf_models.build_analysis_data` and `helpers.indices`); listed with "
        "their SHA-256 in `outputs/manifest.json`:\n\n"
        + table(
            ["File", "What"],
            [
                [
                    f"`{folder}/{analysis_data.PANEL_FILE}`",
                    "the province-year panel of the book: GB/T 2260 code, Chinese "
                    "and English names, region, year; every NQPF index variant, the "
                    "URI and Theil indices, controls and channels; the coupling "
                    "degree C, T, D and class of NQPF and URI; the normalised "
                    "indicators of both indices",
                ],
                [
                    f"`{folder}/{analysis_data.CODEBOOK_FILE}`",
                    "one row per panel column: "
                    + ", ".join(analysis_data.CODEBOOK_COLUMNS),
                ],
            ],
        )
    )


def software_block(root: Path) -> str:
    """The pinned versions of the main packages, and how many packages the lock
    holds.
    """
    pins = dict(
        line.split("==", 1)
        for line in (root / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    python = (root / "runtime.txt").read_text().strip().removeprefix("python-")
    rows = [["Python", python + " (runtime.txt; 3.11 or newer for `make`)"]]
    rows += [[name, pins[name]] for name in KEY_PACKAGES if name in pins]
    return (
        table(["Software", "Version"], rows)
        + f"\n\nAll {len(pins)} packages are pinned in `requirements.txt`."
    )


def toc_order(root: Path) -> list[str]:
    """Page paths under book/ in the order of _toc.yml (root first)."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [
        c["file"] for part in toc.get("parts", []) for c in part["chapters"]
    ]
    return [name.removeprefix("book/") for name in files]


def outputs_block(manifest: list[dict], order: list[str]) -> str:
    """One row per output (a figure's PNG and SVG, a table's CSV and HTML together),
    pages in book order.
    """
    position = {page: index for index, page in enumerate(order)}
    manifest = sorted(
        manifest,
        key=lambda r: (
            position.get(r["page"], len(order)),
            r["kind"],
            r["name"],
            r["file"],
        ),
    )
    grouped: dict[tuple, dict] = {}
    for row in manifest:
        key = (row["page"], row["kind"], row["name"])
        entry = grouped.setdefault(key, {**row, "files": []})
        entry["files"].append(f"`{row['file']}`")
    rows = [
        [
            e["caption"] or e["name"],
            f"{e['chapter_title']} (`{e['notebook']}`)"
            if e["chapter_title"]
            else f"`{e['notebook']}`",
            e["kind"],
            " ".join(e["files"]),
            ", ".join(f"`{name}`" for name in e["data_files"]),
        ]
        for e in grouped.values()
    ]
    return table(
        [
            "Figure or table",
            "Chapter (program)",
            "Kind",
            "Output files",
            "Data files the page read",
        ],
        rows,
    )


def replace_block(text: str, name: str, content: str) -> str:
    """Put content between the block's markers (the markers must already be in the
    README).
    """
    pattern = re.compile(
        rf"(<!-- generated:{name} -->\n).*?(<!-- /generated:{name} -->)", re.S
    )
    if not pattern.search(text):
        raise ValueError(
            f"README.md has no <!-- generated:{name} --> ... <!-- /generated:{name} "
            "--> block"
        )
    return pattern.sub(lambda m: m.group(1) + content + "\n" + m.group(2), text)


def render(text: str, root: Path = ROOT, include_outputs: bool = True) -> str:
    """The README text with its generated blocks brought up to date (outputs only if
    asked and replicated).
    """
    descriptor = read_descriptor(root)
    text = replace_block(text, "sources", sources_block(descriptor))
    text = replace_block(text, "datasets", datasets_block(descriptor))
    text = replace_block(text, "software", software_block(root))
    manifest = root / "outputs" / "manifest.json"
    if include_outputs and manifest.is_file():
        text = replace_block(
            text,
            "outputs",
            outputs_block(
                json.loads(manifest.read_text(encoding="utf-8")), toc_order(root)
            ),
        )
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if README.md is out of date; write nothing",
    )
    args = parser.parse_args(argv)
    current = README.read_text(encoding="utf-8")
    # The outputs table needs a replication run (outputs/ is not in git), so --check
    # leaves it out.
    updated = render(current, include_outputs=not args.check)
    if args.check:
        if updated != current:
            print(
                "README.md is out of date: run .venv/bin/python -m tools.readme_tables",
                file=sys.stderr,
            )
            return 1
        return 0
    README.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
