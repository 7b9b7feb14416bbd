"""Shared fixtures: one real refresh of a copy of raw/ into a temporary warehouse.

Tests read expected values from the raw CSVs themselves (helpers.seed_rows), so
they recompute what the warehouse should hold instead of trusting it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pipelines.project import QUIET_ENV
from pipelines.warehouse.paths import DEFAULT_RAW_DIR, Paths

for key, value in QUIET_ENV.items():  # also for the CLI and dbt processes tests start
    os.environ.setdefault(key, value)

REPO_RAW = DEFAULT_RAW_DIR


@pytest.fixture(scope="session", autouse=True)
def dagster_home(tmp_path_factory):
    from pipelines.defs.instance import prepare_dagster_home

    home = tmp_path_factory.mktemp("dagster_home")
    prepare_dagster_home(home)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def definitions(raw_dir: Path, warehouse: Path):
    from pipelines.defs.definitions import build_definitions

    return build_definitions(Paths.resolve(warehouse, raw_dir))


def run_job(raw_dir: Path, warehouse: Path):
    import dagster as dg

    from pipelines.defs.names import JOB_NAME

    job = definitions(raw_dir, warehouse).resolve_job_def(JOB_NAME)
    return job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """A warehouse built by the real Dagster job from a copy of raw/."""
    root = tmp_path_factory.mktemp("built")
    raw = root / "raw"
    shutil.copytree(REPO_RAW, raw)
    warehouse = root / "warehouse" / "cloudfacts.duckdb"
    result = run_job(raw, warehouse)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    return {"raw": raw, "warehouse": warehouse, "result": result}


@pytest.fixture
def query(built):
    import duckdb

    def run(sql: str, *params):
        with duckdb.connect(str(built["warehouse"]), read_only=True) as connection:
            return connection.execute(sql, params).fetchall()

    return run
