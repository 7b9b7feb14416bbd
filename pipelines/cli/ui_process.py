"""`cloudfacts ui`: `dagster dev` as a child whose whole process tree ends when the UI is stopped.

Data decisions:
- dagster dev starts a webserver, a daemon and code servers; the daemon's runs
  start dbt. None of them leaves the process group, so dagster dev is started
  as the leader of a new process group (in this session) and that group is
  the UI's tree.
- SIGTERM (a service manager's stop), SIGINT (Ctrl-C reaches only the
  foreground group, which is this process) and SIGHUP are passed on to dagster
  dev as SIGINT, its orderly shutdown. Installing handlers here also gives
  dagster dev default signal dispositions: started from a background shell
  job, it would otherwise inherit an ignored SIGINT, and it maps SIGTERM onto
  SIGINT's handler, so it ignored both.
- Once dagster dev has exited, or GRACE_SECONDS after the stop if it has
  not, whatever is left of the group (a run in progress, its dbt, a code
  server) gets SIGTERM, then SIGKILL after KILL_AFTER_SECONDS: nothing keeps
  the port or keeps launching runs after the UI is stopped.
- Exit code: dagster dev's own, or 128 + the signal number after a stop.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
GRACE_SECONDS = 30.0
KILL_AFTER_SECONDS = 5.0


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _end_group(pgid: int) -> None:
    for sig, wait in ((signal.SIGTERM, KILL_AFTER_SECONDS), (signal.SIGKILL, KILL_AFTER_SECONDS)):
        if not _group_alive(pgid):
            return
        os.killpg(pgid, sig)
        deadline = time.monotonic() + wait
        while _group_alive(pgid) and time.monotonic() < deadline:
            time.sleep(0.1)


def run_dagster_dev(command: list[str], cwd, env: dict[str, str] | None = None) -> int:
    """Run dagster dev until it exits or a stop signal comes; end its whole group either way."""
    stop: dict[str, float] = {}  # the first stop signal and when it came
    child: list[subprocess.Popen] = []

    def forward(signum, _frame):
        stop.setdefault("signal", signum)
        stop.setdefault("at", time.monotonic())
        if child:
            child[0].send_signal(signal.SIGINT)

    previous = {sig: signal.signal(sig, forward) for sig in FORWARDED}
    code = None
    try:
        child.append(subprocess.Popen(command, cwd=cwd, env=env, process_group=0))
        if stop:  # the stop came while it was starting
            child[0].send_signal(signal.SIGINT)
        while code is None and time.monotonic() - stop.get("at", float("inf")) < GRACE_SECONDS:
            try:
                code = child[0].wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                continue
    finally:
        if child:
            _end_group(child[0].pid)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 128 + int(stop["signal"]) if stop else code
