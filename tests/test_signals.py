"""Signals against the real CLI: a stopped refresh leaves the warehouse whole, says what happened, and no process behind.

Fault injection: `cloudfacts refresh` runs with the test hook CLOUDFACTS_FAULT_PAUSE
(pipelines/warehouse/fault_pause.py) so it waits at one stage (raw load, dbt running,
inside the publish guard); the test signals the refresh process alone (never
its group, so nothing but the refresh itself can take dbt down), then lets it
go on. Each case refreshes a copy of one published warehouse with one figure
changed, so "published" and "not published" are told apart byte for byte.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest

from pipelines.defs.runs import PID_TAG
from pipelines.warehouse.fault_pause import FAULT_PAUSE_ENV
from pipelines.warehouse.published import state_path
from pipelines.warehouse.writer_lock import is_held
from tests.helpers import CLI, cloudfacts, sha256
from tests.test_publish import Site, published, site  # noqa: F401 - one published warehouse, copied per test

pytestmark = pytest.mark.slow

STAGES = {"raw": "raw_tables", "dbt": "dbt_models", "publish": "published"}
SIGNALS = (signal.SIGKILL, signal.SIGTERM, signal.SIGINT)
RUN_EVENTS = {dg.DagsterEventType.RUN_CANCELED, dg.DagsterEventType.RUN_FAILURE, dg.DagsterEventType.ENGINE_EVENT}


def in_session(session: int) -> list[tuple[int, str]]:
    """Live (not zombie) processes of a session, with their command lines."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if not proc.name.isdigit() or os.getsid(int(proc.name)) != session:
                continue
            if (proc / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                continue
            found.append(
                (int(proc.name), (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
            )
        except (OSError, ProcessLookupError, IndexError):
            continue
    return found


def wait_until_gone(session: int, seconds: float = 60) -> list[tuple[int, str]]:
    deadline = time.monotonic() + seconds
    while (left := in_session(session)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def kill_session(session: int) -> None:
    for pid, _ in in_session(session):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def lock_is_free(path: Path) -> bool:
    return not is_held(path)


def dbt_lock(site: Site) -> Path:
    return site.warehouse.parent / ".build" / f"{site.warehouse.name}.dbt.lock"


def run_record(pid: int, since: datetime) -> tuple[dg.DagsterRun, list[str]]:
    """The refresh run the CLI process pid started, and the messages of its run-level events."""
    instance = dg.DagsterInstance.get()
    runs = instance.get_runs(filters=dg.RunsFilter(job_name="refresh", tags={PID_TAG: str(pid)}, created_after=since))
    assert len(runs) == 1, runs
    return runs[0], [e.message for e in instance.all_logs(runs[0].run_id, of_type=RUN_EVENTS)]


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
@pytest.mark.parametrize("stage", list(STAGES))
def test_a_signal_at_each_stage(site, tmp_path, stage, sig):
    since = datetime.now(UTC)
    before, state_before = sha256(site.warehouse), state_path(site.warehouse).read_bytes()
    new = site.change_mobile_revenue()
    marker = tmp_path / "paused"
    env = {**os.environ, FAULT_PAUSE_ENV: f"{stage}:{marker}"}
    run = subprocess.Popen(
        [CLI, "refresh", "--raw-dir", str(site.raw), "--warehouse", str(site.warehouse)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while not marker.exists() and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert marker.exists(), f"the refresh never reached {stage}: {run.poll()}"
        if stage == "dbt":  # the launcher has started; wait for it to become dbt, holding the dbt lock
            dbt = lambda: [pid for pid, cmd in in_session(run.pid) if " build " in cmd and "/dbt " in cmd]  # noqa: E731
            while not dbt() and run.poll() is None and time.monotonic() < deadline:
                time.sleep(0.1)
            assert dbt(), in_session(run.pid)
            # Frozen mid-build, dbt cannot finish by itself: only the refresh's own handling can end it.
            os.kill(dbt()[0], signal.SIGSTOP)
        dbt_held_lock = not lock_is_free(dbt_lock(site))
        os.kill(run.pid, sig)
        marker.unlink(missing_ok=True)
        _out, err = run.communicate(timeout=300)
        assert wait_until_gone(run.pid) == [], "processes outlived the refresh"
    finally:
        kill_session(run.pid)
        marker.unlink(missing_ok=True)
    assert lock_is_free(dbt_lock(site))
    assert dbt_held_lock == (stage == "dbt")  # dbt itself held the dbt lock while it ran

    if sig == signal.SIGKILL:
        assert run.returncode == -signal.SIGKILL
        status_run = cloudfacts("status", "--raw-dir", str(site.raw), "--warehouse", str(site.warehouse))
        assert status_run.returncode == 0, status_run.stderr  # status marks the killed run failed
    else:
        assert "Traceback" not in err, err
    record, messages = run_record(run.pid, since)
    said = " | ".join(messages)

    if stage == "publish" and sig != signal.SIGKILL:  # the publish had begun: it completes, and says so
        assert run.returncode == 0, err
        assert site.mobile_revenue() == new
        assert json.loads(state_path(site.warehouse).read_text())["run_id"] == record.run_id
        assert err.strip().splitlines()[-1] == f"{sig.name} arrived while publishing; the publish was completed first"
        assert record.status == dg.DagsterRunStatus.SUCCESS
        assert f"{sig.name} arrived while publishing; the publish was completed first: {site.warehouse}" in said
        return
    assert sha256(site.warehouse) == before and state_path(site.warehouse).read_bytes() == state_before
    if sig == signal.SIGKILL:
        assert record.status == dg.DagsterRunStatus.FAILURE
        assert "probably killed. It had not completed a publish." in said
    else:
        assert run.returncode == 128 + sig
        stopped = f"refresh stopped by {sig.name} during {STAGES[stage]}; nothing was published: {site.warehouse} is unchanged"
        assert err.strip().splitlines()[-1] == stopped
        assert record.status == dg.DagsterRunStatus.CANCELED
        assert stopped in said


LEFTOVER_DBT = (
    "import os; from pipelines.warehouse.dbt_launcher import hold_dbt_lock; "
    "from pipelines.warehouse.paths import Paths; hold_dbt_lock(Paths.resolve().working); "
    "os.execv('/bin/sleep', ['sleep', '300'])"
)


def test_a_refresh_waits_for_a_leftover_dbt_instead_of_overlapping_it(site):
    """A process that took the dbt lock as cloudfacts-dbt does, then exec'd (sleep, standing in for dbt), is a
    dbt that outlived its refresh: the next refresh waits for it rather than write the working file beside it."""
    before = sha256(site.warehouse)
    site.change_mobile_revenue()
    env = {**os.environ, "CLOUDFACTS_WAREHOUSE": str(site.warehouse)}
    leftover = subprocess.Popen([sys.executable, "-c", LEFTOVER_DBT], env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while lock_is_free(dbt_lock(site)) and leftover.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not lock_is_free(dbt_lock(site))
        result = site.refresh("--wait", "3")
    finally:
        leftover.kill()
        leftover.wait()
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"waiting for dbt (pid {leftover.pid}) left running by a stopped refresh to finish" in result.stderr
    assert "gave up after waiting 3s" in result.stderr
    assert sha256(site.warehouse) == before


def _interrupt_when(process: subprocess.Popen, ready) -> tuple[str, str]:
    deadline = time.monotonic() + 120
    while not ready() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert ready(), process.poll()
    process.send_signal(signal.SIGINT)
    return process.communicate(timeout=120)


def _has_open(pid: int, path: Path) -> bool:
    fds = Path(f"/proc/{pid}/fd")
    try:
        return any(os.readlink(fd) == os.path.realpath(path) for fd in fds.iterdir())
    except OSError:
        return False


def test_ctrl_c_during_a_query_is_one_line_and_exit_130(site):
    """DuckDB turns the KeyboardInterrupt into its own RuntimeError; still no traceback."""
    query = subprocess.Popen(
        [CLI, "query", "select count(*) from range(1000000000000)", "--warehouse", str(site.warehouse)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = _interrupt_when(query, lambda: _has_open(query.pid, site.warehouse))
    assert (query.returncode, out, err) == (130, "", "interrupted\n")


def test_ctrl_c_while_a_refresh_waits_for_the_writer_lock_is_one_line_and_exit_130(site):
    site.change_mobile_revenue()
    env = {**os.environ, "CLOUDFACTS_WAREHOUSE": str(site.warehouse)}
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from pipelines.warehouse.paths import Paths\nfrom pipelines.warehouse.writer_lock import writer_lock\n"
            "with writer_lock(Paths.resolve().working):"
            "\n    print('held', flush=True); input()",
        ],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        refresh = subprocess.Popen(
            [CLI, "refresh", "--raw-dir", str(site.raw), "--warehouse", str(site.warehouse)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        lock = site.warehouse.parent / ".build" / f"{site.warehouse.name}.lock"
        _out, err = _interrupt_when(refresh, lambda: _has_open(refresh.pid, lock))
    finally:
        holder.kill()
    assert refresh.returncode == 130
    assert err.splitlines()[-1] == "interrupted" and "Traceback" not in err, err


def test_the_publish_guard_holds_sigint_and_sigterm_in_a_run_workers_main_thread():
    """Where Dagster runs the publish step in the main thread (daemon runs), a signal waits for the publish's end."""
    from pipelines.warehouse.publish_guard import publish_guard

    before = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    with publish_guard() as received:
        os.kill(os.getpid(), signal.SIGTERM)
        os.kill(os.getpid(), signal.SIGINT)
        assert received == ["SIGTERM", "SIGINT"]
    assert {sig: signal.getsignal(sig) for sig in before} == before
