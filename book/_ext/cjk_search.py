"""Sphinx extension: site search finds every Chinese word on every page that holds it.

Sphinx's Chinese search splits text with jieba, which cuts 新质生产力 into 新质 / 生产 /
生产力. Loading a user dictionary built from the glossary makes each glossary term one
search word. But a reader's query is looked up as one whole index word, and jieba keeps
only one cut of each stretch of text: its search mode adds the 2- and 3-character
dictionary words inside a longer word, never a 4-character one, so a page that says
户籍人口城镇化率 was not found by 城镇化率, and one that says 城乡融合发展 not by
城乡融合. So every word of jieba's dictionary (the glossary terms included) that stands
anywhere inside a run of Chinese characters is indexed too, whatever jieba's cut.

Text without any CJK character (numbers in tables, English prose, code) skips jieba: its
Latin words are indexed by Sphinx's own Latin pattern as before, and jieba would only
add punctuation and decimal numbers. That halves the time jieba takes in a build (about
2.2 -> 1.1 CPU-s for the whole book).
"""

import re
from pathlib import Path

import yaml
from sphinx.search import zh

GLOSSARY = Path(__file__).resolve().parents[1] / "glossary.yml"
# CJK radicals, punctuation, kana, unified ideographs (with extension A), compatibility
# ideographs, full-width forms.
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")
LONGEST_WORD = 8  # characters; longer dictionary entries are rare and are cut by jieba


def dictionary_words_inside(text: str, frequencies) -> list[str]:
    """Every dictionary word (2 to LONGEST_WORD characters) inside the text's runs of
    Han characters, in order of appearance, each once.
    """
    words = {}
    for run in HAN_RUN.findall(text):
        for start in range(len(run) - 1):
            for end in range(start + 2, min(start + LONGEST_WORD, len(run)) + 1):
                word = run[start:end]
                if frequencies.get(word, 0) > 0:
                    words[word] = None
    return list(words)


def glossary_terms() -> list[str]:
    """The Chinese terms of the glossary."""
    return [
        entry["zh"] for entry in yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))
    ]


def split_keeping_glossary_terms(original_split, terms):
    """Wrap SearchChinese.split so that glossary terms and dictionary words inside
    longer words are indexed too.
    """

    def split(self, text: str) -> list[str]:
        if not CJK.search(text):
            latin = [term.strip() for term in self.latin1_letters.findall(text)]
            self.latin_terms.extend(latin)
            return latin
        import jieba

        words = original_split(self, text)
        jieba.dt.check_initialized()
        inside = dictionary_words_inside(text, jieba.dt.FREQ)
        found = set(words)
        inside += [term for term in terms if term in text and term not in inside]
        return words + [word for word in inside if word not in found]

    return split


def write_user_dictionary(app, config):
    """Write the jieba user dictionary into the build folder and point the search
    options at it.
    """
    from helpers.glossary import jieba_user_dict

    entries = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))
    path = Path(app.doctreedir).parent / "jieba_user_dict.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(jieba_user_dict(entries), encoding="utf-8")
    config.html_search_options = {
        **(config.html_search_options or {}),
        "dict": str(path),
    }
    if not getattr(zh.SearchChinese.split, "keeps_glossary_terms", False):
        zh.SearchChinese.split = split_keeping_glossary_terms(
            zh.SearchChinese.split, glossary_terms()
        )
        zh.SearchChinese.split.keeps_glossary_terms = True


def setup(app):
    app.connect("config-inited", write_user_dictionary)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
