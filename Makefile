# The two commands: `make run` (set up and serve at http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
# Local development: DEBUG on (development key, no HTTPS redirect). Production sets its own env.
export DEBUG ?= true

.PHONY: run test test-only lint setup setup-test messages translations system-deps system-deps-test bench load cluster cluster-stop fault-test clean

run: setup
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: setup-test test-only

# The checks and the suite, with no set-up step (CI calls it again with DATABASE_URL).
test-only:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -c pyproject.toml -r backpain_site diary articles accounts --severity-level high
	$(BIN)/python -m pytest

setup: system-deps $(VENV)/.runtime-installed node_modules/.package-lock.json messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py load_articles

setup-test: system-deps-test $(VENV)/.dev-installed node_modules/.package-lock.json messages

# The translation catalogues (locale/*/LC_MESSAGES/django.po) compiled to .mo; the .mo files are not in git.
messages: $(VENV)/.runtime-installed
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules

# After marking strings: refresh locale/ru/LC_MESSAGES/django.po from the code and templates (file
# names only as locations, so moving a line does not rewrite the catalogue), then translate the new entries.
translations: $(VENV)/.runtime-installed
	$(BIN)/python manage.py makemessages -l ru --ignore=.venv --ignore=node_modules --ignore=tests --ignore=benchmarks --ignore=loadtest --add-location=file --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules

system-deps:
	bash scripts/system-deps.sh

system-deps-test:
	bash scripts/system-deps.sh --test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Benchmarks print figures (never part of the test suite); wrk measures throughput on loopback.
bench: setup-test
	bash scripts/bench-deps.sh
	$(BIN)/python -m benchmarks

# A 30 s one-user run, then the 60 s, 50-user locust run against one gunicorn node + PostgreSQL on
# loopback; prints the performance ratios (docs/load-test.md, docs/scaling.md).
load: setup-test
	bash scripts/loadtest.sh

# Two gunicorn nodes behind nginx with PostgreSQL and Redis, all on 127.0.0.1 (docs/scaling.md).
cluster: $(VENV)/.runtime-installed node_modules/.package-lock.json
	bash scripts/cluster.sh start

cluster-stop:
	bash scripts/cluster.sh stop

# 50 users for 60 s through the cluster's nginx; node 1 SIGKILLed at ~20 s, restarted at ~40 s.
fault-test: $(VENV)/.dev-installed node_modules/.package-lock.json
	bash scripts/faulttest.sh

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache
