# The two commands of the README: `make demo` and `make test`. Everything else is a helper.
SHELL := /bin/sh
VENV := .venv
BIN := $(VENV)/bin
APP := $(VENV)/.installed-app
DEV := $(VENV)/.installed-dev
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: demo test lint docs bench clean

$(BIN)/python:
	$$(scripts/find-python) -m venv $(VENV)

$(APP): pyproject.toml | $(BIN)/python
	$(PIP) -e .
	@touch $(APP)

$(DEV): pyproject.toml | $(BIN)/python
	$(PIP) -e '.[dev]'
	@touch $(APP) $(DEV)

## Set up, build the demo account on SQLite and serve it (`demo` creates the tables itself).
demo: $(APP)
	$(BIN)/coffeechat demo
	$(BIN)/coffeechat serve

## Set up, lint, and run every test: SQLite, then PostgreSQL (browser journey included).
# Lint first: a few seconds (about 15 s with a cold mypy cache) against minutes of tests.
test: lint
	scripts/test

lint: $(DEV)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

docs: $(DEV)
	$(BIN)/python scripts/cli_docs.py --write

bench: $(DEV)
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) build src/*.egg-info
