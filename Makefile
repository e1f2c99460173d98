# Two commands do all the set-up on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install migrate fixtures demo demo-code lint messages bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

fixtures: migrate
	$(PY) manage.py loaddata organisations call_2022

demo: fixtures
	$(PY) manage.py seed_demo

## make run: install, migrate, load the published data, create demo accounts, serve on 127.0.0.1:8000
run: demo
	$(PY) manage.py runserver 127.0.0.1:8000

## make demo-code: the current two-factor code of the ministry demo accounts
demo-code: install
	DJANGO_DEBUG=1 $(PY) manage.py demo_code

## make test: install and run every test (DATABASE_URL picks the database; SQLite by default)
test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

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
