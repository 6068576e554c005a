# LedMot — developer and CI entry points (GNU make).
#
# Needs only python3 (with venv; on Debian: python3-venv) and make. Everything
# else is installed into .venv, which is rebuilt when pyproject.toml changes.

PYTHON3 ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed

# pytest arguments, e.g. make test PYTEST_ARGS="-k chain -x"
PYTEST_ARGS ?=
# Address for the demo server: host:port, or a port (on 127.0.0.1), as runserver takes it.
DEMO_ADDR ?= 127.0.0.1:8000
# The address the demo is reached at, which it prints and its mails link to
# (LEDMOT_BASE_URL): made from DEMO_ADDR; a server on every interface (0.0.0.0, [::]) is
# reached by this machine's name. LEDMOT_BASE_URL set in the environment wins (a proxy).
DEMO_HOSTPORT = $(if $(findstring :,$(DEMO_ADDR)),$(DEMO_ADDR),127.0.0.1:$(DEMO_ADDR))
DEMO_URL ?= $(or $(LEDMOT_BASE_URL),http://$(patsubst [::]:%,$(DEMO_HOST):%,$(patsubst 0.0.0.0:%,$(DEMO_HOST):%,$(DEMO_HOSTPORT))))
DEMO_HOST = $(shell hostname)
# ... and the demo answers to that name (with DEBUG only localhost is allowed by default).
DEMO_URL_HOST = $(firstword $(subst :, ,$(subst /, ,$(patsubst http://%,%,$(patsubst https://%,%,$(DEMO_URL))))))
DEMO_ALLOWED_HOSTS ?= $(or $(ALLOWED_HOSTS),127.0.0.1$(,)localhost$(,)[::1]$(,)$(DEMO_URL_HOST))
, := ,

# Browser tests use Debian's /usr/bin/chromium; Playwright must never download one.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.DEFAULT_GOAL := help

.PHONY: help install .venv demo test bench bench-growth loadtest lint format migrations-check messages makemessages

help:
	@echo "make demo              installera, migrera, ladda demokommunen och starta på $(DEMO_URL)/"
	@echo "make test              hela testsviten (PYTEST_ARGS=... skickas vidare till pytest)"
	@echo "make bench             prestandamätning av varje sida i menyerna, skriver bench/results.json"
	@echo "                       (SQLite; DATABASE_URL=postgres://… mäter på PostgreSQL, BENCH_ARGS=--only …)"
	@echo "make bench-growth      huvudsidorna vid demo, large och xlarge: tidens exponent mot databasens storlek"
	@echo "make loadtest          50 inloggade klienter i 60 s mot gunicorn (DATABASE_URL=postgres://…, LOADTEST_ARGS=...)"
	@echo "make lint              ruff check + ruff format --check"
	@echo "make format            ruff format + ruff check --fix"
	@echo "make migrations-check  kontrollera att inga migreringar saknas"
	@echo "make messages          kompilera översättningar (kräver gettext)"
	@echo "make makemessages      uppdatera locale/en/LC_MESSAGES/django.po (kräver gettext)"

# The virtualenv. The stamp is newer than pyproject.toml once the install succeeded.
install .venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON3) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

# The demo makes its PDFs as production does, in a worker beside the server, so the
# report page shows how far the PDF has come; the worker stops with the server.
demo: $(STAMP)
	$(PY) manage.py migrate --no-input
	LEDMOT_BASE_URL="$(DEMO_URL)" $(PY) manage.py seed_demo
	export LEDMOT_BASE_URL="$(DEMO_URL)" ALLOWED_HOSTS="$(DEMO_ALLOWED_HOSTS)"; \
	TASKS_BACKEND=database $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker' EXIT INT TERM; \
	TASKS_BACKEND=database $(PY) manage.py runserver $(DEMO_ADDR)

# pytest's exit code is passed through unchanged (5 = no tests collected fails too).
test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# The bench: SQLite files in var/, or with DATABASE_URL=postgres://… databases of their
# own on that server (<name>_bench_<size>), built once and rebuilt when the generator or
# a migration changes. BENCH_ARGS, e.g. "--only chain@large" or "--requests 20".
BENCH_ARGS ?=
bench: $(STAMP)
	DATABASE_URL="$(DATABASE_URL)" $(PY) bench/run.py $(BENCH_ARGS)

# Growth: the main pages at demo, large and xlarge (4× large) and the exponent of their
# time against the size of the database (same as make bench BENCH_ARGS=--growth).
bench-growth: $(STAMP)
	DATABASE_URL="$(DATABASE_URL)" $(PY) bench/run.py --growth $(BENCH_ARGS)

# Load test: gunicorn as in production (gunicorn.conf.py) against DATABASE_URL (seeded with seed_scale
# --size large when empty; that wipes it), 50 signed-in clients for 60 s on loopback.
# LOADTEST_ARGS, e.g. "--quick" or "--workers 4 --conn-max-age 0".
LOADTEST_ARGS ?=
loadtest: $(STAMP)
	@test -n "$(DATABASE_URL)" || { echo "sätt DATABASE_URL=postgres://… (en databas som får seedas om)"; exit 2; }
	DATABASE_URL="$(DATABASE_URL)" $(PY) bench/loadtest.py $(LOADTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run

messages: $(STAMP)
	$(VENV)/bin/django-admin compilemessages --ignore=$(VENV) --ignore=var

makemessages: $(STAMP)
	$(PY) manage.py makemessages --locale=en --ignore=$(VENV)/* --ignore=var/* --ignore=bench/* --ignore=tests/*
