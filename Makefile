# `make run` and `make test` set up everything they need on a fresh machine:
# a .venv with tracker installed (editable) and the dev tools, redone when
# pyproject.toml changes.

PYTHON ?= python3
SHELL  := /bin/bash
.SHELLFLAGS := -o pipefail -c
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint format bench screenshots clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "error: tracker needs Python 3.11 or newer (PYTHON=$(PYTHON))"; exit 1; }
	@echo "Setting up tracker in $(VENV) (first run only; about a minute while packages install)..."
	@test -x $(BIN)/python || { echo "- creating the virtual environment $(VENV)"; $(PYTHON) -m venv $(VENV); }
	@echo "- updating pip"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@echo "- installing tracker and its development tools (one line per package)"
	@$(BIN)/python -m pip install --disable-pip-version-check --progress-bar off -e ".[dev]" \
		| { grep --line-buffered -E '^(Collecting|Successfully installed)' || true; } | sed -u 's/ (from .*//' | cut -c1-100
	@$(BIN)/python -c 'import tracker, textual, sqlmodel' \
		|| { echo "error: the install did not finish; run make again"; exit 1; }
	@touch $(STAMP)
	@echo "Set up. tracker is at $(BIN)/tracker (or run: source $(BIN)/activate, then tracker)."

run: $(STAMP)
	$(BIN)/tracker

lint: $(STAMP)
	$(BIN)/ruff check tracker tests bench
	$(BIN)/ruff format --check tracker tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -q -n auto

bench: $(STAMP)
	$(BIN)/python -m bench.run

screenshots: $(STAMP)
	$(BIN)/python -m tracker.ui.screenshots docs/screenshots

format: $(STAMP)
	$(BIN)/ruff format tracker tests bench
	$(BIN)/ruff check --fix tracker tests bench

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
