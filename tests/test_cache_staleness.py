"""End to end: a change in data/ or helpers/ makes the page execute again on the next `make book`.

The execution cache keys a page on its code cells only, so without tools/cache_guard.py an edited data
file or helper would be served from stale outputs. This test builds a one-page book in a temporary
folder with the project's own Makefile, cache guard and parallel-execution extension, then edits its data and its
helper and checks the built HTML each time.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.build

CONFIG = """\
title: Cache probe
only_build_toc_files: true
exclude_patterns: [.venv]
execute:
  execute_notebooks: cache
  cache: "_build/.jupyter_cache"
  timeout: 60
sphinx:
  local_extensions:
    parallel_execute: book/_ext
  config:
    nb_execution_raise_on_error: true
"""
TOC = "format: jb-book\nroot: book/probe\n"
PAGE = """\
---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---

# Probe

```{code-cell} ipython3
from helpers.probe import reading
print(reading())
```
"""
HELPER = """\
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "value.txt"


def reading():
    \"\"\"The probe value from data/value.txt, {style}.\"\"\"
    return "probe value: " + DATA.read_text().strip(){call}
"""


def write_helper(project: Path, upper: bool) -> None:
    (project / "helpers" / "probe.py").write_text(
        HELPER.format(style="upper-cased" if upper else "as written", call=".upper()" if upper else ""))


@pytest.fixture
def probe_book(tmp_path):
    """A one-page book whose page prints a value read from data/ through a helper in helpers/."""
    project = tmp_path / "probe"
    for folder in ("book/_ext", "data", "helpers", "tools"):
        (project / folder).mkdir(parents=True)
    shutil.copy2(ROOT / "tools" / "cache_guard.py", project / "tools" / "cache_guard.py")
    shutil.copy2(ROOT / "book" / "_ext" / "parallel_execute.py", project / "book" / "_ext" / "parallel_execute.py")
    shutil.copy2(ROOT / "Makefile", project / "Makefile")
    (project / "_config.yml").write_text(CONFIG)
    (project / "_toc.yml").write_text(TOC)
    (project / "book" / "probe.md").write_text(PAGE)
    (project / "helpers" / "__init__.py").write_text("")
    write_helper(project, upper=False)
    (project / "data" / "value.txt").write_text("alpha\n")
    return project


def make_book(project: Path) -> str:
    """Run the project's `make book` on the probe book with this environment; return its output."""
    venv = Path(sys.executable).parent.parent
    # STAMP= : the environment already exists; PYTHONPATH: the kernel imports the probe's helpers package.
    env = {**os.environ, "PYTHONPATH": str(project)}
    result = subprocess.run(["make", "--no-print-directory", "book", f"VENV={venv}", "STAMP="], cwd=project, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


def shown(project: Path) -> str:
    return (project / "_build" / "html" / "book" / "probe.html").read_text(encoding="utf-8")


def test_editing_data_or_a_helper_reexecutes_the_page_and_nothing_else_does(probe_book):
    log = make_book(probe_book)
    assert "probe value: alpha" in shown(probe_book)
    assert "executing 1" in log, log

    assert "is up to date" in make_book(probe_book), "a rebuild with nothing changed did work"

    (probe_book / "data" / "value.txt").write_text("beta\n")
    log = make_book(probe_book)
    assert "cache_guard: data/, helpers/ or claims changed" in log, log
    assert "executing 1" in log and "Using cached notebook" in log, log
    assert "probe value: beta" in shown(probe_book) and "alpha" not in shown(probe_book), "stale data on the page"

    write_helper(probe_book, upper=True)
    make_book(probe_book)
    assert "probe value: BETA" in shown(probe_book), "stale helper output on the page"
