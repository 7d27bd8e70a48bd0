"""The claims ledger: one file, stable ids, every id on its chapter page and in the ledger."""
import re

import pytest

from helpers.claims import VERDICTS, claims_table, load_claims, verdict_counts
from tests.conftest import ROOT

CLAIM_IN_TEXT = re.compile(r"\*\*([MCP][1-4]-\d+)\*\*")


def test_every_claim_appears_on_its_chapter_page():
    for entry in load_claims():
        page = (ROOT / "book" / f"{entry['chapter']}.md").read_text(encoding="utf-8")
        assert f"**{entry['id']}**" in page, f"{entry['id']} is not listed on book/{entry['chapter']}.md"


def test_every_id_on_a_chapter_page_is_in_the_ledger():
    ids = {entry["id"] for entry in load_claims()}
    for page in (ROOT / "book").glob("*/*.md"):
        for claim_id in CLAIM_IN_TEXT.findall(page.read_text(encoding="utf-8")):
            assert claim_id in ids, f"{page.relative_to(ROOT)} names {claim_id}, which the ledger lacks"


def test_each_part_has_claims_for_all_four_sections():
    ids = {entry["id"] for entry in load_claims()}
    for part in "MCP":
        for section in "1234":
            assert any(i.startswith(f"{part}{section}-") for i in ids), f"no claims for {part}{section}"


def test_ledger_page_lists_every_claim(site):
    html = (site / "book" / "appendix" / "claims_ledger.html").read_text(encoding="utf-8")
    for entry in load_claims():
        assert entry["id"] in html, f"{entry['id']} missing from the built ledger page"


def test_verdict_counts_add_up_to_the_number_of_claims():
    counts = verdict_counts()
    assert list(counts.index) == list(VERDICTS)
    assert counts.sum() == len(load_claims())


def test_claims_table_filters_by_prefix():
    shown = claims_table("C1").data
    assert len(shown) > 0 and shown["id"].str.startswith("C1-").all()


@pytest.mark.parametrize(
    "entry, message",
    [
        ({"id": "X1-1", "chapter": "mechanisms/a", "claim": "c", "evidence": "e", "verdict": "pending"}, "not of the form"),
        ({"id": "M1-1", "chapter": "mechanisms/a", "claim": "c", "evidence": "e", "verdict": "true"}, "verdict 'true'"),
        ({"id": "M1-1", "chapter": "paths/a", "claim": "c", "evidence": "e", "verdict": "pending"}, "not under mechanisms/"),
        ({"id": "M1-1", "chapter": "mechanisms/a", "claim": "", "evidence": "e", "verdict": "pending"}, "missing field(s) claim"),
    ],
)
def test_broken_claims_file_is_rejected_with_the_entry_named(tmp_path, entry, message):
    import yaml

    path = tmp_path / "claims.yml"
    path.write_text(yaml.safe_dump([entry]), encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        load_claims(path)
    assert "entry 1" in str(error.value)


def test_duplicate_id_is_rejected(tmp_path):
    import yaml

    entry = {"id": "M1-1", "chapter": "mechanisms/a", "claim": "c", "evidence": "e", "verdict": "pending"}
    path = tmp_path / "claims.yml"
    path.write_text(yaml.safe_dump([entry, entry]), encoding="utf-8")
    with pytest.raises(ValueError, match="entry 2: duplicate id M1-1"):
        load_claims(path)
