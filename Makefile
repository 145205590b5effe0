# The commands people type. Each target sets up .venv first when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VAULT ?= seeds
# setuptools prints a 12-line box on every editable install; the warning is about folders
# named like the package shadowing it, which is this checkout by design.
QUIET_PIP := PYTHONWARNINGS="ignore:Editable installation" $(BIN)/pip install -q

.PHONY: run test lint unit bench stress readme clean

$(BIN)/python:
	@echo "make: creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install -q --disable-pip-version-check --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	@echo "make: installing readerly and its dependencies into $(VENV)"
	@$(QUIET_PIP) --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	@$(BIN)/readerly $(VAULT)

lint: $(STAMP)
	$(BIN)/ruff check tui tests benchmarks tools
	$(BIN)/ruff format --check tui tests benchmarks tools
	$(BIN)/mypy --strict tui tests
	$(BIN)/lint-imports --no-logo

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
