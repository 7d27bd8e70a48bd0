"""book/_ext/parallel_execute.py: pages execute in parallel inside the build, failures stay the build's.

Small books are built with jupyter-book. Quick pages are executed by the extension and read from the
cache by MyST-NB; a broken page is left to MyST-NB, which fails the build on it as it always would;
a page that stalls (no cell finishes within timeout + grace) is killed and tried once more.
"""
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.build

HEADER = """\
---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---
"""
CONFIG = """\
title: Parallel probe
only_build_toc_files: true
execute:
  execute_notebooks: cache
  timeout: 3
sphinx:
  local_extensions:
    parallel_execute: _ext
  config:
    nb_parallel_jobs: 2
    nb_parallel_stall_grace: {grace}
    nb_execution_raise_on_error: true
"""


def page(title: str, code: str, front: str = "") -> str:
    """A MyST notebook page with one code cell; `front` adds lines to its YAML header."""
    header = HEADER.removesuffix("---\n") + front + "---\n"
    return header + f"\n# {title}\n\n```{{code-cell}} ipython3\n{code}\n```\n"


def make_book(root: Path, pages: dict[str, str], config: str) -> Path:
    """A flat jupyter-book with the extension and the given pages (first page is the root)."""
    (root / "_ext").mkdir(parents=True)
    shutil.copy2(ROOT / "book" / "_ext" / "parallel_execute.py", root / "_ext" / "parallel_execute.py")
    (root / "_config.yml").write_text(config)
    names = list(pages)
    toc = f"format: jb-book\nroot: {names[0]}\nchapters:\n" + "".join(f"  - file: {n}\n" for n in names[1:])
    (root / "_toc.yml").write_text(toc)
    for name, text in pages.items():
        (root / f"{name}.md").write_text(text)
    return root


def build(book: Path) -> tuple[int, str]:
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run([str(jupyter_book), "build", ".", "--builder", "html"], cwd=book,
                            capture_output=True, text=True, timeout=300, env={**os.environ})
    return result.returncode, result.stdout + result.stderr


def test_good_pages_come_from_the_cache_and_a_broken_page_still_fails_the_build(tmp_path):
    book = make_book(tmp_path, {"one": page("One", "print(1 + 1)"), "two": page("Two", "print(2 + 2)"),
                                "zbroken": page("Broken", "1 / 0")},  # read last: Sphinx sorts
                      CONFIG.format(grace=120))  # never a stall here, however slow the machine
    returncode, log = build(book)
    assert "3 pages, 0 cached, executing 3 over 2 processes" in log, log[-3000:]
    assert "FAILED (CellExecutionError) zbroken.md" in log, log[-3000:]
    assert "one.md: Using cached notebook" in log and "two.md: Using cached notebook" in log, log[-3000:]
    assert returncode != 0 and "ZeroDivisionError" in log, "a broken page did not fail the build"


@pytest.mark.slow
def test_a_stalled_page_is_killed_retried_once_and_left_to_the_build(tmp_path):
    """The page turns off its own cell timeout, so only the extension's watchdog can stop it."""
    no_timeout = "execution:\n  timeout: -1\n"
    book = make_book(tmp_path, {"one": page("One", "print(1)"),
                                "sleepy": page("Sleepy", "import time\ntime.sleep(15)", front=no_timeout)},
                      CONFIG.format(grace=3))
    returncode, log = build(book)
    assert log.count("sleepy.md: no cell finished for 6 s; killed, trying again") == 1, log[-3000:]
    assert "FAILED (stalled twice for 6 s) sleepy.md" in log, log[-3000:]
    assert returncode == 0, "MyST-NB should have run the slow page itself and passed"
