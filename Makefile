# Two commands on a fresh machine: `make run` and `make test` (see README).
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# Django 6 needs Python 3.12+; .python-version pins it for pyenv, this finds it elsewhere too.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	echo $$p; break; fi; done)
DEV_ENV := DJANGO_DEBUG=1
NPM := $(shell command -v npm 2>/dev/null)

.PHONY: run reset-demo test lint format messages check-messages check-imports check-deploy clean help

help:
	@echo "make run    – set up, load the demo data and serve on http://127.0.0.1:$(PORT) with a PDF worker"
	@echo "make test   – set up and run the whole test suite"
	@echo "make reset-demo – the demo data as new (removes the development database db.sqlite3 and media/)"
	@echo "make lint   – ruff"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (pyenv install 3.12, or set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

# The server and, beside it, a worker that makes the PDFs (`manage.py db_worker`); when the server
# stops (Ctrl-C), the trap stops the worker too. setsid (util-linux) gives the worker a process group
# of its own, so that its code reloader goes with it.
SETSID := $(shell command -v setsid 2>/dev/null)

run: $(VENV)/.installed
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_demo_data
	@echo "Serving on http://127.0.0.1:$(PORT)/ with a PDF worker beside it (Ctrl-C stops both)"
	@$(DEV_ENV) $(SETSID) $(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill -TERM -- -$$worker 2>/dev/null || kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The demo as new: the development database (SQLite db.sqlite3) and its stored files are removed, then
# migrated and loaded again. Everything typed into the demo since is gone; a DATABASE_URL is left alone.
reset-demo: $(VENV)/.installed
	@if [ -n "$$DATABASE_URL" ]; then echo "DATABASE_URL is set: reset-demo only resets the development SQLite database"; exit 1; fi
	rm -f db.sqlite3 db.sqlite3-shm db.sqlite3-wal
	rm -rf media
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_demo_data

# axe-core, which the accessibility tests run in the browser (tests/browser).
node_modules/.installed: package.json package-lock.json
	@if [ -n "$(NPM)" ]; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm was not found: the accessibility tests will not run (install Node.js and npm)"; fi

# One test process per core (pytest-xdist); each has its own test database. The tests that start a
# server with production settings share one process (loadgroup, tests/conftest.py). PYTEST_ARGS=-n0 runs one.
PYTEST_ARGS ?= -n auto --dist loadgroup
test: $(VENV)/.installed node_modules/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Apps depend one way (the contract is in pyproject.toml, [tool.importlinter]).
check-imports: $(VENV)/.installed
	$(BIN)/lint-imports --no-cache

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The Swedish catalogue, locale/sv/LC_MESSAGES/django.po, is the source of truth for Swedish: after
# changing source strings, `make messages` adds them to it; translate them there (any editor, Poedit,
# Weblate), then `make messages` again compiles it. `make check-messages` (CI) fails on a string that
# is untranslated, fuzzy or not compiled.
MAKEMESSAGES := manage.py makemessages -l sv --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=tools --ignore=bench --ignore=node_modules

messages: $(VENV)/.installed
	$(DEV_ENV) $(BIN)/python $(MAKEMESSAGES)
	$(DEV_ENV) $(BIN)/python manage.py compilemessages -l sv --ignore=.venv

check-messages: $(VENV)/.installed
	$(DEV_ENV) $(BIN)/python tools/check_translations.py $(MAKEMESSAGES)

clean:
	rm -rf $(VENV) node_modules db.sqlite3 db.sqlite3-shm db.sqlite3-wal staticfiles .pytest_cache
