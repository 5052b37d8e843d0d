# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app

BENCHES := bench-signals bench-meetings bench-activities bench-advice bench-documents bench-handbook bench-postgres
.PHONY: run test install bench $(BENCHES) translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The stamps are rebuilt when pyproject.toml changes, so new dependencies arrive by themselves.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

run: install
	$(FLASK) cpweb init
	$(FLASK) cpweb demo
	$(FLASK) run --host 127.0.0.1 --port 5000

# With CPWEB_TEST_POSTGRES_URL set (see README), the whole suite runs a second time on PostgreSQL.
test: $(VENV)/.installed-test
	$(BIN)/pytest
	@if [ -n "$$CPWEB_TEST_POSTGRES_URL" ]; then \
		echo "== The same tests on PostgreSQL =="; \
		CPWEB_DATABASE_URL="$$CPWEB_TEST_POSTGRES_URL" $(BIN)/pytest; \
	else echo "(PostgreSQL not tested: CPWEB_TEST_POSTGRES_URL is not set)"; fi

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

# make bench-signals, -meetings, -activities, -advice, -documents, -handbook, -postgres: bench/<name>.py.
# bench-postgres needs a PostgreSQL database it may empty: CPWEB_BENCH_POSTGRES_URL (see bench/README.md).
$(BENCHES): bench-%: $(VENV)/.installed-test
	$(BIN)/python bench/$*.py

# Extract UI texts and update the English catalogue; then translate and run `make test`.
translations: $(VENV)/.installed-test
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs=".*" --no-location --sort-output -o cpweb/translations/messages.pot .
	$(BIN)/pybabel update -i cpweb/translations/messages.pot -d cpweb/translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d cpweb/translations

clean:
	rm -rf $(VENV) build *.egg-info
