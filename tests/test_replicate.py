"""make replicate: figures and tables of record are collected from the executed
notebooks with a manifest, the analysis panel is written with its codebook, and a run
reports what changed since the previous one.
"""

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
    """make replicate's program twice on a two-page book in a copy of the repo: every
    file is identical.
    """
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


# --------------------------------------------------------------------------------------
# What changed: the comparison of two runs, worked by hand on small tables
# --------------------------------------------------------------------------------------


def test_cell_changes_lists_each_differing_cell_with_old_and_new():
    old = [["group", "score"], ["urban", "56.3"], ["rural", "35.1"]]
    new = [["group", "score"], ["urban", "56.3"], ["rural", "35.2"], ["all", "43.6"]]
    assert replicate.cell_changes(old, new) == [
        ("2 (rural)", "score", "35.1", "35.2"),
        ("3 (all)", "group", "", "all"),
        ("3 (all)", "score", "", "43.6"),
    ]
    assert replicate.cell_changes(new, new) == []
    assert replicate.cell_changes([["a", "b"]], [["a", "c"]]) == [
        ("header", "column 2", "b", "c")
    ]


def write_run(root, files: dict[str, str]) -> list[dict]:
    """Files under root/outputs and their manifest rows (checksums of the contents)."""
    rows = []
    for name, text in files.items():
        path = root / "outputs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        rows.append(
            {
                "file": f"outputs/{name}",
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
            }
        )
    return rows


def test_the_report_lists_added_removed_and_changed_outputs_and_changed_cells(
    tmp_path,
):
    old = write_run(
        tmp_path / "old",
        {
            "tables/t1.csv": "group,score\nurban,56.3\nrural,35.1\n",
            "tables/t1.html": "<table>35.1</table>",
            "tables/same.csv": "a\n1\n",
            "figures/fig-a.png": "png-1",
            "figures/fig-gone.png": "png",
        },
    )
    new = write_run(
        tmp_path / "new",
        {
            "tables/t1.csv": "group,score\nurban,56.3\nrural,35.2\n",
            "tables/t1.html": "<table>35.2</table>",
            "tables/same.csv": "a\n1\n",
            "figures/fig-a.png": "png-2",
            "data/panel.csv": "x\n1\n",
        },
    )
    report = replicate.changes_report(
        old, new, tmp_path / "old", tmp_path / "new", "the last run"
    )
    assert report.splitlines() == [
        "# What changed",
        "",
        "Against the last run: 1 outputs identical, 3 changed, 1 added, 1 removed.",
        "",
        "## Added",
        "",
        "- `outputs/data/panel.csv`",
        "",
        "## Removed",
        "",
        "- `outputs/figures/fig-gone.png`",
        "",
        "## Changed",
        "",
        "- `outputs/figures/fig-a.png`: the figure changed",
        "",
        "- `outputs/tables/t1.csv`: 1 cell(s) differ",
        "",
        "  | row | column | old | new |",
        "  |---|---|---|---|",
        "  | 2 (rural) | score | 35.1 | 35.2 |",
        "",
        "- `outputs/tables/t1.html`: the table's HTML (its cells as in the .csv)",
    ]


def test_a_long_list_of_changed_cells_is_cut_and_counted(tmp_path):
    rows = "\n".join(f"p{i},{i}" for i in range(30))
    old = write_run(tmp_path / "old", {"tables/t.csv": "p,v\n" + rows + "\n"})
    new = write_run(
        tmp_path / "new", {"tables/t.csv": "p,v\n" + rows.replace(",", ",9") + "\n"}
    )
    report = replicate.changes_report(old, new, tmp_path / "old", tmp_path / "new", "x")
    assert "- `outputs/tables/t.csv`: 30 cell(s) differ" in report
    assert report.count(" (p") == replicate.MAX_CELLS_SHOWN
    assert f"... and {30 - replicate.MAX_CELLS_SHOWN} more" in report


def test_new_outputs_replace_the_old_only_when_moved_into_place(tmp_path):
    target = tmp_path / "outputs"
    (target / "tables").mkdir(parents=True)
    (target / "tables" / "old.csv").write_text("old", encoding="utf-8")
    staged = tmp_path / ".staging" / "outputs"
    staged.mkdir(parents=True)
    (staged / "new.csv").write_text("new", encoding="utf-8")
    assert (target / "tables" / "old.csv").is_file()  # untouched while staging
    replicate.put_in_place(staged, target)
    assert sorted(p.name for p in target.rglob("*")) == ["new.csv"]
    assert not (tmp_path / ".staging").exists()


# --------------------------------------------------------------------------------------
# The analysis panel and its codebook
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def panel_and_codebook(tmp_path_factory):
    import pandas as pd

    from tools import analysis_data

    folder = tmp_path_factory.mktemp("analysis")
    panel, book = analysis_data.write_analysis_data(
        ROOT, replicate.toc_pages(ROOT), folder
    )
    return pd.read_csv(panel), pd.read_csv(book, keep_default_na=False)


def test_the_panel_holds_every_index_variant_coupling_and_normalised_indicator(
    panel_and_codebook,
):
    from helpers import nqpf_models

    panel, _ = panel_and_codebook
    data = nqpf_models.build_analysis_data(nqpf_models.load_inputs())
    expected = [
        *data.frame.columns,
        *(f"coupling_{c}" for c in ("C", "T", "D", "grade", "class_zh", "class_en")),
        *(f"nqpf_z_{c}" for c in data.nqpf.normalised.columns),
        *(f"uri_z_{c}" for c in data.uri.normalised.columns),
    ]
    assert list(panel.columns) == expected
    assert {
        "province_code",
        "province_zh",
        "province_en",
        *data.variants,
        "uri",
    } <= set(panel.columns)
    assert len(panel) == len(data.frame) == 31 * 10
    assert not panel.duplicated(["province_code", "year"]).any()


def test_the_coupling_degree_is_the_formula_worked_on_a_row(panel_and_codebook):
    panel, _ = panel_and_codebook
    row = panel.dropna(subset=["nqpf", "uri"]).iloc[0]
    u1, u2 = row["nqpf"], row["uri"]
    c = 2 * (u1 * u2) ** 0.5 / (u1 + u2)
    d = (c * (u1 + u2) / 2) ** 0.5
    assert abs(row["coupling_C"] - c) < 1e-12 and abs(row["coupling_D"] - d) < 1e-12
    assert row["coupling_grade"] == int(d * 10)
    assert panel.loc[panel["uri"].isna(), "coupling_D"].isna().all()


def test_the_codebook_explains_every_column_with_its_page(panel_and_codebook):
    panel, book = panel_and_codebook
    assert list(book["column"]) == list(panel.columns)
    assert (book["meaning"] != "").all() and (book["formula_or_source"] != "").all()
    pages = {f"{page}.md" for page in replicate.toc_pages(ROOT)}
    assert set(book["page"]) <= pages and (book["page"] != "").all()
    row = book.set_index("column").loc["nqpf_no_green"]
    assert "entropy weights over 5 indicators" in row["meaning"]


@pytest.mark.slow
def test_a_one_value_data_change_reports_exactly_the_outputs_that_changed(tmp_path):
    """make replicate twice in a copy of the repo (a two-page book), one score of
    Figure 1's data changed between the runs: changes.txt lists exactly the outputs
    whose checksums differ, with the changed cell.
    """
    from tests.test_data_corruptions import rehash
    from tools.worktree import copy_project

    copy = copy_project(tmp_path / "repo")
    (copy / ".venv").symlink_to(ROOT / ".venv")
    (copy / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nparts:\n  - caption: Part\n    numbered: "
        "true\n    chapters:\n      - file: book/constraints/tech_pull\n"
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
    before = {
        r["file"]: r["sha256"]
        for r in json.loads((copy / "outputs" / "manifest.json").read_text())
    }
    literacy = copy / "data" / "digital_literacy_2021.csv"
    text = literacy.read_text(encoding="utf-8")
    assert text.count(",35.1,2021,") == 1
    literacy.write_text(text.replace(",35.1,2021,", ",35.3,2021,"), encoding="utf-8")
    rehash(copy / "data", "digital_literacy_2021.csv")
    second = subprocess.run(
        command, cwd=copy, env=env, capture_output=True, text=True, timeout=1200
    )
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    after = {
        r["file"]: r["sha256"]
        for r in json.loads((copy / "outputs" / "manifest.json").read_text())
    }
    differ = sorted(f for f in after if before.get(f) != after[f])
    assert differ and set(after) == set(before)
    assert not any(f.startswith("outputs/data/") for f in differ)  # not in the panel
    report = (copy / "outputs" / "changes.txt").read_text(encoding="utf-8")
    listed = sorted(
        line.split("`")[1] for line in report.splitlines() if line.startswith("- `")
    )
    assert listed == differ, report
    assert "35.1" in report and "35.3" in report, report
