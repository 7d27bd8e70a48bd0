"""Printed text in the Chinese edition (issue 21): the claim cards, the ledger and the
glossary table, translated once each from locale/zh_CN/LC_MESSAGES/<domain>.po.

- Every text of book/claims.yml and book/glossary.yml that a cell prints has a
  non-fuzzy translation that keeps the template's placeholders.
- A marked text without a translation stays English and is named (the strict build
  fails on the warning); an evidence template's translation is filled with the
  English build's values.
- In the built site, each chapter's claim cards are Chinese with the English cards'
  numbers, the ledger's pasted evidence is Chinese, and the glossary's meanings and
  headers are Chinese.
"""

from __future__ import annotations

import html
import json
import re
import sys

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from helpers.claims import format_evidence, load_claims
from helpers.l10n import mark
from tests.conftest import ROOT, SITE

sys.path.insert(0, str(ROOT / "book" / "_ext"))
from translated_outputs import OutputTranslator  # noqa: E402

LOCALE = ROOT / "locale" / "zh_CN"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def domain_problems(texts: list[str], catalogue) -> list[str]:
    """The texts a catalogue leaves untranslated, fuzzy, or with other placeholders."""
    problems = []
    for text in texts:
        entry = catalogue.get(text)
        if entry is None or not entry.string:
            problems.append(f"untranslated: {text}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {text}")
        elif sorted(PLACEHOLDER.findall(entry.string)) != sorted(
            PLACEHOLDER.findall(text)
        ):
            problems.append(f"placeholders differ: {text}")
    return problems


def catalogue_file(domain: str):
    with open(LOCALE / "LC_MESSAGES" / f"{domain}.po", "rb") as handle:
        return read_po(handle)


def test_every_claims_and_glossary_text_has_its_translation():
    from tools.translations import domain_texts

    found = {
        domain: domain_problems(texts, catalogue_file(domain))
        for domain, (_, texts) in domain_texts().items()
    }
    assert found == {"claims": [], "glossary": []}
    assert len(domain_texts()["claims"][1]) > 3 * len(load_claims())


def test_a_changed_english_text_is_named_as_untranslated():
    catalogue = catalogue_file("claims")
    claim = load_claims()[0]["claim"]
    assert domain_problems([claim], catalogue) == []
    assert domain_problems([claim + " Now longer."], catalogue) == [
        f"untranslated: {claim} Now longer."
    ]


def translator(entries: dict[str, tuple[str, bool]]) -> OutputTranslator:
    catalogue = Catalog(locale="zh_CN")
    for msgid, (msgstr, fuzzy) in entries.items():
        catalogue.add(msgid, msgstr, flags=["fuzzy"] if fuzzy else [])
    return OutputTranslator(LOCALE, "zh_CN", lambda path: catalogue)


def test_a_marked_text_is_translated_and_an_unknown_one_named():
    known, unknown = mark("mixed", "claims"), mark("a changed claim", "claims")
    fuzzy = mark("pending", "claims")
    t = translator({"mixed": ("证据不一", False), "pending": ("待定", True)})
    out = t.text(f"<p>{known} · {unknown} · {fuzzy}</p>")
    assert "证据不一" in out and "a changed claim" in out and "pending" in out
    assert t.problems == [
        ("untranslated", "claims.po", "a changed claim"),
        ("untranslated", "claims.po", "pending"),
    ]


def test_a_translation_that_types_a_number_is_named():
    template = "The slope is {coef:.2g}."
    t = translator({template: ("斜率为 -0.49。", False)})
    out = t.text(mark("The slope is -0.49.", "claims", template, {"coef": -0.49}))
    assert "The slope is -0.49." in out
    assert t.problems == [("placeholders differ in", "claims.po", template)]


def test_an_evidence_template_is_translated_and_filled_with_the_same_values():
    template = "The slope is {coef:.2g} ({p:p}), {p:sig}."
    values = {"coef": -0.4912, "p": 0.0312}
    english = format_evidence(template, values)
    t = translator({template: ("斜率为 {coef:.2g}（{p:p}），{p:sig}。", False)})
    out = t.text(mark(english, "claims", template, values))
    assert "斜率为 -0.49（p = 0.031），在 5% 水平上显著。" in html.unescape(out)
    # A glued copy of the English sentence (the ledger pastes it) is translated too.
    glue = {"claim_X": {"data": {"text/plain": repr(english)}}}
    t.glued(glue)
    assert glue["claim_X"]["data"]["text/plain"] == repr(
        "斜率为 -0.49（p = 0.031），在 5% 水平上显著。"
    )


# ----------------------------------------------------------------- the built site
def built(edition, name: str) -> BeautifulSoup:
    path = edition / f"{name}.html"
    if not path.is_file():
        pytest.fail(f"no built page {path}: run `make book`")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def translated_part(span) -> str:
    """A marked span's text without the text values it was filled with (words a page
    computes, such as dates: not yet given in Chinese).
    """
    text = span.get_text()
    values = json.loads(span.get("data-l10n-values") or "{}")
    for value in values.values():
        if isinstance(value, str):
            text = text.replace(value, "")
    return text


CHAPTERS = sorted({entry["chapter"] for entry in load_claims()})


def mostly_chinese(text: str) -> bool:
    return len(HAN.findall(text)) > len(LATIN.findall(text))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_chinese_chapter_shows_chinese_claim_cards_with_the_english_numbers(chapter):
    english = built(SITE, f"book/{chapter}").select("div.claim-entry[id]")
    chinese = built(SITE / "zh", f"book/{chapter}").select("div.claim-entry[id]")
    assert [c["id"] for c in chinese] == [c["id"] for c in english] != []
    numbers = 0
    for en, zh in zip(english, chinese):
        for span in zh.select("span[data-l10n]"):
            assert mostly_chinese(translated_part(span)), f"{zh['id']}: {span}"
        en_numbers, zh_numbers = (
            sorted(
                NUMBER.findall(
                    " ".join(
                        s.get_text() for s in card.select("span[data-l10n-values]")
                    )
                )
            )
            for card in (en, zh)
        )
        assert zh_numbers == en_numbers, zh["id"]
        numbers += len(zh_numbers)
    assert numbers > 0, f"{chapter}: no computed number in its claim cards"


def test_the_chinese_ledger_pastes_the_chinese_cards_evidence():
    """The ledger pastes each chapter's evidence (glue): in Chinese, the same filled
    translation as the chapter's card.
    """
    page = built(SITE / "zh", "book/appendix/claims_ledger")
    pasted = [
        " ".join(p.get_text().split()) for p in page.select("dd span.pasted-text")
    ]
    cards = []
    for chapter in CHAPTERS:
        chinese = built(SITE / "zh", f"book/{chapter}")
        cards += [
            " ".join(span.get_text().split())
            for span in chinese.select("div.claim-entry[id] span[data-l10n-values]")
        ]
    assert len(pasted) == len(load_claims())
    assert sorted(pasted) == sorted(cards)


def test_the_chinese_glossary_shows_chinese_meanings_and_headers():
    page = built(SITE / "zh", "book/appendix/glossary")
    table = page.find("article").find("table")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == ["中文", "拼音", "英文", "释义", "术语出处"]
    meanings = [row.select("td")[3].get_text() for row in table.select("tbody tr")]
    assert len(meanings) > 50
    assert [m for m in meanings if not mostly_chinese(m)] == []


def test_a_readable_table_cell_that_is_a_claims_message_is_translated():
    t = translator({"mixed": ("证据不一", False)})
    table = (
        '<table class="nqpf-table"><tbody><tr><td>mixed</td><td>11</td>'
        "<td>mixed results</td></tr></tbody></table>"
    )
    assert t.text(table) == table.replace("<td>mixed</td>", "<td>证据不一</td>")
    other = table.replace(' class="nqpf-table"', "")
    assert t.text(other) == other  # only the book's readable tables


@pytest.mark.parametrize("page_name", ["book/intro", "book/appendix/claims_ledger"])
def test_the_chinese_verdict_counts_name_the_verdicts_in_chinese(page_name):
    from helpers.claims import VERDICTS

    page = built(SITE / "zh", page_name)
    table = page.find("article").find("table", class_="nqpf-table")
    names = [
        row.select("td")[0].get_text(strip=True) for row in table.select("tbody tr")
    ]
    assert names and not set(names) & set(VERDICTS), names
    assert all(HAN.search(name) for name in names), names
