"""Sensors: refresh when the report packages change.

Data decisions:
- The cursor is a fingerprint of every file under the raw directory (path,
  size, modification time); any added, edited or removed file requests a run.
- The first evaluation records the fingerprint and also requests a run, so a
  new deployment builds once.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import dagster as dg

from pipelines import settings


def fingerprint(raw_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(raw_dir)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def build_raw_change_sensor(job: dg.UnresolvedAssetJobDefinition, interval_seconds: int = 60) -> dg.SensorDefinition:
    @dg.sensor(name="raw_packages_changed", job=job, minimum_interval_seconds=interval_seconds,
               default_status=dg.DefaultSensorStatus.STOPPED,
               description="Requests a refresh when any file under the raw directory changes.")
    def _sensor(context: dg.SensorEvaluationContext):
        current = fingerprint(settings.raw_dir())
        if current == context.cursor:
            return dg.SkipReason("report packages unchanged")
        context.update_cursor(current)
        return dg.RunRequest(run_key=current)

    return _sensor
