# The commands people type. Each target sets up .venv first when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VAULT ?= seeds

.PHONY: run test lint unit bench stress readme clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/readerly $(VAULT)

lint: $(STAMP)
	$(BIN)/ruff check tui tests benchmarks tools
	$(BIN)/ruff format --check tui tests benchmarks tools
	$(BIN)/mypy --strict tui tests
	$(BIN)/lint-imports

unit: $(STAMP)
	$(BIN)/python -m pytest -q tests

test: lint unit

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

stress: $(STAMP)
	$(BIN)/python -m tools.stress

readme: $(STAMP)
	$(BIN)/python -m tools.update_readme

clean:
	rm -rf $(VENV) build dist *.egg-info .bench
