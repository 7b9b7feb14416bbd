"""Running the refresh job through the Dagster definitions, with concise progress and a summary.

The job runs in a worker thread against a real Dagster instance (so runs show
in the UI); this thread follows the run's event log and prints one line per
step and failed check. dbt's console lines are swallowed: a failed dbt build
reports its failed nodes with dbt's messages in its step failure.

Data decisions:
- SIGINT (Ctrl-C) and SIGTERM are caught for the whole run and only noted by
  the handler; the main loop then stops the publish (publish_guard: a publish
  in progress finishes first) and reads the published state to learn whether
  this run published. Published: the run is left to finish and an engine
  event says the stop came too late to prevent it. Not published: the run is
  marked CANCELED saying so, and the caller ends the process, which ends the
  worker thread and, through its pdeathsig, dbt (pipelines.warehouse.dbt_launcher).
"""

from __future__ import annotations

import contextlib
import io
import os
import threading
import time
import uuid
from dataclasses import dataclass, field

import dagster as dg

from pipelines.warehouse.paths import Paths
from pipelines.warehouse.publish_guard import noting_stop_signals

QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


@dataclass
class Summary:
    success: bool = False
    seconds: float = 0.0
    steps: list[str] = field(default_factory=list)
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    warnings: list[tuple[str, dict]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    step: str = ""  # the step running last
    stopped_by: str = ""  # the signal that stopped the refresh, if one did
    published: bool = False


FOLLOWED = {
    dg.DagsterEventType.STEP_START,
    dg.DagsterEventType.STEP_SUCCESS,
    dg.DagsterEventType.STEP_FAILURE,
    dg.DagsterEventType.ASSET_CHECK_EVALUATION,
}


def root_cause(error) -> str:
    """The innermost error of a step failure: Dagster wraps the real one in "Error occurred while executing op"."""
    while error is not None and (error.cause or error.context) is not None:
        error = error.cause or error.context
    return (error.message or error.cls_name).strip() if error is not None else "unknown error"


def _follow(instance: dg.DagsterInstance, run_id: str, cursor: str | None, summary: Summary, echo) -> str | None:
    """Read the run's new events since cursor; return the cursor to continue from."""
    connection = instance.get_records_for_run(run_id, cursor=cursor, of_type=FOLLOWED)
    for record in connection.records:
        event = record.event_log_entry.dagster_event
        kind = event.event_type_value
        if kind == "STEP_START":
            summary.step = event.step_key
        elif kind == "STEP_SUCCESS":
            summary.steps.append(event.step_key)
            echo(f"  done  {event.step_key}")
        elif kind == "STEP_FAILURE":
            error = event.step_failure_data.user_failure_data
            text = error.description if error and error.description else root_cause(event.step_failure_data.error)
            summary.failures.append(f"{event.step_key}: {text}")
            echo(f"  FAIL  {event.step_key}")
        elif kind == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            name = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
            if evaluation.passed:
                summary.checks_passed += 1
            elif evaluation.severity == dg.AssetCheckSeverity.WARN:
                summary.warnings.append((name, {k: v.value for k, v in evaluation.metadata.items()}))
            else:
                summary.checks_failed.append(name)
                echo(f"  check failed  {name}")
    return connection.cursor


def run_refresh(instance: dg.DagsterInstance, paths: Paths, echo=print, full_refresh: bool = False) -> Summary:
    from pipelines.defs.definitions import build_definitions
    from pipelines.defs.names import FULL_REFRESH_TAG, JOB_NAME
    from pipelines.defs.runs import PID_TAG, record_stop, release_dead_runs

    release_dead_runs(instance, paths.published)
    job = build_definitions(paths).resolve_job_def(JOB_NAME)
    run_id = str(uuid.uuid4())
    summary, outcome, dbt_output = Summary(), {}, io.StringIO()
    started = time.perf_counter()

    def work():
        result = job.execute_in_process(
            run_config=QUIET_RUN_CONFIG,
            instance=instance,
            run_id=run_id,
            tags={PID_TAG: str(os.getpid()), **({FULL_REFRESH_TAG: "true"} if full_refresh else {})},
            raise_on_error=False,
        )
        outcome["success"] = result.success

    worker = threading.Thread(target=work, daemon=True)
    cursor = None
    with contextlib.redirect_stdout(dbt_output), noting_stop_signals() as stop:
        worker.start()
        while worker.is_alive() and not stop:
            worker.join(timeout=0.5)
            cursor = _follow(instance, run_id, cursor, summary, echo)
        if stop:
            summary.stopped_by = stop[0]
            summary.published = _stop_publishing(run_id, paths)
            if summary.published:  # only the run's closing events are left; let them be written
                worker.join(timeout=60)
            cursor = _follow(instance, run_id, cursor, summary, echo)
            record_stop(instance, run_id, summary.stopped_by, summary.step, summary.published, paths.published)
    _follow(instance, run_id, cursor, summary, echo)
    summary.success = bool(outcome.get("success")) or summary.published  # a publish means every step before it passed
    summary.seconds = time.perf_counter() - started
    return summary


def _stop_publishing(run_id: str, paths: Paths) -> bool:
    """Let a publish in progress finish, forbid later ones; whether this run published."""
    from pipelines.warehouse.publish_guard import stop_publishing
    from pipelines.warehouse.published import read_state

    stop_publishing()
    return read_state(paths.published).get("run_id") == run_id
