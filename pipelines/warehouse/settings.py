"""Where cloudfacts reads and writes, from the environment.

Data decisions:
- One setting names the published warehouse: CLOUDFACTS_WAREHOUSE (default
  warehouse/cloudfacts.duckdb in the project). dbt's profile reads the same
  variable, so Python exports the resolved absolute path before dbt runs.
- Builds go to a working file of the same name in a `.build/` folder beside the
  published file; DuckDB names its catalog after the file stem, so the working
  and published files share one catalog name.
- CLOUDFACTS_RAW_DIR overrides raw/. No path depends on the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"

WAREHOUSE_ENV = "CLOUDFACTS_WAREHOUSE"
RAW_DIR_ENV = "CLOUDFACTS_RAW_DIR"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "cloudfacts.duckdb"
DEFAULT_RAW_DIR = PROJECT_ROOT / "raw"
BUILD_DIR_NAME = ".build"

# dbt and Dagster telemetry stay off wherever cloudfacts runs them.
QUIET_ENV = {
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "DO_NOT_TRACK": "1",
    "DAGSTER_DISABLE_TELEMETRY": "1",
}


def warehouse_path() -> Path:
    return Path(os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE).expanduser().resolve()


def working_path() -> Path:
    published = warehouse_path()
    return published.parent / BUILD_DIR_NAME / published.name


def raw_dir() -> Path:
    return Path(os.environ.get(RAW_DIR_ENV) or DEFAULT_RAW_DIR).expanduser().resolve()


def export_environment() -> None:
    """Pin resolved paths and quiet flags into os.environ for dbt subprocesses."""
    os.environ[WAREHOUSE_ENV] = str(warehouse_path())
    os.environ[RAW_DIR_ENV] = str(raw_dir())
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)
