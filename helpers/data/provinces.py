"""Map province names as sources spell them to GB/T 2260 codes; an unknown name is an
error.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

# Spellings seen in sources that the reference table's own columns do not cover.
EXTRA_ALIASES = {"xizang": 540000, "neimongol": 150000}
# Columns of provinces.csv whose values are accepted as names.
NAME_COLUMNS = ("province_zh", "province_zh_full", "province_en", "iso_3166_2")


class UnknownProvinceError(KeyError):
    """A name (or code) that the provinces reference table does not know."""

    def __str__(self) -> str:  # KeyError would otherwise print the repr of the message
        return str(self.args[0])


def normalise_name(name) -> str:
    """Case-folded name without spaces, hyphens or underscores ('Inner Mongolia' ->
    'innermongolia').
    """
    text = str(name).strip().casefold()
    for character in (" ", "-", "_", "\u3000"):
        text = text.replace(character, "")
    return text


def alias_map(table: pd.DataFrame) -> dict[str, int]:
    """{normalised name or code: province_code} from the reference table plus
    EXTRA_ALIASES.
    """
    aliases = {normalise_name(code): int(code) for code in table["province_code"]}
    for column in NAME_COLUMNS:
        for name, code in zip(table[column], table["province_code"]):
            key = normalise_name(name)
            if aliases.get(key, int(code)) != int(code):
                # Two provinces with one name would make every lookup of that name
                # silently pick one of them.
                raise ValueError(
                    f"provinces table: name {name!r} ({column}) is given to both "
                    f"{aliases[key]} and {int(code)}"
                )
            aliases[key] = int(code)
    aliases.update(EXTRA_ALIASES)
    return aliases


def code_for(name, aliases: dict[str, int], source: str = "") -> int:
    """GB/T 2260 code of one province name; UnknownProvinceError naming the source if
    unknown.
    """
    key = normalise_name(name)
    if key not in aliases:
        where = f" in {source}" if source else ""
        raise UnknownProvinceError(
            f"unknown province name {name!r}{where}: expected a name, English name, "
            "ISO 3166-2 code or GB/T 2260 code listed in data/provinces.csv"
        )
    return aliases[key]


def codes_for(names: Iterable, aliases: dict[str, int], source: str = "") -> list[int]:
    """Codes for a sequence of names; the error names the first unknown one and its
    position.
    """
    codes = []
    for position, name in enumerate(names, start=1):
        try:
            codes.append(code_for(name, aliases))
        except UnknownProvinceError:
            where = f"{source}, row {position}" if source else f"item {position}"
            raise UnknownProvinceError(
                f"unknown province name {name!r} ({where}): expected a name listed in "
                "data/provinces.csv"
            ) from None
    return codes
