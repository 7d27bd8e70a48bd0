"""What a reader of the site sees of each chapter's code (issue 15): the analysis is on
the page, not removed.

A code line counts as on the site unless its cell is tagged remove-cell or remove-input
(hide-input cells are on the site behind a show-code toggle). Blank lines do not count.
"""

import jupytext
import pytest

from tests.conftest import ROOT, toc_files

CHAPTERS = [
    f for f in toc_files() if f.split("/")[1] in {"mechanisms", "constraints", "paths"}
]
REMOVED = {"remove-cell", "remove-input"}


def code_lines(notebook) -> tuple[int, int]:
    """(lines on the site, lines removed from it) over the notebook's code cells."""
    shown = removed = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        lines = sum(1 for line in cell.source.splitlines() if line.strip())
        if REMOVED & set(cell.metadata.get("tags", [])):
            removed += lines
        else:
            shown += lines
    return shown, removed


def read(page: str):
    return jupytext.read(ROOT / f"{page}.md")


def test_code_lines_worked_by_hand():
    text = "\n".join(
        [
            "---",
            "jupytext: {text_representation: {format_name: myst}}",
            "kernelspec: {display_name: Python 3, language: python, name: python3}",
            "---",
            "",
            "```{code-cell} ipython3",
            "x = 1",
            "",
            "y = 2",
            "```",
            "",  # 2 shown (blank not counted)
            "```{code-cell} ipython3",
            ":tags: [hide-input]",
            "plot(x)",
            "```",
            "",  # 1 shown behind a toggle
            "```{code-cell} ipython3",
            ":tags: [remove-cell]",
            "record(x)",
            "```",
            "",  # 1 removed
            "```{code-cell} ipython3",
            ":tags: [remove-input, remove-output]",
            "a = 1",
            "b = 2",
            "```",
            "",  # 2 removed
            "Some *prose* with `code` that is not a cell.",
        ]
    )
    assert code_lines(jupytext.reads(text, fmt="md:myst")) == (3, 3)


def test_at_least_80_percent_of_chapter_code_is_on_the_site():
    counts = {page: code_lines(read(page)) for page in CHAPTERS}
    shown = sum(s for s, _ in counts.values())
    removed = sum(r for _, r in counts.values())
    assert len(counts) == 12
    assert shown / (shown + removed) >= 0.8, (
        f"{shown} of {shown + removed} chapter code lines on the site"
    )
    # No single chapter may hide its analysis either.
    low = {page: f"{s}/{s + r}" for page, (s, r) in counts.items() if s < 0.8 * (s + r)}
    assert low == {}, f"chapters with less than 80% of their code on the site: {low}"


def test_figure1_page_shows_the_lines_that_read_the_data_and_draw_the_bars():
    visible = "\n".join(
        cell.source
        for cell in read("book/constraints/tech_pull").cells
        if cell.cell_type == "code" and not REMOVED & set(cell.metadata.get("tags", []))
    )
    assert 'load("digital_literacy_2021")' in visible
    assert ".bar(" in visible


@pytest.mark.parametrize("page", CHAPTERS)
def test_no_glue_roles_left_for_jupyterlab_to_show_raw(page):
    """Prose numbers are {eval} roles (jupyterlab-myst shows their values); {glue:text}
    shows as its bare key.
    """
    source = (ROOT / f"{page}.md").read_text(encoding="utf-8")
    assert "{glue:" not in source and "{glue}" not in source
