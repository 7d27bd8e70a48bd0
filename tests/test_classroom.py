"""Assignments: points only for right answers, hidden checks a notebook cannot steer, no
answers on Binder, and a grading command that gives every handed-in file a row.

The module builds every assignment once (about 25 s, a few CPU seconds) and grades small
folders with the project's grading command: per assignment the reference solution, the
blank student version and a "right-shaped but wrong" submission generated here (every
answer perturbed so that the public checks still pass, plus a cell that redefines the
helpers the hidden tests used to call). Assignment a2 (the lightest) also gets the
broken notebook (a cell that raises), the timed-out one and the files that are not
submissions. The broken notebooks of the other assignments and the Binder check are
marked slow.
"""

import ast
import hashlib
import json
import os
import re
import shutil
import subprocess
import zipfile

import jupytext
import pandas as pd
import pytest

from helpers import assignments
from tests.conftest import ROOT, toc_files
from tools import classroom
from tools.classroom import answers

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:traitlets")

NAMES = classroom.assignment_names()
ZIPPED = "a2_constraints"  # its blank version is handed in as a zip
# the fastest to run: it also gets the broken, timed-out and junk files
LIGHT = "a2_constraints"
MARKERS = re.compile(
    r"#\s*(BEGIN|END)\s+(SOLUTION|QUESTION|TESTS|PROMPT)|#\s*SOLUTION\b|#\s*HIDDEN\b|"
    r"ASSIGNMENT CONFIG|EXPECTED\[|Grading notes",
    re.IGNORECASE,
)
# Every name the assignments' notebooks import: a hidden test that calls one could be
# steered by redefining it.
STUDENT_NAMES = {
    "np",
    "pd",
    "plt",
    "smf",
    "load",
    "national_series",
    "provincial_panel",
    "resource_info",
    "helpers",
    "nqpf",
    "gaps",
    "indices",
    "measures",
    "panel",
    "nqpf_models",
    "urban_rural",
    "register_cjk_font",
}

# Right-shaped wrong answers: inserted before each question's grader.check cell, so
# every public (shape) check still passes while every value is wrong.
WRONG = {
    "a1_mechanisms": {
        "q1_complete_rows": "n_complete = n_complete - 1\n"
        "never_complete = never_complete + ['Beijing']",
        "q2_entropy_weights": "my_weights = pd.Series(1 / len(names), index=names)",
        "q3_top_five": "top5_2022 = top5_2022[::-1]",
        "q4_drop_an_indicator": (
            "dropped_indicator = [n for n in names if n != dropped_indicator][0]\n"
            "rank_correlation = rank_correlation / 2\nbiggest_move = biggest_move + 1"
        ),
        "q5_channel": (
            "channel_coef, channel_p = -channel_coef, min(1.0, channel_p + 0.2)"
        ),
        "q6_why_not_circular": "answer = 'a'",
    },
    "a2_constraints": {
        "q1_literacy_gaps": "rural_vs_urban, farmers_vs_all = "
        "rural_vs_urban + 1, farmers_vs_all - 1",
        # the True/False part stays right: alone it must earn nothing
        "q2_points_not_percent": "rural_vs_urban_points = rural_vs_urban_points + 1",
        "q3_income_ratio": "income_ratio = income_ratio * 1.01",
        "q4_ratio_change": "ratio_change = -ratio_change",
        "q5_hukou_gap": "hukou_gap_2020 = hukou_gap_2020 + 1",
    },
    "a3_paths": {
        "q1_science_spending": (
            "coef_sci_tech, p_sci_tech = 2 * coef_sci_tech, p_sci_tech / 2"
        ),
        # True/False parts stay right, as in a2
        "q2_digital_finance": "coef_finance = -coef_finance",
        "q3_hukou_gap": "gap_first, gap_last = gap_last, gap_first",
        "q4_highways": "coef_highway = coef_highway + 0.01",
        "q5_rural_electricity": (
            "growth_pct, n_provinces = growth_pct + 5, n_provinces - 1"
        ),
        "q6_what_can_be_tested": "answer = 'a'",
    },
    "a4_replication": {
        "q1_figure1_data": (
            "figure1_data = figure1_data.iloc[::-1].reset_index(drop=True)"
        ),
        "q2_figure1_chart": (
            "plt.close(fig1)\nfig1, ax = plt.subplots()\n"
            "ax.bar(['a', 'b', 'c', 'd'], [10.0, 20.0, 30.0, 40.0])\nax.set_ylim(0, 50)"
        ),
        "q3_outcome_and_controls": (
            "sample = sample.assign(income_ratio=sample['income_ratio'] * 1.01, "
            "ln_gdp=sample['ln_gdp'] + 1, gov_spending=sample['gov_spending'] / 100)"
        ),
        "q4_nqpf_index": "sample = sample.assign(nqpf=sample['nqpf'] / 2)",
        "q5_two_way_fe": (
            "baseline = baseline.assign(coef=2 * baseline['coef'], se=2 * "
            "baseline['se'])"
        ),
        "q6_statsmodels_check": "lsdv_coef, lsdv_se = lsdv_coef + 1, 2 * lsdv_se",
        "q7_reading_the_table": "answer = 'a'",
    },
}

# After the answers: redefine every function of the project's helpers (and numpy's
# comparisons) to return an object equal to anything, and shadow the built-ins
# comparisons use. Hidden tests that computed their expected values with helpers passed
# with this; so would literal ones that trusted the notebook's `abs`.
STEER = """
import importlib, pkgutil
import numpy
import helpers

class _Anything(float):
    def __new__(cls, *args, **kwargs): return float.__new__(cls, 0.0)
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = float.__hash__
    def __getattr__(self, name): return self
    def __getitem__(self, key): return self
    def __call__(self, *args, **kwargs): return self
    def __abs__(self): return 0.0
    def __sub__(self, other): return self
    __rsub__ = __add__ = __radd__ = __mul__ = __sub__
    __rmul__ = __truediv__ = __rtruediv__ = __sub__

def _steer(*args, **kwargs):
    return _Anything()

for _info in pkgutil.walk_packages(helpers.__path__, "helpers."):
    if _info.name.endswith("__main__") or "explorers" in _info.name:
        continue
    _module = importlib.import_module(_info.name)
    for _name, _value in list(vars(_module).items()):
        if (callable(_value) and not isinstance(_value, type)
                and not _name.startswith("_")):
            setattr(_module, _name, _steer)
for _name in ("load", "national_series", "provincial_panel", "resource_info"):
    if _name in globals():
        globals()[_name] = _steer
numpy.allclose = numpy.isclose = numpy.array_equal = _steer
# and the built-ins comparisons use: with these, `abs(x - expected) < tol` and
# `sorted(a) == sorted(b)` always hold (float, bool and isinstance stay: the public
# checks use them, and this notebook must stay right-shaped)
abs = lambda *args, **kwargs: 0.0
max = min = lambda *args, **kwargs: 0.0
all = lambda *args, **kwargs: True
sorted = lambda *args, **kwargs: []
"""


# --------------------------------------------------------------------------------------
# Fast checks of the pieces
# --------------------------------------------------------------------------------------


def test_there_is_one_assignment_per_part_and_a_replication_assignment():
    assert len(NAMES) >= 4
    for part in ("mechanisms", "constraints", "paths", "replication"):
        assert any(part in name for name in NAMES), f"no assignment for {part}"


def test_grading_requirements_drop_the_editable_install_and_keep_pins():
    lock = "# comment\npandas==2.2.3\n-e .\n--editable ./x\notter-grader==7.0.0\n"
    assert (
        classroom.grading_requirements(lock)
        == "# comment\npandas==2.2.3\notter-grader==7.0.0\n"
    )


def test_only_tables_and_the_descriptor_are_bundled():
    descriptor = {
        "resources": [
            {"name": "a", "path": "a.csv", "schema": {}},
            {"name": "r", "path": "raw/r.pdf"},
        ]
    }
    assert classroom.tabular_data_files(descriptor) == ["datapackage.json", "a.csv"]


def test_literals_are_python_source_for_the_same_values():
    import numpy as np

    value = {
        "a": [1, 2.5, None, True],
        "b": {"2015": np.float64(0.1) + np.float64(0.2)},
        "c": np.int64(7),
        "d": "x'y",
    }
    text = classroom.python_literal(value)
    assert ast.literal_eval(text) == {
        "a": [1, 2.5, None, True],
        "b": {"2015": 0.30000000000000004},
        "c": 7,
        "d": "x'y",
    }
    with pytest.raises(ValueError, match="None"):
        classroom.python_literal(float("nan"))
    with pytest.raises(TypeError):
        classroom.python_literal(object())


SOURCE = """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
---

```{raw-cell}
# BEGIN QUESTION
name: q1
points: 2
```

```{raw-cell}
# BEGIN TESTS
```

```{code-cell} ipython3
assert isinstance(x, float)
```

```{code-cell} ipython3
# HIDDEN
assert abs(float(x) - EXPECTED["x"]) < 1e-9
```

```{raw-cell}
# END TESTS
```

```{raw-cell}
# END QUESTION
```
"""


def test_staging_writes_expected_values_as_literals_public_tests_worth_nothing():
    notebook = jupytext.reads(SOURCE, fmt="md:myst")
    classroom.prepare_tests(notebook, {"x": 0.1 + 0.2})
    public, hidden = [c.source for c in notebook.cells if c.cell_type == "code"]
    assert public.startswith(
        '""" # BEGIN TEST CONFIG\npoints: 0\n""" # END TEST CONFIG\n'
    )
    assert hidden == "# HIDDEN\nassert abs(float(x) - 0.30000000000000004) < 1e-9"


def test_staging_refuses_missing_value_public_answer_and_no_hidden_test():
    with pytest.raises(KeyError, match="x"):
        classroom.prepare_tests(jupytext.reads(SOURCE, fmt="md:myst"), {})
    leaking = SOURCE.replace("assert isinstance(x, float)", 'assert x == EXPECTED["x"]')
    with pytest.raises(ValueError, match="outside a hidden test"):
        classroom.prepare_tests(jupytext.reads(leaking, fmt="md:myst"), {"x": 1.0})
    unhidden = SOURCE.replace("# HIDDEN\n", "")
    unhidden = unhidden.replace(
        'assert abs(float(x) - EXPECTED["x"]) < 1e-9', "assert x > 0"
    )
    with pytest.raises(ValueError, match="no hidden test"):
        classroom.prepare_tests(jupytext.reads(unhidden, fmt="md:myst"), {})


def test_every_file_is_found_at_any_depth_except_checkpoint_copies(tmp_path):
    (tmp_path / "ann").mkdir()
    (tmp_path / "ann" / "hw.ipynb").write_text("{}")
    (tmp_path / "bob.zip").write_bytes(b"")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "hw-checkpoint.ipynb").write_text("{}")
    (tmp_path / "notes.txt").write_text("")
    found = [
        p.relative_to(tmp_path).as_posix() for p in classroom.find_submissions(tmp_path)
    ]
    assert found == ["ann/hw.ipynb", "bob.zip", "notes.txt"]


def _notebook(name):
    return {
        "cells": [],
        "metadata": {"otter": {"assignment_name": name}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


@pytest.mark.parametrize(
    "filename, content, message",
    [
        ("essay.txt", b"my answers", "not a notebook (a .txt file)"),
        ("scan.pdf", b"%PDF-1.4", "not a notebook (a .pdf file)"),
        ("README", b"x", "not a notebook (a file without extension)"),
        ("broken.ipynb", b'{"cells": [', "invalid JSON"),
        ("binary.ipynb", b"\xff\xfe\x00", "not text"),
        ("list.ipynb", b"[1, 2]", "not a Jupyter notebook"),
        ("fake.zip", b"PK not really", "not a valid zip"),
    ],
)
def test_files_that_are_not_notebooks_are_screened_with_a_reason(
    tmp_path, filename, content, message
):
    path = tmp_path / filename
    path.write_bytes(content)
    assert message in classroom.screen_submission(path, "course-a", "a")


def test_another_assignments_notebook_is_screened_hint_names_make_variable(
    tmp_path,
):
    (tmp_path / "other.ipynb").write_text(json.dumps(_notebook("course-b")))
    (tmp_path / "mine.ipynb").write_text(json.dumps(_notebook("course-a")))
    with zipfile.ZipFile(tmp_path / "two.zip", "w") as archive:
        archive.writestr("a.ipynb", "{}")
        archive.writestr("b.ipynb", "{}")
    message = classroom.screen_submission(
        tmp_path / "other.ipynb", "course-a", "a", {"course-b": "b"}
    )
    assert "another assignment (course-b)" in message and "ASSIGNMENT=b" in message
    assert classroom.screen_submission(tmp_path / "mine.ipynb", "course-a", "a") is None
    assert "2 notebooks" in classroom.screen_submission(
        tmp_path / "two.zip", "course-a", "a"
    )


def _fake_dist(tmp_path):
    dist = tmp_path / "dist"
    for name, otter_name in (("a", "course-a"), ("b", "course-b")):
        (dist / name / "autograder").mkdir(parents=True)
        (dist / name / "autograder" / f"{name}-autograder_1.zip").write_bytes(b"")
        (dist / name / "autograder" / f"{name}.ipynb").write_text(
            json.dumps(_notebook(otter_name))
        )
    return dist


def test_assignment_is_the_one_most_notebooks_belong_to_a_tie_asks_for_it(
    tmp_path,
):
    dist = _fake_dist(tmp_path)
    for file, otter_name in (
        ("a1", "course-a"),
        ("a2", "course-a"),
        ("b1", "course-b"),
    ):
        (tmp_path / f"{file}.ipynb").write_text(json.dumps(_notebook(otter_name)))
    (tmp_path / "notes.txt").write_text("")
    folder = [tmp_path / f for f in ("a1.ipynb", "a2.ipynb", "b1.ipynb", "notes.txt")]
    assert classroom.infer_assignment(folder, dist) == "a"
    with pytest.raises(ValueError, match=r"ASSIGNMENT=<name>"):
        classroom.infer_assignment([tmp_path / "a1.ipynb", tmp_path / "b1.ipynb"], dist)


def test_the_command_line_says_which_make_variable_to_set(tmp_path, capsys):
    dist = _fake_dist(tmp_path)
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "x.ipynb").write_text(json.dumps(_notebook("course-a")))
    (tmp_path / "subs" / "y.ipynb").write_text(json.dumps(_notebook("course-b")))
    assert classroom.main(["grade", str(tmp_path / "subs"), "--dist", str(dist)]) == 2
    assert "ASSIGNMENT=" in capsys.readouterr().err


def test_each_code_cell_is_mapped_to_its_question():
    def cell(kind, text):
        return {"cell_type": kind, "source": text, "metadata": {}}

    notebook = {
        "cells": [
            cell("code", "import otter"),
            cell("code", "import pandas"),
            cell("markdown", "## Part"),
            cell("markdown", "**Question 1.** Do it"),
            cell("code", "x = 1"),
            cell("code", 'grader.check("q1")'),
            cell("markdown", "Some text"),
            cell("markdown", "**Question 2.** Again"),
            cell("code", "y = 2"),
            cell("code", 'grader.check("q2")'),
            cell("code", "grader.export()"),
        ]
    }
    assert classroom.cell_questions(notebook) == [
        (1, "set-up"),
        (2, "set-up"),
        (5, "q1"),
        (6, "q1"),
        (9, "q2"),
        (10, "q2"),
        (11, "outside the questions"),
    ]


def test_the_score_table_goes_beside_the_folder_not_into_it(tmp_path):
    folder = tmp_path / "week3"
    folder.mkdir()
    path = classroom.default_scores_path(folder, "a2_constraints")
    assert path.parent == tmp_path and path.name == "week3-a2_constraints-scores.csv"


def test_every_question_has_points_and_says_what_it_assesses():
    table = assignments.question_table()
    assert set(table["assignment"]) == set(NAMES)
    assert not table.duplicated(["assignment", "question"]).any(), (
        "a question name is used twice in one assignment"
    )
    assert (table["points"] > 0).all()
    missing = table.loc[table["assesses"].str.len() < 10, ["assignment", "question"]]
    assert missing.empty, (
        f"questions without an '*Assesses:*' line: {missing.to_dict('records')}"
    )


@pytest.mark.parametrize("name", NAMES)
def test_every_reflection_prompt_is_a_manually_graded_question(name):
    text = (classroom.SOURCE_DIR / name / f"{name}.md").read_text(encoding="utf-8")
    assert not re.search(r"^#+ .*\(not graded\)", text, flags=re.MULTILINE)
    reflections = len(re.findall(r"^\*\*Reflection", text, flags=re.MULTILINE))
    table = assignments.question_table()
    manual = table[
        (table["assignment"] == name) & (table["graded"] == classroom.MANUAL)
    ]
    assert reflections >= 1 and len(manual) == reflections


def test_no_question_claims_to_be_done_by_hand():
    # The entropy weights of a1 equal one helper call, so the assignment calls them
    # "step by step" instead.
    for name in NAMES:
        text = (classroom.SOURCE_DIR / name / f"{name}.md").read_text(encoding="utf-8")
        assert not re.search(r"\bby hand\b", text, flags=re.IGNORECASE), (
            f"{name} says 'by hand'"
        )


def test_the_hukou_question_names_every_year_with_both_rates():
    from helpers import urban_rural
    from helpers.data import national_series

    years = urban_rural.hukou_gap(national_series(period=None))["year"].tolist()
    text = (classroom.SOURCE_DIR / "a2_constraints" / "a2_constraints.md").read_text(
        encoding="utf-8"
    )
    section = text[text.index("## People who moved") : text.index("**Question 5.**")]
    assert "only year with both values" not in section
    for year in years:
        assert str(year) in section, f"{year} also has both rates; the text must say so"


def test_binder_link_opens_the_student_notebook_of_the_configured_repository(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text(
        "repository:\n  url: https://github.com/someone/book\n  branch: dev\n"
        "launch_buttons:\n  binderhub_url: https://hub.example.org/\n",
        encoding="utf-8",
    )
    link = assignments.binder_link("a1_mechanisms", config)
    assert link == (
        "https://hub.example.org/v2/gh/someone/book/dev?urlpath=lab%2Ftree%2Fassignments%2Fdist%2Fa1_mechanisms%2Fstudent%2Fa1_mechanisms.ipynb"
    )


def test_an_unknown_assignment_name_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown assignment"):
        classroom.build_assignments(["no_such_assignment"], dist_dir=tmp_path)


CHAPTERS = [
    f for f in toc_files() if f.split("/")[1] in {"mechanisms", "constraints", "paths"}
]


@pytest.mark.parametrize("page", CHAPTERS)
def test_every_chapter_ends_with_exercises_whose_solutions_are_hidden_and_run(page):
    text = (ROOT / f"{page}.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings and headings[-1] == "Exercises", (
        f"{page}: the last section is not '## Exercises'"
    )
    labels = re.findall(r"^```\{exercise\}\n:label: (\S+)$", text, flags=re.MULTILINE)
    assert len(labels) >= 2, f"{page}: fewer than two exercises"
    for label in labels:
        block = re.search(
            r"^```\{solution-start\} "
            + re.escape(label)
            + r"\n:class: dropdown\n```\n(.*?)^```\{solution-end\}",
            text,
            flags=re.MULTILINE | re.DOTALL,
        )
        assert block, f"{page}: exercise {label} has no dropdown solution"
        assert "```{code-cell} ipython3" in block.group(1), (
            f"{page}: the solution of {label} has no code to run"
        )


def test_exercise_labels_are_unique_across_the_book():
    labels = [
        label
        for page in CHAPTERS
        for label in re.findall(
            r"^:label: (\S+)$",
            (ROOT / f"{page}.md").read_text(encoding="utf-8"),
            flags=re.MULTILINE,
        )
    ]
    assert len(labels) == len(set(labels))


# --------------------------------------------------------------------------------------
# Build once
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    return dist, {b.name: b for b in classroom.build_assignments(dist_dir=dist)}


def autograder_tests(assignment):
    """{question: otter test dict} from the autograder zip (OK format: each test file
    defines `test`).
    """
    tests = {}
    with zipfile.ZipFile(assignment.autograder_zip) as archive:
        for member in archive.namelist():
            if member.startswith("tests/") and member.endswith(".py"):
                namespace = {}
                exec(archive.read(member).decode("utf-8"), namespace)  # noqa: S102 - our own generated file
                tests[namespace["test"]["name"]] = namespace["test"]
    return tests


def doctest_code(case):
    """The Python code of an OK-format test case (its '>>> ' and '... ' lines)."""
    lines = [
        line[4:]
        for line in case["code"].splitlines()
        if line.startswith((">>> ", "... "))
    ]
    return "\n".join(lines)


@pytest.mark.parametrize("name", NAMES)
def test_public_checks_carry_no_points_and_hidden_tests_carry_them_all(built, name):
    table = assignments.question_table()
    auto = table[(table["assignment"] == name) & (table["graded"] == "auto")].set_index(
        "question"
    )["points"]
    tests = autograder_tests(built[1][name])
    assert sorted(tests) == sorted(auto.index)
    for question, test in tests.items():
        cases = [case for suite in test["suites"] for case in suite["cases"]]
        public = [case for case in cases if not case["hidden"]]
        hidden = [case for case in cases if case["hidden"]]
        assert hidden, f"{name} {question}: no hidden test"
        assert all(case.get("points") == 0 for case in public), (
            f"{name} {question}: a public check has points"
        )
        assert test["points"] == auto[question]


@pytest.mark.parametrize("name", NAMES)
def test_hidden_tests_compare_with_literals_and_call_nothing_a_notebook_can_redefine(
    built, name
):
    for question, test in autograder_tests(built[1][name]).items():
        for case in (
            c for suite in test["suites"] for c in suite["cases"] if c["hidden"]
        ):
            code = doctest_code(case)
            assert "EXPECTED" not in code
            tree = ast.parse(code)
            used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
            # The tests run in the grader's process: what they read besides the
            # answers is Python's, or the grader's own pd and np.
            assert not (used & STUDENT_NAMES) - set(classroom.GRADER_NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_starter_line_is_named_in_its_question(built, name):
    """An answer cell's `name = ...` lines are explained: the prompt above names each
    variable.
    """
    notebook = json.loads(built[1][name].student_notebook.read_text(encoding="utf-8"))
    prompt = ""
    for cell in notebook["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and text.lstrip().startswith("**Question"):
            prompt = text
        if "otter_answer_cell" in cell["metadata"].get("tags", []):
            for line in text.splitlines():
                match = re.match(r"^([\w, ]+?)\s*=\s*\.\.\.", line)
                for variable in (
                    v.strip() for v in (match.group(1).split(",") if match else [])
                ):
                    assert f"`{variable}`" in prompt or f"`{variable} =" in prompt, (
                        f"{name}: starter line {line!r} is not explained in its "
                        "question"
                    )


# --------------------------------------------------------------------------------------
# Grade once per assignment: reference, blank, right-shaped wrong (+ broken and junk for
# a2)
# --------------------------------------------------------------------------------------


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def code_cell(source):
    return {
        "cell_type": "code",
        "metadata": {},
        "outputs": [],
        "execution_count": None,
        "source": source,
    }


def check_index(notebook, question):
    """Index of the grader.check cell of a question."""
    return next(
        i
        for i, c in enumerate(notebook["cells"])
        if c["cell_type"] == "code"
        and f'grader.check("{question}")' in "".join(c["source"])
    )


def wrong_submission(solution_notebook, name):
    """The reference solution with every answer made wrong but right-shaped, and the
    helpers redefined.
    """
    notebook = json.loads(solution_notebook.read_text(encoding="utf-8"))
    for question, code in WRONG[name].items():
        notebook["cells"].insert(check_index(notebook, question), code_cell(code))
    last = next(
        i
        for i, c in enumerate(notebook["cells"])
        if "grader.check_all()" in "".join(c["source"])
    )
    notebook["cells"].insert(last, code_cell(STEER))
    return notebook


def second_question(notebook):
    """Name of the second question and the index of its answer cell (the first code cell
    after its prompt).
    """
    names = [
        m.group(1)
        for c in notebook["cells"]
        if c["cell_type"] == "code"
        for m in [re.search(r'grader\.check\("(\w+)"\)', "".join(c["source"]))]
        if m
    ]
    end = check_index(notebook, names[1])
    start = max(
        i
        for i in range(end)
        if "".join(notebook["cells"][i]["source"]).lstrip().startswith("**Question")
    )
    return names[1], start + 1


def broken_submission(solution_notebook):
    """The reference solution whose second answer cell raises a NameError before it
    assigns anything.
    """
    notebook = json.loads(solution_notebook.read_text(encoding="utf-8"))
    question, index = second_question(notebook)
    cell = notebook["cells"][index]
    cell["source"] = "undefined_name + 1\n" + "".join(cell["source"])
    return notebook, question


def looping_submission(solution_notebook):
    """The reference solution with a cell that never ends just before the second
    question's answer.
    """
    notebook = json.loads(solution_notebook.read_text(encoding="utf-8"))
    question, index = second_question(notebook)
    notebook["cells"].insert(
        index, code_cell("import time\nwhile True:\n    time.sleep(0.2)")
    )
    return notebook, question


def write_notebook(path, notebook):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook), encoding="utf-8")


@pytest.fixture(scope="module")
def graded(built, tmp_path_factory):
    """Per assignment, the score table of a folder with the reference, blank and wrong
    submissions.
    """
    dist, built_assignments = built
    runs = {}
    for name, assignment in built_assignments.items():
        folder = tmp_path_factory.mktemp(f"submissions-{name}")
        (folder / "reference").mkdir()
        shutil.copy(
            assignment.solution_notebook, folder / "reference" / f"{name}.ipynb"
        )
        (folder / "blank").mkdir()
        if name == ZIPPED:
            # Students may hand in the zip that the notebook's export cell makes; grade
            # that route too.
            with zipfile.ZipFile(folder / "blank" / f"{name}.zip", "w") as archive:
                archive.write(assignment.student_notebook, f"{name}.ipynb")
        else:
            shutil.copy(assignment.student_notebook, folder / "blank" / f"{name}.ipynb")
        write_notebook(
            folder / "wrong" / f"{name}.ipynb",
            wrong_submission(assignment.solution_notebook, name),
        )
        if name == LIGHT:
            notebook, _ = broken_submission(assignment.solution_notebook)
            write_notebook(folder / "broken" / f"{name}.ipynb", notebook)
        before = {p: sha256(p) for p in folder.rglob("*") if p.is_file()}
        # No ASSIGNMENT: the grader reads it from the notebooks' metadata.
        table, out = classroom.grade_folder(folder, jobs=2, dist_dir=dist)
        after = {p: sha256(p) for p in folder.rglob("*") if p.is_file()}
        runs[name] = {
            "table": table.set_index("submission"),
            "out": out,
            "folder": folder,
            "before": before,
            "after": after,
        }
    return runs


def blank_submission(name):
    """Where the fixture put the blank student version of an assignment (relative to its
    folder).
    """
    return f"blank/{name}.zip" if name == ZIPPED else f"blank/{name}.ipynb"


@pytest.mark.parametrize("name", NAMES)
def test_reference_solution_gets_full_marks(graded, name):
    row = graded[name]["table"].loc[f"reference/{name}.ipynb"]
    assert row["status"] == "graded", row["message"]
    assert row["possible"] > 0 and row["public_checks"] == "passed"
    assert row["total"] == row["possible"], (
        f"{name}: reference solution scored {row['total']}/{row['possible']}"
    )


@pytest.mark.parametrize("name", NAMES)
def test_graded_points_are_the_autograded_points_the_guide_lists(graded, name):
    row = graded[name]["table"].loc[f"reference/{name}.ipynb"]
    table = assignments.question_table()
    auto = table[(table["assignment"] == name) & (table["graded"] == "auto")]
    assert row["possible"] == auto["points"].sum()


@pytest.mark.parametrize("name", NAMES)
def test_blank_student_version_scores_nothing(graded, name):
    row = graded[name]["table"].loc[blank_submission(name)]
    assert row["status"] == "graded", row["message"]
    assert row["total"] == 0 and row["public_checks"].startswith("failed")


@pytest.mark.parametrize("name", NAMES)
def test_right_shaped_wrong_answers_score_at_most_five_percent(graded, name):
    row = graded[name]["table"].loc[f"wrong/{name}.ipynb"]
    assert row["status"] == "graded", row["message"]
    assert row["public_checks"] == "passed", (
        f"{name}: the wrong submission is not right-shaped: {row['public_checks']}"
    )
    assert row["percent"] <= 5, (
        f"{name}: wrong answers scored {row['total']}/{row['possible']}"
    )


@pytest.mark.parametrize("name", NAMES)
def test_redefining_the_helpers_earns_nothing(graded, name):
    # The wrong submission ends by redefining every helper function and numpy's
    # comparisons (STEER), which made the old, helper-computed hidden tests pass;
    # against literals it earns not a single point.
    row = graded[name]["table"].loc[f"wrong/{name}.ipynb"]
    assert row["total"] == 0


@pytest.mark.parametrize("name", NAMES)
def test_reflections_are_listed_as_manually_graded(graded, name):
    table = graded[name]["table"]
    questions = assignments.question_table()
    manual = questions.loc[
        (questions["assignment"] == name) & (questions["graded"] == classroom.MANUAL),
        "question",
    ]
    for question in manual:
        assert (
            table.loc[table["status"] == "graded", question] == classroom.MANUAL
        ).all()


@pytest.mark.parametrize("name", NAMES)
def test_grading_writes_one_row_per_file_and_leaves_them_untouched(graded, name):
    run = graded[name]
    assert run["out"].is_file() and not run["out"].is_relative_to(run["folder"])
    written = pd.read_csv(run["out"]).set_index("submission")
    assert sorted(written.index) == sorted(
        p.relative_to(run["folder"]).as_posix() for p in run["before"]
    )
    assert (
        written.loc[f"reference/{name}.ipynb", "total"]
        == run["table"].loc[f"reference/{name}.ipynb", "total"]
    )
    assert run["before"] == run["after"], (
        "grading changed, added or removed a file in the submissions folder"
    )


def test_a_raising_cell_is_named_with_its_question_and_exception(graded, built):
    _, question = broken_submission(built[1][LIGHT].solution_notebook)
    row = graded[LIGHT]["table"].loc[f"broken/{LIGHT}.ipynb"]
    assert row["status"] == "graded"
    assert (
        f"({question}) raised NameError: name 'undefined_name' is not defined"
        in row["message"]
    )
    assert row[question] == 0 and 0 < row["total"] < row["possible"]


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in NAMES if n != LIGHT])
def test_a_raising_cell_is_named_in_every_assignment(built, tmp_path, name):
    notebook, question = broken_submission(built[1][name].solution_notebook)
    write_notebook(tmp_path / "subs" / "broken.ipynb", notebook)
    table, _ = classroom.grade_folder(
        tmp_path / "subs", out=tmp_path / "s.csv", jobs=1, dist_dir=built[0]
    )
    row = table.iloc[0]
    assert (
        row["status"] == "graded" and f"({question}) raised NameError" in row["message"]
    )
    assert row[question] == 0 and row["total"] < row["possible"]


# --------------------------------------------------------------------------------------
# The answer channel, without a kernel: what the kernel side encodes, what the grader
# accepts
# --------------------------------------------------------------------------------------


def kernel_encode(value):
    """Encode a value with the serialiser's own kernel-side code, run here."""
    namespace = {}
    exec(answers._KERNEL_SOURCE.replace("MAX_DEPTH", "6"), namespace)  # noqa: S102
    return json.loads(json.dumps(namespace["_encode"](value)))


def test_plain_answers_survive_the_round_trip():
    import numpy as np

    series = pd.Series([1.5, 2.5], index=[2015, 2016], name="ratio")
    frame = pd.DataFrame({"term": ["nqpf"], "coef": [0.25]})
    for value in (
        1.5,
        np.float64(2.25),
        3,
        np.int64(4),
        True,
        np.bool_(False),
        "b",
        None,
        ["a", 1],
        {"x": 1.0},
    ):
        decoded = answers.decode(kernel_encode(value))
        plain = value.item() if isinstance(value, np.generic) else value
        assert decoded == plain and type(decoded) is type(plain)
    assert answers.decode(kernel_encode(series)).equals(series)
    pd.testing.assert_frame_equal(answers.decode(kernel_encode(frame)), frame)
    assert answers.decode(kernel_encode(float("nan"))) != 0  # NaN stays NaN


def test_a_figure_is_rebuilt_with_its_bars_limits_labels_and_texts():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots()
    ax.bar(["城市", "农村"], [56.3, 35.1])
    ax.set_ylim(0, 100)
    figure.text(0.01, 0.01, "Source: CASS")
    rebuilt = answers.decode(kernel_encode(figure))
    plt.close(figure)
    bars = sorted(rebuilt.axes[0].patches, key=lambda b: b.get_x())
    assert [round(b.get_height(), 6) for b in bars] == [56.3, 35.1]
    assert tuple(rebuilt.axes[0].get_ylim()) == (0.0, 100.0)
    assert [t.get_text() for t in rebuilt.axes[0].get_xticklabels()] == ["城市", "农村"]
    assert [t.get_text() for t in rebuilt.texts] == ["Source: CASS"]


def test_objects_that_pretend_are_refused_by_exact_type():
    class Anything(float):
        def __eq__(self, other):
            return True

    class Claims:
        def __float__(self):
            return 1.0

    for value in (Anything(1.0), Claims(), pd.Series([Claims()]), [Anything(2.0)]):
        with pytest.raises(TypeError):
            kernel_encode(value)


@pytest.mark.parametrize(
    "item",
    [
        {"kind": "int", "value": True},  # a boolean is not an int
        {"kind": "bool", "value": 1},
        {"kind": "float", "value": "1.0"},
        {"kind": "float", "value": None, "special": "1e9"},
        {"kind": "str", "value": 5},
        {"kind": "list", "items": "abc"},
        {"kind": "series", "index": [], "values": [{"kind": "int", "value": 1}]},
        {"kind": "object", "value": 1},
        {"kind": "dict", "items": [[{"kind": "str", "value": "k"}]]},
        "1.0",
    ],
)
def test_the_grader_refuses_anything_but_the_serialisers_kinds(item):
    with pytest.raises(answers.AnswerError):
        answers.decode(item)


def test_the_answer_line_must_carry_the_runs_token_and_be_alone():
    token = "answers-abc:"
    line = token + '{"x": {"kind": "int", "value": 1}}\n'
    stdout = {"output_type": "stream", "name": "stdout", "text": line}
    assert answers.read_payload([stdout], token) == {"x": {"kind": "int", "value": 1}}
    faked = {"output_type": "stream", "name": "stdout", "text": "answers-000:{}\n"}
    extra = {"output_type": "stream", "name": "stdout", "text": "All tests passed\n"}
    for outputs in ([faked], [stdout, extra], [], [{**stdout, "text": token + "[1]"}]):
        with pytest.raises(answers.AnswerError):
            answers.read_payload(outputs, token)


def test_answers_that_cannot_be_graded_are_said_so_per_name():
    payload = {
        "a": {"kind": "float", "value": 1.0},
        "b": {"kind": "refused", "type": "_Anything"},
        "c": {"kind": "missing"},
        "d": {"kind": "float", "value": "x"},
    }
    values, problems = answers.decode_answers(payload, ["a", "b", "c", "d"])
    assert values == {"a": 1.0}
    assert problems["b"].startswith("cannot be graded (_Anything;")
    assert problems["c"] == "not defined"
    assert problems["d"].startswith("could not be read")


def test_the_answer_names_are_what_the_tests_read_and_do_not_define():
    code = (
        "_want = {2015: 1.0}\n"
        "assert max(abs(float(r[y]) - v) for y, v in _want.items()) < 1e-9\n"
        "assert sorted(fig.axes[0].patches, key=lambda b: b.get_x())\n"
        "assert isinstance(s, pd.Series)"
    )
    assert classroom.free_names(code) == {"r", "fig", "s"}


# --------------------------------------------------------------------------------------
# Tampering: every answer wrong, plus a cell that attacks the grading. Each must score 0
# without stalling the grader; the reference still scores 100%.
# --------------------------------------------------------------------------------------

# Inserted at the top of the wrong a2 submission (before its first cell).
TAMPER_FIRST = {
    "builtins_abs_at_the_top": "import builtins\nbuiltins.abs = lambda x: 0.0",
}
# Inserted before the last cell (grader.check_all) of the wrong a2 submission.
TAMPER_LAST = {
    "builtins_abs": "import builtins\nbuiltins.abs = lambda *a, **k: 0.0",
    "builtins_float_zero_difference": """
import builtins
class _Zero:
    def __sub__(self, other): return 0.0
    __rsub__ = __add__ = __radd__ = __truediv__ = __rtruediv__ = __sub__
    def __lt__(self, other): return True
    __gt__ = __le__ = __ge__ = __lt__
    def __eq__(self, other): return True
builtins.float = lambda *args, **kwargs: _Zero()
""",
    "builtins_round_and_bool": """
import builtins
builtins.round = lambda *args, **kwargs: 0
builtins.bool = lambda *args, **kwargs: True
""",
    "builtins_isinstance_type_and_print": """
import builtins
builtins.isinstance = lambda *args: True
builtins.type = lambda *args: float
""",
    "numpy_and_pandas_comparisons": """
import numpy, pandas, pandas.testing
numpy.isclose = numpy.allclose = numpy.array_equal = lambda *a, **k: True
pandas.testing.assert_series_equal = pandas.testing.assert_frame_equal = (
    lambda *a, **k: None)
pandas.Series.equals = pandas.DataFrame.equals = lambda *a, **k: True
pandas.Series.__eq__ = lambda self, other: pandas.Series(True, index=self.index)
""",
    "otter_grader_objects": """
import otter, otter.test_files, otter.test_files.abstract_test as _abstract
otter.Notebook.check = lambda self, *a, **k: None
otter.Notebook.check_all = lambda self, *a, **k: None
otter.test_files.GradingResults.total = property(lambda self: 7.0)
_abstract.TestFile.passed_all = property(lambda self: True)
_abstract.TestFile.score = property(lambda self: self.points)
""",
    "modules_replaced_in_sys_modules": """
import sys, types
_fake = types.ModuleType("json")
_fake.dumps = lambda *a, **k: '{"rural_vs_urban": {"kind": "float", "value": 37.7}}'
_fake.loads = lambda *a, **k: {}
sys.modules["json"] = _fake
sys.modules["otter"] = types.ModuleType("otter")
sys.modules["numpy.testing"] = types.ModuleType("numpy.testing")
""",
    "answers_that_equal_anything": """
class _Anything(float):
    def __eq__(self, other): return True
    __ne__ = lambda self, other: False
    __hash__ = float.__hash__
    def __sub__(self, other): return 0.0
    __rsub__ = __truediv__ = __rtruediv__ = __sub__
    def __abs__(self): return 0.0
    def __float__(self): return 0.0
    def __bool__(self): return True
    def __lt__(self, other): return True
    __gt__ = __le__ = __ge__ = __lt__
    def __getitem__(self, key): return self
    def __iter__(self): return iter([])
rural_vs_urban = farmers_vs_all = rural_vs_urban_points = _Anything()
ratio_change = hukou_gap_2020 = _Anything()
percent_is_larger = _Anything()
""",
    "answers_with_custom_float_and_bool": """
class _Claims:
    def __float__(self): return 0.0
    def __bool__(self): return True
    def __eq__(self, other): return True
    def __index__(self): return 0
rural_vs_urban = farmers_vs_all = rural_vs_urban_points = _Claims()
ratio_change = hukou_gap_2020 = percent_is_larger = _Claims()
""",
    "series_subclass_equal_to_anything": """
import pandas
class _Series(pandas.Series):
    def __eq__(self, other): return True
income_ratio = _Series(income_ratio)
""",
    "json_dumps_patched": """
import json
_dumps = json.dumps
json.dumps = lambda obj, **k: _dumps(
    {n: {"kind": "float", "value": 1.0} for n in obj}, **k)
""",
    "print_patched_to_fake_the_answer_line": """
import builtins, sys
def _print(*args, **kwargs):
    text = str(args[0]) if args else ""
    token = text[: text.index(":") + 1] if ":" in text else ""
    sys.stdout.write(token + '{"rural_vs_urban": {"kind": "float", "value": 1e9}}\\n')
builtins.print = _print
""",
    "input_transformer_rewrites_the_answer_cell": """
get_ipython().input_transformers_post.append(
    lambda lines: ['print("answers-0000:{}")\\n'])
""",
    "output_printed_to_fake_a_result": """
print("q1_literacy_gaps results: All test cases passed!")
print('{"total": 7.0, "possible": 7.0, "percent": 100.0}')
print("answers-" + "0" * 32 + ':{"rural_vs_urban": {"kind": "float", "value": 1}}')
""",
    "fake_result_files": """
import json, os, pathlib
_fake = {"total": 7.0, "possible": 7.0, "percent": 100.0, "tests": []}
for _folder in [pathlib.Path.cwd(), pathlib.Path.cwd().parent]:
    for _name in ("results.json", "grading_results.json", "scores.csv"):
        try:
            (_folder / _name).write_text(json.dumps(_fake))
        except OSError:
            pass
""",
    "sys_exit_patched_then_kernel_exits": """
import os, sys
sys.exit = lambda *a, **k: None
os._exit(0)
""",
    "endless_repr_displayed": """
class _Loop(float):
    def __repr__(self):
        while True:
            pass
rural_vs_urban = _Loop(37.7)
rural_vs_urban
""",
    "endless_loop_that_ignores_interrupts": """
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
""",
}
TAMPER_TIMEOUT = 20


def tampered_submission(solution_notebook, code, first=False):
    """The wrong a2 submission with the tampering cell at its top or before its end."""
    notebook = wrong_submission(solution_notebook, LIGHT)
    at = 0 if first else len(notebook["cells"]) - 1
    notebook["cells"].insert(at, code_cell(code.strip()))
    return notebook


@pytest.fixture(scope="module")
def tampered(built, tmp_path_factory):
    """Score table of the tampering corpus and the reference, graded in one folder."""
    dist, built_assignments = built
    solution = built_assignments[LIGHT].solution_notebook
    folder = tmp_path_factory.mktemp("tampering")
    shutil.copy(solution, folder / "reference.ipynb")
    for name, code in TAMPER_FIRST.items():
        write_notebook(
            folder / f"{name}.ipynb", tampered_submission(solution, code, True)
        )
    for name, code in TAMPER_LAST.items():
        write_notebook(folder / f"{name}.ipynb", tampered_submission(solution, code))
    table, _ = classroom.grade_folder(
        folder,
        assignment=LIGHT,
        out=folder.parent / "tampering-scores.csv",
        jobs=2,
        timeout=TAMPER_TIMEOUT,
        dist_dir=dist,
    )
    with pd.option_context("display.max_colwidth", 90, "display.width", 200):
        print(
            "\n"
            + table[["submission", "status", "total", "possible", "percent"]].to_string(
                index=False
            )
        )
    return table.set_index("submission")


def test_the_reference_scores_full_marks_beside_the_tampering_corpus(tampered):
    row = tampered.loc["reference.ipynb"]
    assert row["status"] == "graded" and row["percent"] == 100, row["message"]


@pytest.mark.parametrize("name", [*TAMPER_FIRST, *TAMPER_LAST])
def test_a_tampering_submission_scores_nothing(tampered, name):
    row = tampered.loc[f"{name}.ipynb"]
    assert row["status"] in ("graded", "timeout"), row["message"]
    assert row["total"] == 0 and row["possible"] == 7, row["message"]


def test_answers_that_cannot_be_sent_as_data_are_named_in_the_message(tampered):
    message = tampered.loc["answers_with_custom_float_and_bool.ipynb", "message"]
    assert "q1_literacy_gaps: rural_vs_urban cannot be graded (_Claims" in message


def test_a_kernel_that_never_answers_is_stopped_and_said_so(tampered):
    row = tampered.loc["endless_loop_that_ignores_interrupts.ipynb"]
    assert row["status"] == "timeout"
    assert "every question scores 0" in row["message"]


def test_a_folder_of_everything_gets_a_row_and_a_reason_for_each_file(built, tmp_path):
    """A timed-out notebook keeps the points of the questions that ran; junk gets error
    rows; nothing stops.
    """
    dist, built_assignments = built
    folder = tmp_path / "week2"
    notebook, question = looping_submission(built_assignments[LIGHT].solution_notebook)
    write_notebook(folder / "loop" / f"{LIGHT}.ipynb", notebook)
    (folder / "essay.txt").write_text("my answers", encoding="utf-8")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    (folder / "damaged.ipynb").write_text(
        '{"cells": [{"cell_type": "code"', encoding="utf-8"
    )
    other = next(n for n in NAMES if n != LIGHT)
    shutil.copy(
        built_assignments[other].student_notebook, folder / "other_assignment.ipynb"
    )
    timeout = 40
    table, _ = classroom.grade_folder(
        folder,
        assignment=LIGHT,
        out=tmp_path / "scores.csv",
        jobs=2,
        timeout=timeout,
        dist_dir=dist,
    )
    table = table.set_index("submission")
    assert sorted(table.index) == sorted(
        [
            "loop/a2_constraints.ipynb",
            "essay.txt",
            "scan.pdf",
            "damaged.ipynb",
            "other_assignment.ipynb",
        ]
    )
    assert "not a notebook (a .txt file)" in table.loc["essay.txt", "message"]
    assert "not a notebook (a .pdf file)" in table.loc["scan.pdf", "message"]
    assert "invalid JSON" in table.loc["damaged.ipynb", "message"]
    assert "another assignment" in table.loc["other_assignment.ipynb", "message"]
    assert f"ASSIGNMENT={other}" in table.loc["other_assignment.ipynb", "message"]
    assert (table.drop(index="loop/a2_constraints.ipynb")["status"] == "error").all()
    loop = table.loc["loop/a2_constraints.ipynb"]
    assert loop["status"] == "timeout", loop["message"]
    assert (
        f"timed out after {timeout} s" in loop["message"]
        and f"({question})" in loop["message"]
    )
    first = (
        assignments.question_table()
        .query("assignment == @LIGHT and graded == 'auto'")
        .iloc[0]
    )
    assert loop[first["question"]] == first["points"], (
        "the question that ran before the loop lost its points"
    )
    assert loop["total"] == first["points"]


# --------------------------------------------------------------------------------------
# What the student workspace holds: the student versions, and no solution or hidden test
# --------------------------------------------------------------------------------------


def solution_lines(name):
    """Code and grading-note lines of the source's solution blocks."""
    notebook = jupytext.read(classroom.SOURCE_DIR / name / f"{name}.md", fmt="md:myst")
    lines = []
    for cell, block in classroom._blocks(notebook):
        if block == "SOLUTION" and cell.cell_type in ("code", "markdown"):
            for line in cell.source.splitlines():
                line = line.split("# SOLUTION")[0].strip()
                if line and not re.search(
                    r"(BEGIN|END) (SOLUTION|PROMPT)|^\"\"\"|^[\w, ]+ = \.\.\.", line
                ):
                    lines.append(line)
    return lines


def hidden_test_lines(built_assignment):
    """Code lines of the hidden tests in the autograder (with their expected values
    written in).
    """
    return [
        line.strip()
        for test in autograder_tests(built_assignment).values()
        for case in (
            c for suite in test["suites"] for c in suite["cases"] if c["hidden"]
        )
        for line in doctest_code(case).splitlines()
    ]


def secret_lines(name, built_assignment, public_text=""):
    """Lines only the autograder may hold: solution code, grading notes and hidden tests
    (with their literals).

    Short or generic lines (an import, `fig1.subplots_adjust(...)`) also appear in
    chapters and starter code, and a line the student version shows (a setup line
    repeated in a solution) or a book page teaches (a solution line such as loading a
    resource) is no secret; hidden-test lines always are.
    """
    student = json.loads(built_assignment.student_notebook.read_text(encoding="utf-8"))
    public = public_text + "\n".join(
        "".join(cell["source"]) for cell in student["cells"]
    )
    solutions = [line for line in solution_lines(name) if line not in public]
    return [
        line
        for line in solutions + hidden_test_lines(built_assignment)
        if len(line) > 40
    ]


@pytest.mark.parametrize("name", NAMES)
def test_student_version_holds_no_solutions_markers_or_hidden_tests(built, name):
    student = built[1][name].student_notebook
    text = student.read_text(encoding="utf-8")
    notebook = json.loads(text)
    for cell in notebook["cells"]:
        assert not MARKERS.search("".join(cell["source"])), (
            f"{name}: a solution/assign marker reached students"
        )
    secret = secret_lines(name, built[1][name])
    assert secret, (
        f"{name}: found no solution lines in the source (is the format right?)"
    )
    leaked = [line for line in secret if line in text or json.dumps(line)[1:-1] in text]
    assert not leaked, (
        f"{name}: solution or hidden-test code in the student version: {leaked[:3]}"
    )
    for question in notebook["metadata"]["otter"]["tests"].values():
        for suite in question["suites"]:
            assert not any(case["hidden"] for case in suite["cases"]), (
                f"{name}: hidden test shipped"
            )


@pytest.mark.parametrize("name", NAMES)
def test_student_version_has_an_answer_cell_for_each_reflection(built, name):
    notebook = json.loads(built[1][name].student_notebook.read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in notebook["cells"]]
    prompts = [i for i, s in enumerate(sources) if "**Reflection" in s]
    assert prompts and all("Type your answer here" in sources[i + 1] for i in prompts)


@pytest.mark.parametrize("name", NAMES)
def test_autograder_version_keeps_the_solutions(built, name):
    solution = built[1][name].solution_notebook.read_text(encoding="utf-8")
    secret = secret_lines(name, built[1][name])
    kept = [
        line
        for line in secret
        if line in solution or json.dumps(line)[1:-1] in solution
    ]
    assert kept, f"{name}: the autograder notebook lost the solutions"


def repository_files():
    """The files a clone of the repository holds (what Binder copies into the image):
    tracked, still present.
    """
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    return [p for p in listed.decode().split("\0") if p and (ROOT / p).is_file()]


@pytest.mark.slow
def test_after_postbuild_the_workspace_serves_student_notebooks_and_no_answers(
    built, tmp_path
):
    workspace = tmp_path / "repo"
    for relative in repository_files():
        (workspace / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / relative, workspace / relative)
    (workspace / ".git").mkdir()  # a clone's history holds the sources too
    (workspace / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    home = tmp_path / "home"
    home.mkdir()
    env = {
        k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}
    }
    env.update(
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
        PATH=f"{ROOT / '.venv' / 'bin'}:{env['PATH']}",
    )
    result = subprocess.run(
        ["bash", "./postBuild"],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (ROOT / "assignments" / "source").is_dir(), (
        "postBuild touched the real repository"
    )

    for name in NAMES:
        assert (
            workspace / "assignments" / "dist" / name / "student" / f"{name}.ipynb"
        ).is_file()
    # The instructor guide still lists the questions there (from the question lists the
    # build wrote).
    listed = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "python"),
            "-c",
            "from helpers import assignments; t = assignments.question_table(); "
            "print(assignments.SOURCE_DIR.is_dir(), len(t), t['assignment'].nunique())",
        ],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listed.stdout.split() == [
        "False",
        str(len(assignments.question_table())),
        str(len(NAMES)),
    ], listed.stderr
    files = [p for p in workspace.rglob("*") if p.is_file()]
    names = {p.relative_to(workspace).as_posix() for p in files}
    assert not any(
        "/autograder/" in n or n.startswith(("assignments/source/", ".git/"))
        for n in names
    )
    assert not any(n.endswith(".zip") or n.endswith("expected.py") for n in names)
    book = "\n".join(
        p.read_text(encoding="utf-8")
        for p in sorted((workspace / "book").rglob("*.md"))
    )
    secrets = {
        line for name in NAMES for line in secret_lines(name, built[1][name], book)
    }
    assert len(secrets) > 100
    for path in files:
        text = path.read_text(encoding="utf-8", errors="ignore")
        escaped = text.replace('\\"', '"')
        leaked = [line for line in secrets if line in text or line in escaped]
        assert not leaked, (
            f"{path.relative_to(workspace)} holds a solution or hidden test: "
            f"{leaked[:2]}"
        )
