"""The daily backstop schedule: refresh once a day if anything was missed.

Data decisions:
- It runs by default, next to new_report_sensor, and catches what the sensor
  could not see (a daemon that was down, a pipeline change without a raw change).
- A tick whose raw/ and pipeline hashes match the published build is skipped,
  so an idle warehouse is not rebuilt every day.
"""

from __future__ import annotations

import dagster as dg

from pipelines.intake.fingerprint import pipeline_hash, scan
from pipelines.warehouse.paths import Paths
from pipelines.warehouse.published import is_up_to_date

SCHEDULE_NAME = "daily_refresh"


def build_daily_refresh(job, paths: Paths, cron_schedule: str = "0 6 * * *") -> dg.ScheduleDefinition:
    @dg.schedule(
        name=SCHEDULE_NAME,
        job=job,
        cron_schedule=cron_schedule,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Daily backstop: refreshes when raw/ or the pipeline differ from the published build.",
    )
    def _schedule(context: dg.ScheduleEvaluationContext):
        try:
            current = scan(paths.raw_dir, cache_dir=paths.build_dir)
        except FileNotFoundError:
            return dg.SkipReason(f"raw directory {paths.raw_dir} does not exist")
        fresh, state = is_up_to_date(current, pipeline_hash(), paths.published)
        if fresh:
            return dg.SkipReason(f"warehouse is up to date (built {state.get('built_at')})")
        return dg.RunRequest(tags={"cloudfacts/trigger": "daily_refresh"})

    return _schedule
