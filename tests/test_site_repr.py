"""No raw Python on the built pages: the prose and the cell outputs a reader sees hold
no pandas or numpy reprs (`Name: ..., dtype: ...`, `np.int64(2023)`) and no dict reprs.
Code inputs are left out: code may name these things.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.conftest import toc_files

RAW_REPR = {
    "pandas Series footer": re.compile(r"\bdtype: \w+|\bName: \w+, "),
    "numpy scalar": re.compile(r"\bnp\.(?:int|float|str_|bool_)\w*\("),
    "dict repr": re.compile(r"\{'[^'{}]{1,60}': "),
    "pandas object repr": re.compile(r"\b(?:Timestamp|Index|array)\(\["),
}


def reader_text(html: str) -> str:
    """The text of a page's article without its code inputs, scripts and styles."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article") or soup
    for tag in article.select(".cell_input, script, style"):
        tag.decompose()
    return article.get_text(" ")


def raw_reprs(text: str) -> list[str]:
    """Each raw repr in the text, with its kind and some context."""
    return [
        f"{kind}: …{text[max(0, m.start() - 40) : m.end() + 40]}…"
        for kind, pattern in RAW_REPR.items()
        for m in pattern.finditer(text)
    ]


@pytest.mark.build
@pytest.mark.parametrize("page", toc_files())
def test_pages_show_no_raw_python(site, page):
    text = reader_text((site / f"{page}.html").read_text(encoding="utf-8"))
    found = raw_reprs(text)
    assert not found, "\n".join(found)


def test_the_check_finds_series_numpy_and_dict_reprs_outside_code():
    html = """<article><div class="cell_input"><pre>s.dtype: int</pre></div>
    <div class="cell_output"><pre>0    1.5
Name: points, dtype: float64</pre></div>
    <p>in np.int64(2023) the rules {'rural_residents': True} held</p></article>"""
    kinds = [found.split(":")[0] for found in raw_reprs(reader_text(html))]
    assert kinds == [
        "pandas Series footer",
        "pandas Series footer",
        "numpy scalar",
        "dict repr",
    ]
    assert raw_reprs(reader_text("<article><p>p = 0.034 in 2023</p></article>")) == []
