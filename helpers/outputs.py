"""Transitional: pages no longer save figures and tables themselves.

The book's outputs are collected by `make replicate` (tools/replicate.py) from the executed notebooks
the build writes (_build/jupyter_execute): every figure cell carries `mystnb.figure.name` in its
metadata, every cell that shows a table of record carries `output_name`. Pages not yet converted
still call save_figure/save_table; the calls check their arguments, close the figure (the page shows
it where it glues or displays it) and write nothing. Delete this module when no page imports it.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


def check_name(name: str) -> str:
    """The output name unchanged if it is a safe file stem (lower case, digits, _ and -)."""
    if not NAME_PATTERN.match(name):
        raise ValueError(f"output name {name!r}: use lower-case letters, digits, '_' or '-' only")
    return name


def check_made_by(made_by: Callable | Iterable[Callable]) -> None:
    functions = [made_by] if callable(made_by) else list(made_by)
    if not functions or not all(callable(f) for f in functions):
        raise TypeError("made_by: pass the helper function (or a list of them) that made the output")


def save_table(frame, name: str, *, page: str, made_by, resources: list[str], element: str = "", **_ignored):
    """Deprecated no-op (arguments checked): mark the cell that shows the table with `output_name: <name>`."""
    check_name(name)
    check_made_by(made_by)
    return None


def save_figure(fig, name: str, *, page: str, made_by, resources: list[str], element: str = "", **_ignored):
    """Deprecated no-op (arguments checked, figure closed): give the figure cell `mystnb.figure.name`."""
    import matplotlib.pyplot as plt

    check_name(name)
    check_made_by(made_by)
    plt.close(fig)
    return None
