# Hanoi Job Exchange: `make run` serves the demo on http://127.0.0.1:5000; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app jobmarket
HOST ?= 127.0.0.1
PORT ?= 5000
DEMO_WORKERS ?= 300
DEMO_VACANCIES ?= 900
PYTEST_ARGS ?=

.PHONY: run test audit test-sqlite test-postgresql setup setup-dev db demo translations services chromium bench lint clean

run: setup db demo  ## set everything up and serve the app with demo data
	@echo ""
	@echo "Hanoi Job Exchange: http://$(HOST):$(PORT)  (log in with a demo account above; Ctrl+C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT)

test: setup-dev services chromium audit test-sqlite test-postgresql  ## set everything up and run the whole suite on both databases

audit: setup-dev  ## pip-audit of the installed requirements: a known vulnerability fails; no network only warns
	$(PY) scripts/dependency_audit.py

test-sqlite:
	TEST_DATABASE=sqlite $(VENV)/bin/pytest $(PYTEST_ARGS)

test-postgresql:
	TEST_DATABASE=postgresql $(VENV)/bin/pytest -m "not e2e" $(PYTEST_ARGS)

$(VENV)/bin/activate:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/activate
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/activate
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

setup: $(VENV)/.runtime translations
setup-dev: $(VENV)/.dev translations

translations:  ## compile the message catalogues (English)
	@$(VENV)/bin/pybabel compile -q -d jobmarket/translations 2>/dev/null || $(VENV)/bin/pybabel compile -d jobmarket/translations

db:  ## migrate the database and load reference data (idempotent)
	$(FLASK) db upgrade heads
	$(FLASK) refdata load

demo:  ## demo data and the three demo accounts (only once)
	$(FLASK) seed-demo --workers $(DEMO_WORKERS) --vacancies $(DEMO_VACANCIES) --if-empty
	-$(FLASK) search drain

services:  ## make sure PostgreSQL and Redis are running (they are on this machine kind; start them if stopped)
	@bash scripts/ensure-services

chromium:  ## Debian's Chromium for the browser tests (installed when missing and we may install)
	@bash scripts/ensure-chromium

bench:  ## matching and statistics benchmarks at a small scale (see bench/README.md for full runs)
	$(PY) bench/match.py --backend sqlite --scale 0.05
	$(PY) bench/stats.py --backend sqlite --scale 0.05

lint:
	$(VENV)/bin/python -m ruff check jobmarket tests bench || true

clean:
	rm -rf $(VENV) instance .pytest_cache
