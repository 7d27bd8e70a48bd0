"""Shared fixtures: where the project and its built site live."""

import os
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"


def toc_files() -> list[str]:
    """Every page path listed in _toc.yml (root first), without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc["parts"]:
        files.extend(chapter["file"] for chapter in part["chapters"])
    return files


@pytest.fixture(scope="session")
def site() -> Path:
    """The built HTML site; `make test` builds it before running pytest."""
    if not (SITE / "index.html").exists():
        pytest.fail(
            "no built site in _build/html: run `make test` (it builds the book first)"
        )
    return SITE


def pytest_collection_modifyitems(config, items):
    """Skip tests marked slow (fresh environments, whole-book runs) unless RUN_SLOW=1;
    CI sets it.
    """
    if os.environ.get("RUN_SLOW") == "1":
        return
    skip = pytest.mark.skip(
        reason=(
            "slow: builds a fresh environment or re-runs pages; set RUN_SLOW=1 (CI "
            "does)"
        )
    )
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def national():
    """The national urban-rural series, one column per indicator and basis."""
    from helpers.data import national_series

    return national_series(period=None)


@pytest.fixture(scope="module")
def national_long():
    """The national urban-rural series in long form."""
    from helpers.data import national_series

    return national_series(period=None, wide=False)
