# Two commands do all the set-up on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast install migrate fixtures demo demo-code lint typecheck format lock messages bench clean

# Every package, direct and transitive, at the version in requirements.lock: a fresh machine installs what
# CI tested. `make lock` renews the lock from pyproject.toml.
$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

fixtures: migrate
	$(PY) manage.py loaddata organisations call_2022

demo: fixtures
	$(PY) manage.py seed_demo

## make run: install, migrate, load the published data, create demo accounts, serve on 127.0.0.1:8000,
## with the mail worker beside it (mail is printed to the terminal); Ctrl-C stops both
run: demo
	$(PY) manage.py worker --interval 2 --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

## make demo-code: the current two-factor code of the ministry demo accounts
demo-code: install
	DJANGO_DEBUG=1 $(PY) manage.py demo_code

## make test: install and run every test (DATABASE_URL picks the database; SQLite by default)
test: install
	$(PY) -m pytest

## make test-fast: every test but the browser journeys and scans (marked e2e), for quick local work
test-fast: install
	$(PY) -m pytest -m "not e2e"

## make lint: ruff, the import contract, types, templates and migrations, as CI runs them
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(VENV)/bin/djlint templates --lint
	$(PY) manage.py makemigrations --check --dry-run

typecheck: install
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

lock: install
	$(VENV)/bin/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock pyproject.toml

## make messages: extract and compile the Finnish and Swedish message files
messages: install
	$(PY) manage.py makemessages -l fi -l sv --no-obsolete --add-location file
	$(PY) manage.py compilemessages --ignore=.venv

## make bench: the benchmark on the machine's PostgreSQL (BENCH_APPLICATIONS=100000 by default; see bench/README.md)
bench: install
	$(PY) -m pip install --quiet -e ".[dev,bench]"
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 media
