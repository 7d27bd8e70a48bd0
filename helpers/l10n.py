"""Translatable text in a cell's HTML or Markdown output (Chinese edition, issue 21).

Gettext never sees what a cell prints. A building block that prints English text from
book/claims.yml or book/glossary.yml wraps it in a marked span; the Chinese build
(book/_ext/translated_outputs.py) replaces the span's text from the catalogue of its
domain, locale/zh_CN/LC_MESSAGES/<domain>.po, whose template `make translations`
extracts from the same files. The English site and JupyterLab show the English text.

A text filled from a template (an evidence sentence with computed values) carries the
template and the values, so the translation is of the template and the numbers have
one source.
"""

from __future__ import annotations

import html
import json
import numbers

ATTRIBUTE = "data-l10n"


def _plain(value):
    """A value as JSON can hold it (numpy numbers become Python numbers)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return str(value)


def mark(
    text: str, domain: str, template: str | None = None, values: dict | None = None
) -> str:
    """text as a span the Chinese edition translates: by its own words, or (given the
    template it was filled from and its values) by the template's translation.
    """
    attributes = f'{ATTRIBUTE}="{domain}"'
    if template is not None:
        plain = {name: _plain(value) for name, value in (values or {}).items()}
        attributes += (
            f' data-l10n-msgid="{html.escape(template)}" data-l10n-values="'
            f'{html.escape(json.dumps(plain, ensure_ascii=False, sort_keys=True))}"'
        )
    return f"<span {attributes}>{html.escape(text, quote=False)}</span>"
