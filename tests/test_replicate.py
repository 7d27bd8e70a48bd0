"""make replicate: the manifest names every output's page, helper, data and checksum, and reruns are identical."""
import importlib.util
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from helpers import outputs
from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("replicate", ROOT / "tools" / "replicate.py")
replicate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(replicate)


def literacy_gap(frame):
    """Stand-in helper used as made_by."""
    return frame


def make_outputs(tmp_path):
    """A fake project root with one page, and an outputs/ folder with one recorded table."""
    (tmp_path / "book" / "constraints").mkdir(parents=True)
    (tmp_path / "book" / "constraints" / "tech_pull.md").write_text("---\n---\n\n# Weak pull\n", encoding="utf-8")
    output_dir = tmp_path / "outputs"
    outputs.save_table(pd.DataFrame({"group": ["城市", "农村"], "score": [56.3, 35.1]}), "c1_scores",
                       page="constraints/tech_pull", element="Paper Figure 1", made_by=literacy_gap,
                       resources=["digital_literacy_2021"], output_dir=output_dir)
    return output_dir


def test_manifest_row_carries_provenance_title_and_checksum(tmp_path):
    output_dir = make_outputs(tmp_path)
    [row] = replicate.manifest_rows(outputs.read_records(output_dir), output_dir, tmp_path)
    expected_sha = replicate.sha256(output_dir / "tables" / "c1_scores.csv")
    assert row["file"] == "outputs/tables/c1_scores.csv" and row["sha256"] == expected_sha and len(expected_sha) == 64
    assert row["chapter_title"] == "Weak pull" and row["notebook"] == "book/constraints/tech_pull.md"
    assert row["element"] == "Paper Figure 1" and row["resources"] == ["digital_literacy_2021"]


def test_a_clean_manifest_has_no_problems(tmp_path):
    output_dir = make_outputs(tmp_path)
    rows = replicate.manifest_rows(outputs.read_records(output_dir), output_dir, tmp_path)
    rows = [{**row, "made_by": ["helpers.outputs.save_table"]} for row in rows]  # importable from here
    assert replicate.manifest_problems(rows, output_dir, {"digital_literacy_2021"}, tmp_path) == []


def test_problems_name_unknown_data_unimportable_helper_and_unrecorded_file(tmp_path):
    output_dir = make_outputs(tmp_path)
    (output_dir / "figures").mkdir()
    (output_dir / "figures" / "stray.png").write_bytes(b"\x89PNG")
    rows = replicate.manifest_rows(outputs.read_records(output_dir), output_dir, tmp_path)
    rows = [{**row, "made_by": ["helpers.gaps.no_such_function"]} for row in rows]
    problems = replicate.manifest_problems(rows, output_dir, {"another_resource"}, tmp_path)
    assert any("'digital_literacy_2021' is not in data/datapackage.json" in p for p in problems)
    assert any("helpers.gaps.no_such_function cannot be imported" in p for p in problems)
    assert any(p.startswith("outputs/figures/stray.png: written without a record") for p in problems)


def test_importable_resolves_module_and_attribute_paths():
    assert replicate.importable("helpers.outputs.save_table")
    assert replicate.importable("helpers.style.save_figure")
    assert not replicate.importable("helpers.outputs.no_such_name")
    assert not replicate.importable("no_such_package.f")


def test_compare_runs_sorts_files_into_identical_changed_new_and_gone():
    previous = {"a.csv": "1", "b.csv": "2", "gone.csv": "3"}
    rows = [{"file": "a.csv", "sha256": "1"}, {"file": "b.csv", "sha256": "9"}, {"file": "new.csv", "sha256": "4"}]
    assert replicate.compare_runs(previous, rows) == {
        "identical": ["a.csv"], "changed": ["b.csv"], "new": ["new.csv"], "gone": ["gone.csv"]}


def test_csv_manifest_joins_lists(tmp_path):
    output_dir = make_outputs(tmp_path)
    replicate.write_manifest(replicate.manifest_rows(outputs.read_records(output_dir), output_dir, tmp_path),
                             output_dir)
    frame = pd.read_csv(output_dir / "manifest.csv")
    assert list(frame.columns) == replicate.CSV_COLUMNS
    assert json.loads((output_dir / "manifest.json").read_text())[0]["made_by"][0].endswith("literacy_gap")


@pytest.mark.slow
def test_two_replications_give_identical_tables_and_figures(tmp_path):
    """Run make replicate's program twice on the Figure 1 page in a copy of the repo; every file is identical."""
    sys.path.insert(0, str(ROOT / "tools"))
    from worktree import copy_project

    copy = copy_project(tmp_path / "repo")
    env = {**os.environ, "PYTHONPATH": str(copy)}  # the kernels import the copy's helpers, writing its outputs/
    command = [sys.executable, "tools/replicate.py", "--pages", "constraints/tech_pull"]
    first = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stdout + first.stderr
    rows = json.loads((copy / "outputs" / "manifest.json").read_text())
    assert any(row["kind"] == "table" for row in rows) and any(row["kind"] == "figure" for row in rows)
    second = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stdout + second.stderr
    again = {row["file"]: row["sha256"] for row in json.loads((copy / "outputs" / "manifest.json").read_text())}
    assert again == {row["file"]: row["sha256"] for row in rows}, second.stdout
    assert f"{len(rows)} identical, 0 changed, 0 new, 0 gone" in second.stdout
