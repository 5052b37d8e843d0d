# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app

BENCHES := bench-scale bench-following bench-signals bench-meetings bench-activities bench-advice bench-documents bench-handbook bench-mail bench-login bench-postgres bench-load
.PHONY: run test test-latest install lock lock-upgrade bench $(BENCHES) translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs exactly what the lock files name (versions and hashes), so a fresh machine gets what CI
# tested. The app runs from this folder (app.py), so the package itself is not installed.
# The stamps are rebuilt when a lock file changes, so new dependencies arrive by themselves.
$(VENV)/.installed: requirements/app.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/app.txt
	touch $@

$(VENV)/.installed-test: requirements/test.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/test.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

run: install
	$(FLASK) cpweb init
	$(FLASK) cpweb demo
	$(FLASK) run --host 127.0.0.1 --port 5000

# With CPWEB_TEST_POSTGRES_URL set (see README), the suite runs a second time on PostgreSQL: every test
# that touches the database engine. The browser tests check the page, not the engine, so they run once.
# That second run keeps the files in an S3 store (moto's standalone S3 server, a test dependency that
# tests/conftest.py starts as a process of its own and reaches over HTTP), so every test that stores a
# file runs on both stores: the instance folder with SQLite, S3 with PostgreSQL.
# One pytest process per core (pytest-xdist); each test still has its own instance folder and
# database, so they need not run in one process. `make test TEST_WORKERS=0` runs them in one.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(TEST_WORKERS)
test: $(VENV)/.installed-test
	$(PYTEST)
	@if [ -n "$$CPWEB_TEST_POSTGRES_URL" ]; then \
		echo "== The same tests on PostgreSQL, with the files in an S3 store =="; \
		CPWEB_DATABASE_URL="$$CPWEB_TEST_POSTGRES_URL" CPWEB_TEST_STORAGE=s3 $(PYTEST) --ignore=tests/browser; \
	else echo "(PostgreSQL not tested: CPWEB_TEST_POSTGRES_URL is not set)"; fi

# The lock files from pyproject.toml's ranges, for Python 3.11 and newer on any platform.
# `make lock` keeps the pinned versions and adds what pyproject.toml newly asks for;
# `make lock-upgrade` moves every package to the newest release that fits. Then run `make test`
# and commit requirements/.
UV_VERSION := 0.13.9
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --quiet \
	--custom-compile-command "make lock"
lock: | $(BIN)/python
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(UV_COMPILE) $(LOCK_FLAGS) -o requirements/app.txt
	$(UV_COMPILE) $(LOCK_FLAGS) --extra test -o requirements/test.txt

lock-upgrade:
	$(MAKE) lock LOCK_FLAGS=--upgrade

# The suite against the newest releases pip picks today within pyproject.toml's ranges (not the lock),
# in a venv of its own: shows whether `make lock` would break anything.
test-latest:
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/pip install --quiet --upgrade -e '.[test]'
	.venv-latest/bin/pytest -n $(TEST_WORKERS)

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

# make bench-scale, bench-following, bench-signals, -meetings, -activities, -advice, -documents, -handbook, -mail, -login, -postgres, -load: bench/<name>.py.
# bench-postgres needs a PostgreSQL database it may empty: CPWEB_BENCH_POSTGRES_URL (see bench/README.md); bench-load uses it when set.
$(BENCHES): bench-%: $(VENV)/.installed-test
	$(BIN)/python bench/$*.py

# Extract UI texts and update the English catalogue; then translate and run `make test`.
translations: $(VENV)/.installed-test
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k _m -k gettext_markup -k _lm -k lazy_gettext_markup --ignore-dirs=".*" --no-location --sort-output -o cpweb/translations/messages.pot .
	$(BIN)/pybabel update -i cpweb/translations/messages.pot -d cpweb/translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d cpweb/translations

clean:
	rm -rf $(VENV) .venv-latest build *.egg-info
