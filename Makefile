# Oversight: `make demo` serves the demo, `make test` runs the whole suite. Both start from a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock | cut -c1-16)
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite always runs on SQLite; when DATABASE_URL names PostgreSQL it runs there too.
SQLITE_TEST_ENV := DATABASE_URL= OVERSIGHT_VAR_DIR=$(CURDIR)/var/test

.PHONY: demo test install lint migrations-check deploy-check unit browser chromium lock messages bench clean serve

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_load --if-empty
	$(PY) manage.py demo_logins
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop); periodic jobs run in-process (manage.py jobs_run)"
	$(PY) manage.py jobs_run > var/jobs.log 2>&1 & jobs=$$!; trap "kill $$jobs" EXIT; \
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

serve: install
	$(PY) manage.py runserver $(HOST):$(PORT)

# Debian's packages the suite needs: Chromium with a CJK font (browser tests) and poppler-utils (PDF pages
# rendered to images in the document tests). Installed here so a missing step fails in CI, not for a user.
chromium:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		if [ "$$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	@test -x /usr/bin/chromium || { echo "chromium is missing and could not be installed"; exit 1; }
	@command -v pdftoppm >/dev/null 2>&1 || { echo "pdftoppm (poppler-utils) is missing and could not be installed"; exit 1; }

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

migrations-check: install
	$(SQLITE_TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

deploy-check: install
	DJANGO_SETTINGS_MODULE=oversight.settings_production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
		ALLOWED_HOSTS=oversight.example.org $(PY) manage.py check --deploy --fail-level WARNING

# With PostgreSQL at hand (CI), every test that uses a database runs there, the production engine, the permission
# matrix's walks included; SQLite, the embedded default, runs the tests of what differs by engine and those that use
# no database (tests/conftest.py, OVERSIGHT_TEST_PASS, lists them). Without PostgreSQL the whole suite runs on SQLite.
unit: install chromium
	mkdir -p var/test
	@if [[ "$$DATABASE_URL" == postgres* ]]; then \
		echo "== on SQLite: the tests of what differs by engine, and those that use no database"; \
		OVERSIGHT_TEST_PASS=engines $(SQLITE_TEST_ENV) $(PY) -m pytest -q -n 2 -m "not browser" || exit $$?; \
		echo "== on PostgreSQL ($${DATABASE_URL%%\?*}): every test that uses a database, the permission matrix's walks included"; \
		OVERSIGHT_TEST_PASS=database $(PY) -m pytest -q -n 2 -m "not browser" || exit $$?; \
	else \
		$(SQLITE_TEST_ENV) $(PY) -m pytest -q -n 2 -m "not browser"; \
	fi

browser: install chromium
	mkdir -p var/test
	$(SQLITE_TEST_ENV) $(PY) -m pytest -q -m browser

test: install chromium lint migrations-check deploy-check unit browser
	@echo "make test: all checks passed"

messages: install
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

lock:
	rm -rf /tmp/oversight-lock && $(PYTHON) -m venv /tmp/oversight-lock
	/tmp/oversight-lock/bin/pip install --quiet -r requirements.in -r requirements-dev.in
	(echo "# Generated from requirements.in + requirements-dev.in with 'make lock' (pip freeze of a fresh venv). Python 3.11."; \
		/tmp/oversight-lock/bin/pip freeze) > requirements.lock

bench: install
	$(PY) bench/bench_businesstime.py
	@# The service facts against today's code: PostgreSQL only (a database of your own in BENCH_DATABASE_URL).
	@if [[ "$$BENCH_DATABASE_URL" == postgres* ]]; then \
		DATABASE_URL=$$BENCH_DATABASE_URL $(PY) bench/bench_facts.py --count $${BENCH_COUNT:-1000000}; \
	else echo "bench_facts.py skipped: set BENCH_DATABASE_URL=postgres://user@host:port/database"; fi

clean:
	rm -rf var/test .pytest_cache
