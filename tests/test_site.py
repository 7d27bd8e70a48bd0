"""The built site: every toc page exists, pages ran, search knows the Chinese key terms."""
import json
import re

import pytest

from tests.conftest import toc_files

CHAPTERS = [f for f in toc_files() if f.split("/")[1] in {"mechanisms", "constraints", "paths"}]


@pytest.mark.parametrize("page", toc_files())
def test_every_toc_page_has_an_html_page(site, page):
    assert (site / f"{page}.html").is_file(), f"{page} is in _toc.yml but has no HTML page"


@pytest.mark.parametrize("page", CHAPTERS)
def test_every_chapter_shows_executed_output_and_its_claims(site, page):
    html = (site / f"{page}.html").read_text(encoding="utf-8")
    assert "cell_output" in html, f"{page}: no executed cell output on the page"
    assert re.search(r"[MCP][1-4]-\d+", html), f"{page}: no claim ids on the page"


@pytest.mark.parametrize("page", CHAPTERS)
def test_every_chapter_offers_its_notebook_for_download(site, page):
    notebook = site / "_sources" / f"{page}.ipynb"
    assert notebook.is_file(), f"{page}: no downloadable .ipynb"
    notebook_json = json.loads(notebook.read_text(encoding="utf-8"))
    assert notebook_json["nbformat"] == 4
    assert notebook_json["metadata"]["kernelspec"]["name"] == "python3"
    assert any(c["cell_type"] == "code" for c in notebook_json["cells"]), f"{page}.ipynb has no code cells"


def search_terms(site) -> dict:
    text = (site / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    return index["terms"]


@pytest.mark.parametrize("term", ["新质生产力", "城乡融合"])
def test_search_index_holds_chinese_key_terms_whole(site, term):
    assert term in search_terms(site), f"site search cannot find {term} as one word"


def test_search_index_still_holds_english_words(site):
    assert "product" in search_terms(site) or "productive" in search_terms(site)


def test_a_term_inside_a_longer_word_is_found():
    # 城乡融合 only occurs inside 城乡融合发展 here; jieba alone would index 城乡 / 融合 / 城乡融合发展.
    import importlib.util

    from tests.conftest import ROOT

    spec = importlib.util.spec_from_file_location("cjk_search", ROOT / "book" / "_ext" / "cjk_search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def plain_split(self, text):
        return ["城乡融合发展"]

    split = module.split_keeping_glossary_terms(plain_split, ["城乡融合", "新质生产力"])
    assert split(None, "推动城乡融合发展") == ["城乡融合发展", "城乡融合"]


@pytest.mark.parametrize("page", toc_files())
def test_no_figure_is_shown_twice_on_a_page(site, page):
    # A figure left open in pyplot is displayed again by the inline backend after its glued copy.
    html = (site / f"{page}.html").read_text(encoding="utf-8")
    sources = re.findall(r'<img[^>]+src="([^"]+)"', html)
    repeated = sorted({s for s in sources if sources.count(s) > 1})
    assert not repeated, f"{page}: images shown more than once: {repeated}"


def test_no_line_break_splits_chinese_text():
    # Markdown turns a line break into a space, which shows as a gap inside a Chinese word (城乡 融合).
    from tests.conftest import ROOT

    pattern = re.compile(r"[\u4e00-\u9fff]\n[\u4e00-\u9fff]")
    for page in sorted((ROOT / "book").rglob("*.md")):
        match = pattern.search(page.read_text(encoding="utf-8"))
        assert match is None, f"{page.relative_to(ROOT)}: line break inside Chinese text at {match.group()!r}"
