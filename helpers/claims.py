"""The claims ledger: the paper's claims with stable ids, our evidence and a verdict for each."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

from helpers.paths import BOOK_DIR

CLAIMS_FILE = BOOK_DIR / "claims.yml"
VERDICTS = ("supported", "mixed", "contradicted", "not testable with our data", "pending")
REQUIRED_FIELDS = ("id", "chapter", "claim", "evidence", "verdict")
ID_PATTERN = re.compile(r"^(?P<part>[MCP])(?P<section>[1-4])-(?P<number>\d+)$")
PART_FOLDERS = {"M": "mechanisms", "C": "constraints", "P": "paths"}


def load_claims(path: Path | None = None) -> list[dict]:
    """Read and check the claims file: required fields, id format, unique ids, known verdicts."""
    path = Path(path) if path is not None else CLAIMS_FILE
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a list of claims, found {type(entries).__name__}")
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        where = f"{path}, entry {position}"
        missing = [f for f in REQUIRED_FIELDS if not str(entry.get(f, "")).strip()]
        if missing:
            raise ValueError(f"{where}: missing field(s) {', '.join(missing)}")
        match = ID_PATTERN.match(entry["id"])
        if not match:
            raise ValueError(f"{where}: id {entry['id']!r} is not of the form M1-1, C2-3 or P4-2")
        if entry["id"] in seen:
            raise ValueError(f"{where}: duplicate id {entry['id']}")
        seen.add(entry["id"])
        if entry["verdict"] not in VERDICTS:
            raise ValueError(f"{where} ({entry['id']}): verdict {entry['verdict']!r} not in {VERDICTS}")
        folder = PART_FOLDERS[match["part"]]
        if not entry["chapter"].startswith(folder + "/"):
            raise ValueError(f"{where} ({entry['id']}): chapter {entry['chapter']!r} is not under {folder}/")
    return entries


def claims_frame(entries: list[dict]) -> pd.DataFrame:
    """The claims as a table with one row per claim."""
    return pd.DataFrame(entries, columns=list(REQUIRED_FIELDS))


def _styled(frame: pd.DataFrame):
    return frame.style.hide(axis="index").set_properties(**{"text-align": "left", "vertical-align": "top"})


def claims_table(prefix: str, path: Path | None = None):
    """The ledger rows whose id starts with prefix (e.g. 'M1'), for display on a chapter page."""
    frame = claims_frame(load_claims(path))
    rows = frame[frame["id"].str.startswith(prefix + "-")]
    if rows.empty:
        raise ValueError(f"no claims with id prefix {prefix!r} in the claims file")
    return _styled(rows[["id", "claim", "evidence", "verdict"]])


def ledger_table(path: Path | None = None):
    """The whole ledger, for the claims-ledger appendix."""
    return _styled(claims_frame(load_claims(path)))


def verdict_counts(path: Path | None = None) -> pd.Series:
    """How many claims have each verdict, in the fixed order of VERDICTS."""
    frame = claims_frame(load_claims(path))
    return frame["verdict"].value_counts().reindex(VERDICTS, fill_value=0)
