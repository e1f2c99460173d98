# Two commands do all the set-up on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast probe install migrate fixtures demo demo-code lint typecheck format lock messages bench clean

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
## with the mail worker beside it (mail is printed to the terminal) and the demo identity provider on
## 127.0.0.1:8001 (ministry SSO; Suomi.fi too where xmlsec1 is installed); Ctrl-C stops them all
DEMO_IDP := .demo-idp
DEMO_SSO := OIDC_DISCOVERY_URL=http://127.0.0.1:8001/o/.well-known/openid-configuration \
	OIDC_CLIENT_ID=grants-demo OIDC_CLIENT_SECRET=grants-demo-secret \
	OIDC_ROLE_GROUPS=official=grants-officials,reviewer=grants-reviewers,decision_maker=grants-decision-makers
DEMO_SUOMIFI := SUOMIFI_IDP_METADATA_URL=http://127.0.0.1:8001/saml/metadata/ \
	SUOMIFI_SP_KEY_FILE=$(DEMO_IDP)/service.key SUOMIFI_SP_CERT_FILE=$(DEMO_IDP)/service.crt
run: demo
	$(PY) -m demo_idp --dir $(DEMO_IDP) --port 8001 --site http://127.0.0.1:8000 & idp=$$!; \
	$(PY) manage.py worker --interval 2 --verbosity 0 & worker=$$!; \
	trap 'kill $$worker $$idp 2>/dev/null' EXIT INT TERM; \
	if command -v xmlsec1 >/dev/null; then suomifi="$(DEMO_SUOMIFI)"; \
	else echo "Suomi.fi demo off: it needs xmlsec1 (apt-get install xmlsec1)"; suomifi=; fi; \
	env $(DEMO_SSO) $$suomifi $(PY) manage.py runserver 127.0.0.1:8000

## make demo-code: the current two-factor code of the ministry demo accounts
demo-code: install
	DJANGO_DEBUG=1 $(PY) manage.py demo_code

## make test: install and run every test, on every core (DATABASE_URL picks the database; SQLite by default)
test: install
	$(PY) -m pytest -n auto

## make test-fast: every test but the browser tests (e2e) and the multi-node cluster, for quick local work;
## on PostgreSQL the test databases are kept between runs (--reuse-db; migrations still apply)
test-fast: install
	$(PY) -m pytest -n auto --reuse-db -m "not e2e and not multinode"

## make lint: ruff, the import contract, types, templates (linted, and formatted: `djlint templates
## --reformat` formats them) and migrations, as CI runs them
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/djlint templates --check
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

## make probe: the cost probe: instructions (valgrind), queries and bytes of each main page type against
## bench/probe-baseline.json, on the machine's PostgreSQL; more than 10 % over fails (see bench/README.md)
probe: install
	$(PY) bench/probe.py

clean:
	rm -rf $(VENV) db.sqlite3 media
