# Two commands set everything up on a fresh machine (Python 3.11+, no root):
#   make book   builds the site with every page executed (creates .venv from the pinned lock)
#   make test   runs the whole test suite, including a strict (nitpicky, warnings-as-errors) build
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-lock
JB := $(BIN)/jupyter-book
STRICT := -W -n --keep-going --all

.PHONY: env book strict-build test lock clean

env: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

book: env
	$(BIN)/python tools/cache_guard.py
	$(JB) build . --builder html

strict-build: env
	$(BIN)/python tools/cache_guard.py
	$(JB) build . --builder html $(STRICT)

test: strict-build
	$(BIN)/python -m pytest

lock: env
	{ echo "# Full pinned lock of requirements.in, used by make env and by Binder (repo2docker)."; \
	  echo "# Regenerate with: make lock"; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e'; echo "-e ."; } > requirements.txt

clean:
	rm -rf _build outputs

# Classroom (assignments/, helpers/classroom.py): otter-grader assignments, graded without Docker.
#   make assignments                         student + autograder versions of every assignment in assignments/dist/
#   make grade SUBMISSIONS=dir [ASSIGNMENT=name] [JOBS=2]   one score table (CSV) for a folder of submissions
.PHONY: assignments grade

assignments: env
	$(BIN)/python -m helpers.classroom build

grade: env
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder [ASSIGNMENT=name] [JOBS=2]" >&2; exit 2; }
	$(BIN)/python -m helpers.classroom grade "$(SUBMISSIONS)" --jobs $(or $(JOBS),2) $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT))
