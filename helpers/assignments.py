"""The assignments as the instructors page lists them: names, questions (points, manual
or autograded, what each assesses) and Binder links, read from the otter sources in
assignments/source (or, where those are gone, from the question lists the build wrote).

Building and grading are in tools/classroom (python -m tools.classroom), outside the
page building blocks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from helpers.paths import ROOT

ASSIGNMENTS_DIR = ROOT / "assignments"
SOURCE_DIR = ASSIGNMENTS_DIR / "source"
DIST_DIR = ASSIGNMENTS_DIR / "dist"
QUESTIONS_FILE = "questions.json"
MANUAL = "manual"
# Seconds a submission gets unless the instructor says otherwise (make grade TIMEOUT=).
# A notebook of this course runs in well under a minute; ten minutes means a runaway
# loop, not a slow student.
DEFAULT_TIMEOUT = 600


def assignment_names(source_dir: Path = SOURCE_DIR) -> list[str]:
    """Names of the assignments: folders of source_dir holding a source notebook
    <name>/<name>.md.
    """
    if not source_dir.is_dir():
        raise FileNotFoundError(f"{source_dir}: no assignment sources folder")
    return sorted(
        p.name for p in source_dir.iterdir() if (p / f"{p.name}.md").is_file()
    )


def read_source(name: str, source_dir: Path = SOURCE_DIR):
    """The source notebook of an assignment, parsed from its MyST text (jupytext)."""
    import jupytext

    return jupytext.read(source_dir / name / f"{name}.md", fmt="md:myst")


def otter_name_of_source(notebook) -> str | None:
    """The otter assignment name in a source notebook's ASSIGNMENT CONFIG cell."""
    import yaml

    for cell in notebook.cells:
        if cell.cell_type == "raw" and cell.source.strip().upper().startswith(
            "# ASSIGNMENT CONFIG"
        ):
            return (yaml.safe_load(cell.source) or {}).get("name")
    return None


def assignment_questions(notebook) -> list[dict]:
    """Each question of an otter source notebook: name, points, graded (auto or manual),
    its '*Assesses:*' line.
    """
    import yaml

    questions, current = [], None
    for cell in notebook.cells:
        text = cell.source.strip()
        if cell.cell_type == "raw" and text.upper().startswith("# BEGIN QUESTION"):
            config = yaml.safe_load(text) or {}
            current = {
                "question": config.get("name"),
                "points": config.get("points", 1),
                "graded": MANUAL if config.get("manual") else "auto",
                "assesses": "",
            }
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
    """mybinder.org link that opens an assignment's student notebook (repository and hub
    from _config.yml).
    """
    from urllib.parse import quote

    import yaml

    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    repository = (
        config["repository"]["url"].rstrip("/").removeprefix("https://github.com/")
    )
    branch = config["repository"].get("branch", "main")
    hub = (
        config.get("launch_buttons", {})
        .get("binderhub_url", "https://mybinder.org")
        .rstrip("/")
    )
    notebook = f"assignments/dist/{name}/student/{name}.ipynb"
    path = quote("lab/tree/" + notebook, safe="")
    return f"{hub}/v2/gh/{repository}/{branch}?urlpath={path}"


def question_table(
    source_dir: Path = SOURCE_DIR, dist_dir: Path = DIST_DIR
) -> pd.DataFrame:
    """Every question of every assignment: assignment, title, question, points, graded
    (auto/manual), aim.

    Read from the sources; where they are gone (a Binder image), from the question lists
    the build wrote.
    """
    rows = []
    if source_dir.is_dir():
        for name in assignment_names(source_dir):
            notebook = read_source(name, source_dir)
            title = assignment_title(notebook)
            rows += [
                {"assignment": name, "title": title, **q}
                for q in assignment_questions(notebook)
            ]
    else:
        listings = sorted(dist_dir.glob(f"*/{QUESTIONS_FILE}"))
        if not listings:
            raise FileNotFoundError(
                f"{source_dir}: no assignment sources, and no built question lists in "
                f"{dist_dir}"
            )
        for path in listings:
            listing = json.loads(path.read_text(encoding="utf-8"))
            rows += [
                {"assignment": path.parent.name, "title": listing["title"], **q}
                for q in listing["questions"]
            ]
    return pd.DataFrame(
        rows,
        columns=["assignment", "title", "question", "points", "graded", "assesses"],
    )
