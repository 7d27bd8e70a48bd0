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

.PHONY: env book site strict-build test lock clean bench replicate

# What the site is built from. `make book` rebuilds only when something here is newer than the last
# successful build, so a no-op `make book` costs nothing (Sphinx's own incremental check takes seconds).
SITE_INPUTS := _config.yml _toc.yml book data helpers
SITE_STAMP := _build/.site-built
# Pages execute in parallel inside the build (book/_ext/parallel_execute.py fills the execution cache
# before Sphinx reads). The stamp records when the build started: files edited during a build
# trigger the next one.
# NQPF_WRITE_OUTPUTS=0: the site shows each figure it draws; writing outputs/ (PNG, SVG, CSV) would draw
# every figure twice more, so only `make replicate` writes them (helpers/outputs.py).
define build_site
	mkdir -p _build && touch $(SITE_STAMP).next
	$(BIN)/python tools/cache_guard.py
	NQPF_WRITE_OUTPUTS=0 $(JB) build . --builder html $(1)
	mv $(SITE_STAMP).next $(SITE_STAMP)
endef

env: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

book: env
	@if [ -f $(SITE_STAMP) ] && [ -f _build/html/index.html ] && \
	    [ -z "$$(find $(SITE_INPUTS) -newer $(SITE_STAMP) -not -path '*/__pycache__*' -print -quit)" ]; then \
	  echo "make book: _build/html is up to date (nothing in $(SITE_INPUTS) changed since the last build)"; \
	else \
	  $(MAKE) --no-print-directory site; \
	fi

site: env
	$(call build_site)

strict-build: env
	$(call build_site,$(STRICT))

test: strict-build
	$(BIN)/python -m pytest -n 2  # two workers: the suite is CPU-bound and this machine has two cores

lock: env
	{ echo "# Full pinned lock of requirements.in, used by make env and by Binder (repo2docker)."; \
	  echo "# Regenerate with: make lock"; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e'; echo "-e ."; } > requirements.txt

clean:
	rm -rf _build outputs

# Rebuild every figure and table from data/ into outputs/ with a manifest (program, helper, data, SHA-256).
replicate: env
	$(BIN)/python tools/replicate.py

# Set-up, build, rebuild and test times, and the heaviest page, measured in a scratch copy of the repo.
bench: env
	$(BIN)/python tools/bench.py

# Classroom (assignments/, helpers/classroom.py): otter-grader assignments, graded without Docker.
#   make assignments                         student + autograder versions of every assignment in assignments/dist/
#                                            (expected answers computed from data/ now, written into the hidden tests)
#   make grade SUBMISSIONS=dir [ASSIGNMENT=name] [TIMEOUT=seconds] [JOBS=2]
#                                            one score table (CSV) beside the folder, one row for every file in it
.PHONY: assignments grade

assignments: env
	$(BIN)/python -m helpers.classroom build

grade: env
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder [ASSIGNMENT=name] [TIMEOUT=seconds] [JOBS=2]" >&2; exit 2; }
	$(BIN)/python -m helpers.classroom grade "$(SUBMISSIONS)" --jobs $(or $(JOBS),2) $(if $(TIMEOUT),--timeout $(TIMEOUT)) $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT))

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
