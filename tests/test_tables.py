"""helpers.tables: what a reader sees in every cell, worked by hand."""

import re

import jupytext
import numpy as np
import pandas as pd
import pytest

from helpers.tables import MISSING, format_value, readable_table
from tests.conftest import ROOT, toc_files


@pytest.mark.parametrize(
    "value, kwargs, shown",
    [
        (18.6, {}, "18.6"),
        (18.600000, {"decimals": 2}, "18.60"),
        (37.5, {"unit": "%"}, "37.5%"),
        (12345.678, {"unit": "yuan"}, "12,345.7 yuan"),
        (np.int64(1234567), {}, "1,234,567"),
        (2011.0, {"year": True}, "2011"),
        (np.float64(2020.0), {"year": True}, "2020"),
        (np.nan, {}, MISSING),
        (None, {"year": True}, MISSING),
        (pd.NA, {"unit": "%"}, MISSING),
        ("<b>农村</b> & co", {}, "&lt;b&gt;农村&lt;/b&gt; &amp; co"),
        (0.0004, {"decimals": 3}, "0.000"),
    ],
)
def test_format_value(value, kwargs, shown):
    assert format_value(value, **kwargs) == shown


def test_readable_table_shows_no_nan_no_float_years_and_bilingual_headers():
    frame = pd.DataFrame(
        {
            "year": [2011.0, 2012.0, np.nan],
            "rural": [18.6, np.nan, 20.25],
            "note": ["<script>x</script>", "ok", None],
        },
        index=[7, 8, 9],
    )
    html = readable_table(
        frame, columns={"rural": "Rural 农村", "year": "Year"}, units={"rural": "%"}
    ).to_html()
    assert "Rural 农村" in html and ">Year<" in html
    for bad in ["nan", "2011.0", "18.600000", "<script>"]:
        assert bad not in html, bad
    assert (
        ">2011<" in html
        and ">18.6%<" in html
        and ">20.2%<" in html
        and f">{MISSING}<" in html
    )
    assert "&lt;script&gt;" in html
    # The index (7, 8, 9) is noise for a reader: hidden.
    assert ">7<" not in html and ">9<" not in html


def test_header_text_from_data_is_escaped():
    html = readable_table(pd.DataFrame({"a<b>": [1]})).to_html()
    assert "a&lt;b&gt;" in html and "a<b>" not in html


def test_key_column_sticks_to_the_right_and_numbers_align_right():
    frame = pd.DataFrame({"claim": ["C1-1"], "estimate": [0.123], "verdict": ["mixed"]})
    styler = readable_table(frame, key="verdict", decimals=3)
    html = styler.to_html()
    css = html[: html.index("</style>")]
    # verdict is column 2 (col2), estimate column 1 (col1): pandas writes per-column
    # rules.
    assert "col2" in css and "position: sticky" in css and "right: 0" in css
    assert "col1" in css and "text-align: right" in css
    assert ">0.123<" in html and 'class="nqpf-table"' in html


def test_unknown_key_column_is_an_error():
    with pytest.raises(KeyError):
        readable_table(pd.DataFrame({"a": [1]}), key="verdict")


def test_index_kept_when_asked():
    frame = pd.DataFrame({"value": [1.5]}, index=pd.Index(["Beijing"], name="province"))
    html = readable_table(
        frame, index=True, columns={"province": "Province 省份"}
    ).to_html()
    assert "Province 省份" in html and ">Beijing<" in html


def test_p_text_is_the_one_p_value_format_for_prose_and_table_cells():
    from helpers.tables import p_text

    assert p_text(0.0344) == "p = 0.034" and p_text(0.00049) == "p < 0.001"
    assert p_text(0.0344, label=False) == "0.034"
    assert p_text(0.00049, label=False) == "< 0.001"
    assert p_text(0.001) == "p = 0.001" and p_text(1.0) == "p = 1.000"
    for impossible in (-0.1, 1.2):
        with pytest.raises(ValueError, match="must lie in"):
            p_text(impossible)


def test_numbers_written_as_text_align_as_numbers_when_named():
    frame = pd.DataFrame({"term": ["NQPF"], "interval": ["-0.68 to -0.29"]})

    def right_aligned_columns(styler) -> set[str]:
        css = styler.to_html().split("</style>")[0]
        blocks = css.split("}")
        return {
            f"col{i}"
            for i in range(2)
            if any(f"col{i} " in b and "text-align: right" in b for b in blocks)
        }

    assert right_aligned_columns(readable_table(frame)) == set()
    named = readable_table(frame, numeric=["interval"])
    assert right_aligned_columns(named) == {"col1"}
    assert ">-0.68 to -0.29<" in named.to_html()  # the text is shown as written


# One table formatter: a page shows its tables through readable_table (or a building
# block that calls it), never a pandas Styler written inline. `helpers.style` is the
# house-style module, not a Styler.
INLINE_STYLER = re.compile(r"(?<!helpers)\.style\b")


def inline_stylers(text: str) -> list[str]:
    """'cell N: line' for each code line of a MyST page that uses `.style`."""
    notebook = jupytext.reads(text, fmt="md:myst")
    code = [c for c in notebook.cells if c.cell_type == "code"]
    return [
        f"cell {number}: {line.strip()}"
        for number, cell in enumerate(code, 1)
        for line in cell.source.splitlines()
        if INLINE_STYLER.search(line)
    ]


def test_inline_styler_finder_tells_a_styler_from_the_house_style_module():
    page = (
        "```{code-cell} ipython3\nfrom helpers.style import use_house_style\n"
        "frame.style.format(precision=2)\n```\n\nThe `.style` of prose.\n"
    )
    assert inline_stylers(page) == ["cell 1: frame.style.format(precision=2)"]


@pytest.mark.parametrize("page", toc_files())
def test_page_shows_no_inline_styler(page):
    found = inline_stylers((ROOT / f"{page}.md").read_text(encoding="utf-8"))
    assert not found, f"{page}: use helpers.tables.readable_table:\n" + "\n".join(found)
