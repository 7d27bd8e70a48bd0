"""The three pages the issue measured, in a real JupyterLab prepared as Binder prepares
it (tools/jupyterlab_check.py): after Run All no raw MyST markup, no unresolved
cross-reference, no error output, every {eval} with a value, and as many figures as the
built site page. Slow (a JupyterLab server, three kernels): RUN_SLOW=1.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PAGES = [
    "book/constraints/tech_pull.md",
    "book/mechanisms/factor_flow.md",
    "book/paths/factor_allocation.md",
]


@pytest.fixture(scope="module")
def results(site, tmp_path_factory):
    if not (shutil.which("chromium") or Path("/usr/bin/chromium").is_file()):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(
                "REQUIRE_BROWSER=1 but no Chromium (Debian's chromium package)",
                pytrace=False,
            )
        pytest.skip("no Chromium (Debian's chromium package)")
    sys.path.insert(0, str(ROOT / "tools"))
    import jupyterlab_check

    shots = (
        Path(os.environ.get("BROWSER_SCREENSHOTS", "/tmp/nqpf-browser-screenshots"))
        / "jupyterlab"
    )
    found = jupyterlab_check.check(PAGES, ROOT / ".venv", site, shots, timeout=900)
    return {r["page"]: r for r in found}


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.build
@pytest.mark.parametrize("page", PAGES)
def test_no_raw_myst_markup_after_run_all(results, page):
    assert results[page]["raw"] == 0, results[page]["raw_examples"]


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.build
@pytest.mark.parametrize("page", PAGES)
def test_every_cross_reference_resolves_in_jupyterlab(results, page):
    assert results[page]["unresolved"] == []


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.build
@pytest.mark.parametrize("page", PAGES)
def test_no_error_output_and_every_eval_has_a_value(results, page):
    assert results[page]["errors"] == [] and results[page]["evals_failed"] == [], (
        results[page]
    )


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.build
@pytest.mark.parametrize("page", PAGES)
def test_jupyterlab_shows_as_many_figures_as_the_site(results, page):
    assert results[page]["figures"] == results[page]["site_figures"], results[page]


def test_count_raw_finds_markup_and_ignores_prose():
    sys.path.insert(0, str(ROOT / "tools"))
    from jupyterlab_check import count_raw, report_for

    assert count_raw("A gap of 37.5% in 2021 (see the data appendix).") == []
    assert len(count_raw("see {ref}`appendix-data` and\n:::\n")) == 2
    state = {
        "cells": [
            {
                "type": "markdown",
                "text": "gap c1_gap:.1f",
                "unknown": [],
                "unresolved": ["Citation Not Found: liu"],
                "evals": [{"expression": "x", "status": "ok"}],
                "source": "gap {glue:text}`c1_gap:.1f` {eval}`x`",
            },
            {
                "type": "code",
                "outputs": [
                    {"type": "error", "ename": "KeyError", "mimes": []},
                    {
                        "type": "display_data",
                        "ename": None,
                        "mimes": ["image/png", "text/plain"],
                    },
                ],
            },
        ]
    }
    report = report_for(state)
    assert (
        report["raw"] == 1 and report["citations"] == 1 and report["unresolved"] == []
    )
    assert (
        report["errors"] == ["KeyError"]
        and report["figures"] == 1
        and report["evals"] == 1
    )
