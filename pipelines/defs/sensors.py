"""Sensors: refresh when report packages are added, changed or removed.

Data decisions:
- A package's identity is its folder name under raw/ (the report_id) and its
  state is fingerprint.package_hash (the bytes of its files, not their mtimes),
  so touching a file without changing it requests nothing.
- The cursor is compact JSON: {"v": CURSOR_VERSION, "packages": {report_id: hash}}
  for every package seen at the last requested run. A cursor that cannot be
  read (older format, hand-edited) counts as no cursor.
- One run per batch of changes: the run key names the transition (tree hash
  before and after), so the same change never runs twice, a revert still runs,
  and N packages copied in between two ticks make one run, not N.
- Each tick also marks CLI runs whose process died as failed (pipelines.defs.runs),
  so a killed refresh never keeps the pool, and sensor runs, blocked.
- With no cursor (first start, fresh DAGSTER_HOME, unreadable cursor) the
  tree is compared with the published state (pipelines.warehouse.published): an
  up-to-date warehouse (same package hashes, same pipeline hash) requests
  nothing and only sets the cursor; otherwise the changes named are those
  since the published build, so a new deployment builds once.
- A change since the cursor that the published state already holds (a CLI
  refresh published it between two ticks) requests nothing either; the cursor
  moves on, so the sensor never repeats a rebuild the CLI has just done.
- A missing raw directory is a skip naming the path, not a failure, and keeps
  the cursor: when the directory comes back, only real differences count.
"""

from __future__ import annotations

import json

import dagster as dg

from pipelines.defs.runs import release_dead_runs
from pipelines.intake.fingerprint import diff, pipeline_hash, scan, tree_hash
from pipelines.warehouse.paths import Paths
from pipelines.warehouse.published import is_up_to_date

SENSOR_NAME = "new_report_sensor"
CURSOR_VERSION = 1
TAG_PREFIX = "cloudfacts"
CHANGE_KINDS = ("added", "changed", "removed")
NAMES_IN_TAG = 10  # report ids named in the run's `cloudfacts/reports` tag; the log names up to NAMES_IN_LOG
NAMES_IN_LOG = 200


def encode_cursor(packages: dict[str, str]) -> str:
    return json.dumps({"v": CURSOR_VERSION, "packages": packages}, separators=(",", ":"), sort_keys=True)


def decode_cursor(cursor: str | None) -> dict[str, str] | None:
    """The {report_id: hash} of a cursor, or None when there is no usable cursor."""
    if not cursor:
        return None
    try:
        data = json.loads(cursor)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("v") != CURSOR_VERSION or not isinstance(data.get("packages"), dict):
        return None
    return {str(k): str(v) for k, v in data["packages"].items()}


def _names(ids: list[str], limit: int) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def describe_changes(changes: dict[str, list[str]], limit: int) -> str:
    return "; ".join(f"{kind}: {_names(changes[kind], limit)}" for kind in CHANGE_KINDS if changes[kind])


def build_new_report_sensor(
    job: dg.UnresolvedAssetJobDefinition | dg.JobDefinition, paths: Paths, interval_seconds: int = 30
) -> dg.SensorDefinition:
    @dg.sensor(
        name=SENSOR_NAME,
        job=job,
        minimum_interval_seconds=interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Requests one refresh per batch of report packages added, changed or removed "
        "under the raw directory (compared by content hash).",
    )
    def _sensor(context: dg.SensorEvaluationContext):
        release_dead_runs(context.instance, paths.published)
        raw_dir = paths.raw_dir
        try:
            current = scan(raw_dir, cache_dir=paths.build_dir)
        except FileNotFoundError:
            return dg.SkipReason(f"raw directory {raw_dir} does not exist")
        previous = decode_cursor(context.cursor)
        if previous == current:
            return dg.SkipReason("report packages unchanged")
        fresh, state = is_up_to_date(current, pipeline_hash(), paths.published)
        if fresh:
            why = "first evaluation" if previous is None else "report packages changed since the last tick"
            return dg.SensorResult(
                skip_reason=f"{why}, but the published warehouse (built {state.get('built_at')}) already holds them",
                cursor=encode_cursor(current),
            )

        changes = diff(state.get("packages", {}) if previous is None else previous, current)
        # The transition, not the state: a revert (A -> B -> A) still runs; a repeated tick does not.
        run_key = f"{tree_hash(previous)}-{tree_hash(current)}" if previous is not None else tree_hash(current)
        first = previous is None
        summary = describe_changes(changes, NAMES_IN_LOG) or (
            "no package change; the pipeline code changed since the published build" if state else "no report packages"
        )
        context.log.info(f"{'first evaluation, ' if first else ''}requesting refresh {run_key} of {raw_dir}: {summary}")
        tags = {f"{TAG_PREFIX}/{kind}": str(len(changes[kind])) for kind in CHANGE_KINDS}
        tags[f"{TAG_PREFIX}/reports"] = describe_changes(changes, NAMES_IN_TAG) or "none"
        tags[f"{TAG_PREFIX}/first_evaluation"] = str(first).lower()
        return dg.SensorResult(run_requests=[dg.RunRequest(run_key=run_key, tags=tags)], cursor=encode_cursor(current))

    return _sensor
