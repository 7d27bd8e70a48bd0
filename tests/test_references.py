"""The bibliography: the paper, its 20 references, and every key the pages cite."""

import re

import pytest

from tests.conftest import ROOT

pybtex_database = pytest.importorskip("pybtex.database")
BIB = ROOT / "book" / "references.bib"
# MyST citation roles: {cite}`a,b`, {cite:p}`a`, {cite:t}`a` ...
CITE = re.compile(r"\{cite(?::\w+)?\}`([^`]+)`")


@pytest.fixture(scope="module")
def bib():
    return pybtex_database.parse_file(str(BIB))


def test_the_paper_is_in_the_bibliography(bib):
    paper = bib.entries["liu2024nqpf"]
    assert paper.fields["title"] == "新质生产力驱动城乡融合发展的机制与路径研究"
    assert paper.fields["journal"] == "区域经济评论"
    assert (paper.fields["year"], paper.fields["number"], paper.fields["pages"]) == (
        "2024",
        "5",
        "100--106",
    )
    assert str(paper.persons["author"][0]) == "{刘昱洋}"


def test_all_twenty_references_of_the_paper_are_present_once_each(bib):
    numbers = []
    for entry in bib.entries.values():
        if entry.fields.get("keywords") == "paper-reference":
            found = re.search(
                r"Reference (\d+) in the paper", entry.fields.get("note", "")
            )
            assert found, f"{entry.key}: paper reference without its number in the note"
            numbers.append(int(found.group(1)))
    assert sorted(numbers) == list(range(1, 21))


def test_every_paper_reference_has_an_english_gloss(bib):
    for entry in bib.entries.values():
        if entry.fields.get("keywords") == "paper-reference":
            note = entry.fields.get("note", "")
            assert "Gloss:" in note or "English title" in note, entry.key


def test_every_cited_key_exists(bib):
    missing = []
    for page in sorted((ROOT / "book").rglob("*.md")):
        for group in CITE.findall(page.read_text(encoding="utf-8")):
            for key in (k.strip() for k in group.split(",")):
                if key not in bib.entries:
                    missing.append(f"{page.relative_to(ROOT)}: {key}")
    assert not missing, "citations without a bibliography entry: " + "; ".join(missing)
