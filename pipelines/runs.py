"""Runs of the refresh job that died without saying so.

Data decisions:
- The CLI tags its in-process runs with its pid. A run still marked STARTED
  whose process is gone was killed (SIGKILL, power loss); it is marked failed,
  so the Dagster pool it holds no longer keeps sensor runs queued.
- Runs launched by the daemon are left to Dagster's own run monitoring.
"""

from __future__ import annotations

import os

import dagster as dg

PID_TAG = "cloudfacts/pid"
JOB_NAME = "refresh"
LIVE = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.CANCELING]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def release_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark CLI runs whose process has died as failed; return their run ids."""
    released = []
    for run in instance.get_runs(filters=dg.RunsFilter(job_name=JOB_NAME, statuses=LIVE), limit=100):
        pid = run.tags.get(PID_TAG, "")
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            instance.report_run_failed(run, message=f"the refresh process (pid {pid}) ended without finishing the run; "
                                                    "it was probably killed. The published warehouse was not changed.")
            released.append(run.run_id)
    return released
