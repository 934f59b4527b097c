# Two commands for people: `make run` and `make test`. Everything else is a step of those.
VENV    := .venv
PY      := $(VENV)/bin/python
FLASK   := TRACKER_ENV=development $(VENV)/bin/flask --app wsgi
PYTEST  := $(PY) -m pytest
DEMO_INCIDENTS ?= 2000

.PHONY: run test lint test-sqlite test-postgres test-browser translations i18n-update bench clean bench-load-venv

$(VENV)/.installed: requirements.txt
	@test -d $(VENV) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

translations: $(VENV)/.installed
	@$(PY) -m tracker.i18n_catalogs compile

# Extract new strings into every catalog; then translate the empty entries (ru, zh, mn).
i18n-update: $(VENV)/.installed
	$(PY) -m tracker.i18n_catalogs update
	@$(PY) -m tracker.i18n_catalogs missing

run: $(VENV)/.installed translations
	$(FLASK) db upgrade
	$(FLASK) seed-reference
	@echo "Demo users (passwords are shown once, on the first run only):"
	@$(FLASK) demo-users
	$(FLASK) demo --if-empty --incidents $(DEMO_INCIDENTS)
	$(FLASK) run --host 127.0.0.1 --port 5000

test: $(VENV)/.installed translations lint test-sqlite test-postgres test-browser

lint: $(VENV)/.installed
	@echo "=== ruff ==="
	$(VENV)/bin/ruff check .

test-sqlite: $(VENV)/.installed translations
	@echo "=== Test suite on SQLite ==="
	TEST_DB=sqlite $(PYTEST) --ignore=tests/e2e

test-postgres: $(VENV)/.installed translations
	@echo "=== Test suite on PostgreSQL (throwaway cluster) ==="
	TEST_DB=postgres $(PYTEST) --ignore=tests/e2e

test-browser: $(VENV)/.installed translations
	@echo "=== Browser suite (Chromium) ==="
	$(PYTEST) tests/e2e

# The load benchmark's locust, in its own virtualenv (it pins its own Flask); not part of `make test`.
bench-load-venv: .venv-locust/.installed
.venv-locust/.installed: bench/requirements-load.txt
	@test -d .venv-locust || python3 -m venv .venv-locust
	.venv-locust/bin/pip install --quiet --disable-pip-version-check -r bench/requirements-load.txt
	@touch $@

clean:
	rm -rf $(VENV) .venv-locust .pytest_cache test-artifacts
