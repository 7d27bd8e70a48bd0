"""Classroom tooling: build the otter-grader assignments and grade a folder of submissions without Docker.

Two commands (also behind `make assignments` and `make grade SUBMISSIONS=dir`):

    python -m helpers.classroom build [NAME ...]          # student + autograder versions in assignments/dist/
    python -m helpers.classroom grade FOLDER [--assignment NAME] [--out scores.csv]

`build` turns each source notebook assignments/source/<name>/<name>.md (MyST, otter-grader's
"assign" v1 format) into a staged .ipynb and runs `otter assign` on it. The staged folder also
holds a copy of helpers/ and of the data tables, listed as autograder files, so the autograder zip
carries the code and data it was written against (the Docker route `otter grade` needs them).

`grade` runs otter-grader's non-containerised route (`otter run`, through its Python API
otter.api.grade_submission) on every submission in the folder, each in its own process with a
time limit, and writes one CSV row per submission. Submissions are only ever read: otter copies
each one into a temporary folder before running it.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import multiprocessing
import os
import shutil
import signal
import sys
import time
import zipfile
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

import pandas as pd

from helpers.paths import DATA_DIR, ROOT

ASSIGNMENTS_DIR = ROOT / "assignments"
SOURCE_DIR = ASSIGNMENTS_DIR / "source"
DIST_DIR = ASSIGNMENTS_DIR / "dist"
STAGING_DIRNAME = "_staging"
SUBMISSION_SUFFIXES = (".ipynb", ".zip")
# A notebook of this course runs in seconds; ten minutes means a runaway loop, not a slow student.
DEFAULT_TIMEOUT = 600
SCORE_COLUMNS = ["submission", "assignment", "status", "total", "possible", "percent", "message"]


@dataclass(frozen=True)
class BuiltAssignment:
    """Where `otter assign` put one assignment's student notebook, solution notebook and autograder zip."""

    name: str
    student_notebook: Path
    solution_notebook: Path
    autograder_zip: Path


# ---------------------------------------------------------------------------------------
# Build: source notebook -> staged notebook -> otter assign
# ---------------------------------------------------------------------------------------


def assignment_names(source_dir: Path = SOURCE_DIR) -> list[str]:
    """Names of the assignments: folders of source_dir holding a source notebook <name>/<name>.md."""
    if not source_dir.is_dir():
        raise FileNotFoundError(f"{source_dir}: no assignment sources folder")
    return sorted(p.name for p in source_dir.iterdir() if (p / f"{p.name}.md").is_file())


def grading_requirements(lock_text: str) -> str:
    """The pinned lock without editable installs (`-e .`): the packages a grading image must install."""
    kept = [line for line in lock_text.splitlines() if not line.strip().startswith(("-e", "--editable"))]
    return "\n".join(kept).strip() + "\n"


def tabular_data_files(descriptor: dict) -> list[str]:
    """Paths (relative to data/) of the descriptor and of every resource with a table schema."""
    paths = [r["path"] for r in descriptor.get("resources", []) if "schema" in r and "path" in r]
    return ["datapackage.json", *paths]


def copy_data_tables(data_dir: Path, target: Path) -> None:
    """Copy datapackage.json and the tables it describes (not raw/ originals) into target."""
    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    for relative in tabular_data_files(descriptor):
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(data_dir / relative, destination)


def stage_assignment(name: str, source_dir: Path, staging_dir: Path, data_dir: Path = DATA_DIR) -> Path:
    """Write <staging>/<name>/<name>.ipynb from the MyST source, beside helpers/, data/ and requirements.txt."""
    import jupytext

    source = source_dir / name / f"{name}.md"
    if not source.is_file():
        raise FileNotFoundError(f"{source}: no source notebook for assignment {name!r}")
    folder = staging_dir / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    notebook = jupytext.read(source, fmt="md:myst")
    master = folder / f"{name}.ipynb"
    jupytext.write(notebook, master, fmt="ipynb")
    # The assignment config lists these three as autograder files / requirements (relative paths).
    shutil.copytree(ROOT / "helpers", folder / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    copy_data_tables(data_dir, folder / "data")
    lock = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    (folder / "requirements.txt").write_text(grading_requirements(lock), encoding="utf-8")
    return master


def find_autograder_zip(result_dir: Path) -> Path:
    """The one autograder zip `otter assign` wrote under result_dir/autograder (its name has a timestamp)."""
    zips = sorted((result_dir / "autograder").glob("*-autograder_*.zip"))
    if len(zips) != 1:
        raise FileNotFoundError(
            f"{result_dir / 'autograder'}: expected one autograder zip, found {len(zips)}; "
            "run `make assignments` (python -m helpers.classroom build) first"
        )
    return zips[0]


def built_assignment(name: str, dist_dir: Path = DIST_DIR) -> BuiltAssignment:
    """Paths of an assignment already built into dist_dir; a clear error if it was not built."""
    result = dist_dir / name
    return BuiltAssignment(
        name=name,
        student_notebook=result / "student" / f"{name}.ipynb",
        solution_notebook=result / "autograder" / f"{name}.ipynb",
        autograder_zip=find_autograder_zip(result),
    )


def build_assignment(name: str, source_dir: Path = SOURCE_DIR, dist_dir: Path = DIST_DIR) -> BuiltAssignment:
    """Stage one assignment and run `otter assign` on it (solutions are checked by the tests, not here)."""
    from otter.assign import main as otter_assign

    master = stage_assignment(name, source_dir, dist_dir / STAGING_DIRNAME)
    result = dist_dir / name
    shutil.rmtree(result, ignore_errors=True)
    # otter assign prints progress and changes directory; keep the caller's stdout and cwd clean.
    cwd = os.getcwd()
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            otter_assign(str(master), str(result), no_pdfs=True, no_run_tests=True)
    finally:
        os.chdir(cwd)
    return built_assignment(name, dist_dir)


def build_assignments(names: list[str] | None = None, source_dir: Path = SOURCE_DIR,
                      dist_dir: Path = DIST_DIR) -> list[BuiltAssignment]:
    """Build every assignment (or those named) into dist_dir/<name>/{student,autograder}."""
    known = assignment_names(source_dir)
    wanted = known if not names else list(names)
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise ValueError(f"unknown assignment(s) {unknown}; sources exist for {known}")
    return [build_assignment(name, source_dir, dist_dir) for name in wanted]


def read_source(name: str, source_dir: Path = SOURCE_DIR):
    """The source notebook of an assignment, parsed from its MyST text (jupytext)."""
    import jupytext

    return jupytext.read(source_dir / name / f"{name}.md", fmt="md:myst")


def assignment_questions(notebook) -> list[dict]:
    """Each question of an otter source notebook: name, points, and its '*Assesses:*' line (the learning aim)."""
    import yaml

    questions, current = [], None
    for cell in notebook.cells:
        text = cell.source.strip()
        if cell.cell_type == "raw" and text.upper().startswith("# BEGIN QUESTION"):
            config = yaml.safe_load(text) or {}
            current = {"question": config.get("name"), "points": config.get("points", 1), "assesses": ""}
            questions.append(current)
        elif cell.cell_type == "raw" and text.upper().startswith("# END QUESTION"):
            current = None
        elif current is not None and cell.cell_type == "markdown":
            for line in text.splitlines():
                if line.startswith("*Assesses:*"):
                    current["assesses"] = line.removeprefix("*Assesses:*").strip()
    return questions


def assignment_title(notebook) -> str:
    """The first level-1 heading of a notebook, without the '# '."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def binder_link(name: str, config_path: Path = ROOT / "_config.yml") -> str:
    """mybinder.org link that opens an assignment's student notebook (repository and hub from _config.yml)."""
    import yaml
    from urllib.parse import quote

    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    repository = config["repository"]["url"].rstrip("/").removeprefix("https://github.com/")
    branch = config["repository"].get("branch", "main")
    hub = config.get("launch_buttons", {}).get("binderhub_url", "https://mybinder.org").rstrip("/")
    notebook = f"assignments/dist/{name}/student/{name}.ipynb"
    return f"{hub}/v2/gh/{repository}/{branch}?urlpath={quote('lab/tree/' + notebook, safe='')}"


def question_table(source_dir: Path = SOURCE_DIR) -> pd.DataFrame:
    """Every question of every assignment: assignment, title, question, points, what it assesses."""
    rows = []
    for name in assignment_names(source_dir):
        notebook = read_source(name, source_dir)
        title = assignment_title(notebook)
        for question in assignment_questions(notebook):
            rows.append({"assignment": name, "title": title, **question})
    return pd.DataFrame(rows, columns=["assignment", "title", "question", "points", "assesses"])


# ---------------------------------------------------------------------------------------
# Grade: a folder of submissions -> one CSV row per submission
# ---------------------------------------------------------------------------------------


def find_submissions(folder: Path) -> list[Path]:
    """Every .ipynb or .zip under folder (any depth, e.g. one folder per student), skipping checkpoints."""
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: submissions folder not found")
    found = [p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUBMISSION_SUFFIXES]
    return sorted(p for p in found if ".ipynb_checkpoints" not in p.parts and not p.name.startswith("."))


def notebook_assignment_name(notebook: dict) -> str | None:
    """The otter assignment name stored in a notebook's metadata, if any."""
    return notebook.get("metadata", {}).get("otter", {}).get("assignment_name")


def submission_assignment_name(path: Path) -> str | None:
    """Assignment name of a submission (.ipynb, or the notebook inside an otter export .zip); None if unreadable."""
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                inner = [n for n in archive.namelist() if n.endswith(".ipynb")]
                if len(inner) != 1:
                    return None
                return notebook_assignment_name(json.loads(archive.read(inner[0]).decode("utf-8")))
        return notebook_assignment_name(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, zipfile.BadZipFile):
        return None


def otter_name_of(built: BuiltAssignment) -> str | None:
    """The assignment name the autograder expects (from its solution notebook's metadata)."""
    return notebook_assignment_name(json.loads(built.solution_notebook.read_text(encoding="utf-8")))


def built_names(dist_dir: Path = DIST_DIR) -> list[str]:
    """Assignments that have been built into dist_dir (a folder with an autograder/ subfolder)."""
    if not dist_dir.is_dir():
        return []
    return sorted(p.name for p in dist_dir.iterdir() if (p / "autograder").is_dir())


def infer_assignment(submissions: list[Path], dist_dir: Path = DIST_DIR) -> str:
    """The one built assignment whose otter name the submissions carry; error if none or several match."""
    built = {}
    for name in built_names(dist_dir):
        with contextlib.suppress(FileNotFoundError):
            built[otter_name_of(built_assignment(name, dist_dir))] = name
    seen = {submission_assignment_name(p) for p in submissions} - {None}
    matches = sorted({built[s] for s in seen if s in built})
    if len(matches) != 1:
        raise ValueError(
            f"cannot tell which assignment these submissions are for (found {sorted(seen) or 'none'}; "
            f"built: {sorted(built.values()) or 'none'}); pass --assignment NAME"
        )
    return matches[0]


def results_row(results) -> dict:
    """Per-question scores, total, possible and percent from an otter GradingResults object."""
    row = {}
    for question, result in sorted(results.to_dict().items()):
        row[question] = result["score"]
    row["total"] = results.total
    row["possible"] = results.possible
    row["percent"] = round(100 * results.total / results.possible, 2) if results.possible else float("nan")
    return row


def _grade_in_child(submission: str, autograder_zip: str, connection) -> None:
    """Child process: grade one submission with otter's local route and send back a row (or the error)."""
    # Own process group, so a timeout can stop the child and the kernel it started together.
    if hasattr(os, "setpgrp"):
        os.setpgrp()
    # The kernel writes to the inherited file descriptors; the row's message carries what matters.
    silence = os.open(os.devnull, os.O_WRONLY)
    os.dup2(silence, 1)
    os.dup2(silence, 2)
    try:
        from otter.api import grade_submission

        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            results = grade_submission(submission, autograder_zip, quiet=True)
        if results.catastrophic_error is not None:
            connection.send({"status": "error", "message": f"otter: {results.catastrophic_error}"})
        else:
            connection.send({"status": "graded", "message": "", **results_row(results)})
    except BaseException as error:  # noqa: BLE001 - any failure becomes the row's message
        connection.send({"status": "error", "message": f"{type(error).__name__}: {error}".strip()})
    finally:
        connection.close()


def _process_context():
    """Fork on Linux (cheap: otter is imported once in the parent); spawn elsewhere, where fork is unsafe."""
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def _stop(process) -> None:
    """Kill a grading child and everything in its process group (the kernel it started)."""
    with contextlib.suppress(ProcessLookupError, PermissionError, AttributeError):
        os.killpg(process.pid, signal.SIGKILL)
    process.kill()
    process.join()


def grade_submissions(submissions: list[Path], autograder_zip: Path, jobs: int = 2,
                      timeout: float = DEFAULT_TIMEOUT) -> list[dict]:
    """Grade each submission in its own process (at most `jobs` at once, each stopped after `timeout` s)."""
    import otter.api  # noqa: F401 - imported before forking so every child inherits it

    context = _process_context()
    pending = list(enumerate(submissions))
    rows: dict[int, dict] = {}
    running: dict = {}  # connection -> (index, process, start time)
    while pending or running:
        while pending and len(running) < max(1, jobs):
            index, path = pending.pop(0)
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_grade_in_child, args=(str(path), str(autograder_zip), send))
            process.start()
            send.close()
            running[receive] = (index, process, time.monotonic())
        for connection in wait(list(running), timeout=1.0):
            index, process, _ = running.pop(connection)
            try:
                rows[index] = connection.recv()
            except EOFError:
                rows[index] = {"status": "error", "message": f"grader process died (exit code {process.exitcode})"}
            process.join()
        for connection, (index, process, started) in list(running.items()):
            if time.monotonic() - started > timeout:
                _stop(process)
                running.pop(connection)
                rows[index] = {"status": "timeout", "message": f"stopped after {timeout:g} s"}
    return [rows[i] for i in range(len(submissions))]


def score_table(submissions: list[Path], rows: list[dict], folder: Path, assignment: str) -> pd.DataFrame:
    """One row per submission: its path relative to folder, the assignment, status, question scores, totals."""
    frame = pd.DataFrame(rows)
    frame.insert(0, "submission", [p.relative_to(folder).as_posix() for p in submissions])
    frame.insert(1, "assignment", assignment)
    for column in SCORE_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.NA
    questions = sorted(c for c in frame.columns if c not in SCORE_COLUMNS)
    return frame[SCORE_COLUMNS[:3] + questions + SCORE_COLUMNS[3:]]


def default_scores_path(folder: Path, assignment: str) -> Path:
    """Where the score table goes unless told: beside the folder, never inside it."""
    return folder.resolve().parent / f"{folder.resolve().name}-{assignment}-scores.csv"


def grade_folder(folder: Path, assignment: str | None = None, out: Path | None = None, jobs: int = 2,
                 timeout: float = DEFAULT_TIMEOUT, dist_dir: Path = DIST_DIR) -> tuple[pd.DataFrame, Path]:
    """Grade every submission in folder against the built autograder; write and return the score table."""
    folder = Path(folder)
    submissions = find_submissions(folder)
    if not submissions:
        raise FileNotFoundError(f"{folder}: no .ipynb or .zip submissions found")
    name = assignment or infer_assignment(submissions, dist_dir)
    built = built_assignment(name, dist_dir)
    rows = grade_submissions(submissions, built.autograder_zip, jobs=jobs, timeout=timeout)
    table = score_table(submissions, rows, folder, name)
    out = Path(out) if out else default_scores_path(folder, name)
    if out.resolve().is_relative_to(folder.resolve()) and out.suffix.lower() in SUBMISSION_SUFFIXES:
        raise ValueError(f"{out}: refusing to write a score table that looks like a submission")
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False, encoding="utf-8")
    return table, out


# ---------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options of `python -m helpers.classroom`."""
    parser = argparse.ArgumentParser(prog="python -m helpers.classroom", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="generate student and autograder versions with otter assign")
    build.add_argument("names", nargs="*", help="assignments to build (default: all)")
    build.add_argument("--dist", type=Path, default=DIST_DIR, help="output folder (default: assignments/dist)")
    grade = commands.add_parser("grade", help="grade a folder of submissions locally (no Docker)")
    grade.add_argument("folder", type=Path, help="folder of .ipynb or otter .zip submissions (searched recursively)")
    grade.add_argument("--assignment", help="assignment name (default: read from the submissions' metadata)")
    grade.add_argument("--out", type=Path, help="score table CSV (default: <folder>-<assignment>-scores.csv beside it)")
    grade.add_argument("--jobs", type=int, default=2, help="submissions graded at once (default: 2)")
    grade.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per submission (default: 600)")
    grade.add_argument("--dist", type=Path, default=DIST_DIR, help="where the built assignments are")
    commands.add_parser("list", help="list the assignments")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the build, grade or list command; print what was written."""
    args = parse_args(argv)
    if args.command == "list":
        print("\n".join(assignment_names()))
    elif args.command == "build":
        for built in build_assignments(args.names, dist_dir=args.dist):
            print(f"{built.name}: student {built.student_notebook}\n{built.name}: autograder {built.autograder_zip}")
    elif args.command == "grade":
        table, out = grade_folder(args.folder, args.assignment, args.out, args.jobs, args.timeout, args.dist)
        graded = int((table["status"] == "graded").sum())
        print(f"graded {graded} of {len(table)} submission(s); score table: {out}")
        if graded < len(table):
            print(table.loc[table["status"] != "graded", ["submission", "status", "message"]].to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
