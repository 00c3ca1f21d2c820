# Fazhi — two commands: `make run` and `make test`. Everything else is set up on the way.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test setup deps assets migrate demo messages lint bench clean check-python

check-python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Fazhi needs Python 3.11 or newer"'

$(PY): | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock | $(PY)
	$(BIN)/pip install --quiet -r requirements.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

deps: $(VENV)/.installed node_modules/.installed

assets: node_modules/.installed

setup: deps

migrate: setup
	$(PY) manage.py migrate --noinput -v 0

demo: migrate
	$(PY) manage.py demo --if-empty

run: demo
	@$(PY) manage.py demo --logins --url http://$(HOST):$(PORT)/
	$(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite on SQLite; `DATABASE_URL=postgres://… make test` runs it on PostgreSQL.
test: setup
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(BIN)/pytest $(PYTEST_ARGS)

# Refresh the catalogues after changing user-facing strings (the .mo files are committed, compiled with polib).
messages: setup
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=var -v 0
	$(PY) manage.py compile_translations

lint: setup
	$(BIN)/ruff check .

bench: migrate
	$(PY) bench/run.py
	$(PY) bench/events.py
	$(PY) bench/enforcement.py

clean:
	rm -rf $(VENV) node_modules var db.sqlite3*
