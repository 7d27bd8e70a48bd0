"""The built site: every toc page exists, pages ran, search knows the Chinese key
terms.
"""

import json
import re

import pytest

from tests.conftest import toc_files

CHAPTERS = [
    f for f in toc_files() if f.split("/")[1] in {"mechanisms", "constraints", "paths"}
]


@pytest.mark.parametrize("page", toc_files())
def test_every_toc_page_has_an_html_page(site, page):
    assert (site / f"{page}.html").is_file(), (
        f"{page} is in _toc.yml but has no HTML page"
    )


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
    assert any(c["cell_type"] == "code" for c in notebook_json["cells"]), (
        f"{page}.ipynb has no code cells"
    )


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
    # 城乡融合 only occurs inside 城乡融合发展 here; jieba alone would index 城乡 / 融合
    # / 城乡融合发展.
    import importlib.util

    from tests.conftest import ROOT

    spec = importlib.util.spec_from_file_location(
        "cjk_search", ROOT / "book" / "_ext" / "cjk_search.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def plain_split(self, text):
        return ["城乡融合发展"]

    split = module.split_keeping_glossary_terms(plain_split, ["城乡融合", "新质生产力"])
    words = split(None, "推动城乡融合发展")
    assert words[0] == "城乡融合发展" and "城乡融合" in words
    # jieba's dictionary words inside the text are indexed too, whatever the cut.
    assert {"推动", "城乡", "融合", "发展"} <= set(words)
    assert len(words) == len(set(words)), words


def test_dictionary_words_inside_a_run_of_chinese_worked_by_hand():
    """户籍人口城镇化率 with a dictionary of four words: every one inside is found, in
    order, and nothing across the comma or shorter than two characters.
    """
    import importlib.util

    from tests.conftest import ROOT

    spec = importlib.util.spec_from_file_location(
        "cjk_search", ROOT / "book" / "_ext" / "cjk_search.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    frequencies = {
        "户籍": 5,
        "城镇化": 3,
        "城镇化率": 1,
        "口城": 0,
        "率": 9,
        "化率和": 2,
    }
    assert module.dictionary_words_inside("户籍人口城镇化率，和", frequencies) == [
        "户籍",
        "城镇化",
        "城镇化率",
    ]


@pytest.mark.parametrize("page", toc_files())
def test_no_figure_is_shown_twice_on_a_page(site, page):
    # A figure left open in pyplot is displayed again by the inline backend after its
    # glued copy.
    html = (site / f"{page}.html").read_text(encoding="utf-8")
    sources = re.findall(r'<img[^>]+src="([^"]+)"', html)
    repeated = sorted({s for s in sources if sources.count(s) > 1})
    assert not repeated, f"{page}: images shown more than once: {repeated}"


def test_no_line_break_splits_chinese_text():
    # Markdown turns a line break into a space, which shows as a gap inside a Chinese
    # word (城乡 融合).
    from tests.conftest import ROOT

    pattern = re.compile(r"[\u4e00-\u9fff]\n[\u4e00-\u9fff]")
    for page in sorted((ROOT / "book").rglob("*.md")):
        match = pattern.search(page.read_text(encoding="utf-8"))
        assert match is None, (
            f"{page.relative_to(ROOT)}: line break inside Chinese text at "
            f"{match.group()!r}"
        )


def load_site_fixes():
    import importlib.util

    from tests.conftest import ROOT

    spec = importlib.util.spec_from_file_location(
        "site_fixes", ROOT / "book" / "_ext" / "site_fixes.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_chinese_runs_in_html_get_lang_but_tags_scripts_and_tex_do_not():
    mark = load_site_fixes().mark_chinese_html
    assert (
        mark("<th>Rural 农村</th>") == '<th>Rural <span lang="zh-CN">农村</span></th>'
    )
    # CJK punctuation stays inside the run; Latin text and numbers between runs stay
    # outside.
    assert mark("<td>城乡融合，发展 2021 数字乡村</td>") == (
        '<td><span lang="zh-CN">城乡融合，发展</span> 2021 <span '
        'lang="zh-CN">数字乡村</span></td>'
    )
    assert mark('<td title="农村">x</td>') == '<td title="农村">x</td>'
    assert (
        mark("<script>var a = '农村';</script>") == "<script>var a = '农村';</script>"
    )
    assert mark(r"<p>\(\text{农村}\)</p>") == r"<p>\(\text{农村}\)</p>"


def test_footer_links_are_rewritten_relative_to_each_page():
    fixes = load_site_fixes()

    def pathto(target, resource=0):
        assert resource == 1
        return "../../" + target

    context = {
        "theme_extra_footer": (
            'See <a href="book/appendix/data.html">Data</a>, <a '
            'href="https://x.org/a">x</a>'
        ),
        "pathto": pathto,
    }
    fixes.footer_links_from_site_root(
        None, "book/constraints/tech_pull", "page.html", context, None
    )
    assert context["theme_extra_footer"] == (
        'See <a href="../../book/appendix/data.html">Data</a>, <a '
        'href="https://x.org/a">x</a>'
    )


@pytest.mark.parametrize("page", toc_files())
def test_footer_links_reach_a_page_from_every_page(site, page):
    # The footer's "Data and sources" link was relative to the site root and 404ed on
    # nested pages.
    import posixpath

    html = (site / f"{page}.html").read_text(encoding="utf-8")
    footer = html[html.index('class="extra_footer"') :]
    footer = footer[: footer.index("</div>")]
    hrefs = re.findall(r'href="([^"]+)"', footer)
    assert hrefs, f"{page}: the footer has no links"
    for href in hrefs:
        href = href.split("#")[0]
        # "#": the link's own page (Sphinx links a page to itself so)
        if not href or re.match(r"[a-z]+:", href):
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
        assert (site / target).is_file(), (
            f"{page}: footer link {href} leads to a missing {target}"
        )


@pytest.mark.parametrize("page", toc_files())
def test_no_page_loads_scripts_or_styles_from_another_host(site, page):
    # MathJax came from a CDN (raw LaTeX offline, unreliable in mainland China); nothing
    # else may either.
    html = (site / f"{page}.html").read_text(encoding="utf-8")
    links = [
        tag
        for tag in re.findall(r"<link\b[^>]*>", html)
        if re.search(r'rel="(stylesheet|preload|icon)', tag)
    ]
    assets = re.findall(r'<script[^>]+src="([^"]+)"', html) + [
        re.search(r'href="([^"]+)"', t).group(1) for t in links
    ]
    remote = [a for a in assets if re.match(r"(https?:)?//", a)]
    assert remote == [], f"{page} loads from other hosts: {remote}"


def has_formula(html: str) -> bool:
    return 'class="math' in html


def loads_mathjax(html: str) -> bool:
    return any(
        "mathjax" in s.lower() for s in re.findall(r'<script[^>]+src="([^"]+)"', html)
    )


def test_mathjax_loads_exactly_on_the_pages_with_a_formula(site):
    """A page without a formula of its own does not load MathJax (1.2 MB), even the
    landing page, whose toctree holds pages with formulas; a page with one does.
    """
    pages = {p: (site / f"{p}.html").read_text(encoding="utf-8") for p in toc_files()}
    with_math = {p for p, html in pages.items() if has_formula(html)}
    loading = {p for p, html in pages.items() if loads_mathjax(html)}
    assert with_math, "no page has a formula: the check below would prove nothing"
    assert with_math != set(pages), "every page has a formula"
    assert loading == with_math, (
        f"MathJax without a formula: {sorted(loading - with_math)}; "
        f"a formula without MathJax: {sorted(with_math - loading)}"
    )


@pytest.mark.parametrize("page", toc_files())
def test_no_page_loads_the_fontawesome_script(site, page):
    """The theme's 1.5-MB fontawesome.js is left out; its stylesheet still draws the
    icons from the web fonts, which the site serves.
    """
    html = (site / f"{page}.html").read_text(encoding="utf-8")
    assert "fontawesome.js" not in html
    assert 'class="fa-' in html or "fa-solid" in html  # the icons are still there
    assert (site / "_static" / "vendor" / "fontawesome" / "webfonts").is_dir()


READING_PAGES = [
    "book/intro",
    "book/appendix/glossary",
    "book/appendix/claims_ledger",
    "book/appendix/references",
    "book/appendix/status",
]
# Reading pages whose tables code cells compute (references and status have none).
COMPUTED_READING_PAGES = READING_PAGES[:3]


@pytest.mark.parametrize("page", READING_PAGES)
def test_reading_pages_show_no_code_but_keep_it_in_the_source(site, page):
    from tests.conftest import ROOT

    html = (site / f"{page}.html").read_text(encoding="utf-8")
    assert "cell_input" not in html and "highlight-ipython3" not in html, (
        f"{page} shows code on the site: tag its cells remove-input"
    )
    source = (ROOT / f"{page}.md").read_text(encoding="utf-8")
    if page in COMPUTED_READING_PAGES:  # the cells stay in the source, for JupyterLab
        assert "```{code-cell}" in source


@pytest.mark.parametrize(
    "page", ["book/constraints/tech_pull", "book/appendix/methods"]
)
def test_math_is_served_by_the_site(site, page):
    html = (site / f"{page}.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    mathjax = [s for s in scripts if "mathjax" in s.lower()]
    assert mathjax, f"{page}: no MathJax script"
    import posixpath

    for src in mathjax:
        assert (
            site
            / posixpath.normpath(
                posixpath.join(posixpath.dirname(page), src.split("?")[0])
            )
        ).is_file()
    assert (
        site
        / "_static"
        / "mathjax"
        / "output"
        / "chtml"
        / "fonts"
        / "woff-v2"
        / "MathJax_Main-Regular.woff"
    ).is_file()


@pytest.mark.parametrize("page", CHAPTERS)
def test_downloaded_notebook_carries_outputs_and_says_how_to_run_it(site, page):
    notebook = json.loads(
        (site / "_sources" / f"{page}.ipynb").read_text(encoding="utf-8")
    )
    first = notebook["cells"][0]
    text = " ".join("".join(first["source"]).split())
    assert first["cell_type"] == "markdown" and "How to run this notebook" in text
    # It must not promise to run alone: it names Binder (a link that opens this page)
    # and the clone set-up.
    assert "mybinder.org/v2/gh/" in text and f"urlpath=lab/tree/{page}.md" in text
    assert "make book" in text and "does not run on its own" in text
    outputs = [
        o
        for c in notebook["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
    ]
    assert outputs, f"{page}.ipynb has no executed outputs"
    html = (site / f"{page}.html").read_text(encoding="utf-8")
    article = html[html.find("<article") : html.rfind("</article>")]
    site_images = len(re.findall(r"<img\b", article))
    notebook_images = sum(
        1 for o in outputs if {"image/png", "image/svg+xml"} & set(o.get("data", {}))
    )
    assert notebook_images >= site_images, (
        f"{page}.ipynb has {notebook_images} figures, the page {site_images}"
    )


def test_eval_values_are_attached_to_markdown_cells_in_page_order():
    fixes = load_site_fixes()
    notebook = {
        "cells": [
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": ['Gap {eval}`f"{gap:.1f}"` in {eval}`year`.'],
            },
            {"cell_type": "code", "metadata": {}, "source": "x = 1", "outputs": []},
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": ["Missing {eval}`never_evaluated` and {eval}`year`."],
            },
        ]
    }

    def result(text):
        return [
            {
                "output_type": "execute_result",
                "data": {"text/plain": text},
                "metadata": {},
            }
        ]

    evaluated = [
        ('f"{gap:.1f}"', result("'37.7'")),
        ("year", result("2021")),
        ("year", result("2022")),
    ]
    assert fixes.attach_evals(notebook, evaluated) == 3
    first = notebook["cells"][0]["metadata"]["user_expressions"]
    assert [e["expression"] for e in first] == ['f"{gap:.1f}"', "year"]
    assert first[0]["result"] == {
        "status": "ok",
        "data": {"text/plain": "'37.7'"},
        "metadata": {},
    }
    assert [
        e["result"]["data"]["text/plain"]
        for e in notebook["cells"][2]["metadata"]["user_expressions"]
    ] == ["2022"]
    assert "user_expressions" not in notebook["cells"][1]["metadata"]


@pytest.mark.parametrize("page", CHAPTERS)
def test_downloaded_notebook_carries_the_prose_values(site, page):
    notebook = json.loads(
        (site / "_sources" / f"{page}.ipynb").read_text(encoding="utf-8")
    )
    roles = sum(
        len(re.findall(r"\{eval\}`", "".join(c["source"])))
        for c in notebook["cells"][1:]
        if c["cell_type"] == "markdown"
    )
    values = [
        e
        for c in notebook["cells"]
        for e in c.get("metadata", {}).get("user_expressions", [])
    ]
    assert len(values) == roles, (
        f"{page}.ipynb: {roles} {{eval}} roles, {len(values)} values"
    )
    assert all(e["result"]["status"] == "ok" for e in values)


# What a reader should never meet in a table cell: nan, a year as a float, or pandas'
# default six decimals (18.600000, 0.123457). A small coefficient shown to its
# significant digits (-0.000898) is fine.
CELL = re.compile(r"<td[^>]*>\s*([^<]*?)\s*</td>")


def unreadable(cell: str) -> bool:
    if cell in {"nan", "NaN", "None", "&lt;NA&gt;", "NaT"} or re.fullmatch(
        r"(1[89]|20)\d\d\.0", cell
    ):
        return True
    match = re.fullmatch(r"-?(\d+)\.(\d{6,})", cell)
    if not match:
        return False
    significant = (match.group(1) + match.group(2)).lstrip("0")
    return match.group(2).endswith("0") or len(significant) > 4


@pytest.mark.parametrize("page", toc_files())
def test_table_cells_are_readable(site, page):
    html = (site / f"{page}.html").read_text(encoding="utf-8")
    bad = sorted({cell for cell in CELL.findall(html) if unreadable(cell)})
    assert bad == [], (
        f"{page}: table cells show {bad[:8]} (format them: "
        "helpers.tables.readable_table, or a Styler with na_rep='–', integer years "
        "and fixed decimals)"
    )


def test_unreadable_cells_worked_by_hand():
    for bad in [
        "nan",
        "NaN",
        "&lt;NA&gt;",
        "2011.0",
        "18.600000",
        "0.123457",
        "12.345678",
        "-1.234567",
    ]:
        assert unreadable(bad), bad
    for fine in [
        "2011",
        "18.6",
        "–",
        "0.123",
        "Nanjing",
        "-0.000898",
        "-0.0003126",
        "1,234.5",
        "37.7%",
    ]:
        assert not unreadable(fine), fine
