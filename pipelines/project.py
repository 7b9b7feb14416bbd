"""Where the project's own files are, and the environment every tool it starts runs with.

Data decisions:
- Paths are fixed relative to this package, never to the current directory.
- QUIET_ENV is the one definition of the telemetry and update-check switches of
  dbt and Dagster. The CLI puts it into the environment of what it starts, the
  tests set it in conftest, the benchmarks pass it to their subprocesses.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"

QUIET_ENV = {
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "DBT_VERSION_CHECK": "false",
    "DO_NOT_TRACK": "1",
    "DAGSTER_DISABLE_TELEMETRY": "1",
}

if __name__ == "__main__":  # `python -m pipelines.project`: QUIET_ENV as KEY=value lines, for `env` in the Makefile
    print("\n".join(f"{key}={value}" for key, value in QUIET_ENV.items()))
