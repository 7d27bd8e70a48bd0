"""The environment is pinned, and Binder builds the same one and opens pages as
notebooks.
"""

import re

import yaml

from tests.conftest import ROOT

PIN = re.compile(r"^[A-Za-z0-9_.\-\[\]]+==[^\s;]+")


def requirement_lines() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_every_requirement_is_pinned_exactly():
    for line in requirement_lines():
        assert line == "-e ." or PIN.match(line), (
            f"requirements.txt: {line!r} is not pinned with =="
        )


def test_lock_covers_every_top_level_requirement():
    locked = {
        re.split(r"==", line)[0].lower().replace("_", "-")
        for line in requirement_lines()
        if "==" in line
    }
    for line in (ROOT / "requirements.in").read_text().splitlines():
        name = re.split(r"[<>=!~ ]", line.strip())[0].lower().replace("_", "-")
        if name and not name.startswith("#"):
            assert name in locked, f"{name} is in requirements.in but not in the lock"


def test_jupyter_book_stays_on_1x_and_sphinx_below_8_2():
    pins = dict(line.split("==") for line in requirement_lines() if "==" in line)
    assert pins["jupyter-book"].startswith("1."), pins["jupyter-book"]
    major, minor = (int(x) for x in pins["Sphinx"].split(".")[:2])
    assert (major, minor) < (8, 2)


def test_binder_installs_the_project_and_jupytext_and_opens_md_as_notebooks():
    lines = requirement_lines()
    assert "-e ." in lines and any(line.startswith("jupytext==") for line in lines)
    post_build = (ROOT / "postBuild").read_text()
    assert (
        "jupytext-config set-default-viewer" in post_build and "markdown" in post_build
    )
    assert (ROOT / "runtime.txt").read_text().strip().startswith("python-3.1")


def test_launch_buttons_point_at_the_repository():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert config["repository"]["url"].startswith("https://github.com/")


def test_ci_runs_exactly_make_test():
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [line for line in ci.splitlines() if line.strip().startswith("make ")]
    assert commands == ["make test"], commands


# ----------------------------------------------------------------------------- the
# environment guard (make env)
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from tools import environment  # noqa: E402


def test_guard_reads_the_required_python_from_pyproject_and_runtime():
    assert environment.required_python() == (3, 11)


def test_guard_refuses_an_older_python_before_touching_anything(
    monkeypatch, capsys, tmp_path
):
    monkeypatch.setattr(sys, "version_info", (3, 10, 12, "final", 0))
    monkeypatch.setattr(environment, "VENV", str(tmp_path / "venv"))
    assert environment.main() == 2
    message = capsys.readouterr().err
    assert (
        "needs Python 3.11 or newer" in message
        and "3.10.12" in message
        and "make PYTHON=" in message
    )
    assert not (tmp_path / "venv").exists()


def older_pythons() -> list[str]:
    candidates = [f"python3.{minor}" for minor in range(6, 11)]
    candidates += [
        str(p) for p in Path("/root/.pyenv/versions").glob("3.*/bin/python3")
    ]
    found = []
    for name in candidates:
        path = (
            name
            if os.path.isabs(name)
            else subprocess.run(
                ["bash", "-c", f"command -v {name}"], capture_output=True, text=True
            ).stdout.strip()
        )
        if path and os.access(path, os.X_OK):
            version = subprocess.run(
                [path, "-c", "import sys; print(sys.version_info[:2] < (3, 11))"],
                capture_output=True,
                text=True,
            ).stdout.strip()
            if version == "True":
                found.append(path)
    return found


def test_make_env_refuses_an_older_python_with_a_clear_message():
    older = older_pythons()
    if not older:
        pytest.skip("no Python older than 3.11 on this machine")
    result = subprocess.run(
        ["make", "--no-print-directory", "env", f"PYTHON={older[0]}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "this project needs Python 3.11 or newer" in result.stderr, result.stderr


def test_a_venv_made_by_an_older_python_is_made_again(monkeypatch, tmp_path):
    venv = tmp_path / ".venv"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.10.12\n")
    commands = []

    def fake_run(command):
        commands.append(command)
        if command[1:3] == ["-m", "venv"]:
            Path(command[3]).mkdir()

    monkeypatch.setattr(environment, "VENV", str(venv))
    monkeypatch.setattr(environment, "run", fake_run)
    monkeypatch.setattr(
        environment, "install_lock", lambda venv=None: commands.append(["install lock"])
    )
    monkeypatch.setattr(
        environment,
        "installed_packages",
        lambda venv=None: environment.locked_packages(),
    )
    assert environment.main() == 0
    assert commands[0] == [sys.executable, "-m", "venv", str(venv)] and commands[1] == [
        "install lock"
    ]
    assert not (venv / "pyvenv.cfg").exists(), "the old venv was not removed"


def test_a_missing_or_other_version_package_is_named():
    locked = {"jieba": "0.42.1", "pandas": "2.2.3", "numpy": "2.1.0"}
    installed = {"pandas": "2.2.3", "numpy": "2.0.0"}
    assert environment.lock_differences(locked, installed) == [
        "jieba is missing",
        "numpy is 2.0.0 (lock: 2.1.0)",
    ]


def test_the_project_venv_matches_the_lock():
    problems = environment.lock_differences(
        environment.locked_packages(), environment.installed_packages()
    )
    assert problems == [], (
        f".venv differs from requirements.txt (make env repairs it): {problems}"
    )


def test_the_kernel_configuration_is_installed_and_a_changed_copy_replaced(tmp_path):
    venv = tmp_path / ".venv"
    installed = venv / "etc" / "ipython" / "ipython_kernel_config.py"
    source = Path(environment.KERNEL_CONFIG).read_bytes()
    assert environment.install_kernel_config(str(venv)) is True
    assert installed.read_bytes() == source
    assert environment.install_kernel_config(str(venv)) is False, (
        "an identical copy was written again"
    )
    installed.write_text("c.IPKernelApp.exec_lines = []\n")
    assert environment.install_kernel_config(str(venv)) is True
    assert installed.read_bytes() == source


def test_venv_kernel_collects_less_often_skips_exit_collection_leaves_no_names(
    tmp_path,
):
    if not (
        Path(sys.prefix) / "etc" / "ipython" / "ipython_kernel_config.py"
    ).is_file():
        pytest.skip("this Python's environment was not prepared by make env")
    import nbformat

    from tools.run_pages import execute_notebook

    witness_file = tmp_path / "collected.txt"
    # An object in a reference cycle is freed only by a garbage collection; its __del__
    # leaves a file if one ran.
    code = (
        "class Witness:\n"
        f"    def __del__(self): open({str(witness_file)!r}, 'w').write('collected')\n"
        "witness = Witness()\nwitness.cycle = witness\n"
        "print(sorted(name for name in ('atexit', 'gc') if name in globals()))\n"
        # Full collections while a page imports its libraries (Python's defaults run 3
        # here).
        "import gc as collector\nfull = []\ncollector.callbacks.append(lambda phase, "
        "info: full.append(phase) if info['generation'] == 2 else None)\nimport "
        "pandas, matplotlib.pyplot, "
        "statsmodels.regression.linear_model\nprint(len(full))"
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    # ends the kernel gracefully, as MyST-NB ends a page's kernel
    execute_notebook(notebook, tmp_path, timeout=60)
    printed = [output.get("text", "") for output in notebook.cells[0].outputs]
    names, full_collections = "".join(printed).split()
    assert names == "[]", "the configuration left names in the user's namespace"
    assert full_collections == "0", (
        "full garbage collections ran while the libraries were imported"
    )
    assert not witness_file.exists(), (
        "the kernel's exit ran a garbage collection over the page's objects"
    )
