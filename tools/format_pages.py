"""Format the code cells of the book's MyST pages with ruff (`make format`).

jupytext reads each page's code cells as Jupyter sees them; only each cell's source is
replaced in the page text, so metadata and prose keep their layout (writing the page
back through jupytext would reflow its YAML). ``--check`` changes nothing and lists the
pages whose cells ruff would reformat.
"""

from __future__ import annotations

import argparse
import pathlib
import subprocess
import sys
import tempfile

import jupytext

ROOT = pathlib.Path(__file__).resolve().parent.parent
RUFF = pathlib.Path(sys.executable).with_name("ruff")


def book_pages(root: pathlib.Path = ROOT) -> list[pathlib.Path]:
    """The MyST pages of the book (every .md file under book/)."""
    return sorted((root / "book").rglob("*.md"))


def code_sources(text: str) -> list[str]:
    """The source of every code cell of a MyST page, in page order."""
    notebook = jupytext.reads(text, fmt="md:myst")
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def ruff_format(sources: list[str]) -> list[str]:
    """Each source with its imports sorted and formatted as ruff writes them (the
    project's settings in pyproject).
    """
    with tempfile.TemporaryDirectory() as folder:
        files = [pathlib.Path(folder, f"cell_{i:04d}.py") for i in range(len(sources))]
        for file, source in zip(files, sources):
            file.write_text(source + "\n", encoding="utf-8")
        settings = ["--quiet", "--config", str(ROOT / "pyproject.toml")]
        paths = [str(f) for f in files]
        # isort: the cells' import blocks (exit status 1 when other rules are unmet)
        subprocess.run(
            [str(RUFF), "check", "--select", "I", "--fix", *settings, *paths]
        )
        subprocess.run([str(RUFF), "format", *settings, *paths], check=True)
        return [f.read_text(encoding="utf-8").rstrip("\n") for f in files]


def format_page(text: str) -> str:
    """The page with every code cell's source replaced by its formatted version."""
    sources = code_sources(text)
    formatted = ruff_format(sources)
    pieces, position = [], 0
    for old, new in zip(sources, formatted):
        start = text.index(old, position)
        pieces += [text[position:start], new]
        position = start + len(old)
    return "".join(pieces) + text[position:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", type=pathlib.Path)
    parser.add_argument("--check", action="store_true", help="report, change nothing")
    args = parser.parse_args(argv)
    unformatted = []
    for page in args.pages or book_pages():
        text = page.read_text(encoding="utf-8")
        new = format_page(text)
        if new != text:
            unformatted.append(page)
            if not args.check:
                page.write_text(new, encoding="utf-8")
    verb = "would reformat" if args.check else "reformatted"
    for page in unformatted:
        print(f"{verb} {page}")
    return 1 if args.check and unformatted else 0


if __name__ == "__main__":
    sys.exit(main())
