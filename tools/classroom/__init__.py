"""Classroom tooling: build the otter-grader assignments and grade a folder of
submissions without Docker.

Commands (also behind `make assignments` and `make grade SUBMISSIONS=dir`):

    python -m tools.classroom build [NAME ...]      # student + autograder versions
    python -m tools.classroom build --student-only  # student notebooks only (Binder)
    python -m tools.classroom grade FOLDER [--assignment NAME] [--timeout S]

`build` turns each source notebook assignments/source/<name>/<name>.md (MyST,
otter-grader's "assign" v1 format) into a staged .ipynb and runs `otter assign` on it.
Staging does three things to the source:

- it computes the expected answers with assignments/source/<name>/expected.py (from the
  data, now) and writes them into the hidden tests as literals where the source says
  `EXPECTED["key"]`, so no code a student's notebook can redefine takes part in deciding
  what is right;
- it gives every public test 0 points: public checks only say whether an answer has the
  right shape, points come from the hidden tests alone;
- it puts a copy of helpers/ and of the data tables beside the notebook, listed as
  autograder files, so the autograder zip carries the code and data it was written
  against.

`grade` runs every file in the folder in a fresh kernel, each in its own process with a
time limit, and scores it where no student code ran: the kernel's last cell sends the
answer variables the tests use as JSON (tools/classroom/answers.py), and the tests of
the autograder zip (otter's OK format, hidden and public) run on those values in the
grading process, with otter's test runner. An answer that cannot be sent as plain data
scores 0 with a message. It writes one CSV row per file: files that cannot be graded
(not a notebook, damaged JSON, another assignment's notebook) get an error row saying
why; a notebook that runs out of time keeps the points of the questions that ran; a
cell that raises is named in the row's message. Submissions are only ever read.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import contextlib
import importlib.util
import io
import json
import math
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.assignments import (
    DEFAULT_TIMEOUT,
    DIST_DIR,
    MANUAL,
    QUESTIONS_FILE,
    SOURCE_DIR,
    assignment_names,
    assignment_questions,
    assignment_title,
    otter_name_of_source,
    read_source,
)
from helpers.paths import DATA_DIR, ROOT
from tools.classroom import answers

STAGING_DIRNAME = "_staging"
SUBMISSION_SUFFIXES = (".ipynb", ".zip")
# The cell that reads the answers out of the kernel gets this long (at most the
# deadline): the assignments' answers serialise in well under a second.
ANSWER_TIMEOUT = 60
# The grading process is killed if it outlives the deadline by this much (a kernel that
# ignores interrupts and the answer cell's time limit).
KILL_GRACE = 180
# What the hidden tests may use besides the answers: the grader's own modules.
GRADER_NAMES = {"pd": pd, "np": np}
SCORE_COLUMNS = [
    "submission",
    "assignment",
    "status",
    "total",
    "possible",
    "percent",
    "public_checks",
    "message",
]
# Hidden tests write `EXPECTED["key"]`; staging replaces it with the literal value of
# expected()["key"].
EXPECTED_PATTERN = re.compile(r"""EXPECTED\[\s*["'](\w+)["']\s*\]""")
PUBLIC_TEST_CONFIG = '""" # BEGIN TEST CONFIG\npoints: 0\n""" # END TEST CONFIG\n'


@dataclass(frozen=True)
class BuiltAssignment:
    """Where `otter assign` put one assignment's student notebook, solution notebook and
    autograder zip.
    """

    name: str
    student_notebook: Path
    solution_notebook: Path
    autograder_zip: Path


# --------------------------------------------------------------------------------------
# Build: source notebook -> staged notebook (expected values filled in) -> otter assign
# --------------------------------------------------------------------------------------


def grading_requirements(lock_text: str) -> str:
    """The pinned lock without editable installs (`-e .`): the packages a grading image
    must install.
    """
    kept = [
        line
        for line in lock_text.splitlines()
        if not line.strip().startswith(("-e", "--editable"))
    ]
    return "\n".join(kept).strip() + "\n"


def tabular_data_files(descriptor: dict) -> list[str]:
    """Paths (relative to data/) of the descriptor and of every resource with a table
    schema.
    """
    paths = [
        r["path"]
        for r in descriptor.get("resources", [])
        if "schema" in r and "path" in r
    ]
    return ["datapackage.json", *paths]


def copy_data_tables(data_dir: Path, target: Path) -> None:
    """Copy datapackage.json and the tables it describes (not raw/ originals) into
    target.
    """
    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    for relative in tabular_data_files(descriptor):
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(data_dir / relative, destination)


def python_literal(value) -> str:
    """Python source text for a value made of None, bool, int, float, str, list/tuple
    and dict (numpy scalars too).
    """
    if value is None or isinstance(value, (bool, str)):
        return repr(value)
    if hasattr(value, "item") and not isinstance(
        value, (list, tuple, dict)
    ):  # numpy scalar
        return python_literal(value.item())
    if isinstance(value, int):
        return repr(int(value))
    if isinstance(value, float):
        if math.isnan(value):
            raise ValueError(
                "NaN has no literal; write missing expected values as None"
            )
        return repr(float(value)) if math.isfinite(value) else f'float("{value}")'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(python_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(
                f"{python_literal(k)}: {python_literal(v)}" for k, v in value.items()
            )
            + "}"
        )
    raise TypeError(
        f"cannot write {type(value).__name__} {value!r} as a literal in a hidden test"
    )


def load_expected(name: str, source_dir: Path = SOURCE_DIR) -> dict:
    """The expected answers of an assignment: expected() of
    <source_dir>/<name>/expected.py, run now.
    """
    path = source_dir / name / "expected.py"
    if not path.is_file():
        return {}
    spec = importlib.util.spec_from_file_location(f"_expected_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    values = module.expected()
    if not isinstance(values, dict):
        raise TypeError(
            f"{path}: expected() must return a dict, not {type(values).__name__}"
        )
    return values


def _blocks(notebook):
    """Yield (cell, block) for every cell, block being 'SOLUTION', 'TESTS' or None
    (otter v1 raw-cell markers).
    """
    block = None
    for cell in notebook.cells:
        text = cell.source.strip()
        if cell.cell_type == "raw":
            begin = re.match(r"#\s*BEGIN\s+(SOLUTION|TESTS)\b", text, re.IGNORECASE)
            if begin:
                block = begin.group(1).upper()
            elif re.match(r"#\s*END\s+(SOLUTION|TESTS)\b", text, re.IGNORECASE):
                block = None
        yield cell, block


def is_hidden_test(source: str) -> bool:
    """Whether a test cell is hidden (otter: a first line that is a comment with the
    word 'hidden').
    """
    first = source.lstrip().splitlines()[0] if source.strip() else ""
    return (
        first.startswith("#")
        and re.search(r"\bhidden\b", first, re.IGNORECASE) is not None
    )


def prepare_tests(notebook, expected: dict, name: str = "") -> None:
    """Fill EXPECTED["key"] in hidden tests with literals; public tests worth 0 (in
    place).
    """
    used = set()
    hidden_per_question, question = Counter(), None
    for cell, block in _blocks(notebook):
        if cell.cell_type == "raw" and re.match(
            r"#\s*BEGIN\s+QUESTION", cell.source.strip(), re.IGNORECASE
        ):
            import yaml

            config = yaml.safe_load(cell.source.strip()) or {}
            question = config.get("name")
            if not config.get("manual"):
                hidden_per_question[question] += 0
        if cell.cell_type != "code":
            continue
        keys = EXPECTED_PATTERN.findall(cell.source)
        if block == "TESTS" and is_hidden_test(cell.source):
            missing = sorted(set(keys) - set(expected))
            if missing:
                raise KeyError(
                    f"{name}: hidden test of {question} uses EXPECTED{missing}, which "
                    "expected.py does not return"
                )
            used.update(keys)
            cell.source = EXPECTED_PATTERN.sub(
                lambda m: python_literal(expected[m.group(1)]), cell.source
            )
            hidden_per_question[question] += 1
        elif keys or "EXPECTED[" in cell.source:
            raise ValueError(
                f"{name}: EXPECTED[...] outside a hidden test (near {question}) would "
                "show students the answer"
            )
        elif block == "TESTS":
            cell.source = PUBLIC_TEST_CONFIG + cell.source
    without = sorted(q for q, n in hidden_per_question.items() if n == 0)
    if without:
        raise ValueError(
            f"{name}: questions {without} have no hidden test, so no points (public "
            "tests are worth 0)"
        )


def stage_assignment(
    name: str, source_dir: Path, staging_dir: Path, data_dir: Path = DATA_DIR
) -> Path:
    """Write <staging>/<name>/<name>.ipynb (tests prepared), beside helpers/, data/ and
    requirements.txt.
    """
    import jupytext

    source = source_dir / name / f"{name}.md"
    if not source.is_file():
        raise FileNotFoundError(f"{source}: no source notebook for assignment {name!r}")
    folder = staging_dir / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    notebook = jupytext.read(source, fmt="md:myst")
    prepare_tests(notebook, load_expected(name, source_dir), name)
    master = folder / f"{name}.ipynb"
    jupytext.write(notebook, master, fmt="ipynb")
    # The assignment config lists these three as autograder files / requirements
    # (relative paths).
    shutil.copytree(
        ROOT / "helpers",
        folder / "helpers",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    copy_data_tables(data_dir, folder / "data")
    lock = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    (folder / "requirements.txt").write_text(
        grading_requirements(lock), encoding="utf-8"
    )
    return master


def find_autograder_zip(result_dir: Path) -> Path:
    """The one autograder zip `otter assign` wrote under result_dir/autograder (its name
    has a timestamp).
    """
    zips = sorted((result_dir / "autograder").glob("*-autograder_*.zip"))
    if len(zips) != 1:
        raise FileNotFoundError(
            f"{result_dir / 'autograder'}: expected one autograder zip, found "
            f"{len(zips)}; run `make assignments` (python -m tools.classroom build) "
            "first"
        )
    return zips[0]


def built_assignment(name: str, dist_dir: Path = DIST_DIR) -> BuiltAssignment:
    """Paths of an assignment already built into dist_dir; a clear error if it was not
    built.
    """
    result = dist_dir / name
    return BuiltAssignment(
        name=name,
        student_notebook=result / "student" / f"{name}.ipynb",
        solution_notebook=result / "autograder" / f"{name}.ipynb",
        autograder_zip=find_autograder_zip(result),
    )


def _otter_assign(master: Path, result: Path) -> None:
    """Run `otter assign` quietly (it prints progress and changes directory)."""
    from otter.assign import main as otter_assign

    cwd = os.getcwd()
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            otter_assign(str(master), str(result), no_pdfs=True, no_run_tests=True)
    finally:
        os.chdir(cwd)


def build_assignment(
    name: str,
    source_dir: Path = SOURCE_DIR,
    dist_dir: Path = DIST_DIR,
    student_only: bool = False,
) -> BuiltAssignment | Path:
    """Stage one assignment and run `otter assign` (solutions are checked by the tests,
    not here).

    With student_only, everything is built in a temporary folder and only the student
    notebook is kept (dist_dir/<name>/student/<name>.ipynb, returned): no solution,
    hidden test or autograder is written.
    """
    if student_only:
        with tempfile.TemporaryDirectory(prefix=f"{name}-") as scratch:
            master = stage_assignment(name, source_dir, Path(scratch) / STAGING_DIRNAME)
            _otter_assign(master, Path(scratch) / name)
            target = dist_dir / name / "student"
            shutil.rmtree(dist_dir / name, ignore_errors=True)
            target.mkdir(parents=True)
            shutil.copy2(
                Path(scratch) / name / "student" / f"{name}.ipynb",
                target / f"{name}.ipynb",
            )
            write_question_list(name, source_dir, dist_dir)
            return target / f"{name}.ipynb"
    master = stage_assignment(name, source_dir, dist_dir / STAGING_DIRNAME)
    result = dist_dir / name
    shutil.rmtree(result, ignore_errors=True)
    _otter_assign(master, result)
    write_question_list(name, source_dir, dist_dir)
    return built_assignment(name, dist_dir)


def write_question_list(name: str, source_dir: Path, dist_dir: Path) -> Path:
    """dist/<name>/questions.json: otter name, title and questions (points, graded,
    aim); no answers in it.

    The grader reads it (which questions are manual), and so does the instructor guide
    where the sources are gone (the Binder image).
    """
    notebook = read_source(name, source_dir)
    listing = {
        "otter_name": otter_name_of_source(notebook),
        "title": assignment_title(notebook),
        "questions": assignment_questions(notebook),
    }
    path = dist_dir / name / QUESTIONS_FILE
    path.write_text(json.dumps(listing, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


def build_assignments(
    names: list[str] | None = None,
    source_dir: Path = SOURCE_DIR,
    dist_dir: Path = DIST_DIR,
    student_only: bool = False,
) -> list:
    """Build every assignment (or those named) into dist_dir/<name>/{student,autograder}
    (or student/ only).
    """
    known = assignment_names(source_dir)
    wanted = known if not names else list(names)
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise ValueError(f"unknown assignment(s) {unknown}; sources exist for {known}")
    built = [
        build_assignment(name, source_dir, dist_dir, student_only) for name in wanted
    ]
    shutil.rmtree(dist_dir / STAGING_DIRNAME, ignore_errors=True)
    return built


# --------------------------------------------------------------------------------------
# Grade: a folder of files -> one CSV row per file
# --------------------------------------------------------------------------------------


def find_submissions(folder: Path) -> list[Path]:
    """Every file under folder (any depth, e.g. one folder per student), except
    Jupyter's checkpoint copies.
    """
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: submissions folder not found")
    found = [
        p
        for p in folder.rglob("*")
        if p.is_file() and ".ipynb_checkpoints" not in p.relative_to(folder).parts
    ]
    return sorted(found)


def notebook_assignment_name(notebook: dict) -> str | None:
    """The otter assignment name stored in a notebook's metadata, if any."""
    metadata = notebook.get("metadata", {}) if isinstance(notebook, dict) else {}
    return (
        metadata.get("otter", {}).get("assignment_name")
        if isinstance(metadata.get("otter"), dict)
        else None
    )


def read_submission(path: Path) -> dict:
    """The notebook (parsed JSON) in a submission .ipynb or otter export .zip;
    ValueError saying why if none.
    """
    suffix = path.suffix.lower()
    if suffix not in SUBMISSION_SUFFIXES:
        kind = f"a {suffix} file" if suffix else "a file without extension"
        raise ValueError(
            f"not a notebook ({kind}); hand in the .ipynb, or the .zip that the "
            "notebook's last cell makes"
        )
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                inner = [
                    n
                    for n in archive.namelist()
                    if n.endswith(".ipynb") and "__MACOSX" not in n
                ]
                if len(inner) != 1:
                    raise ValueError(
                        f"the zip holds {len(inner)} notebooks; it should hold exactly "
                        "one"
                    )
                raw = archive.read(inner[0])
        except zipfile.BadZipFile as error:
            raise ValueError(f"not a valid zip file ({error})") from None
    else:
        raw = path.read_bytes()
    try:
        notebook = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError(
            "invalid notebook: the file is not text (UTF-8), so it is not JSON"
        ) from None
    except json.JSONDecodeError as error:
        raise ValueError(
            f"invalid JSON ({error}); the file is damaged or not a notebook"
        ) from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise ValueError(
            "invalid notebook: valid JSON, but not a Jupyter notebook (no list of "
            "cells)"
        )
    return notebook


def submission_assignment_name(path: Path) -> str | None:
    """Assignment name of a submission (.ipynb, or the notebook inside an otter export
    .zip); None if unreadable.
    """
    try:
        return notebook_assignment_name(read_submission(path))
    except (OSError, ValueError):
        return None


def built_questions(name: str, dist_dir: Path = DIST_DIR) -> dict:
    """The otter name and questions (with graded auto/manual) of a built assignment
    (written by build).
    """
    path = dist_dir / name / QUESTIONS_FILE
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    solution = built_assignment(name, dist_dir).solution_notebook
    return {
        "otter_name": notebook_assignment_name(
            json.loads(solution.read_text(encoding="utf-8"))
        ),
        "questions": [],
    }


def built_names(dist_dir: Path = DIST_DIR) -> list[str]:
    """Assignments that have been built into dist_dir (a folder with an autograder/
    subfolder).
    """
    if not dist_dir.is_dir():
        return []
    return sorted(p.name for p in dist_dir.iterdir() if (p / "autograder").is_dir())


def infer_assignment(submissions: list[Path], dist_dir: Path = DIST_DIR) -> str:
    """The built assignment most submissions belong to (by their otter name); error if
    none or a tie.
    """
    built = {}
    for name in built_names(dist_dir):
        with contextlib.suppress(FileNotFoundError):
            built[built_questions(name, dist_dir)["otter_name"]] = name
    counts = Counter(
        built[s] for s in map(submission_assignment_name, submissions) if s in built
    )
    ranked = counts.most_common()
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        found = (
            ", ".join(f"{n} ({c})" for n, c in ranked)
            or "no notebook of a built assignment"
        )
        raise ValueError(
            f"cannot tell which assignment this folder is for (found {found}; built: "
            f"{', '.join(sorted(built.values())) or 'none, run make assignments'}); "
            "name it with ASSIGNMENT=<name> (make grade SUBMISSIONS=... "
            "ASSIGNMENT=a1_mechanisms; --assignment with python -m tools.classroom "
            "grade)"
        )
    return ranked[0][0]


def results_row(results) -> dict:
    """Per-question scores, total, possible and percent from an otter GradingResults
    object.
    """
    row = {}
    for question, result in sorted(results.to_dict().items()):
        row[question] = result["score"]
    row["total"] = results.total
    row["possible"] = results.possible
    row["percent"] = (
        round(100 * results.total / results.possible, 2)
        if results.possible
        else float("nan")
    )
    # Public checks carry no points; whether they pass tells a wrong value (passed) from
    # a missing answer.
    failing = sorted(
        q for q, test_file in results.results.items() if not test_file.passed_all_public
    )
    row["public_checks"] = "failed: " + ", ".join(failing) if failing else "passed"
    return row


_CHECK_CALL = re.compile(r"""\.check\(\s*["'](\w+)["']\s*\)""")
# Otter's cells in the student notebook (`grader = otter.Notebook(...)`,
# `grader.check(...)`, export): the grader skips them, the tests run outside the kernel.
_GRADER_LINE = re.compile(r"#.*|import otter|grader\b.*")


def is_grader_plumbing(source: str) -> bool:
    """Whether a cell holds only otter's lines (comments, `import otter`,
    `grader...`).
    """
    return all(
        not line.strip() or _GRADER_LINE.fullmatch(line.strip())
        for line in source.splitlines()
    )


def cell_questions(notebook: dict) -> list[tuple[int, str]]:
    """For each code cell otter will run: (its cell number in the notebook, 1-based; the
    question it belongs to).

    A question's cells run from its prompt (a markdown cell starting '**Question') to
    its `.check("name")` cell; other cells are 'set-up' (before the first question) or
    'outside the questions'.
    """
    cells = notebook.get("cells", [])

    def text(cell):
        source = cell.get("source", "")
        return "".join(source) if isinstance(source, list) else str(source)

    owner: dict[int, str] = {}
    start = 0
    for index, cell in enumerate(cells):
        match = (
            _CHECK_CALL.search(text(cell)) if cell.get("cell_type") == "code" else None
        )
        if not match:
            continue
        prompts = [
            i
            for i in range(start, index)
            if cells[i].get("cell_type") == "markdown"
            and text(cells[i]).lstrip().startswith("**Question")
        ]
        for i in range(prompts[-1] if prompts else start, index + 1):
            owner[i] = match.group(1)
        start = index + 1
    first = min(owner) if owner else len(cells)
    mapped = []
    for index, cell in enumerate(cells):
        metadata = cell.get("metadata", {})
        if (
            cell.get("cell_type") != "code"
            or "otter_ignore" in metadata.get("tags", [])
            or metadata.get("otter", {}).get("ignore", False)
        ):
            continue
        mapped.append(
            (
                index + 1,
                owner.get(
                    index, "set-up" if index < first else "outside the questions"
                ),
            )
        )
    return mapped


def _where(position: tuple[int, str] | None) -> str:
    """'cell 7 (q2_name)' for a mapped code cell."""
    if position is None:
        return "a cell"
    number, question = position
    return f"cell {number} ({question})"


def autograder_tests(autograder_zip: Path) -> list:
    """Otter's test files (OK format, hidden and public cases) read from the autograder
    zip, in question order; they never touch the student's kernel.
    """
    from otter.test_files import OKTestFile

    tests = []
    with zipfile.ZipFile(autograder_zip) as archive:
        for member in sorted(archive.namelist()):
            if member.startswith("tests/") and member.endswith(".py"):
                namespace: dict = {}
                # otter assign wrote this file: it defines the dict `test`.
                exec(archive.read(member).decode("utf-8"), namespace)
                tests.append(OKTestFile.from_spec(namespace["test"], path=member))
    return tests


def free_names(code: str) -> set[str]:
    """Names a test reads but neither defines nor gets from Python or the grader."""
    tree = ast.parse(code)
    loaded, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
    return loaded - bound - set(dir(builtins)) - set(GRADER_NAMES)


def answer_names(tests: list) -> dict[str, list[str]]:
    """{question: the answer variables its test cases read}."""
    import doctest

    parser = doctest.DocTestParser()
    names = {}
    for test in tests:
        used = set()
        for case in test.test_cases:
            code = "\n".join(e.source for e in parser.get_examples(case.body))
            used |= free_names(code)
        names[test.name] = sorted(used)
    return names


def _kernel_client(notebook, folder: Path, sockets: str, timeout: float):
    """An nbclient client for a fresh python3 kernel in folder, reached through socket
    files (IPC, as tools.run_pages does); a cell that outlives its time limit is
    interrupted and recorded as an error instead of stalling the grader.
    """
    import nbclient
    from traitlets.config import Config

    config = Config()
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = os.path.join(sockets, "kernel")
    return nbclient.NotebookClient(
        notebook,
        timeout=max(1, math.ceil(timeout)),
        kernel_name="python3",
        config=config,
        allow_errors=True,
        interrupt_on_timeout=True,
        error_on_timeout={"ename": "Timeout", "evalue": "time limit", "traceback": []},
        resources={"metadata": {"path": str(folder)}},
    )


def run_submission(
    notebook: dict, folder: Path, names: list[str], timeout: float
) -> tuple[dict, dict]:
    """Run a submission's own cells in a fresh kernel (cwd folder) within timeout
    seconds, then the answer cell; (the kernel's answer payload, events).

    events: timed_out (where, or None), skipped (cells not run), errors (cells that
    raised), answer_error (why the answers could not be read, or None; payload {}).
    """
    import nbformat
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    started = time.monotonic()
    positions = dict(cell_questions(notebook))
    cells = [
        (number, cell)
        for number, cell in enumerate(notebook["cells"], start=1)
        if number in positions and not is_grader_plumbing(_source(cell))
    ]
    token = f"answers-{os.urandom(16).hex()}:"
    answer_source = answers.serialiser_cell(names, token)
    setup = f"import sys\nsys.path.insert(0, {str(folder)!r})"
    run = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(setup)]
        + [nbformat.v4.new_code_cell(_source(c)) for _, c in cells]
        + [nbformat.v4.new_code_cell(answer_source)]
    )
    events = {"timed_out": None, "skipped": 0, "errors": [], "answer_error": None}
    payload: dict = {}
    with tempfile.TemporaryDirectory(prefix="kernel-") as sockets:
        client = _kernel_client(run, folder, sockets, timeout)
        try:
            with client.setup_kernel():
                client.execute_cell(run.cells[0], 0)
                for k, (number, _) in enumerate(cells, start=1):
                    where = _where((number, positions[number]))
                    left = started + timeout - time.monotonic()
                    if left <= 0:
                        events["skipped"] += 1
                        events["timed_out"] = events["timed_out"] or f"before {where}"
                        continue
                    client.timeout = max(1, math.ceil(left))
                    cell = client.execute_cell(run.cells[k], k)
                    if time.monotonic() >= started + timeout:
                        events["timed_out"] = events["timed_out"] or where
                        continue
                    for output in cell.get("outputs", []):
                        if output.get("output_type") == "error":
                            events["errors"].append(
                                f"{where} raised {output.get('ename')}: "
                                f"{str(output.get('evalue', '')).strip()[:200]}"
                            )
                last = len(run.cells) - 1
                client.timeout = max(1, math.ceil(min(ANSWER_TIMEOUT, timeout)))
                client.interrupt_on_timeout = False
                cell = client.execute_cell(run.cells[last], last)
                payload = answers.read_payload(cell.get("outputs", []), token)
        except CellTimeoutError:
            events["answer_error"] = (
                f"reading the answers took longer than {client.timeout} s"
            )
        except DeadKernelError:
            events["answer_error"] = "the kernel died before the answers were read"
        except answers.AnswerError as error:
            events["answer_error"] = str(error)
        except Exception as error:  # noqa: BLE001 - a kernel that garbles its messages
            events["answer_error"] = (
                "the kernel stopped answering as a kernel should "
                f"({type(error).__name__}: {str(error)[:120]})"
            )
    return payload, events


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def score_answers(tests: list, payload: dict) -> tuple[dict, list[str]]:
    """Run every test on the answers decoded from payload, in this process; (the row's
    scores, messages for answers that could not be graded).
    """
    from otter.test_files import GradingResults

    wanted = answer_names(tests)
    every = sorted({n for names in wanted.values() for n in names})
    values, problems = answers.decode_answers(payload, every) if payload else ({}, {})
    for test in tests:
        environment = {"__name__": "__main__", **GRADER_NAMES, **values}
        with contextlib.redirect_stdout(io.StringIO()):
            test.run(environment)
    messages = [
        f"{question}: {name} {problems[name]}, scored 0"
        for question, names in wanted.items()
        for name in names
        if name in problems and problems[name] != "not defined"
    ]
    return results_row(GradingResults(tests)), messages


def unpack_autograder(autograder_zip: Path, folder: Path) -> None:
    """The autograder zip's code and data (helpers/, data/) in folder; its tests stay
    out of the kernel's reach there.
    """
    with zipfile.ZipFile(autograder_zip) as archive:
        for member in archive.namelist():
            if member.startswith(("helpers/", "data/")):
                archive.extract(member, folder)


def grade_one(submission: Path, autograder_zip: Path, timeout: float) -> dict:
    """The score row of one submission: run it, read its answers, test them here."""
    tests = autograder_tests(autograder_zip)
    names = sorted({n for ns in answer_names(tests).values() for n in ns})
    notebook = read_submission(submission)
    with tempfile.TemporaryDirectory(prefix="grading-") as scratch:
        unpack_autograder(autograder_zip, Path(scratch))
        payload, events = run_submission(notebook, Path(scratch), names, timeout)
    row, messages = score_answers(tests, payload)
    notes = []
    if events["timed_out"]:
        notes.append(
            f"timed out after {timeout:g} s in {events['timed_out']}; the "
            f"questions that ran before it are scored, {events['skipped']} later "
            "cell(s) were not run"
        )
    if events["answer_error"]:
        notes.append(f"{events['answer_error']}; every question scores 0")
    row.update(
        status="timeout" if events["timed_out"] else "graded",
        message="; ".join(notes + events["errors"] + messages),
    )
    return row


def _grade_in_child(
    submission: str, autograder_zip: str, timeout: float, connection
) -> None:
    """Child process: grade one submission and send back its row (or the error)."""
    # Own process group, so a timeout can stop the child and the kernel it started
    # together.
    if hasattr(os, "setpgrp"):
        os.setpgrp()
    # The kernel writes to the inherited file descriptors; the row's message carries
    # what matters.
    silence = os.open(os.devnull, os.O_WRONLY)
    os.dup2(silence, 1)
    os.dup2(silence, 2)
    try:
        connection.send(grade_one(Path(submission), Path(autograder_zip), timeout))
    except BaseException as error:  # noqa: BLE001 - any failure becomes the row's message
        connection.send(
            {"status": "error", "message": f"{type(error).__name__}: {error}".strip()}
        )
    finally:
        connection.close()


def _process_context():
    """Fork on Linux (cheap: otter is imported once in the parent); spawn elsewhere,
    where fork is unsafe.
    """
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def _stop(process) -> None:
    """Kill a grading child and everything in its process group (the kernel it
    started).
    """
    with contextlib.suppress(ProcessLookupError, PermissionError, AttributeError):
        os.killpg(process.pid, signal.SIGKILL)
    process.kill()
    process.join()


def grade_submissions(
    submissions: list[Path],
    autograder_zip: Path,
    jobs: int = 2,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[dict]:
    """Grade each notebook in its own process (at most `jobs` at once, each with a
    `timeout` s deadline).
    """
    import nbclient  # noqa: F401 - imported before forking so every child inherits it
    import otter.test_files  # noqa: F401

    context = _process_context()
    pending = list(enumerate(submissions))
    rows: dict[int, dict] = {}
    running: dict = {}  # connection -> (index, process, start time)
    while pending or running:
        while pending and len(running) < max(1, jobs):
            index, path = pending.pop(0)
            receive, send = context.Pipe(duplex=False)
            process = context.Process(
                target=_grade_in_child,
                args=(str(path), str(autograder_zip), timeout, send),
            )
            process.start()
            send.close()
            running[receive] = (index, process, time.monotonic())
        for connection in wait(list(running), timeout=1.0):
            index, process, _ = running.pop(connection)
            try:
                rows[index] = connection.recv()
            except EOFError:
                rows[index] = {
                    "status": "error",
                    "message": f"grader process died (exit code {process.exitcode})",
                }
            process.join()
        for connection, (index, process, started) in list(running.items()):
            if time.monotonic() - started > timeout + KILL_GRACE:
                _stop(process)
                running.pop(connection)
                rows[index] = {
                    "status": "timeout",
                    "message": (
                        f"timed out after {timeout:g} s and grading did not finish "
                        f"within {KILL_GRACE} s more (a cell that ignores "
                        "interrupts?); stopped, no scores"
                    ),
                }
    return [rows[i] for i in range(len(submissions))]


def screen_submission(
    path: Path, otter_name: str | None, name: str, known: dict | None = None
) -> str | None:
    """Why a file cannot be graded for this assignment (the row's message), or None if
    otter should grade it.

    known maps otter names to the names of built assignments, so the message can say
    which ASSIGNMENT= fits.
    """
    try:
        notebook = read_submission(path)
    except OSError as error:
        return f"cannot read the file ({error})"
    except ValueError as error:
        return str(error)
    found = notebook_assignment_name(notebook)
    if otter_name and found and found != otter_name:
        other = (known or {}).get(found, "<name>")
        return (
            f"a notebook of another assignment ({found}), not of {name} "
            f"({otter_name}); grade it in a folder of its own with ASSIGNMENT={other}"
        )
    return None


def score_table(
    submissions: list[Path],
    rows: list[dict],
    folder: Path,
    assignment: str,
    questions: list[dict] | None = None,
) -> pd.DataFrame:
    """One row per file: path relative to folder, assignment, status, question scores
    (manual ones marked), totals.
    """
    frame = pd.DataFrame(rows, index=range(len(rows)))
    frame.insert(
        0, "submission", [p.relative_to(folder).as_posix() for p in submissions]
    )
    frame.insert(1, "assignment", assignment)
    for column in SCORE_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.NA
    auto = [q["question"] for q in questions or [] if q.get("graded") != MANUAL]
    manual = [q["question"] for q in questions or [] if q.get("graded") == MANUAL]
    seen = [c for c in frame.columns if c not in SCORE_COLUMNS]
    ordered = [q for q in auto if q in seen] + sorted(c for c in seen if c not in auto)
    for question in manual:
        # Reflection answers are read by the instructor: the column says so on every
        # graded row.
        frame[question] = frame["status"].map(
            lambda s: MANUAL if s in ("graded", "timeout") else pd.NA
        )
    return frame[SCORE_COLUMNS[:3] + ordered + manual + SCORE_COLUMNS[3:]]


def default_scores_path(folder: Path, assignment: str) -> Path:
    """Where the score table goes unless told: beside the folder, never inside it."""
    return folder.resolve().parent / f"{folder.resolve().name}-{assignment}-scores.csv"


def grade_folder(
    folder: Path,
    assignment: str | None = None,
    out: Path | None = None,
    jobs: int = 2,
    timeout: float = DEFAULT_TIMEOUT,
    dist_dir: Path = DIST_DIR,
) -> tuple[pd.DataFrame, Path]:
    """Grade every file in folder against the built autograder; write and return the
    score table.
    """
    folder = Path(folder)
    submissions = find_submissions(folder)
    if not submissions:
        raise FileNotFoundError(f"{folder}: the folder holds no files to grade")
    name = assignment or infer_assignment(submissions, dist_dir)
    if name not in built_names(dist_dir):
        raise FileNotFoundError(
            f"assignment {name!r} is not built in {dist_dir}; run make assignments "
            f"(built: {', '.join(built_names(dist_dir)) or 'none'})"
        )
    built = built_assignment(name, dist_dir)
    info = built_questions(name, dist_dir)
    known = {}
    for other in built_names(dist_dir):
        with contextlib.suppress(FileNotFoundError, ValueError):
            known[built_questions(other, dist_dir)["otter_name"]] = other
    rows: list[dict | None] = [None] * len(submissions)
    gradable = []
    for index, path in enumerate(submissions):
        problem = screen_submission(path, info["otter_name"], name, known)
        if problem:
            rows[index] = {"status": "error", "message": problem}
        else:
            gradable.append(index)
    graded = grade_submissions(
        [submissions[i] for i in gradable],
        built.autograder_zip,
        jobs=jobs,
        timeout=timeout,
    )
    for index, row in zip(gradable, graded):
        rows[index] = row
    table = score_table(submissions, rows, folder, name, info["questions"])
    out = Path(out) if out else default_scores_path(folder, name)
    if out.resolve().is_relative_to(folder.resolve()):
        raise ValueError(
            f"{out}: the score table must not go inside the submissions folder (it "
            "would be graded next time)"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False, encoding="utf-8")
    return table, out


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options of `python -m tools.classroom`."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.classroom", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser(
        "build", help="generate student and autograder versions with otter assign"
    )
    build.add_argument("names", nargs="*", help="assignments to build (default: all)")
    build.add_argument(
        "--source",
        type=Path,
        default=SOURCE_DIR,
        help="source folder (default: assignments/source)",
    )
    build.add_argument(
        "--dist",
        type=Path,
        default=DIST_DIR,
        help="output folder (default: assignments/dist)",
    )
    build.add_argument(
        "--student-only",
        action="store_true",
        help=(
            "write only the student notebooks (no solutions, hidden tests or "
            "autograder)"
        ),
    )
    grade = commands.add_parser(
        "grade", help="grade a folder of submissions locally (no Docker)"
    )
    grade.add_argument(
        "folder",
        type=Path,
        help="folder of .ipynb or otter .zip submissions (searched recursively)",
    )
    grade.add_argument(
        "--assignment",
        help="assignment name (make: ASSIGNMENT=; default: read from the notebooks)",
    )
    grade.add_argument(
        "--out",
        type=Path,
        help="score table CSV (default: <folder>-<assignment>-scores.csv beside it)",
    )
    grade.add_argument(
        "--jobs",
        type=int,
        default=2,
        help="submissions graded at once (make: JOBS=; default: 2)",
    )
    grade.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds per submission (make: TIMEOUT=; default: {DEFAULT_TIMEOUT})",
    )
    grade.add_argument(
        "--dist", type=Path, default=DIST_DIR, help="where the built assignments are"
    )
    commands.add_parser("list", help="list the assignments")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the build, grade or list command; print what was written."""
    args = parse_args(argv)
    if args.command == "list":
        print("\n".join(assignment_names()))
    elif args.command == "build":
        for built in build_assignments(
            args.names,
            source_dir=args.source,
            dist_dir=args.dist,
            student_only=args.student_only,
        ):
            if isinstance(built, Path):
                print(f"student notebook: {built}")
            else:
                print(
                    f"{built.name}: student {built.student_notebook}\n{built.name}: "
                    f"autograder {built.autograder_zip}"
                )
    elif args.command == "grade":
        try:
            table, out = grade_folder(
                args.folder,
                args.assignment,
                args.out,
                args.jobs,
                args.timeout,
                args.dist,
            )
        except (FileNotFoundError, ValueError) as error:
            print(f"make grade: {error}", file=sys.stderr)
            return 2
        graded = int((table["status"] == "graded").sum())
        print(f"graded {graded} of {len(table)} file(s); score table: {out}")
        flagged = table[
            (table["status"] != "graded") | table["message"].fillna("").astype(bool)
        ]
        if len(flagged):
            with pd.option_context("display.max_colwidth", 120, "display.width", 200):
                print(
                    flagged[["submission", "status", "message"]].to_string(index=False)
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
