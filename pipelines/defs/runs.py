"""Runs of the refresh job that died without saying so.

Data decisions:
- The CLI tags its in-process runs with its pid. A run still marked STARTED
  whose process is gone was killed (SIGKILL, power loss); it is marked failed,
  so the Dagster pool it holds no longer keeps sensor runs queued.
- Runs launched by the daemon are left to Dagster's own run monitoring.
- A CLI refresh stopped by SIGINT or SIGTERM records what happened to the
  published file (record_stop): CANCELED "nothing was published" when the
  stop came before the publish, or an engine event on the finished run when
  the publish had already begun and was completed. Whether a run published is
  read from the published state (its run_id), never assumed.
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from pipelines.defs.names import JOB_NAME
from pipelines.warehouse.published import read_state

PID_TAG = "cloudfacts/pid"
LIVE = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.CANCELING]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def release_dead_runs(instance: dg.DagsterInstance, published: Path) -> list[str]:
    """Mark CLI runs whose process has died as failed; return their run ids. `published`: the file they refresh."""
    released = []
    for run in instance.get_runs(filters=dg.RunsFilter(job_name=JOB_NAME, statuses=LIVE), limit=100):
        pid = run.tags.get(PID_TAG, "")
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            finished = read_state(published).get("run_id") == run.run_id
            instance.report_run_failed(
                run,
                message=f"the refresh process (pid {pid}) ended without finishing the run; "
                "it was probably killed. "
                + (
                    f"It had published: {published} holds its build." if finished else "It had not completed a publish."
                ),
            )
            released.append(run.run_id)
    return released


def record_stop(
    instance: dg.DagsterInstance, run_id: str, signal_name: str, step: str, published: bool, path: Path
) -> None:
    """Say in the run's record how a SIGINT/SIGTERM to the CLI refresh ended it."""
    run = instance.get_run_by_id(run_id)
    if run is None:
        return
    if published:
        instance.report_engine_event(
            f"{signal_name} arrived while publishing; the publish was completed first: {path} holds this run's build",
            run,
        )
    elif not run.is_finished:
        instance.report_run_canceled(
            run,
            message=f"refresh stopped by {signal_name}"
            + (f" during {step}" if step else "")
            + f"; nothing was published: {path} is unchanged",
        )
