"""The glossary file, its appendix table and the jieba user dictionary built from it."""

import os
import re
from pathlib import Path

import pytest
import yaml

from helpers.glossary import (
    ORIGINS,
    REQUIRED_FIELDS,
    glossary_frame,
    jieba_user_dict,
    load_glossary,
    pinyin_sort_key,
    validate_glossary,
)

KEY_TERMS = ("新质生产力", "城乡融合")


def entry(
    zh="新质生产力",
    pinyin="xīnzhì shēngchǎnlì",
    en="new quality productive forces",
    meaning="m",
    origin="paper",
):
    return {"zh": zh, "pinyin": pinyin, "en": en, "meaning": meaning, "origin": origin}


# --- the real glossary
# ----------------------------------------------------------------------------


def test_glossary_entries_have_every_field_filled():
    for item in load_glossary():
        for field in REQUIRED_FIELDS:
            assert str(item[field]).strip(), f"{item.get('zh')}: empty {field}"


def test_glossary_terms_are_unique():
    terms = [item["zh"] for item in load_glossary()]
    assert len(terms) == len(set(terms))


def test_glossary_pinyin_has_tone_marks():
    for item in load_glossary():
        assert any(ch in "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ" for ch in item["pinyin"].lower()), (
            item["zh"]
        )


@pytest.mark.parametrize("term", KEY_TERMS)
def test_key_terms_are_in_the_glossary(term):
    assert term in {item["zh"] for item in load_glossary()}


def test_glossary_has_at_least_forty_terms():
    assert len(load_glossary()) >= 40


# --- validation rejects broken entries, naming the entry and the problem
# --------------------------


@pytest.mark.parametrize(
    "entries, message",
    [
        ([entry(), entry(en="again")], "term repeats entry 1"),
        ([entry(pinyin="xinzhi shengchanli")], "pinyin needs tone marks"),
        ([entry(meaning="  ")], "missing or empty field(s) meaning"),
        (
            [{"zh": "户籍", "pinyin": "hùjí", "en": "hukou", "origin": "policy"}],
            "missing or empty field(s) meaning",
        ),
        ([entry(zh="NQPF")], "zh must be a Chinese term"),
        ([entry(zh="新质 生产力")], "zh must be a Chinese term without spaces"),
        ([entry(origin="ours")], "origin 'ours' not in"),
        ([{**entry(), "paper_wording": "新质生产力"}], "paper_wording is the paper's"),
        ([{**entry(origin="policy"), "paper_wording": "NQPF"}], "paper_wording is"),
        ([], "non-empty list"),
        ({"zh": "户籍"}, "non-empty list"),
    ],
)
def test_broken_glossary_is_rejected(entries, message):
    with pytest.raises(
        ValueError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        validate_glossary(entries, source="test.yml")


def test_load_glossary_names_the_file_and_entry(tmp_path):
    path = tmp_path / "glossary.yml"
    path.write_text(
        yaml.safe_dump([entry(), entry(zh="户籍", pinyin="huji")], allow_unicode=True),
        encoding="utf-8",
    )
    with pytest.raises(
        ValueError, match=r"glossary.yml, entry 2 \(户籍\): pinyin needs tone marks"
    ):
        load_glossary(path)


# --- the appendix table
# ----------------------------------------------------------------------------


def test_pinyin_sort_key_drops_tones_and_separators():
    # Worked by hand: strip the tone marks, the apostrophe and the spaces, lower-case, ü
    # -> u.
    assert pinyin_sort_key("Tài'ěr zhǐshù") == "taierzhishu"
    assert pinyin_sort_key("lǜsè dītàn") == "luseditan"


def test_glossary_frame_sorts_by_pinyin_and_keeps_every_term():
    entries = [
        entry("户籍", "hùjí", "hukou"),
        entry("恩格尔系数", "Ēngé'ěr xìshù", "Engel"),
        entry("熵值法", "shāngzhífǎ", "entropy"),
    ]
    frame = glossary_frame(entries)
    assert list(frame["中文 Chinese"]) == ["恩格尔系数", "户籍", "熵值法"]
    assert list(frame.columns) == [
        "中文 Chinese",
        "Pinyin",
        "English",
        "Meaning",
        "Whose term",
    ]


def test_whose_term_column_shows_the_papers_own_words_where_they_differ():
    entries = [
        entry("户籍", "hùjí", "hukou", origin="policy"),
        {
            **entry("家庭承包经营", "jiātíng", "x", origin="policy"),
            "paper_wording": "家庭承包",
        },
    ]
    frame = glossary_frame(entries).set_index("中文 Chinese")["Whose term"]
    assert frame["户籍"] == "policy"
    assert frame["家庭承包经营"] == "policy; the paper says 「家庭承包」"
    assert glossary_frame([entry()])["Whose term"].iloc[0] == "the paper's"


def test_the_glossary_marks_every_term_and_the_flagged_paraphrases():
    by_term = {item["zh"]: item for item in load_glossary()}
    assert {item["origin"] for item in by_term.values()} <= set(ORIGINS)
    # Paraphrases that the audit of issue 20 found shown as the paper's Chinese.
    for term, wording in {
        "城乡统一市场": "城乡统一的市场体系",
        "家庭承包经营": "家庭承包",
        "一二三产业融合": "一二三产业",
        "绿色低碳转型": "城乡绿色转型",
    }.items():
        assert by_term[term]["origin"] != "paper", term
        assert by_term[term]["paper_wording"] == wording, term
    assert "registration" not in by_term["城乡二元结构"]["meaning"].split(";")[0]


PAPER_TEXT = os.environ.get("NQPF_PAPER_TEXT")


@pytest.mark.skipif(not PAPER_TEXT, reason="set NQPF_PAPER_TEXT to the paper's text")
def test_terms_marked_as_the_papers_are_in_the_papers_text():
    paper = re.sub(r"\s", "", Path(PAPER_TEXT).read_text(encoding="utf-8"))
    # Collected as lists so that a failure names the terms, not the paper's text.
    wrong = [
        f"{item['zh']} ({item['origin']})"
        for item in load_glossary()
        if (item["zh"] in paper) != (item["origin"] == "paper")
    ]
    missing = [
        item["paper_wording"]
        for item in load_glossary()
        if item.get("paper_wording") and item["paper_wording"] not in paper
    ]
    assert wrong == [] and missing == []


# --- the jieba user dictionary
# ----------------------------------------------------------------------


def test_jieba_user_dict_known_answer():
    entries = [
        entry("新质生产力"),
        entry("城乡融合", "chéngxiāng rónghé"),
        entry("新质生产力"),
    ]
    assert jieba_user_dict(entries, frequency=500) == "新质生产力 500\n城乡融合 500\n"


def test_jieba_user_dict_rejects_terms_jieba_would_misread():
    with pytest.raises(ValueError, match="entry 2"):
        jieba_user_dict([entry(), entry(zh="城乡 融合")])
    with pytest.raises(ValueError, match="positive"):
        jieba_user_dict([entry()], frequency=0)


def test_jieba_keeps_key_terms_whole_with_the_user_dictionary(tmp_path):
    jieba = pytest.importorskip("jieba")
    sentence = "发展新质生产力推动城乡融合"
    plain = jieba.Tokenizer()
    # Without the dictionary jieba cuts the key term apart; this is the problem the
    # dictionary solves.
    assert "新质生产力" not in plain.lcut(sentence)
    user_dict = tmp_path / "user_dict.txt"
    user_dict.write_text(jieba_user_dict(load_glossary()), encoding="utf-8")
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(user_dict))
    words = tokenizer.lcut(sentence)
    assert "新质生产力" in words and "城乡融合" in words
    # Sphinx's Chinese search indexes cut_for_search output: the whole terms must be
    # among the words.
    assert {"新质生产力", "城乡融合"} <= set(tokenizer.lcut_for_search(sentence))
