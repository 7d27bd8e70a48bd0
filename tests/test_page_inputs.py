"""book/_ext/page_inputs.py and helpers/inputs_record.py: pages re-execute when what
they read changes by content.

The unit tests need no build. The probe tests build a two-page book in a temporary
folder with the project's own extension and audit hook: page `a` reads data/value.txt
through helpers/probe.py, page `b` reads data/other.txt through helpers/other.py. Each
build takes a few seconds (one kernel per executed page).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import inputs_record
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))  # how Sphinx imports a local extension
import page_inputs  # noqa: E402


# ----------------------------------------------------------------------------- the
# audit hook
def test_compiled_modules_are_recorded_as_their_source():
    assert (
        inputs_record.source_of("/p/helpers/__pycache__/gaps.cpython-311.pyc")
        == "/p/helpers/gaps.py"
    )
    assert inputs_record.source_of("/p/data/x.csv") == "/p/data/x.csv"


def test_only_reads_under_the_root_are_recorded_once(tmp_path):
    written = []
    hook = inputs_record.make_hook(str(tmp_path), written.append)
    data = tmp_path / "data" / "x.csv"
    hook("open", (str(data), "r", 0))
    hook("open", (str(data), "rb", 0))  # the same file again
    hook("open", (str(tmp_path / "out.csv"), "w", 0))  # a write
    hook("open", (str(tmp_path / "_build" / "html" / "x"), "r", 0))  # a build product
    hook("open", ("/etc/hostname", "r", 0))  # outside the project
    hook("open", (str(tmp_path / "y.txt"), None, os.O_RDONLY))  # os.open for reading
    # os.open for writing
    hook("open", (str(tmp_path / "z.txt"), None, os.O_WRONLY | os.O_CREAT))
    hook("open", (7, "r", 0))  # a file descriptor
    hook("exec", (str(data),))  # another event
    assert written == [str(data), str(tmp_path / "y.txt")]


def test_a_kernel_with_the_variables_set_records_what_it_reads(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "value.txt").write_text("7")
    record = tmp_path / "record.txt"
    env = {
        **os.environ,
        "NQPF_PAGE_INPUTS": str(record),
        "NQPF_PROJECT_ROOT": str(tmp_path),
    }
    code = (
        "import helpers, pathlib; pathlib.Path('data/value.txt').read_text(); import "
        "helpers.uri"
    )
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, check=True)
    # helpers lives in ROOT, not in tmp_path: only the data file is under this root.
    assert record.read_text().splitlines() == [str(tmp_path / "data" / "value.txt")]


def test_without_the_variable_nothing_is_installed():
    assert inputs_record.install({}) is False


# -----------------------------------------------------------------------------
# decisions on content
def test_descriptor_checksums_count_only_for_pages_that_opened_the_file(tmp_path):
    (tmp_path / "data").mkdir()
    descriptor = {
        "resources": [
            {
                "name": "a",
                "path": "a.csv",
                "hash": "sha256:1",
                "bytes": 1,
                "title": "A",
            },
            {
                "name": "b",
                "path": "b.csv",
                "hash": "sha256:2",
                "bytes": 2,
                "title": "B",
            },
        ]
    }
    path = tmp_path / "data" / "datapackage.json"
    path.write_text(json.dumps(descriptor))
    reads_a = {"data/a.csv", "data/datapackage.json"}
    reads_b = {"data/b.csv", "data/datapackage.json"}
    before_a, before_b = (
        page_inputs.descriptor_digest(tmp_path, names) for names in (reads_a, reads_b)
    )
    descriptor["resources"][0].update(hash="sha256:9", bytes=3)  # a.csv edited honestly
    path.write_text(json.dumps(descriptor, indent=2))  # formatting is not content
    assert page_inputs.descriptor_digest(tmp_path, reads_a) != before_a
    assert page_inputs.descriptor_digest(tmp_path, reads_b) == before_b
    descriptor["resources"][0]["title"] = (
        "A renamed"  # metadata stays an input of every reader
    )
    path.write_text(json.dumps(descriptor))
    assert page_inputs.descriptor_digest(tmp_path, reads_b) != before_b


def test_changed_inputs_by_content_not_time(tmp_path):
    data = tmp_path / "v.txt"
    data.write_text("1")
    recorded = page_inputs.hashes(tmp_path, {"v.txt", "gone.txt"})
    assert recorded["gone.txt"] == page_inputs.MISSING
    os.utime(data, (1, 1))  # an old time, same bytes
    assert page_inputs.changed_inputs(recorded, tmp_path, {}) == []
    stat = data.stat()
    data.write_text("2")
    # new bytes, the old time (cp -p, tar, unzip)
    os.utime(data, (stat.st_atime, stat.st_mtime))
    assert page_inputs.changed_inputs(recorded, tmp_path, {}) == ["v.txt"]


def test_a_file_edited_while_its_page_ran_is_stored_as_changed(tmp_path):
    (tmp_path / "v.txt").write_text("1")
    started = time.time() - 5  # the page started before the edit
    assert (
        page_inputs.hashes(tmp_path, {"v.txt"}, started)["v.txt"]
        == page_inputs.CHANGED_DURING_BUILD
    )


def test_up_to_date_needs_a_finished_build_of_the_same_inputs(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "p.md").write_text("x")
    assert page_inputs.up_to_date(tmp_path) == (False, "no finished build yet")
    (tmp_path / "_build" / "html").mkdir(parents=True)
    (tmp_path / "_build" / "html" / "index.html").write_text("")
    (tmp_path / "_build" / page_inputs.FINGERPRINT).write_text(
        page_inputs.site_fingerprint(tmp_path)
    )
    assert page_inputs.up_to_date(tmp_path)[0]
    (tmp_path / "_build" / page_inputs.MARKER).write_text("")
    assert page_inputs.up_to_date(tmp_path) == (False, "the last build did not finish")
    (tmp_path / "_build" / page_inputs.MARKER).unlink()
    stat = (tmp_path / "book" / "p.md").stat()
    (tmp_path / "book" / "p.md").write_text("y")
    os.utime(tmp_path / "book" / "p.md", (stat.st_atime, stat.st_mtime))
    assert not page_inputs.up_to_date(tmp_path)[0]


def test_pages_quoting_glue_of_a_page_executed_again_are_written_again():
    from docutils import nodes
    from myst_nb.ext.glue.utils import PendingGlueReference

    doctree = nodes.document(None, None)
    doctree += PendingGlueReference(refdoc="book/a", key="gap")
    doctree += PendingGlueReference(refdoc="book/ledger", key="own")
    assert page_inputs.glue_sources(doctree, "book/ledger") == {"book/a"}

    class App:
        page_inputs_state = page_inputs.BuildState(Path("."))

    class Env:
        found_docs = {"book/a", "book/b", "book/ledger"}
        page_inputs_quotes = {"book/ledger": {"book/a"}}

    App.page_inputs_state.read_now = {"book/b"}
    assert page_inputs.pages_to_rewrite(App, Env) == []
    App.page_inputs_state.read_now = {"book/a"}
    assert page_inputs.pages_to_rewrite(App, Env) == ["book/ledger"]
    App.page_inputs_state.interrupted_before = True
    assert page_inputs.pages_to_rewrite(App, Env) == sorted(Env.found_docs)


# ----------------------------------------------------------------------------- a probe
# book
CONFIG = """\
title: Probe
only_build_toc_files: true
exclude_patterns: [.venv]
execute:
  execute_notebooks: inline
  timeout: 60
sphinx:
  local_extensions:
    page_inputs: book/_ext
  config:
    nb_execution_raise_on_error: true
"""
TOC = "format: jb-book\nroot: book/a\nchapters:\n  - file: book/b\n"
PAGE = """\
---
jupytext:
  text_representation: {{extension: .md, format_name: myst}}
kernelspec: {{display_name: Python 3, language: python, name: python3}}
---

# Page {name}

```{{code-cell}} ipython3
import os, time
from helpers.{module} import reading
value = reading()
time.sleep(float(os.environ.get("PROBE_SLEEP", "0")))
```

The reading is {{eval}}`value`.
"""
HELPER = """\
from pathlib import Path


def reading():
    \"\"\"The value in data/{data}.\"\"\"
    data = Path(__file__).resolve().parents[1] / "data"
    return "reading-" + (data / "{data}").read_text().strip()
"""


def build(project: Path, *options: str, **env) -> subprocess.CompletedProcess:
    """`jupyter-book build .` in the probe project; the output has MyST-NB's per-page
    lines.
    """
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "NQPF_PAGE_INPUTS"}
    }
    return subprocess.run(
        [
            str(Path(sys.executable).with_name("jupyter-book")),
            "build",
            ".",
            "--builder",
            "html",
            *options,
        ],
        cwd=project,
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


def executed(result) -> list[str]:
    return sorted(
        re.findall(r"book/(\w+)\.md: Executed notebook", result.stdout + result.stderr)
    )


def shown(project: Path, page: str) -> str:
    return re.search(
        r"reading-\w+",
        (project / "_build" / "html" / "book" / f"{page}.html").read_text(),
    ).group(0)


def edit_keeping_time(path: Path, text: str) -> None:
    """New bytes, the old modification time (as cp -p, tar and unzip leave it)."""
    stat = path.stat()
    path.write_text(text)
    os.utime(path, (stat.st_atime, stat.st_mtime))


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    """A built two-page probe book."""
    project = tmp_path_factory.mktemp("probe")
    for folder in ("book/_ext", "helpers", "data"):
        (project / folder).mkdir(parents=True)
    (project / "_config.yml").write_text(CONFIG)
    (project / "_toc.yml").write_text(TOC)
    (project / "requirements.txt").write_text("probe==1\n")
    shutil.copy2(ROOT / "book" / "_ext" / "page_inputs.py", project / "book" / "_ext")
    for name in ("__init__.py", "inputs_record.py"):
        shutil.copy2(ROOT / "helpers" / name, project / "helpers")
    for page, module, data in (
        ("a", "probe", "value.txt"),
        ("b", "other", "other.txt"),
    ):
        (project / "book" / f"{page}.md").write_text(
            PAGE.format(name=page, module=module)
        )
        (project / "helpers" / f"{module}.py").write_text(HELPER.format(data=data))
        (project / "data" / data).write_text("one")
    first = build(project)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert executed(first) == ["a", "b"]
    return project


slow = pytest.mark.slow


@slow
def test_probe_records_what_each_page_read(probe):
    inputs = json.loads((probe / "_build" / "page-inputs.json").read_text())
    assert {
        "data/value.txt",
        "helpers/probe.py",
        "helpers/__init__.py",
        "book/a.md",
    } <= set(inputs["book/a"])
    assert (
        "data/other.txt" not in inputs["book/a"]
        and "helpers/other.py" not in inputs["book/a"]
    )
    assert page_inputs.up_to_date(probe)[0]
    assert not (probe / "_build" / page_inputs.MARKER).exists()


@slow
def test_probe_old_mtime_data_edit_reaches_the_site_and_reruns_only_its_reader(probe):
    edit_keeping_time(probe / "data" / "value.txt", "two")
    assert not page_inputs.up_to_date(probe)[0]
    result = build(probe)
    assert result.returncode == 0, result.stderr[-3000:]
    assert executed(result) == ["a"]
    assert shown(probe, "a") == "reading-two" and shown(probe, "b") == "reading-one"


@slow
def test_probe_touch_without_change_executes_nothing(probe):
    os.utime(probe / "data" / "value.txt")
    result = build(probe)
    assert result.returncode == 0 and executed(result) == []


@slow
def test_probe_helper_edit_reruns_only_the_page_importing_it(probe):
    helper = probe / "helpers" / "other.py"
    helper.write_text(helper.read_text() + "\n# a comment changes the bytes\n")
    result = build(probe)
    assert result.returncode == 0 and executed(result) == ["b"]


@slow
def test_probe_lock_change_reruns_every_page(probe):
    (probe / "requirements.txt").write_text("probe==2\n")
    result = build(probe)
    assert result.returncode == 0 and executed(result) == ["a", "b"]


@slow
def test_probe_build_killed_while_executing_is_not_stale(probe):
    edit_keeping_time(probe / "data" / "value.txt", "three")
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    log = probe / "killed.log"
    with open(log, "w") as handle:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("jupyter-book")), "build", "."],
            cwd=probe,
            env={**environ, "PROBE_SLEEP": "30"},
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.time() + 120
    while "Starting inline execution" not in log.read_text() and time.time() < deadline:
        time.sleep(0.5)
    time.sleep(2)
    os.killpg(process.pid, 9)
    process.wait()
    assert (probe / "_build" / page_inputs.MARKER).exists()
    assert not page_inputs.up_to_date(probe)[0]
    result = build(probe)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "the last build did not finish" in result.stdout + result.stderr
    assert "a" in executed(result) and shown(probe, "a") == "reading-three"
    assert page_inputs.up_to_date(probe)[0]


@slow
def test_probe_interrupted_build_rewrites_every_page_without_executing(probe):
    # as a build killed while writing leaves it
    (probe / "_build" / page_inputs.MARKER).write_text("pid 1\n")
    (probe / "_build" / "html" / "book" / "b.html").write_text("<html>half written")
    result = build(probe)
    assert result.returncode == 0 and executed(result) == []
    assert shown(probe, "b").startswith("reading-")
    assert "book/b" in (probe / "_build" / "html" / "searchindex.js").read_text()


@slow
def test_probe_second_build_waits_for_the_lock(probe):
    (probe / "_build").mkdir(exist_ok=True)
    with open(probe / "_build" / page_inputs.LOCK, "a+") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("jupyter-book")), "build", "."],
            cwd=probe,
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(15)
        assert process.poll() is None, "the second build did not wait for the lock"
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0
    assert "another build of this book is running" in stderr and "waiting" in stderr


@slow
def test_probe_damaged_environment_gives_one_clear_message_and_a_correct_build(probe):
    pickle_file = probe / "_build" / ".doctrees" / "environment.pickle"
    # as a kill while Sphinx pickles leaves it
    pickle_file.write_bytes(pickle_file.read_bytes()[:100])
    edit_keeping_time(probe / "data" / "value.txt", "four")
    result = build(probe)
    assert result.returncode == 0, result.stderr[-3000:]
    output = result.stdout + result.stderr
    assert output.count("could not be loaded") == 1 and "make clean" in output
    assert executed(result) == ["a", "b"] and shown(probe, "a") == "reading-four"


@slow
def test_probe_fresh_build_with_all_is_not_reported_as_damage(probe):
    """`jupyter-book build . --all` (make strict-build, make test) ignores the saved
    state on purpose: after a finished build it must pass under -W, not warn that the
    state is damaged.
    """
    result = build(probe, "--all", "-W")
    assert result.returncode == 0, result.stderr[-3000:]
    output = result.stdout + result.stderr
    assert (
        "could not be loaded" not in output and "a fresh build was asked for" in output
    )
    assert executed(result) == ["a", "b"]
