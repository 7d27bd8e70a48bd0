"""The environment is pinned, and Binder builds the same one and opens pages as notebooks."""
import re

import yaml

from tests.conftest import ROOT

PIN = re.compile(r"^[A-Za-z0-9_.\-\[\]]+==[^\s;]+")


def requirement_lines() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_every_requirement_is_pinned_exactly():
    for line in requirement_lines():
        assert line == "-e ." or PIN.match(line), f"requirements.txt: {line!r} is not pinned with =="


def test_lock_covers_every_top_level_requirement():
    locked = {re.split(r"==", line)[0].lower().replace("_", "-") for line in requirement_lines() if "==" in line}
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
    assert "jupytext-config set-default-viewer" in post_build and "markdown" in post_build
    assert (ROOT / "runtime.txt").read_text().strip().startswith("python-3.1")


def test_launch_buttons_point_at_the_repository():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert config["repository"]["url"].startswith("https://github.com/")


def test_ci_runs_exactly_make_test():
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [line for line in ci.splitlines() if line.strip().startswith("make ")]
    assert commands == ["make test"], commands
