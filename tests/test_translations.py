"""The Chinese edition (中文版, issue 21): in sync with the English one by construction.

- The catalogue check (book/_ext/translated_edition.py) names every message without a
  translation, with a fuzzy one, or whose translation drops or changes a role, link or
  {eval} expression: the strict Chinese build of `make test` fails on them.
- The replaying client gives a translated paragraph the English build's values, in the
  order the English page evaluated them.
- Page by page, the Chinese edition shows the values of the English one: the same
  {eval} values and the same cell outputs (text, tables, images).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from bs4 import BeautifulSoup
from docutils import nodes

from tests.conftest import ROOT, SITE, toc_files

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import translated_edition  # noqa: E402

CATALOGUES = ROOT / "locale" / "zh_CN" / "LC_MESSAGES"


def paragraph(text: str, line: int):
    node = nodes.paragraph(text, text)
    node.line = line
    return node


def catalogue_of(entries: dict[str, tuple[str, bool]]) -> Catalog:
    catalogue = Catalog(locale="zh_CN")
    for msgid, (msgstr, fuzzy) in entries.items():
        catalogue.add(msgid, msgstr, flags=["fuzzy"] if fuzzy else [])
    return catalogue


def problems(messages, catalogue):
    return [
        (node.line, problem)
        for node, problem, _ in translated_edition.catalogue_problems(
            messages, catalogue
        )
    ]


def test_a_complete_catalogue_has_no_problem():
    source = "There are {eval}`n` provinces ({cite:p}`liu2024nqpf`), see [data](d.md)."
    catalogue = catalogue_of(
        {
            source: (
                "共 {eval}`n` 个省份（{cite:p}`liu2024nqpf`），见[数据](d.md)。",
                False,
            )
        }
    )
    assert problems([(paragraph(source, 7), source)], catalogue) == []


def test_missing_empty_and_fuzzy_messages_are_named_with_their_line():
    messages = [
        (paragraph(t, n), t) for n, t in [(3, "New."), (5, "Empty."), (9, "Old.")]
    ]
    catalogue = catalogue_of({"Empty.": ("", False), "Old.": ("旧的。", True)})
    assert problems(messages, catalogue) == [
        (3, "untranslated"),
        (5, "untranslated"),
        (9, "fuzzy"),
    ]


def test_a_page_without_catalogue_has_every_message_untranslated():
    messages = [(paragraph("A.", 1), "A."), (paragraph("B.", 2), "B.")]
    assert problems(messages, None) == [(1, "untranslated"), (2, "untranslated")]


@pytest.mark.parametrize(
    "translation",
    [
        "共 {eval}`m` 个省份。",  # another expression
        "共 31 个省份。",  # a typed number instead of the computed one
        "共 {eval}`n` 个省份，{eval}`n` 个。",  # one role too many
        "见[数据](other.md)，共 {eval}`n` 个。",  # another link target
    ],
)
def test_a_translation_that_changes_the_markup_is_named(translation):
    source = "There are {eval}`n` provinces, see [data](d.md)."
    if "[数据]" not in translation:
        source = "There are {eval}`n` provinces."
    catalogue = catalogue_of({source: (translation, False)})
    assert problems([(paragraph(source, 4), source)], catalogue) == [
        (4, "markup differs from the source in")
    ]


def replaying(evals):
    client = translated_edition.replay_client_class().__new__(
        translated_edition.replay_client_class()
    )
    client.evals, client.phase = evals, "page"
    client.taken = {"page": {}, "translated": {}}
    return client


def text_of(outputs):
    return [o["data"]["text/plain"] for o in outputs]


def test_the_translated_text_gets_the_english_values_in_page_order():
    value = [{"output_type": "execute_result", "data": {"text/plain": "v"}}]
    evals = [
        ["n", [{**value[0], "data": {"text/plain": "31"}}]],
        ["share", value],
        ["n", [{**value[0], "data": {"text/plain": "30"}}]],
    ]
    client = replaying(evals)
    assert text_of(client.eval_variable("n")) == ["31"]  # the English page
    client.phase = "translated"
    assert text_of(client.eval_variable("n")) == ["31"]  # its own count
    assert text_of(client.eval_variable("n")) == ["30"]
    with pytest.raises(KeyError, match="did not evaluate 'missing'"):
        client.eval_variable("missing")


# ----------------------------------------------------------------- the built editions
def built(edition: Path, name: str) -> BeautifulSoup:
    path = edition / f"{name}.html"
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make book` (it builds both editions)")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def eval_values(page: BeautifulSoup) -> Counter:
    """The values of the page's {eval} roles (MyST-NB writes span.output), as a
    multiset: a translation may put them in another order within its sentence.
    """
    article = page.find("article")
    return Counter(
        " ".join(span.get_text().split())
        for span in article.select("span.output")
        if not span.find_parent("div", class_="cell_output")
    )


def cell_outputs(page: BeautifulSoup) -> list[tuple[str, list[str]]]:
    """Each cell output's text and image files, in page order (figure captions are
    prose, translated: left out).
    """
    outputs = []
    for div in page.find("article").select("div.cell_output"):
        for caption in div.find_all("figcaption"):
            caption.decompose()
        for span in div.select("span[data-l10n]"):  # text translated from its domain:
            computed = (
                NUMBER.findall(span.get_text()) if span.get("data-l10n-values") else []
            )
            span.string = " ".join(sorted(computed))  # only its computed numbers
        text = " ".join(div.get_text().split())
        if not div.select(".output"):  # Markdown a cell printed: translated prose
            text = " ".join(sorted(NUMBER.findall(text)))
            text += " " + " ".join(a.get("href", "") for a in div.find_all("a"))
        outputs.append((text, [Path(img["src"]).name for img in div.find_all("img")]))
    return outputs


NUMBER = re.compile(r"\d+(?:\.\d+)?")


def claims_cells_in_chinese(page: BeautifulSoup) -> BeautifulSoup:
    """The page with each readable-table cell that is a claims message (a verdict
    name) in its Chinese, as the Chinese build replays it (translated_outputs.py).
    """
    from babel.messages.pofile import read_po

    with open(CATALOGUES / "claims.po", "rb") as handle:
        claims = read_po(handle)
    for cell in page.select("article table.nqpf-table td"):
        entry = claims.get(cell.get_text(strip=True))
        if entry is not None and entry.string and not entry.fuzzy:
            cell.string = entry.string
    return page


VALUES_FOLDER = CATALOGUES
NAMES = translated_edition.names_in_chinese(ROOT / "data" / "provinces.csv")


def in_chinese(values: Counter) -> Counter:
    """The English values as the Chinese edition must show them (the value catalogue,
    the data's names, the patterns); a value without a Chinese form stays as it is.
    """
    catalogue = translated_edition.value_catalogue(VALUES_FOLDER)
    return Counter(
        {
            (translated_edition.chinese_text(v, catalogue, NAMES) or v): n
            for v, n in values.items()
        }
    )


MONTH_NAME = re.compile(translated_edition.MONTH)


def numbers_of(text: str) -> list[str]:
    """The numbers of a value, a month's name counted as its number (June: 6)."""
    text = MONTH_NAME.sub(
        lambda m: str(translated_edition.MONTHS.index(m.group(0)) + 1), text
    )
    return sorted(NUMBER.findall(text))


def numbers(values: Counter) -> Counter:
    return Counter(n for v, k in values.items() for n in numbers_of(v) * k)


@pytest.mark.parametrize("name", toc_files())
def test_the_chinese_page_shows_the_values_of_the_english_page(name):
    english, chinese = built(SITE, name), built(SITE / "zh", name)
    assert numbers(eval_values(chinese)) == numbers(eval_values(english)), (
        f"{name}: the numbers of the {{eval}} values differ between the editions"
    )
    assert eval_values(chinese) == in_chinese(eval_values(english)), (
        f"{name}: the {{eval}} values differ between the editions (words through "
        "the value catalogue)"
    )
    assert cell_outputs(chinese) == cell_outputs(claims_cells_in_chinese(english)), (
        f"{name}: the cell outputs differ between the editions"
    )


@pytest.mark.parametrize("name", toc_files())
def test_the_chinese_page_is_marked_chinese_and_has_no_empty_value(name):
    page = built(SITE / "zh", name)
    assert page.html.get("lang") == "zh-CN"
    empty = [str(s) for s in page.select("article span.output") if not s.get_text()]
    assert empty == [], f"{name}: empty {{eval}} values: {empty}"


def test_the_value_comparison_fails_when_a_value_differs():
    english = BeautifulSoup(
        '<article><p>holds <span class="output text_plain">56</span></p></article>',
        "html.parser",
    )
    chinese = BeautifulSoup(
        '<article><p>共 <span class="output text_plain">55</span></p></article>',
        "html.parser",
    )
    assert eval_values(chinese) != eval_values(english)


@pytest.mark.parametrize("name", toc_files())
def test_every_page_has_its_catalogue(name):
    assert (CATALOGUES / f"{name}.po").is_file(), f"no catalogue for {name}"


def test_the_catalogues_are_mainly_chinese():
    """Han characters make up most of the letters of every page's translations."""
    from babel.messages.pofile import read_po

    low = {}
    for name in toc_files():
        path = CATALOGUES / f"{name}.po"
        if not path.is_file():
            continue
        with open(path, "rb") as handle:
            text = " ".join(m.string for m in read_po(handle) if m.id and m.string)
        prose = re.sub(r"\{[^}]+\}`[^`]*`|\]\([^)]*\)|\$[^$]*\$|`[^`]*`", "", text)
        han = len(re.findall(r"[\u4e00-\u9fff]", prose))
        latin = len(re.findall(r"[A-Za-z]", prose))
        if han < latin:
            low[name] = (han, latin)
    assert low == {}, f"pages whose translations are mostly Latin letters: {low}"


def merged(old: dict[str, str], new_ids: list[str], tmp_path) -> dict:
    """Catalogue entries after tools.translations.merge of new_ids into old."""
    from babel.messages.pofile import read_po, write_po

    from tools import translations

    template, catalogue = Catalog(locale="zh_CN"), Catalog(locale="zh_CN")
    for msgid in new_ids:
        template.add(msgid, locations=[("page.md", 1)])
    for msgid, msgstr in old.items():
        catalogue.add(msgid, msgstr)
    template_file, catalogue_file = tmp_path / "page.pot", tmp_path / "page.po"
    with open(template_file, "wb") as handle:
        write_po(handle, template)
    with open(catalogue_file, "wb") as handle:
        write_po(handle, catalogue)
    translations.merge(template_file, catalogue_file)
    with open(catalogue_file, "rb") as handle:
        result = read_po(handle)
    return {m.id: (m.string, m.fuzzy) for m in result if m.id}


def test_a_role_moved_into_a_variable_keeps_its_translation(tmp_path):
    old = {
        "Farmers score {eval}`f'{gap:.1f}'` points below, in {eval}`year`.": (
            "农民低 {eval}`f'{gap:.1f}'` 分（{eval}`year` 年）。"
        )
    }
    new = "Farmers score {eval}`farmer_gap` points below, in {eval}`year`."
    assert merged(old, [new], tmp_path) == {
        new: ("农民低 {eval}`farmer_gap` 分（{eval}`year` 年）。", False)
    }


def test_changed_prose_around_a_role_is_left_for_a_translator(tmp_path):
    old = {"Farmers score {eval}`gap` points below.": ("农民低 {eval}`gap` 分。")}
    new = "Farmers score {eval}`farmer_gap` points lower than all respondents."
    string, _ = merged(old, [new], tmp_path)[new]
    assert "farmer_gap" not in string  # untranslated or fuzzy, never carried


def test_one_expression_split_into_two_is_left_for_a_translator(tmp_path):
    old = {"From {eval}`y` to {eval}`y`.": ("从 {eval}`y` 到 {eval}`y`。")}
    new = "From {eval}`first` to {eval}`last`."
    string, _ = merged(old, [new], tmp_path)[new]
    assert "first" not in string


def test_a_catalogue_whose_messages_did_not_change_keeps_its_bytes(tmp_path):
    from babel.messages.pofile import write_po

    from tools import translations

    template, catalogue = Catalog(locale="zh_CN"), Catalog(locale="zh_CN")
    template.add("A sentence.", locations=[("page.md", 1)])
    catalogue.add("A sentence.", "一句话。", locations=[("page.md", 1)])
    template_file, catalogue_file = tmp_path / "page.pot", tmp_path / "page.po"
    with open(template_file, "wb") as handle:
        write_po(handle, template)
    with open(catalogue_file, "wb") as handle:
        write_po(handle, catalogue, width=0, ignore_obsolete=True)
    translations.merge(template_file, catalogue_file)
    before = catalogue_file.read_bytes()
    template.creation_date = template.creation_date.replace(year=2031)
    with open(template_file, "wb") as handle:
        write_po(handle, template)
    translations.merge(template_file, catalogue_file)
    assert catalogue_file.read_bytes() == before


# ----------------------------------------------------------------- values in Chinese
def english_values() -> list[tuple[str, str]]:
    """(page, value text) of every {eval} value the English build recorded."""
    import json

    found = []
    folder = ROOT / "_build" / translated_edition.EXECUTED
    records = sorted(folder.rglob("*" + translated_edition.EVALS_SUFFIX))
    if not records:
        pytest.fail(f"no {{eval}} records in {folder}: run `make book`")
    for record in records:
        page = record.relative_to(folder).as_posix()
        for _, outputs in json.loads(record.read_text(encoding="utf-8")):
            for output in outputs:
                text = translated_edition.value_text(output)
                if text is not None:
                    found.append(
                        (page.removesuffix(translated_edition.EVALS_SUFFIX), text)
                    )
    return found


def values_without_chinese(values, catalogue) -> list[str]:
    missing = []
    for page, text in values:
        chinese = translated_edition.chinese_text(text, catalogue, NAMES)
        if chinese is None or translated_edition.needs_chinese(chinese):
            missing.append(f"{page}: {text!r} -> {chinese!r}")
    return sorted(set(missing))


def test_every_value_in_a_chinese_sentence_has_a_chinese_form():
    catalogue = translated_edition.value_catalogue(CATALOGUES)
    missing = values_without_chinese(english_values(), catalogue)
    assert missing == [], (
        "values with Latin words and no Chinese form (make translations, then "
        f"translate them in {CATALOGUES / 'values.po'}):\n" + "\n".join(missing)
    )


def test_a_value_missing_from_the_catalogue_is_named_with_its_page():
    values = [
        ("book/x", "away from zero"),
        ("book/x", "p = 0.020"),
        ("book/y", "Tibet"),
    ]
    assert values_without_chinese(values, {}) == ["book/x: 'away from zero' -> None"]
    still_english = {"away from zero": "away from zero"}
    assert values_without_chinese(values[:1], still_english) == [
        "book/x: 'away from zero' -> 'away from zero'"
    ]


@pytest.mark.parametrize(
    "english, chinese",
    [
        ("June 2020", "2020 年 6 月"),
        ("24 July 2024", "2024 年 7 月 24 日"),
        ("positive (p = 0.020)", "正（p = 0.020）"),
        ("negative, not significant (p < 0.001)", "负，不显著（p < 0.001）"),
        ("Beijing, Inner Mongolia and West", "北京、内蒙古、西部"),
        ("福建 Fujian", "福建"),
        ("p = 0.004", "p = 0.004"),
    ],
)
def test_open_sets_get_their_chinese_form_by_pattern(english, chinese):
    assert translated_edition.chinese_text(english, {}, NAMES) == chinese


def test_the_chinese_forms_keep_every_number():
    catalogue = translated_edition.value_catalogue(CATALOGUES)
    changed = [
        (english, chinese)
        for english, chinese in catalogue.items()
        if numbers_of(english) != numbers_of(chinese)
    ]
    assert changed == []
    for page, text in english_values():
        chinese = translated_edition.chinese_text(text, catalogue, NAMES) or text
        assert numbers_of(text) == numbers_of(chinese), page


# ----------------------------------------------------------------- citations in Chinese
def citations(page: BeautifulSoup) -> list[str]:
    """The author-year citation links of a page's text (sphinxcontrib-bibtex: links
    to the references page ending in the year).
    """
    return [
        " ".join(a.get_text().split())
        for a in page.find("article").select("a.reference.internal")
        if "references.html#" in a.get("href", "")
        and re.search(r"\d{4}[a-z]?$", a.get_text().strip())
    ]


@pytest.mark.parametrize("name", toc_files())
def test_chinese_citations_use_chinese_connectors(name):
    english = [
        c
        for c in citations(built(SITE / "zh", name))
        if re.search(r"\bet al\.|\band\b|\bothers\b", c)
    ]
    assert english == [], f"{name}: citations with English connectors: {english}"


def test_chinese_citations_known_answers():
    intro = citations(built(SITE / "zh", "book/intro"))
    assert "张林和蒲清平, 2023" in intro and "何永芳等, 2020" in intro
    flow = citations(built(SITE / "zh", "book/mechanisms/factor_flow"))
    assert {"王淑佳等, 2021", "Zhao 等, 2025", "Li 和 Liu, 2024"} <= set(flow)
    methods = citations(built(SITE / "zh", "book/appendix/methods"))
    assert "Hwang 和 Yoon, 1981" in methods


# ----------------------------------------------------------------- figure alt text
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("name", toc_files())
def test_every_figure_of_a_chinese_page_has_chinese_alt_text(name):
    english = [
        img.get("alt", "")
        for img in built(SITE / "zh", name).find("article").find_all("img")
        if not CHINESE.search(img.get("alt", ""))
    ]
    assert english == [], f"{name}: <img> alt text not in Chinese: {english}"
