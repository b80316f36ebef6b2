# The two commands of the README: `make demo` and `make test`. Everything else is a helper.
SHELL := /bin/sh
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-sqlite test-postgres lint docs bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $$(scripts/find-python) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

## Set up, build the demo account on SQLite and serve it.
demo: $(STAMP)
	$(BIN)/coffeechat migrate --verbosity 0
	$(BIN)/coffeechat demo
	$(BIN)/coffeechat serve

## Set up and run every test: SQLite, then PostgreSQL (browser journey included).
test: $(STAMP)
	scripts/test

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

docs: $(STAMP)
	$(BIN)/python scripts/cli_docs.py --write

bench: $(STAMP)
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) build src/*.egg-info
