"""Assignments: otter assign builds them, the local grader scores them, students never see solutions.

The slow part (about half a minute) builds every assignment into a temporary folder once, then
grades the reference solutions and the blank student versions with the project's grading command.
"""
import hashlib
import json
import re
import shutil
import zipfile

import jupytext
import pandas as pd
import pytest

from helpers import classroom
from tests.conftest import ROOT, toc_files

# Not marked slow on purpose: `make test` skips slow tests, and these must run there (about 30-60 s).
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:traitlets")

NAMES = classroom.assignment_names()
ZIPPED = "a2_constraints"  # its blank version is handed in as a zip
MARKERS = re.compile(r"#\s*(BEGIN|END)\s+(SOLUTION|QUESTION|TESTS|PROMPT)|#\s*SOLUTION\b|#\s*HIDDEN\b|ASSIGNMENT CONFIG",
                     re.IGNORECASE)


# ---------------------------------------------------------------------------------------
# Fast checks of the pieces
# ---------------------------------------------------------------------------------------


def test_there_is_one_assignment_per_part_and_a_replication_assignment():
    assert len(NAMES) >= 4
    for part in ("mechanisms", "constraints", "paths", "replication"):
        assert any(part in name for name in NAMES), f"no assignment for {part}"


def test_grading_requirements_drop_the_editable_install_and_keep_pins():
    lock = "# comment\npandas==2.2.3\n-e .\n--editable ./x\notter-grader==7.0.0\n"
    assert classroom.grading_requirements(lock) == "# comment\npandas==2.2.3\notter-grader==7.0.0\n"


def test_only_tables_and_the_descriptor_are_bundled():
    descriptor = {"resources": [{"name": "a", "path": "a.csv", "schema": {}}, {"name": "r", "path": "raw/r.pdf"}]}
    assert classroom.tabular_data_files(descriptor) == ["datapackage.json", "a.csv"]


def test_submissions_are_found_at_any_depth_without_checkpoints(tmp_path):
    (tmp_path / "ann").mkdir()
    (tmp_path / "ann" / "hw.ipynb").write_text("{}")
    (tmp_path / "bob.zip").write_bytes(b"")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "hw-checkpoint.ipynb").write_text("{}")
    (tmp_path / "notes.txt").write_text("")
    found = [p.relative_to(tmp_path).as_posix() for p in classroom.find_submissions(tmp_path)]
    assert found == ["ann/hw.ipynb", "bob.zip"]


def test_the_score_table_goes_beside_the_folder_not_into_it(tmp_path):
    folder = tmp_path / "week3"
    folder.mkdir()
    path = classroom.default_scores_path(folder, "a2_constraints")
    assert path.parent == tmp_path and path.name == "week3-a2_constraints-scores.csv"


def test_every_question_has_points_and_says_what_it_assesses():
    table = classroom.question_table()
    assert set(table["assignment"]) == set(NAMES)
    assert not table.duplicated(["assignment", "question"]).any(), "a question name is used twice in one assignment"
    assert (table["points"] > 0).all()
    missing = table.loc[table["assesses"].str.len() < 10, ["assignment", "question"]]
    assert missing.empty, f"questions without an '*Assesses:*' line: {missing.to_dict('records')}"


def test_binder_link_opens_the_student_notebook_of_the_configured_repository(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  url: https://github.com/someone/book\n  branch: dev\n"
                      "launch_buttons:\n  binderhub_url: https://hub.example.org/\n", encoding="utf-8")
    link = classroom.binder_link("a1_mechanisms", config)
    assert link == ("https://hub.example.org/v2/gh/someone/book/dev?urlpath="
                    "lab%2Ftree%2Fassignments%2Fdist%2Fa1_mechanisms%2Fstudent%2Fa1_mechanisms.ipynb")


def test_a_folder_mixing_assignments_needs_the_assignment_named(tmp_path):
    dist = tmp_path / "dist"
    for name, otter_name in (("a", "course-a"), ("b", "course-b")):
        (dist / name / "autograder").mkdir(parents=True)
        (dist / name / "autograder" / f"{name}-autograder_1.zip").write_bytes(b"")
        notebook = {"metadata": {"otter": {"assignment_name": otter_name}}, "cells": []}
        (dist / name / "autograder" / f"{name}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
        (tmp_path / f"{name}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    assert classroom.infer_assignment([tmp_path / "a.ipynb"], dist) == "a"
    with pytest.raises(ValueError, match="--assignment"):
        classroom.infer_assignment([tmp_path / "a.ipynb", tmp_path / "b.ipynb"], dist)


def test_an_unknown_assignment_name_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown assignment"):
        classroom.build_assignments(["no_such_assignment"], dist_dir=tmp_path)


CHAPTERS = [f for f in toc_files() if f.split("/")[1] in {"mechanisms", "constraints", "paths"}]


@pytest.mark.parametrize("page", CHAPTERS)
def test_every_chapter_ends_with_exercises_whose_solutions_are_hidden_and_run(page):
    text = (ROOT / f"{page}.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings and headings[-1] == "Exercises", f"{page}: the last section is not '## Exercises'"
    labels = re.findall(r"^```\{exercise\}\n:label: (\S+)$", text, flags=re.MULTILINE)
    assert len(labels) >= 2, f"{page}: fewer than two exercises"
    for label in labels:
        block = re.search(r"^```\{solution-start\} " + re.escape(label) + r"\n:class: dropdown\n```\n(.*?)^```\{solution-end\}",
                          text, flags=re.MULTILINE | re.DOTALL)
        assert block, f"{page}: exercise {label} has no dropdown solution"
        assert "```{code-cell} ipython3" in block.group(1), f"{page}: the solution of {label} has no code to run"


def test_exercise_labels_are_unique_across_the_book():
    labels = [label for page in CHAPTERS for label in re.findall(
        r"^:label: (\S+)$", (ROOT / f"{page}.md").read_text(encoding="utf-8"), flags=re.MULTILINE)]
    assert len(labels) == len(set(labels))


# ---------------------------------------------------------------------------------------
# Build once, grade once
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    return dist, {b.name: b for b in classroom.build_assignments(dist_dir=dist)}


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def graded(built, tmp_path_factory):
    """Grade, per assignment, a folder holding the reference solution, the blank student version and junk."""
    dist, assignments = built
    runs = {}
    for name, assignment in assignments.items():
        folder = tmp_path_factory.mktemp(f"submissions-{name}")
        (folder / "reference").mkdir()
        (folder / "blank").mkdir()
        shutil.copy(assignment.solution_notebook, folder / "reference" / f"{name}.ipynb")
        if name == ZIPPED:
            # Students may hand in the zip that the notebook's export cell makes; grade that route too.
            with zipfile.ZipFile(folder / "blank" / f"{name}.zip", "w") as archive:
                archive.write(assignment.student_notebook, f"{name}.ipynb")
        else:
            shutil.copy(assignment.student_notebook, folder / "blank" / f"{name}.ipynb")
        (folder / "not_a_notebook.ipynb").write_text("this is not JSON", encoding="utf-8")
        chosen = None  # the grader must read the assignment from the notebooks' metadata ...
        if name == ZIPPED:
            # ... except here, where a notebook of another assignment sits in the folder.
            other = next(n for n in assignments if n != name)
            shutil.copy(assignments[other].student_notebook, folder / "wrong_assignment.ipynb")
            chosen = name
        before = {p: sha256(p) for p in folder.rglob("*") if p.is_file()}
        table, out = classroom.grade_folder(folder, assignment=chosen, jobs=2, dist_dir=dist)
        after = {p: sha256(p) for p in folder.rglob("*") if p.is_file()}
        runs[name] = {"table": table.set_index("submission"), "out": out, "folder": folder,
                      "before": before, "after": after}
    return runs


def blank_submission(name):
    """Where the fixture put the blank student version of an assignment (relative to its folder)."""
    return f"blank/{name}.zip" if name == ZIPPED else f"blank/{name}.ipynb"


@pytest.mark.parametrize("name", NAMES)
def test_reference_solution_gets_full_marks(graded, name):
    row = graded[name]["table"].loc[f"reference/{name}.ipynb"]
    assert row["status"] == "graded", row["message"]
    assert row["possible"] > 0
    assert row["total"] == row["possible"], f"{name}: reference solution scored {row['total']}/{row['possible']}"


@pytest.mark.parametrize("name", NAMES)
def test_graded_points_are_the_points_the_guide_lists(graded, name):
    row = graded[name]["table"].loc[f"reference/{name}.ipynb"]
    table = classroom.question_table()
    assert row["possible"] == table.loc[table["assignment"] == name, "points"].sum()


@pytest.mark.parametrize("name", NAMES)
def test_blank_student_version_gets_less_than_full_marks(graded, name):
    row = graded[name]["table"].loc[blank_submission(name)]
    assert row["status"] == "graded", row["message"]
    assert row["total"] < row["possible"]


@pytest.mark.parametrize("name", NAMES)
def test_grading_writes_one_row_per_submission_and_leaves_them_untouched(graded, name):
    run = graded[name]
    assert run["out"].is_file() and not run["out"].is_relative_to(run["folder"])
    written = pd.read_csv(run["out"]).set_index("submission")
    expected = [blank_submission(name), "not_a_notebook.ipynb", f"reference/{name}.ipynb"]
    expected += ["wrong_assignment.ipynb"] if name == ZIPPED else []
    assert sorted(written.index) == sorted(expected)
    if name == ZIPPED:
        assert written.loc["wrong_assignment.ipynb", "status"] == "error"
        assert "assignment" in written.loc["wrong_assignment.ipynb", "message"]
    assert written.loc["not_a_notebook.ipynb", "status"] == "error"
    assert "JSON" in written.loc["not_a_notebook.ipynb", "message"]
    assert written.loc[f"reference/{name}.ipynb", "total"] == run["table"].loc[f"reference/{name}.ipynb", "total"]
    assert run["before"] == run["after"], "grading changed, added or removed a file in the submissions folder"


def source_solution_and_hidden_lines(name):
    """Code lines of the source that only the autograder may hold: solutions and hidden tests."""
    notebook = jupytext.read(classroom.SOURCE_DIR / name / f"{name}.md", fmt="md:myst")
    secret, block = [], None
    for cell in notebook.cells:
        text = cell.source.strip()
        if cell.cell_type == "raw" and re.match(r"#\s*BEGIN\s+(SOLUTION|TESTS)", text, re.I):
            block = text.split()[2].upper()
        elif cell.cell_type == "raw" and re.match(r"#\s*END\s+(SOLUTION|TESTS)", text, re.I):
            block = None
        elif cell.cell_type == "code" and block == "SOLUTION":
            secret += [line.split("# SOLUTION")[0].strip() for line in text.splitlines() if "# SOLUTION" in line]
        elif cell.cell_type == "code" and block == "TESTS" and text.startswith("# HIDDEN"):
            secret += [line.strip() for line in text.splitlines()[1:]]
    return [line for line in secret if len(line) > 12]


@pytest.mark.parametrize("name", NAMES)
def test_student_version_holds_no_solutions_markers_or_hidden_tests(built, name):
    student = built[1][name].student_notebook
    text = student.read_text(encoding="utf-8")
    notebook = json.loads(text)
    for cell in notebook["cells"]:
        assert not MARKERS.search("".join(cell["source"])), f"{name}: a solution/assign marker reached students"
    secret = source_solution_and_hidden_lines(name)
    assert secret, f"{name}: found no solution lines in the source (is the format right?)"
    leaked = [line for line in secret if line in text or json.dumps(line)[1:-1] in text]
    assert not leaked, f"{name}: solution or hidden-test code in the student version: {leaked[:3]}"
    for question in notebook["metadata"]["otter"]["tests"].values():
        for suite in question["suites"]:
            assert not any(case["hidden"] for case in suite["cases"]), f"{name}: hidden test shipped"


@pytest.mark.parametrize("name", NAMES)
def test_autograder_version_keeps_the_solutions(built, name):
    solution = built[1][name].solution_notebook.read_text(encoding="utf-8")
    secret = source_solution_and_hidden_lines(name)
    kept = [line for line in secret if line in solution or json.dumps(line)[1:-1] in solution]
    assert kept, f"{name}: the autograder notebook lost the solutions"


def test_a_runaway_submission_is_stopped_and_reported(built, tmp_path):
    dist, assignments = built
    name = NAMES[0]
    notebook = json.loads(assignments[name].student_notebook.read_text(encoding="utf-8"))
    notebook["cells"].insert(1, {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                                 "source": "while True:\n    pass"})
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "loop.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    table, _ = classroom.grade_folder(tmp_path / "subs", assignment=name, out=tmp_path / "s.csv", jobs=1,
                                      timeout=3, dist_dir=dist)
    assert table["status"].tolist() == ["timeout"]
