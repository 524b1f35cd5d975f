# CN Navi. Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test browser-test bench lint format messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the project's metadata changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@ $(VENV)/.installed-test $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/cnnavi migrate --no-input -v 0
	$(BIN)/cnnavi load_reference
	$(BIN)/cnnavi demo
	@echo "CN Navi: http://$(HOST):$(PORT)/  (English: http://$(HOST):$(PORT)/en/)"
	PORT=$(PORT) $(BIN)/cnnavi runserver $(HOST):$(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/cnnavi makemigrations --check --dry-run -v 1

test: lint
	$(BIN)/pytest --cov --cov-report=term:skip-covered -p no:cacheprovider $(PYTEST_ARGS)

browser-test: $(VENV)/.installed-test
	$(BIN)/pytest -m browser -p no:cacheprovider $(PYTEST_ARGS)

bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/run.py

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Update the English catalogues after changing Japanese UI text (needs GNU gettext).
messages: $(VENV)/.installed-run
	$(BIN)/python scripts/messages.py

clean:
	rm -rf $(VENV) var staticfiles .coverage
