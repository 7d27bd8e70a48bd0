"""The four Part III pages share no repeated block of code: what they have in common is
a tested building block each page calls with its own levers and titles.

A block is a run of at least MIN_BLOCK consecutive non-blank code lines (whitespace
normalised) of a page's code cells, read through jupytext as the notebook a reader runs.
"""

import jupytext

from tests.conftest import ROOT

PATH_PAGES = [
    "hardware",
    "tech_innovation",
    "industrial_innovation",
    "factor_allocation",
]
MIN_BLOCK = 6


def code_lines(text: str) -> list[tuple[int, str]]:
    """The non-blank code lines of a MyST page, whitespace normalised, each with its
    line number in the page source.
    """
    notebook = jupytext.reads(text, fmt="md:myst")
    source_lines = text.splitlines()
    lines, cursor = [], 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            normal = " ".join(line.split())
            if not normal:
                continue
            # The cell's lines stand in the page in order: find this one's number.
            while " ".join(source_lines[cursor].split()) != normal:
                cursor += 1
            cursor += 1
            lines.append((cursor, normal))
    return lines


def repeated_blocks(pages: dict[str, str], size: int = MIN_BLOCK) -> list[str]:
    """Each longest run of code lines made of `size`-line windows that stand in two or
    more pages, as 'page lines a-b (also in other pages):' and the block.
    """
    lines = {name: code_lines(text) for name, text in pages.items()}
    windows: dict[tuple[str, ...], list[tuple[str, int]]] = {}
    for name, page_lines in lines.items():
        for start in range(len(page_lines) - size + 1):
            block = tuple(line for _, line in page_lines[start : start + size])
            windows.setdefault(block, []).append((name, start))
    shared: dict[str, dict[int, set[str]]] = {name: {} for name in pages}
    for places in windows.values():
        names = {name for name, _ in places}
        if len(names) < 2:
            continue
        for name, start in places:
            for i in range(start, start + size):
                shared[name].setdefault(i, set()).update(names - {name})
    found = []
    for name, marked in shared.items():
        run: list[int] = []
        for i in sorted(marked) + [None]:
            if run and (i is None or i != run[-1] + 1):
                first, last = lines[name][run[0]][0], lines[name][run[-1]][0]
                others = sorted(set().union(*(marked[j] for j in run)))
                block = "\n    ".join(lines[name][j][1] for j in run)
                found.append(
                    f"{name} lines {first}-{last} (also in {', '.join(others)}):"
                    f"\n    {block}"
                )
                run = []
            if i is not None:
                run.append(i)
    return found


def cell(code: str) -> str:
    return f"```{{code-cell}} ipython3\n{code}\n```\n"


def test_a_block_repeated_with_other_spacing_is_found_with_its_lines():
    block = [f"x{i} = {i}" for i in range(MIN_BLOCK)]
    spaced = "\n".join(block).replace(" = ", "   =  ")
    pages = {
        "a": "# A\n\n" + cell("import os\n\n" + spaced),
        "b": cell("\n".join(block)) + "\nSome prose.\n\n" + cell("y = 1"),
    }
    shown = "\n    ".join(block)
    assert repeated_blocks(pages) == [
        f"a lines 6-11 (also in b):\n    {shown}",
        f"b lines 2-7 (also in a):\n    {shown}",
    ]


def test_a_block_one_line_short_or_changed_inside_a_line_is_not_repeated():
    block = [f"x{i} = {i}" for i in range(MIN_BLOCK)]
    pages = {
        "a": cell("\n".join(block[:-1])),
        "b": cell("\n".join(block)),
        "c": cell("\n".join(block).replace("x3 = 3", "x3 = 33")),
    }
    assert repeated_blocks(pages) == []


def test_path_pages_share_no_block_of_six_lines():
    pages = {
        name: (ROOT / "book" / "paths" / f"{name}.md").read_text()
        for name in PATH_PAGES
    }
    found = repeated_blocks(pages)
    assert not found, (
        f"{len(found)} blocks of {MIN_BLOCK}+ code lines repeated across Part III "
        "pages:\n" + "\n".join(found)
    )
