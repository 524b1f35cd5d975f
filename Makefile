# CN Navi. Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test browser-test bench lint format messages clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the project's metadata or the lock changes. Versions come from
# requirements.lock (a constraints file: the exact versions CI tested); `make lock` renews it.
LOCK := requirements.lock

$(VENV)/.installed-run: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet -c $(LOCK) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet -c $(LOCK) -e '.[test]'
	touch $@ $(VENV)/.installed-run

$(VENV)/.installed-bench: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet -c $(LOCK) -e '.[test,bench]'
	touch $@ $(VENV)/.installed-test $(VENV)/.installed-run

# Renew the lock: the newest versions pyproject.toml allows, resolved in a clean venv.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet '.[test,bench]'
	{ echo "# Exact versions of every dependency (make lock renews it; the Makefile and CI install with -c)."; \
	  .lock-venv/bin/pip freeze --exclude-editable | grep -v '^cnnavi[= @]'; } > $(LOCK)
	rm -rf .lock-venv build

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
	rm -rf $(VENV) var staticfiles .coverage .lock-venv
