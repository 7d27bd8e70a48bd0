"""The Chinese edition's translation of the text that cells print (issue 21).

A building block marks the English texts it prints (helpers/l10n.py: a span with
data-l10n="<domain>"); the Chinese build replays the English build's outputs
(translated_edition.py) and, before a page is read, replaces each marked text by its
translation in locale/<language>/LC_MESSAGES/<domain>.po. A span filled from a template
carries the template (the message) and its values: the translated template is filled
with the same values, so a number has one source. Glued values that equal a filled
text are replaced by its translation too (the ledger pastes the chapters' evidence).

A marked text without a translation (missing, empty or fuzzy), or whose translation
has other placeholders than its template, stays English and is warned about, naming the
text: the strict build fails on it.
"""

from __future__ import annotations

import ast
import html
import json
import re
from pathlib import Path

SPAN = re.compile(
    r'<span data-l10n="(?P<domain>\w+)"(?P<attributes>[^>]*)>(?P<text>[^<]*)</span>'
)
ATTRIBUTE = re.compile(r'data-l10n-(?P<name>msgid|values)="(?P<value>[^"]*)"')
MARKED = 'data-l10n="'  # in a page message: translated by its domain, not the page's
# Cells of helpers.tables.readable_table whose whole text is a message of the claims
# domain (the verdict names of the verdict-count tables) are translated too: the
# tables escape their text, so they cannot carry marked spans.
READABLE_TABLE = 'class="nqpf-table"'
CELL_DOMAIN = "claims"
TABLE_CELL = re.compile(r"(?P<open><td[^>]*>)(?P<text>[^<]+)(?P<close></td>)")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def placeholders(text: str) -> list[str]:
    """A template's {placeholders}: a translation keeps them, so no number is typed."""
    return sorted(PLACEHOLDER.findall(text))


def translation(catalogue, message: str) -> str | None:
    """The message's translation, or None (missing, empty or fuzzy)."""
    entry = catalogue.get(message) if catalogue is not None else None
    if entry is None or not entry.string or entry.fuzzy:
        return None
    return entry.string


class OutputTranslator:
    """Translates the marked spans of outputs, from the domain catalogues in folder."""

    def __init__(self, folder: Path, language: str, read_catalogue):
        self.folder, self.language, self.read = folder, language, read_catalogue
        self.problems: list[tuple[str, str, str]] = []  # (problem, catalogue, message)
        self.filled: dict[str, str] = {}  # English filled text -> its translation
        self.domains: set[str] = set()

    def catalogue_file(self, domain: str) -> Path:
        return self.folder / "LC_MESSAGES" / f"{domain}.po"

    def span(self, match: re.Match) -> str:
        domain = match["domain"]
        self.domains.add(domain)
        attributes = {
            a["name"]: html.unescape(a["value"])
            for a in ATTRIBUTE.finditer(match["attributes"])
        }
        english = html.unescape(match["text"])
        message = attributes.get("msgid", english)
        chinese = translation(self.read(self.catalogue_file(domain)), message)
        if chinese is None or placeholders(chinese) != placeholders(message):
            problem = "untranslated" if chinese is None else "placeholders differ in"
            self.problems.append((problem, f"{domain}.po", message))
            return match.group(0)
        if "values" in attributes:
            from helpers.claims import format_evidence

            values = json.loads(attributes["values"])
            chinese = format_evidence(chinese, values, self.language)
            self.filled[english] = chinese
        return (
            f'<span data-l10n="{domain}"{match["attributes"]}>'
            f"{html.escape(chinese, quote=False)}</span>"
        )

    def cell(self, match: re.Match) -> str:
        """A readable table's cell whose whole text is a claims message (a verdict
        name): its translation; any other cell as it is.
        """
        english = html.unescape(match["text"]).strip()
        chinese = translation(self.read(self.catalogue_file(CELL_DOMAIN)), english)
        if chinese is None:
            return match.group(0)
        self.domains.add(CELL_DOMAIN)
        return match["open"] + html.escape(chinese, quote=False) + match["close"]

    def text(self, text):
        """An output's text (a string or nbformat's list of lines), translated."""
        if isinstance(text, list):
            text = "".join(text)
        if MARKED in text:
            text = SPAN.sub(self.span, text)
        if READABLE_TABLE in text:
            text = TABLE_CELL.sub(self.cell, text)
        return text

    def outputs(self, outputs: list) -> None:
        for output in outputs:
            data = output.get("data", {})
            for mime in ("text/html", "text/markdown"):
                if mime in data:
                    data[mime] = self.text(data[mime])

    def glued(self, glue: dict) -> None:
        """Glued text that equals a filled English text: its translation."""
        for output in glue.values():
            data = output.get("data", {})
            self.outputs([output])
            try:
                value = ast.literal_eval(data.get("text/plain", ""))
            except (ValueError, SyntaxError):
                continue
            if isinstance(value, str) and value in self.filled:
                data["text/plain"] = repr(self.filled[value])


def translate_replayed(app, docname: str, executed, glue) -> None:
    """The English outputs and glued values of a page, translated in place (Chinese
    build); a marked text without its translation is warned about, naming it.
    """
    from sphinx.util import logging
    from translated_edition import read_catalogue

    folder = Path(app.srcdir) / app.config.locale_dirs[0] / app.config.language
    translator = OutputTranslator(folder, app.config.language, read_catalogue)
    for cell in executed.get("cells", []):
        translator.outputs(cell.get("outputs", []))
    translator.glued(glue)
    for domain in sorted(translator.domains):
        app.env.note_dependency(str(translator.catalogue_file(domain)))
    log = logging.getLogger(__name__)
    for problem, catalogue, message in dict.fromkeys(translator.problems):
        shown = message if len(message) < 70 else message[:67] + "..."
        log.warning(
            f"{problem} message (in {folder.name}/LC_MESSAGES/{catalogue}, "
            f"printed by a cell): {shown}",
            location=docname,
            type="translation",
            subtype=problem.split()[0],
        )
