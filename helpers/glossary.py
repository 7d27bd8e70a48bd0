"""The glossary: Chinese key terms with pinyin, English and a one-line meaning.

One file, ``book/glossary.yml``, feeds two things: the glossary appendix
(``glossary_table``) and the jieba user dictionary that keeps the key terms whole in the
site search (``jieba_user_dict``).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from helpers.l10n import mark
from helpers.paths import BOOK_DIR

if TYPE_CHECKING:
    import pandas as pd

GLOSSARY_FILE = BOOK_DIR / "glossary.yml"
REQUIRED_FIELDS = ("zh", "origin", "pinyin", "en", "meaning")
# Whose wording a term is: the paper's own (verbatim in Liu 2024), official policy
# vocabulary, a statistical series name, or the economics and methods literature.
ORIGINS = ("paper", "policy", "statistics", "literature")
TABLE_COLUMNS = {
    "zh": "中文 Chinese",
    "pinyin": "Pinyin",
    "en": "English",
    "meaning": "Meaning",
    "origin": "Whose term",
}
DOMAIN = "glossary"  # the gettext domain of its meanings and labels (helpers.l10n)
ORIGIN_LABELS = {"paper": "the paper's"}  # the others read as they are
PAPER_SAYS = "the paper says"
# Vowels carrying one of the four tone marks (precomposed forms, as typed in the
# glossary).
TONE_MARKED = re.compile("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", re.IGNORECASE)
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# A frequency far above what jieba needs to prefer a glossary term over its pieces, so
# the term stays whole.
DEFAULT_FREQUENCY = 10_000


def load_glossary(path: Path | None = None) -> list[dict]:
    """Read the glossary file and check it with validate_glossary."""
    path = Path(path) if path is not None else GLOSSARY_FILE
    # libyaml's C loader where PyYAML has it: the same safe subset, about twenty times
    # faster.
    entries = yaml.load(
        path.read_text(encoding="utf-8"),
        Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
    )
    return validate_glossary(entries, source=str(path))


def validate_glossary(entries, source: str = "glossary") -> list[dict]:
    """Check every entry: the four fields present, a Chinese term, pinyin with tone
    marks, no repeated term.
    """
    if not isinstance(entries, list) or not entries:
        raise ValueError(
            f"{source}: expected a non-empty list of entries, found "
            f"{type(entries).__name__}"
        )
    seen: dict[str, int] = {}
    for position, entry in enumerate(entries, start=1):
        where = f"{source}, entry {position}"
        if not isinstance(entry, dict):
            raise ValueError(
                f"{where}: expected a mapping with fields {REQUIRED_FIELDS}, found "
                f"{entry!r}"
            )
        missing = [
            field
            for field in REQUIRED_FIELDS
            if not str(entry.get(field) or "").strip()
        ]
        if missing:
            raise ValueError(
                f"{where} ({entry.get('zh', '?')}): missing or empty field(s) "
                f"{', '.join(missing)}"
            )
        term = str(entry["zh"]).strip()
        where = f"{where} ({term})"
        if not HAN.search(term) or re.search(r"\s", term):
            raise ValueError(
                f"{where}: zh must be a Chinese term without spaces, found {term!r}"
            )
        if not TONE_MARKED.search(str(entry["pinyin"])):
            raise ValueError(
                f"{where}: pinyin needs tone marks (e.g. 'xīnzhì'), found "
                f"{entry['pinyin']!r}"
            )
        if entry["origin"] not in ORIGINS:
            raise ValueError(f"{where}: origin {entry['origin']!r} not in {ORIGINS}")
        wording = entry.get("paper_wording")
        if wording is not None and (
            entry["origin"] == "paper" or not HAN.search(str(wording))
        ):
            raise ValueError(
                f"{where}: paper_wording is the paper's Chinese for a term that is "
                f"not itself the paper's, found {wording!r} with origin "
                f"{entry['origin']!r}"
            )
        if term in seen:
            raise ValueError(f"{where}: term repeats entry {seen[term]}")
        seen[term] = position
    return entries


def pinyin_sort_key(pinyin: str) -> str:
    """Pinyin with tone marks and separators removed, lower-cased (ü -> u), for
    alphabetical order.
    """
    decomposed = unicodedata.normalize("NFD", pinyin.lower())
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z]", "", letters)


def glossary_frame(entries: list[dict], translatable: bool = False) -> pd.DataFrame:
    """The glossary as a table sorted by pinyin, one row per term, with bilingual column
    names; translatable: its English texts marked for the Chinese edition (HTML).
    """
    # Imported here: the site build imports this module for jieba_user_dict alone (0.4
    # CPU-s saved per build).
    import pandas as pd

    text = (lambda words: mark(words, DOMAIN)) if translatable else str
    frame = pd.DataFrame(entries, columns=[*REQUIRED_FIELDS, "paper_wording"])
    frame["origin"] = [
        origin_label(origin, wording, text)
        for origin, wording in zip(frame["origin"], frame["paper_wording"])
    ]
    if translatable:
        frame["meaning"] = frame["meaning"].map(text)
    order = frame["pinyin"].map(pinyin_sort_key).argsort(kind="stable")
    frame = frame.iloc[order].reset_index(drop=True)
    columns = {key: text(label) for key, label in TABLE_COLUMNS.items()}
    return frame[list(TABLE_COLUMNS)].rename(columns=columns)


def origin_label(origin: str, paper_wording=None, text=str) -> str:
    """The glossary's 'Whose term' cell: the origin, and the paper's own words where
    they differ from the term (text: how an English phrase is written).
    """
    label = text(ORIGIN_LABELS.get(origin, origin))
    if isinstance(paper_wording, str) and paper_wording:
        label += f"; {text(PAPER_SAYS)} 「{paper_wording}」"
    return label


def translatable_texts(entries: list[dict]) -> list[str]:
    """Every glossary text the Chinese edition translates (the template of the
    glossary domain, tools/translations.py), each once.
    """
    origins = [ORIGIN_LABELS.get(origin, origin) for origin in ORIGINS]
    texts = [*TABLE_COLUMNS.values(), *origins, PAPER_SAYS]
    return list(dict.fromkeys(texts + [entry["meaning"] for entry in entries]))


def glossary_table(entries: list[dict]):
    """The glossary table styled for a book page (no index, text left-aligned)."""
    return (
        glossary_frame(entries, translatable=True)
        .style.hide(axis="index")
        .set_properties(**{"text-align": "left", "vertical-align": "top"})
    )


def jieba_user_dict(entries: list[dict], frequency: int = DEFAULT_FREQUENCY) -> str:
    """A jieba user dictionary: one 'term frequency' line per distinct Chinese term, in
    glossary order.
    """
    if frequency < 1:
        raise ValueError(f"frequency must be a positive integer, found {frequency!r}")
    terms: list[str] = []
    for position, entry in enumerate(entries, start=1):
        term = str(entry.get("zh") or "").strip()
        # jieba reads "word freq tag" split on spaces, so a term with a space would be
        # misread.
        if not term or re.search(r"\s", term):
            raise ValueError(
                f"glossary entry {position}: zh must be a term without spaces, found "
                f"{term!r}"
            )
        if term not in terms:
            terms.append(term)
    return "".join(f"{term} {frequency}\n" for term in terms)
