# Two commands set everything up on a fresh machine (Python 3.11+, no root):
#   make book   builds the site with every page executed (creates .venv from the pinned lock)
#   make test   runs the whole test suite, including a strict (nitpicky, warnings-as-errors) build
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
JB := $(BIN)/jupyter-book
STRICT := -W -n --keep-going --all

.PHONY: env book site strict-build test lock clean distclean bench replicate format translations

# The environment guard (tools/environment.py): refuses a Python older than the project's, makes .venv
# from the lock, rebuilds it if an older or vanished Python made it, and reinstalls the lock when a
# package is missing or has another version. A healthy .venv costs a directory listing.
env:
	@$(PYTHON) -m tools.environment

# `jupyter-book build .` decides by content which pages to execute again and never leaves a stale site
# (book/_ext/page_inputs.py): `make book` behaves exactly like it, and only skips starting Sphinx when the
# fingerprint of every input equals the one recorded by the last build that finished.
book: env
	@if $(BIN)/python book/_ext/page_inputs.py up-to-date > /dev/null; then \
	  echo "make book: _build/html is up to date (every input is as at the last finished build)"; \
	else \
	  $(JB) build . --builder html; \
	fi
	$(BIN)/python -m tools.translations build

# The Chinese edition (中文版) in _build/html/zh, from the English build's outputs and values (nothing executes
# again), with the catalogues in locale/zh_CN/LC_MESSAGES (tools/translations.py).
#   make translations   extracts the English messages and merges them into the catalogues; lists what needs translating
translations: env
	$(BIN)/python -m tools.translations update

site: env
	$(JB) build . --builder html

strict-build: env
	$(JB) build . --builder html $(STRICT)
	$(BIN)/python -m tools.translations build --strict

test: strict-build
	$(BIN)/python -m pytest -n 2  # two workers: the suite is CPU-bound and this machine has two cores

# One formatter for the Python files and the pages' code cells (ruff, settings in pyproject.toml;
# tests/test_code_style.py checks the result): format, sort imports, then the cells via jupytext.
format: env
	$(BIN)/ruff format .
	$(BIN)/ruff check --select I --fix .
	$(BIN)/python -m tools.format_pages

lock: env
	{ echo "# Full pinned lock of requirements.in, used by make env and by Binder (repo2docker)."; \
	  echo "# Regenerate with: make lock"; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e'; echo "-e ."; } > requirements.txt

# Build products only; .venv stays (make env checks and repairs it). distclean removes .venv too.
clean:
	rm -rf _build outputs

distclean: clean
	rm -rf $(VENV)

# Every figure and table of the book, collected from the executed notebooks into outputs/ with a manifest,
# the analysis panel with its codebook, and outputs/changes.txt (what changed since the previous run, or
# since BASELINE=path/manifest.json).
replicate: env
	$(BIN)/python -m tools.replicate $(if $(BASELINE),--baseline "$(BASELINE)")

# CPU seconds per executed page (machine-wide and per process tree), rebuild times, in a scratch copy.
bench: env
	$(BIN)/python -m tools.bench

# Classroom (assignments/, tools/classroom/): otter-grader assignments, graded without Docker.
#   make assignments                         student + autograder versions of every assignment in assignments/dist/
#                                            (expected answers computed from data/ now, written into the hidden tests)
#   make grade SUBMISSIONS=dir [ASSIGNMENT=name] [TIMEOUT=seconds] [JOBS=2]
#                                            one score table (CSV) beside the folder, one row for every file in it
.PHONY: assignments grade

assignments: env
	$(BIN)/python -m tools.classroom build

grade: env
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder [ASSIGNMENT=name] [TIMEOUT=seconds] [JOBS=2]" >&2; exit 2; }
	$(BIN)/python -m tools.classroom grade "$(SUBMISSIONS)" --jobs $(or $(JOBS),2) $(if $(TIMEOUT),--timeout $(TIMEOUT)) $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT))

# Data (tools/import_sources.py, tools/importers/): rebuild data/ from a folder of inputs that matches the recorded
# list sources/inputs.csv (path, SHA-256, upstream repository, commit, path). Refuses, naming the file, when an input
# is missing or differs; the same inputs give data/ byte for byte. Then validates data/.
#   make data SOURCES=folder   inputs from a folder laid out as sources/inputs.csv lists them
#   make data FETCH=folder     first download into folder the inputs that are plain copies of pinned upstream files
.PHONY: data
data: env
	@test -n "$(SOURCES)$(FETCH)" || { echo "usage: make data SOURCES=folder   (or FETCH=folder: download the fetchable inputs first)" >&2; exit 2; }
	$(BIN)/python tools/import_sources.py $(if $(SOURCES),--sources "$(SOURCES)",--fetch "$(FETCH)")
	$(BIN)/python -m helpers validate
