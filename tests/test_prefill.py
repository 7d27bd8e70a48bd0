"""tools/prefill_cache.py: pages run in parallel into the cache; a stalled page is killed and retried once."""
import shutil
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT

HEADER = """\
---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---
"""


def page(code: str) -> str:
    return HEADER + f"\n# Page\n\n```{{code-cell}} ipython3\n{code}\n```\n"


@pytest.fixture
def small_book(tmp_path):
    """Two quick pages and one that sleeps past the 3-second timeout."""
    (tmp_path / "tools").mkdir()
    shutil.copy2(ROOT / "tools" / "prefill_cache.py", tmp_path / "tools" / "prefill_cache.py")
    (tmp_path / "_config.yml").write_text("execute:\n  execute_notebooks: cache\n  timeout: 3\n")
    (tmp_path / "_toc.yml").write_text(textwrap.dedent("""\
        format: jb-book
        root: one
        chapters:
          - file: two
          - file: sleepy
        """))
    (tmp_path / "one.md").write_text(page("print(1 + 1)"))
    (tmp_path / "two.md").write_text(page("print(2 + 2)"))
    (tmp_path / "sleepy.md").write_text(page("import time\ntime.sleep(30)"))
    return tmp_path


def prefill(book):
    result = subprocess.run([sys.executable, "tools/prefill_cache.py", "--jobs", "2"], cwd=book,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_prefill_caches_good_pages_and_kills_a_stalled_one_after_one_retry(small_book):
    """toc_pages reads a flat toc too; the sleeper stalls twice and is left for the build to report."""
    output = prefill(small_book)
    assert "3 pages, 0 cached, executing 3" in output
    assert output.count("sleepy.md stalled for 3 s; killed, trying again") == 1, output
    assert "FAILED" in output and "sleepy.md" in output.split("FAILED")[1].splitlines()[0], output
    assert "1 failed" in output
    again = prefill(small_book)
    assert "3 pages, 2 cached, executing 1" in again, "the two good pages were not served from the cache"
