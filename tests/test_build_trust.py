"""End to end on a scratch copy of the whole book: `make book` never serves a stale
site, and re-runs only what changed.

One module-scoped copy (tools/worktree.py, the shared .venv linked) is built once; the
tests then edit it the way a contributor or an archive tool would and run `make book`
again:
- a data value edited with its descriptor hash updated and the old modification time
  kept (cp -p, tar) reaches the site, executing at most 3 pages;
- a build killed while pages execute, and one killed while HTML is written, are followed
  by a `make book` that shows the new value, every figure and a full search index;
- a repository URL change in _config.yml reaches the instructors page;
- a second `make book` started during a build waits for it.
Slow (a full build, about 2 CPU-minutes, then partial ones); CI runs it with RUN_SLOW=1.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, toc_files
from tools.worktree import copy_project

pytestmark = pytest.mark.slow

DATA = "data/digital_literacy_2021.csv"
PAGE = "_build/html/book/constraints/tech_pull.html"


def environment() -> dict:
    return {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "VIRTUAL_ENV", "NQPF_PAGE_INPUTS"}
    }


def make_book(copy: Path, timeout: int = 1800) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "book"],
        cwd=copy,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_make_book(copy: Path, log: Path) -> subprocess.Popen:
    handle = open(log, "w")
    return subprocess.Popen(
        ["make", "--no-print-directory", "book"],
        cwd=copy,
        env=environment(),
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(
    log: Path, pattern: str, process: subprocess.Popen, timeout: float = 900
) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if re.search(pattern, log.read_text(errors="replace")):
            return
        assert process.poll() is None, (
            f"build ended before {pattern!r}:\n{log.read_text()[-3000:]}"
        )
        time.sleep(0.2)
    raise AssertionError(f"no {pattern!r} within {timeout} s")


def executed(output: str) -> list[str]:
    return re.findall(r"(\S+\.md): Executed notebook", output)


def set_urban_score(copy: Path, value: str) -> None:
    """Edit the urban residents' score, update the descriptor's hash and bytes, keep
    both files' old mtimes.
    """
    path, descriptor_path = copy / DATA, copy / "data" / "datapackage.json"
    times = {p: (p.stat().st_atime, p.stat().st_mtime) for p in (path, descriptor_path)}
    text, count = re.subn(
        r"(,urban_residents,.*?,residence,)[\d.]+,",
        rf"\g<1>{value},",
        path.read_text(encoding="utf-8"),
    )
    assert count == 1
    path.write_text(text, encoding="utf-8")
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["path"] == path.name:
            resource["hash"] = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
            resource["bytes"] = path.stat().st_size
    descriptor_path.write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    for p, stamp in times.items():
        os.utime(p, stamp)


class Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources += [
                v
                for k, v in attrs
                if k == "src" and v and not re.match(r"(https?:|data:)", v)
            ]


def assert_complete_site(copy: Path) -> None:
    """Every page's HTML exists, every image it shows exists, and the search index lists
    every page.
    """
    site = copy / "_build" / "html"
    pages = toc_files()
    for page in pages:
        html = site / f"{page}.html"
        assert html.is_file(), f"{page}.html missing"
        parser = Images()
        parser.feed(html.read_text(encoding="utf-8"))
        for source in parser.sources:
            image = (html.parent / source.split("#")[0]).resolve()
            assert image.is_file() and image.stat().st_size > 0, (
                f"{page}: image {source} missing"
            )
    index = (site / "searchindex.js").read_text(encoding="utf-8")
    docnames = json.loads(re.search(r'"docnames":\s*(\[.*?\])', index).group(1))
    assert sorted(docnames) == sorted(pages), (
        "the search index does not list every page"
    )


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("trust") / "repo")
    (project / ".venv").symlink_to(ROOT / ".venv")
    result = make_book(project)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "56.3" in (project / PAGE).read_text(encoding="utf-8")
    again = make_book(project)
    assert "is up to date" in again.stdout
    return project


def test_old_mtime_data_edit_reaches_the_site_executing_at_most_3_pages(copy):
    set_urban_score(copy, "56.4")
    result = make_book(copy)
    assert result.returncode == 0, result.stderr[-3000:]
    pages = executed(result.stdout + result.stderr)
    assert 1 <= len(pages) <= 3, pages
    assert any(p.endswith("constraints/tech_pull.md") for p in pages)
    assert "56.4" in (copy / PAGE).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "kill_at, value",
    [
        (r"Starting inline execution", "56.5"),
        (r"writing output\.\.\. \S*\[\s*\d+%\]", "56.6"),
    ],
)
def test_a_killed_build_is_followed_by_a_complete_current_site(copy, kill_at, value):
    set_urban_score(copy, value)
    (
        copy / "book" / "appendix" / "status.md"
    ).touch()  # one more page to write, so writing takes a moment
    log = copy / "_build" / "killed.log"
    process = start_make_book(copy, log)
    wait_for(log, kill_at, process)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert make_book_status(copy).startswith("build needed"), (
        "a killed build counted as finished"
    )
    result = make_book(copy)
    assert result.returncode == 0, result.stderr[-3000:]
    assert value in (copy / PAGE).read_text(encoding="utf-8")
    assert_complete_site(copy)
    assert make_book_status(copy).startswith("up to date")


def make_book_status(copy: Path) -> str:
    return subprocess.run(
        [
            str(copy / ".venv" / "bin" / "python"),
            "book/_ext/page_inputs.py",
            "up-to-date",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
    ).stdout


def test_repository_url_change_reaches_the_instructors_page(copy):
    config = copy / "_config.yml"
    old = yaml.safe_load(config.read_text(encoding="utf-8"))["repository"]["url"]
    new = "https://github.com/moved-org/moved-book"
    config.write_text(
        config.read_text(encoding="utf-8").replace(old, new), encoding="utf-8"
    )
    result = make_book(copy)
    assert result.returncode == 0, result.stderr[-3000:]
    instructors = (
        copy / "_build" / "html" / "book" / "appendix" / "instructors.html"
    ).read_text(encoding="utf-8")
    assert "moved-org/moved-book" in instructors
    assert old.split("github.com/", 1)[1] not in instructors


def test_a_second_make_book_waits_for_the_running_one(copy):
    set_urban_score(copy, "56.7")
    first_log, second_log = (
        copy / "_build" / "first.log",
        copy / "_build" / "second.log",
    )
    first = start_make_book(copy, first_log)
    wait_for(first_log, r"Starting inline execution", first)
    second = start_make_book(copy, second_log)
    assert first.wait(timeout=1800) == 0, first_log.read_text()[-3000:]
    assert second.wait(timeout=1800) == 0, second_log.read_text()[-3000:]
    waited = second_log.read_text()
    assert "another build of this book is running" in waited and "waiting" in waited
    assert executed(waited) == [], (
        "the second build executed pages the first had just executed"
    )
    assert "56.7" in (copy / PAGE).read_text(encoding="utf-8")
