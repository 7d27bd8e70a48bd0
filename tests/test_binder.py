"""Binder replication: build the environment from the Binder files alone and run every
page in it.

repo2docker (what mybinder.org runs) reads, for a Python repository without Dockerfile
or environment.yml: runtime.txt (the Python version), requirements.txt (installed with
pip from the repository root, so `-e .` installs our helpers package), then runs
postBuild. This test does the same in a scratch copy of the repository: a new virtual
environment from those files only (pip's download cache is allowed, so it is not
painfully slow), postBuild with a scratch home, then every MyST page converted to a
notebook with jupytext and executed in that environment (python -m tools.run_pages). A
Binder reader must never meet a missing package, and the .md pages must open as
notebooks, not as raw text.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, toc_files

pytestmark = pytest.mark.slow

# Files that would make repo2docker ignore requirements.txt or add steps we do not
# reproduce here.
OTHER_BUILDPACKS = [
    "Dockerfile",
    "environment.yml",
    "Project.toml",
    "REQUIRE",
    "install.R",
    "apt.txt",
    "setup.py",
    "start",
    "default.nix",
    "binder",
    ".binder",
]


def runtime_python(root: Path) -> str:
    """An interpreter for runtime.txt's 'python-X.Y': this one if it matches, else
    pythonX.Y on PATH.
    """
    match = re.fullmatch(
        r"python-(\d+)\.(\d+)", (root / "runtime.txt").read_text().strip()
    )
    assert match, "runtime.txt must read python-X.Y, as repo2docker expects"
    wanted = tuple(int(g) for g in match.groups())
    if sys.version_info[:2] == wanted:
        return sys.executable
    found = shutil.which(f"python{wanted[0]}.{wanted[1]}")
    if found is None:
        pytest.skip(
            f"runtime.txt asks for Python {wanted[0]}.{wanted[1]}, which is not "
            "installed here"
        )
    return found


def run(command, cwd, env, timeout=1800):
    """Run a command; fail the test with its output if it fails."""
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, command))} "
        f"failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    )
    return result.stdout


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory):
    """A copy of the repo with a venv built the way repo2docker builds it, and the
    seconds it took.
    """
    from tools.worktree import copy_project

    base = tmp_path_factory.mktemp("binder")
    repo = copy_project(base / "repo")
    home = base / "home"
    home.mkdir()
    venv = base / "venv"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "VIRTUAL_ENV"}
    }
    env.update(
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
        PATH=f"{venv / 'bin'}:{env['PATH']}",
    )
    started = time.perf_counter()
    run([runtime_python(repo), "-m", "venv", str(venv)], repo, env)
    run(
        [
            venv / "bin" / "python",
            "-m",
            "pip",
            "install",
            "--quiet",
            "-r",
            "requirements.txt",
        ],
        repo,
        env,
    )
    installed = time.perf_counter()
    run(["bash", "./postBuild"], repo, env)
    return {
        "repo": repo,
        "venv": venv,
        "env": env,
        "install_seconds": installed - started,
        "home": home,
    }


def test_no_other_buildpack_files_override_requirements_txt():
    present = [name for name in OTHER_BUILDPACKS if (ROOT / name).exists()]
    assert present == [], (
        f"repo2docker would use {present} instead of (or besides) requirements.txt"
    )


def test_postbuild_makes_md_files_open_as_notebooks(binder_env):
    overrides = (
        binder_env["home"] / ".jupyter" / "labconfig" / "default_setting_overrides.json"
    )
    assert overrides.is_file(), "postBuild wrote no JupyterLab default viewer settings"
    viewers = json.loads(overrides.read_text())[
        "@jupyterlab/docmanager-extension:plugin"
    ]["defaultViewers"]
    assert viewers.get("markdown") == "Jupytext Notebook", viewers
    assert viewers.get("myst") == "Jupytext Notebook", viewers
    # Jupytext's server extension is what opens a .md file as a notebook; its listing
    # goes to stderr.
    listing = subprocess.run(
        [binder_env["venv"] / "bin" / "jupyter", "server", "extension", "list"],
        cwd=binder_env["repo"],
        env=binder_env["env"],
        capture_output=True,
        text=True,
    )
    text = re.sub(
        r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr
    )  # drop the colours
    assert re.search(r"jupyterlab_jupytext\s+enabled", text), (
        f"jupytext server extension is not enabled:\n{text}"
    )


def test_every_page_runs_in_the_binder_environment(binder_env, capsys):
    pages = [str(binder_env["repo"] / f"{name}.md") for name in toc_files()]
    started = time.perf_counter()
    # tools/run_pages.py converts each page with jupytext (writing the .ipynb a Binder
    # user opens) and runs it in a fresh kernel of the Binder environment; a failing
    # page does not stop the others.
    result = subprocess.run(
        [
            binder_env["venv"] / "bin" / "python",
            "-m",
            "tools.run_pages",
            "--json",
            "--write-ipynb",
            "--timeout",
            "120",
            *pages,
        ],
        cwd=binder_env["repo"],
        env=binder_env["env"],
        capture_output=True,
        text=True,
        timeout=3600,
    )
    results = json.loads(result.stdout.strip().splitlines()[-1])
    with capsys.disabled():
        print(
            f"\nBinder replication: environment {binder_env['install_seconds']:.0f} s, "
            f"{len(pages)} pages executed in {time.perf_counter() - started:.0f} s"
        )
    missing = [
        r
        for r in results
        if r["error"] and re.search(r"ModuleNotFoundError|ImportError", r["error"])
    ]
    assert missing == [], f"a Binder reader meets a missing package: {missing}"
    failed = [r for r in results if r["error"]]
    assert failed == [], f"pages that fail in the Binder environment: {failed}"
    assert len(results) == len(pages)
