"""The code a student reads: ruff-formatted and lint-clean at 88 columns, in the Python
files and in the code cells of every page (read through jupytext), and no page cell
longer than 25 lines (a cell holds one idea; figure drawing lives in tested figure
functions, helpers/evidence_figures.py, helpers/constraint_figures.py).
"""

from __future__ import annotations

import pathlib
import subprocess
import sys
import tempfile

import jupytext
import pytest

from tools import format_pages

ROOT = pathlib.Path(__file__).resolve().parent.parent
RUFF = str(pathlib.Path(sys.executable).with_name("ruff"))
MAX_CELL_LINES = 25


def ruff(*args: str, source: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [RUFF, *args],
        cwd=ROOT,
        input=source,
        capture_output=True,
        text=True,
    )


def cell_lines(source: str) -> int:
    """Lines of a cell a reader reads (blank lines not counted)."""
    return sum(1 for line in source.splitlines() if line.strip())


def page_problems(text: str, name: str = "page.md") -> list[str]:
    """Why a page's code cells fail the style: unformatted, lint, or too long."""
    sources = format_pages.code_sources(text)
    problems = [
        f"{name}: code cell {i} has {cell_lines(s)} lines (at most {MAX_CELL_LINES})"
        for i, s in enumerate(sources, 1)
        if cell_lines(s) > MAX_CELL_LINES
    ]
    formatted = format_pages.ruff_format(sources)
    problems += [
        f"{name}: code cell {i} is not as `ruff format` writes it (run make format)"
        for i, (old, new) in enumerate(zip(sources, formatted), 1)
        if old != new
    ]
    # The page as the notebook Jupyter runs: ruff lints each cell in page order.
    with tempfile.TemporaryDirectory() as folder:
        notebook = pathlib.Path(folder, pathlib.Path(name).stem + ".ipynb")
        jupytext.write(jupytext.reads(text, fmt="md:myst"), notebook)
        lint = ruff("check", "--output-format", "concise", str(notebook))
    problems += [
        f"{name}: {line.split(':', 1)[1]}"
        for line in lint.stdout.splitlines()
        if line.startswith(str(notebook))
    ]
    return problems


PAGES = format_pages.book_pages(ROOT)


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_page_code_cells_are_formatted_short_and_lint_clean(page):
    problems = page_problems(page.read_text(encoding="utf-8"), page.name)
    assert not problems, "\n".join(problems)


def test_python_files_are_formatted():
    result = ruff("format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_python_files_are_lint_clean():
    result = ruff("check", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr


BAD_PAGE = (
    """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
---

# A page

```{code-cell} ipython3
x = 1
x = x + 1
```

```{code-cell} ipython3
print( x )
```

```{code-cell} ipython3
y = "%s"
```

```{code-cell} ipython3
"""
    + "\n".join(f"z{i} = {i}" for i in range(26))
    + """
```
"""
)


def test_the_check_finds_long_lines_unformatted_cells_unused_names_and_long_cells():
    long_line = 'label = "' + "x" * 90 + '"'
    page = BAD_PAGE.replace('y = "%s"', long_line)
    problems = "\n".join(page_problems(page))
    assert "code cell 4 has 26 lines" in problems
    assert "code cell 2 is not as `ruff format` writes it" in problems
    assert "E501" in problems
    # A name a later cell uses is defined: the cells are linted as one session.
    assert "F821" not in problems


def test_format_page_replaces_cell_sources_only():
    page = BAD_PAGE.replace("print( x )", "print( x )  ")
    formatted = format_pages.format_page(page)
    assert "print(x)\n```" in formatted
    assert formatted.startswith(page.split("```{code-cell}")[0])
    assert format_pages.format_page(formatted) == formatted
