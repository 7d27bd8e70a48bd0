"""Explorers are made live by the reader's kernel only: the book build skips their cells.

Each explorer cell carries nbclient's standard `skip-execution` tag, which MyST-NB (inline execution,
the site build) and nbclient (jupytext --execute, tools) honour: the static site never creates widgets
that no kernel would answer, and shows the static figure of the default state drawn by the cell
before. A reader's kernel (JupyterLab, Binder) runs the cell and gets the working controls.

`live_explorer(make)` is kept for pages not yet converted to the tag: it simply makes the explorer.
"""
from __future__ import annotations

from typing import Callable

SKIP_TAG = "skip-execution"


def live_explorer(make: Callable[[], object]):
    """The explorer made by make(); tag its cell `skip-execution` so that the book build does not run it."""
    return make()
