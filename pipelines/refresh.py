"""Running the refresh job through the Dagster definitions, with concise progress and a summary.

The job runs in a worker thread against a real Dagster instance (so runs show
in the UI); this thread follows the run's event log and prints one line per
step and failed check. dbt's console lines are swallowed: a failed dbt build
reports its failed nodes with dbt's messages in its step failure.
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


FOLLOWED = {dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE,
            dg.DagsterEventType.ASSET_CHECK_EVALUATION}


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
        if kind == "STEP_SUCCESS":
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


def run_refresh(instance: dg.DagsterInstance, echo=print) -> Summary:
    from pipelines.definitions import defs  # after the CLI has set the environment

    from pipelines.runs import PID_TAG, release_dead_runs

    release_dead_runs(instance)
    job = defs.resolve_job_def("refresh")
    run_id = str(uuid.uuid4())
    summary, outcome, dbt_output = Summary(), {}, io.StringIO()
    started = time.perf_counter()

    def work():
        result = job.execute_in_process(run_config=QUIET_RUN_CONFIG, instance=instance, run_id=run_id,
                                        tags={PID_TAG: str(os.getpid())}, raise_on_error=False)
        outcome["success"] = result.success

    worker = threading.Thread(target=work, daemon=True)
    cursor = None
    with contextlib.redirect_stdout(dbt_output):
        worker.start()
        try:
            while worker.is_alive():
                worker.join(timeout=0.5)
                cursor = _follow(instance, run_id, cursor, summary, echo)
        except KeyboardInterrupt:
            run = instance.get_run_by_id(run_id)
            if run is not None and not run.is_finished:
                instance.report_run_canceled(run, message="refresh interrupted; the published warehouse was not changed")
            raise
    _follow(instance, run_id, cursor, summary, echo)
    summary.success = bool(outcome.get("success"))
    summary.seconds = time.perf_counter() - started
    return summary
