"""README.md serves a replicator: the data editors' template sections, current tables,
every output listed.
"""

import json
import re

import pytest

from tests.conftest import ROOT
from tools import readme_tables

README = (ROOT / "README.md").read_text(encoding="utf-8")
# The sections of the Social Science Data Editors' template README (template_README,
# template-README.md).
TEMPLATE_SECTIONS = [
    "Overview",
    "Data availability and provenance statements",
    "Statement about rights",
    "Summary of availability",
    "Details on each data source",
    "Dataset list",
    "Computational requirements",
    "Software requirements",
    "Controlled randomness",
    "Memory, runtime and storage requirements",
    "Description of programs/code",
    "Licence for code",
    "Instructions to replicators",
    "List of tables and programs",
    "References",
    "Licences for code and data",
]


def headings() -> list[str]:
    return [
        line.lstrip("#").strip() for line in README.splitlines() if line.startswith("#")
    ]


@pytest.mark.parametrize("section", TEMPLATE_SECTIONS)
def test_readme_has_the_template_section(section):
    assert section in headings(), f"README.md lacks the section {section!r}"


def test_quick_start_is_the_two_commands():
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^make \w+", quick_start, flags=re.M)
    assert commands == ["make book", "make test"], commands


def test_generated_tables_match_the_descriptor_and_the_lock():
    assert readme_tables.render(README, include_outputs=False) == README, (
        "README.md tables are out of date: run .venv/bin/python -m tools.readme_tables"
    )


def test_every_data_file_is_in_the_dataset_list():
    descriptor = json.loads(
        (ROOT / "data" / "datapackage.json").read_text(encoding="utf-8")
    )
    for resource in descriptor["resources"]:
        shown = (
            resource["path"]
            if resource.get("kind") != "raw"
            else str(ROOT.joinpath(resource["path"]).parent.name)
        )
        assert shown in README, f"{resource['path']} is not in README.md's dataset list"


def declared_outputs() -> set[str]:
    """Names of the figures (mystnb.figure.name) and tables of record (output_name) in
    the pages' cells.
    """
    import jupytext

    names = set()
    for page in (ROOT / "book").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        if "output_name" not in text and "figure:" not in text:
            continue
        for cell in jupytext.read(page).cells:
            figure = (cell.metadata.get("mystnb") or {}).get("figure") or {}
            names |= {
                name
                for name in (figure.get("name"), cell.metadata.get("output_name"))
                if name
            }
    return names


def test_every_output_of_the_book_is_in_the_list_of_tables_and_programs():
    listed = README.split("<!-- generated:outputs -->", 1)[1].split(
        "<!-- /generated:outputs -->", 1
    )[0]
    missing = sorted(name for name in declared_outputs() if f"/{name}." not in listed)
    assert missing == [], (
        "outputs not in README.md (run make replicate, then python -m "
        f"tools.readme_tables): {missing}"
    )


def test_readme_states_the_code_licence_and_the_file_exists():
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert "MIT" in README.split("## Licences for code and data", 1)[1]
