"""The raw-change sensor requests a refresh when report packages change, and only then."""

import os
import shutil

import dagster as dg

from pipelines import settings
from pipelines.definitions import defs


def evaluate(cursor=None):
    sensor = defs.resolve_sensor_def("raw_packages_changed")
    return sensor.evaluate_tick(dg.build_sensor_context(cursor=cursor, instance=dg.DagsterInstance.ephemeral(),
                                                        definitions=defs))


def test_sensor_runs_on_change_and_skips_otherwise(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(settings.DEFAULT_RAW_DIR, raw)
    monkeypatch.setenv(settings.RAW_DIR_ENV, str(raw))
    first = evaluate()
    assert len(first.run_requests) == 1
    again = evaluate(first.cursor)
    assert again.run_requests == [] and again.skip_message
    package = next(raw.iterdir())
    (package / "report.yaml").write_text((package / "report.yaml").read_text() + "\n", encoding="utf-8")
    changed = evaluate(first.cursor)
    assert len(changed.run_requests) == 1 and changed.cursor != first.cursor


def test_daily_schedule_targets_refresh():
    schedule = defs.resolve_schedule_def("daily_refresh")
    assert schedule.job_name == "refresh"
