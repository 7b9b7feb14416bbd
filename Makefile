# cloudfacts: `make warehouse` builds the warehouse, `make test` runs every test, `make lint` checks the code.
# Both create .venv from requirements.lock on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
# Telemetry stays off: the CLI, the tests and the benchmarks set pipelines.project.QUIET_ENV themselves.

.PHONY: install warehouse test lint dbt-build bench bench-quick ui clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-* && touch $@

warehouse: $(STAMP)
	$(BIN)/cloudfacts refresh

test: $(STAMP)
	$(BIN)/python -m pytest

# Every check runs even when an earlier one fails, so one run lists all findings; the target fails if any did.
# The SQL is rendered with sqlfluff's jinja templater (.sqlfluff), so no database or dbt profile is needed.
lint: $(STAMP)
	@status=0; \
	$(BIN)/ruff check . || status=1; \
	$(BIN)/ruff format --check --output-format concise . || status=1; \
	$(BIN)/sqlfluff lint dbt/models dbt/tests dbt/macros || status=1; \
	$(BIN)/lint-imports || status=1; \
	exit $$status

# dbt alone, on the working copy of the current warehouse (after `make warehouse`).
dbt-build: $(STAMP)
	cd dbt && env $$(../$(BIN)/python -m pipelines.project) ../$(BIN)/dbt build --quiet --vars "$$(../$(BIN)/python -m pipelines.warehouse.paths)"

# The performance suite (docs/performance.md): P1-P6, then adding one report to N = 10 and 1,000.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.suite
	$(BIN)/python -m benchmarks.incremental --sizes 10 1000

# A smaller run of the same, nothing written.
bench-quick: $(STAMP)
	$(BIN)/python -m benchmarks.suite --runs 2 --packages 1000 --no-write

ui: $(STAMP)
	$(BIN)/cloudfacts ui

clean:
	rm -rf warehouse .dagster dbt/target dbt/logs
