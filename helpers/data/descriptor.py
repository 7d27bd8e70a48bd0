"""Read the Frictionless descriptor (data/datapackage.json) and hash the files it
describes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

DESCRIPTOR_NAME = "datapackage.json"


def resolve_data_dir(data_dir: str | Path | None = None) -> Path:
    """The data folder to use: the argument if given, else the project's data/
    (helpers.paths.DATA_DIR).
    """
    if data_dir is not None:
        return Path(data_dir)
    from helpers.paths import DATA_DIR

    return DATA_DIR


def read_descriptor(data_dir: str | Path | None = None) -> dict:
    """Parse datapackage.json in the data folder; a clear error if it is missing or not
    JSON.
    """
    path = resolve_data_dir(data_dir) / DESCRIPTOR_NAME
    if not path.is_file():
        raise FileNotFoundError(f"{path}: missing (the data package descriptor)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ValueError(
            f"{path}: not valid JSON (line {err.lineno}, column {err.colno}): {err.msg}"
        ) from err


def find_resource(descriptor: dict, name: str) -> dict:
    """The resource called `name` in the descriptor; KeyError listing the known names
    otherwise.
    """
    for resource in descriptor.get("resources", []):
        if resource.get("name") == name:
            return resource
    known = ", ".join(
        sorted(r.get("name", "?") for r in descriptor.get("resources", []))
    )
    raise KeyError(f"unknown data resource {name!r}; known resources: {known}")


def sha256_of(path: str | Path) -> str:
    """SHA-256 hex digest of a file's bytes (read in chunks)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def hash_string(path: str | Path) -> str:
    """The descriptor's hash notation for a file: 'sha256:<hex>'."""
    return f"sha256:{sha256_of(path)}"
