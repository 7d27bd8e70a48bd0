"""Static fallback: build the widgets only where a reader can use them.

The static site is made by executing each page in a kernel started by the Jupyter Book (Sphinx)
build. Any widget created there is saved into the page as widget state, and MyST-NB then loads
require.js and the ipywidgets HTML manager from a CDN to draw controls that no kernel answers:
sliders that move and change nothing, or a blank box when the CDN is unreachable. So in a build
kernel the explorers are not created at all; the page shows a static figure of the default state
and a note on how to open the page live (Binder, or the downloaded .ipynb in Jupyter), where
the same cell builds the working widgets.
"""
from __future__ import annotations

from typing import Callable, Iterable

# Command-line fragments of the processes that execute pages for the static site.
STATIC_BUILD_MARKERS = ("jupyter-book", "jupyter_book", "sphinx-build", "sphinx.cmd", "sphinx_build")


def is_static_build_command(command: Iterable[str]) -> bool:
    """True if a process command line (argv list) is a Jupyter Book or Sphinx build."""
    text = " ".join(command).lower()
    return any(marker in text for marker in STATIC_BUILD_MARKERS)


def ancestor_commands(max_depth: int = 8) -> list[list[str]]:
    """Command lines of this process's ancestors, nearest first (empty if psutil is unavailable)."""
    try:
        import psutil
    except ImportError:  # without psutil we cannot tell; the caller then assumes a live session
        return []
    commands = []
    try:
        process = psutil.Process().parent()
        while process is not None and len(commands) < max_depth:
            commands.append(process.cmdline())
            process = process.parent()
    except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess):
        pass  # a parent we may not inspect ends the walk; what we saw so far decides
    return commands


def running_in_static_build(commands: list[list[str]] | None = None) -> bool:
    """True when an ancestor process is the book build (so no reader will ever touch the widgets)."""
    commands = ancestor_commands() if commands is None else commands
    return any(is_static_build_command(command) for command in commands)


def live_explorer(make: Callable[[], object], commands: list[list[str]] | None = None):
    """The explorer made by make() in a live session; None (nothing displayed) in a static-site build."""
    if running_in_static_build(commands):
        return None
    return make()
