"""The Dagster instance folder (DAGSTER_HOME): runs persist there so the UI shows CLI refreshes."""

from __future__ import annotations

from pathlib import Path

DAGSTER_YAML = """\
# Written by cloudfacts. Telemetry stays off.
telemetry:
  enabled: false
"""


def prepare_dagster_home(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
