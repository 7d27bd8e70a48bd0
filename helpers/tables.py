"""Tables a reader can read: human (bilingual) column names, numbers with units, integer
years, "–" for missing.

`readable_table(frame, ...)` returns a pandas Styler, which the site and JupyterLab both
show as an HTML table. Every cell is formatted here (nothing shows as `18.600000`,
`2011.0` or `nan`), text from the data is HTML-escaped, the index is hidden unless asked
for, and the `key` column (the verdict, the estimate) stays on screen when a phone
scrolls the other columns sideways. The site's stylesheet
(book/_ext/static/page_hygiene.css) gives these tables their spacing and aligned digits.
"""

from __future__ import annotations

import html
import numbers
from collections.abc import Iterable, Mapping

import pandas as pd

MISSING = "–"  # an en dash: shown for every missing value
TABLE_CLASS = "nqpf-table"
# The key column sticks to the right edge of the table's scroll box, over the columns
# that scroll under it.
KEY_STYLE = (
    "position: sticky; right: 0; background: var(--pst-color-background, #fff); "
    "box-shadow: -4px 0 4px -2px rgba(0, 0, 0, 0.15); font-weight: 600; min-width: 7em;"
)


def p_text(p: float, label: bool = True) -> str:
    """A p-value as text, the book's one format: 'p < 0.001' below 0.001, else
    'p = 0.034'; without the label ('< 0.001', '0.034') for a table's p column.
    """
    if not 0 <= p <= 1:
        raise ValueError(f"p-value must lie in [0, 1], found {p}")
    text = "< 0.001" if p < 0.001 else f"{p:.3f}"
    if not label:
        return text
    return "p " + text if p < 0.001 else "p = " + text


def format_value(value, decimals: int = 1, unit: str = "", year: bool = False) -> str:
    """One cell as text: '–' if missing, years as integers, numbers with thousands
    separators, the given decimals (integers keep none) and the unit appended ('%'
    sticks to the number, others after a space); anything else as HTML-escaped text.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    suffix = "" if not unit else (unit if unit in {"%", "‰", "pp", "×"} else f" {unit}")
    if isinstance(value, bool):
        return html.escape(str(value))
    if year and isinstance(value, numbers.Real):
        return f"{int(round(value))}"
    if isinstance(value, numbers.Integral):
        return f"{value:,}{suffix}"
    if isinstance(value, numbers.Real):
        return f"{value:,.{decimals}f}{suffix}"
    return html.escape(str(value)) + (suffix if unit else "")


def readable_table(
    frame: pd.DataFrame,
    columns: Mapping[str, str] | None = None,
    decimals: int | Mapping[str, int] = 1,
    units: Mapping[str, str] | None = None,
    years: Iterable[str] = ("year",),
    key: str | None = None,
    index: bool = False,
    caption: str | None = None,
    numeric: Iterable[str] = (),
):
    """A Styler of `frame` for readers.

    columns: new labels by column name, e.g. {"rural": "Rural 农村"}; columns not named
    keep their name. decimals: places for floats, one for all or per column (by original
    name); integers show none. units: per column (original name), e.g. {"gap": "%",
    "income": "yuan"}: '37.5%', '12,345.0 yuan'. years: columns shown as integer years
    (2011, not 2011.0). key: the column (original name) that stays on screen on a phone.
    index: keep the index as the first column(s) (it is hidden otherwise). numeric:
    columns of numbers already written as text (estimates, intervals, p-values), shown
    as they are and aligned as numbers.
    """
    data = frame.reset_index() if index else frame.copy()
    data.columns = [str(c) for c in data.columns]
    if key is not None and key not in data.columns:
        raise KeyError(f"key column {key!r} is not in the table: {list(data.columns)}")
    units = dict(units or {})
    years = set(years)
    places = decimals if isinstance(decimals, Mapping) else {}
    default_places = decimals if isinstance(decimals, int) else 1
    shown = pd.DataFrame(
        {
            name: [
                format_value(
                    v,
                    places.get(name, default_places),
                    units.get(name, ""),
                    name in years,
                )
                for v in data[name]
            ]
            for name in data.columns
        },
        index=range(len(data)),
    )
    labels = {name: (columns or {}).get(name, name) for name in data.columns}
    shown = shown.rename(columns=labels)
    styler = shown.style.hide(axis="index").format_index(escape="html", axis=1)
    styler = styler.set_table_attributes(f'class="{TABLE_CLASS}"')
    # Text is already escaped, numbers formatted: shown as they are.
    styler = styler.format(lambda text: text)
    written_numbers = set(numeric)
    right_aligned = [
        labels[n]
        for n in data.columns
        if pd.api.types.is_numeric_dtype(data[n]) or n in written_numbers
    ]
    styles = {
        label: [
            {
                "selector": "",
                "props": "text-align: right; font-variant-numeric: tabular-nums;",
            }
        ]
        for label in right_aligned
    }
    if key is not None:
        styles.setdefault(labels[key], []).append({"selector": "", "props": KEY_STYLE})
    if styles:
        styler = styler.set_table_styles(styles, overwrite=False)
    if caption:
        styler = styler.set_caption(html.escape(caption))
    return styler
