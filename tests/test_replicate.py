"""make replicate: figures and tables of record are collected from the executed notebooks, with a manifest."""

import base64
import hashlib
import json
import os
import subprocess
import sys

import nbformat
import pytest

from tests.conftest import ROOT, toc_files
from tools import replicate

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\nfake").decode()
TABLE_HTML = (
    "<div><style>td {color: red}</style><table><thead><tr><th></th><th>Group "
    "组别</th><th>Score</th></tr></thead><tbody><tr><th>0</th><td>城市 "
    "Urban</td><td>56.3</td></tr><tr><th>1</th><td>农村 &amp; "
    "rural</td><td>–</td></tr></tbody></table></div>"
)


def executed_notebook() -> dict:
    """An executed page: a titled Markdown cell, a named figure, a table of record, an
    unnamed figure.
    """
    figure = nbformat.v4.new_code_cell(
        "draw()",
        metadata={
            "mystnb": {
                "figure": {
                    "name": "fig-c1-literacy",
                    "caption": "Digital literacy 数字素养\nsecond line",
                }
            }
        },
    )
    figure.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"image/png": PNG, "text/plain": "<Figure>"}
        )
    ]
    table = nbformat.v4.new_code_cell(
        "styled", metadata={"output_name": "c1_literacy_gaps"}
    )
    table.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            data={"text/html": TABLE_HTML, "text/plain": "x"},
            execution_count=2,
        )
    ]
    other = nbformat.v4.new_code_cell("plt.plot()")
    other.outputs = [nbformat.v4.new_output("display_data", data={"image/png": PNG})]
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Weak pull\n\ntext"),
            figure,
            table,
            other,
        ]
    )
    return json.loads(nbformat.writes(notebook))


def fake_build(root, pages: dict) -> None:
    """_toc.yml, executed notebooks and recorded page inputs as a build leaves them."""
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nchapters:\n"
        + "".join(f"  - file: {page}\n" for page in pages if page != "book/intro")
    )
    for page, notebook in pages.items():
        path = root / "_build" / "jupyter_execute" / f"{page}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(notebook))
    inputs = {
        page: {
            "data/digital_literacy_2021.csv": "a" * 64,
            "data/datapackage.json": "b",
            f"{page}.md": "c",
            "helpers/figure1.py": "d",
        }
        for page in pages
    }
    (root / "_build" / "page-inputs.json").write_text(json.dumps(inputs))


def test_named_figures_and_tables_are_collected_with_provenance(tmp_path):
    fake_build(
        tmp_path,
        {
            "book/intro": {"cells": []},
            "book/constraints/tech_pull": executed_notebook(),
        },
    )
    output_dir = tmp_path / "outputs"
    rows, problems = replicate.manifest_rows(
        tmp_path, replicate.toc_pages(tmp_path), output_dir
    )
    assert problems == []
    assert sorted(row["file"] for row in rows) == [
        "outputs/figures/fig-c1-literacy.png",
        "outputs/tables/c1_literacy_gaps.csv",
        "outputs/tables/c1_literacy_gaps.html",
    ]
    figure = next(row for row in rows if row["kind"] == "figure")
    assert (
        output_dir / "figures" / "fig-c1-literacy.png"
    ).read_bytes() == b"\x89PNG\r\n\x1a\nfake"
    assert figure["sha256"] == hashlib.sha256(b"\x89PNG\r\n\x1a\nfake").hexdigest()
    assert (
        figure["caption"] == "Digital literacy 数字素养"
        and figure["chapter_title"] == "Weak pull"
    )
    assert (
        figure["page"] == "constraints/tech_pull"
        and figure["notebook"] == "book/constraints/tech_pull.md"
    )
    assert figure["data_files"] == [
        "data/datapackage.json",
        "data/digital_literacy_2021.csv",
    ]
    assert figure["helpers"] == ["helpers/figure1.py"]


def test_a_table_of_record_is_written_as_displayed(tmp_path):
    fake_build(tmp_path, {"book/intro": executed_notebook()})
    replicate.manifest_rows(tmp_path, ["book/intro"], tmp_path / "outputs")
    csv_text = (tmp_path / "outputs" / "tables" / "c1_literacy_gaps.csv").read_text(
        encoding="utf-8"
    )
    assert csv_text.splitlines() == [
        ",Group 组别,Score",
        "0,城市 Urban,56.3",
        "1,农村 & rural,–",
    ]


def test_problems_name_missing_outputs_and_duplicate_names(tmp_path):
    broken = executed_notebook()
    broken["cells"][1]["outputs"] = []  # the named figure drew nothing
    fake_build(tmp_path, {"book/intro": executed_notebook(), "book/a": broken})
    rows, problems = replicate.manifest_rows(
        tmp_path, ["book/intro", "book/a"], tmp_path / "outputs"
    )
    assert "book/a: figure 'fig-c1-literacy': the cell has no image output" in problems
    assert (
        "book/a: table name 'c1_literacy_gaps' is also used by book/intro" in problems
    )


def test_compare_runs_sorts_files_into_identical_changed_new_and_gone():
    previous = {"a.csv": "1", "b.csv": "2", "gone.csv": "3"}
    rows = [
        {"file": "a.csv", "sha256": "1"},
        {"file": "b.csv", "sha256": "9"},
        {"file": "new.csv", "sha256": "4"},
    ]
    assert replicate.compare_runs(previous, rows) == {
        "identical": ["a.csv"],
        "changed": ["b.csv"],
        "new": ["new.csv"],
        "gone": ["gone.csv"],
    }


def test_csv_manifest_joins_lists(tmp_path):
    fake_build(tmp_path, {"book/intro": executed_notebook()})
    rows, _ = replicate.manifest_rows(tmp_path, ["book/intro"], tmp_path / "outputs")
    replicate.write_manifest(rows, tmp_path / "outputs")
    header, first = (
        (tmp_path / "outputs" / "manifest.csv")
        .read_text(encoding="utf-8")
        .splitlines()[:2]
    )
    assert header.split(",") == replicate.CSV_COLUMNS
    assert "data/datapackage.json; data/digital_literacy_2021.csv" in first


@pytest.mark.slow
def test_two_replications_give_identical_files(tmp_path):
    """make replicate's program twice on a two-page book in a copy of the repo: every file is identical."""
    from tools.worktree import copy_project

    copy = copy_project(tmp_path / "repo")
    (copy / ".venv").symlink_to(ROOT / ".venv")
    import jupytext

    converted = next(
        page
        for page in toc_files()[1:]
        if any(
            (cell.metadata.get("mystnb") or {}).get("figure")
            for cell in jupytext.read(ROOT / f"{page}.md").cells
        )
    )
    (copy / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nparts:\n  - caption: Part\n    numbered: "
        f"true\n    chapters:\n      - file: {converted}\n"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "NQPF_PAGE_INPUTS"}
    }
    command = [sys.executable, "-m", "tools.replicate"]
    first = subprocess.run(
        command, cwd=copy, env=env, capture_output=True, text=True, timeout=1200
    )
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    rows = json.loads((copy / "outputs" / "manifest.json").read_text())
    assert any(row["kind"] == "figure" for row in rows)
    assert all(
        row["data_files"]
        for row in rows
        if row["page"] == converted.removeprefix("book/")
    )
    second = subprocess.run(
        command, cwd=copy, env=env, capture_output=True, text=True, timeout=1200
    )
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert f"{len(rows)} identical, 0 changed, 0 new, 0 gone" in second.stdout
