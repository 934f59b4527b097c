# Two commands for people: `make run` and `make test`. Everything else is a step of those.
VENV    := .venv
PY      := $(VENV)/bin/python
FLASK   := TRACKER_ENV=development $(VENV)/bin/flask --app wsgi
PYTEST  := $(PY) -m pytest
DEMO_INCIDENTS ?= 2000

.PHONY: run test lint test-sqlite test-postgres test-s3 test-browser translations i18n-update bench clean moto \
	bench-load-venv

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

# The four suites run two at a time (the machines have two cores): PostgreSQL beside SQLite, then
# the S3 and browser suites as those end. Each suite's output is printed whole when it ends (-O).
test: $(VENV)/.installed translations lint moto
	@$(MAKE) --no-print-directory -O -j2 test-postgres test-sqlite test-s3 test-browser

lint: $(VENV)/.installed
	@echo "=== ruff ==="
	$(VENV)/bin/ruff check .

test-sqlite: $(VENV)/.installed translations
	@echo "=== Test suite on SQLite ==="
	TEST_DB=sqlite $(PYTEST) --ignore=tests/e2e

test-postgres: $(VENV)/.installed translations
	@echo "=== Test suite on PostgreSQL (throwaway cluster) ==="
	TEST_DB=postgres $(PYTEST) --ignore=tests/e2e

# The local S3 server of the tests (moto) in its own virtualenv; the fixture also makes it.
.venv-moto/.installed: requirements-moto.txt
	@test -d .venv-moto || python3 -m venv .venv-moto
	.venv-moto/bin/pip install --quiet --disable-pip-version-check -r requirements-moto.txt
	@cp requirements-moto.txt $@

moto: .venv-moto/.installed

# The tests that read and write stored files, once more with the files in S3 (a local moto
# server): evidence, background export and import jobs, the store itself, backup and restore.
# (`TEST_STORAGE=s3` runs any other suite the same way.)
test-s3: $(VENV)/.installed translations moto
	@echo "=== Evidence, jobs, the file store and backups with the S3 file store ==="
	TEST_DB=sqlite TEST_STORAGE=s3 $(PYTEST) tests/evidence tests/reports/test_jobs.py tests/imports/test_pages.py \
		tests/filestore tests/test_backup.py

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
	rm -rf $(VENV) .venv-moto .venv-locust .pytest_cache test-artifacts
