"""Publishing never blocks on readers, never shows a half-built file, survives SIGKILL, and serialises writers.

Each test starts from a copy of one published warehouse, changes one figure in
raw/ (China Mobile's 2022H1 cloud revenue) and refreshes with the real CLI.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.warehouse.paths import DEFAULT_RAW_DIR
from tests.helpers import CLI, SWSC, cloudfacts, edit, seed_value, sha256

MOBILE_SQL = (
    "select revenue_cny_100m from marts.fct_operator_cloud_revenue "
    f"where report_id = '{SWSC}' and operator = 'china_mobile' and period = '2022H1'"
)
HOLDER = """
import sys, duckdb
path, mode, sql = sys.argv[1:4]
connect = lambda: duckdb.connect(path, read_only=(mode != "rw"))
con = connect()
print(con.execute(sql).fetchone()[0], flush=True)
seen = set()
for command in sys.stdin:
    command = command.strip()
    if command == "loop":  # query until told otherwise; every answer must be the old one
        while not sys.stdin.closed:
            seen.add(con.execute(sql).fetchone()[0])
            if len(seen) > 1 or __import__("select").select([sys.stdin], [], [], 0.05)[0]:
                break
        print(sorted(seen), flush=True)
    elif command == "reconnect":
        con.close()
        con = connect()
        print(con.execute(sql).fetchone()[0], flush=True)
"""


class Site:
    def __init__(self, root: Path):
        self.raw, self.warehouse = root / "raw", root / "wh" / "cf.duckdb"

    def refresh(self, *extra: str) -> subprocess.CompletedProcess:
        return cloudfacts("refresh", "--raw-dir", str(self.raw), "--warehouse", str(self.warehouse), *extra)

    def popen_refresh(self) -> subprocess.Popen:
        return subprocess.Popen(
            [CLI, "refresh", "--raw-dir", str(self.raw), "--warehouse", str(self.warehouse)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )

    def change_mobile_revenue(self, new: str = "235") -> float:
        edit(self.raw / SWSC / "operator_cloud_revenue.csv", "china_mobile,2022H1,234,", f"china_mobile,2022H1,{new},")
        return float(new)

    def mobile_revenue(self) -> float:
        with duckdb.connect(str(self.warehouse), read_only=True) as connection:
            return connection.execute(MOBILE_SQL).fetchone()[0]


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("published")
    shutil.copytree(DEFAULT_RAW_DIR, root / "raw")
    result = Site(root).refresh()
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture
def site(published, tmp_path) -> Site:
    for part in ("raw", "wh"):
        shutil.copytree(published / part, tmp_path / part)
    return Site(tmp_path)


def hold(site: Site, mode: str) -> subprocess.Popen:
    if mode == "rw" and os.geteuid() != 0:
        pytest.skip("the published file is read-only (0444): only root can open it read-write")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(site.warehouse), mode, MOBILE_SQL],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert float(holder.stdout.readline()) == seed_value("operator_cloud_revenue", "revenue", operator="china_mobile")
    return holder


def ask(holder: subprocess.Popen, command: str) -> str:
    holder.stdin.write(command + "\n")
    holder.stdin.flush()
    return holder.stdout.readline().strip()


def test_refresh_publishes_while_a_reader_holds_the_file_read_write(site):
    new = site.change_mobile_revenue()
    holder = hold(site, "rw")
    try:
        result = site.refresh()
        assert result.returncode == 0, result.stdout + result.stderr
        assert float(ask(holder, "reconnect")) == new  # the reader's next connection sees the new file
    finally:
        holder.kill()
        holder.wait()  # the killed reader must let go of its DuckDB lock before the file is reopened
    assert site.mobile_revenue() == new


def test_refresh_publishes_under_read_only_readers_and_a_running_query(site):
    new = site.change_mobile_revenue()
    reader, looping = hold(site, "ro"), hold(site, "ro")
    try:
        looping.stdin.write("loop\n")
        looping.stdin.flush()
        result = site.refresh()
        assert result.returncode == 0, result.stdout + result.stderr
        old = seed_value("operator_cloud_revenue", "revenue", operator="china_mobile")
        assert ask(looping, "") == str([old])  # queried throughout; never saw a mix
        assert float(ask(reader, "reconnect")) == new
    finally:
        reader.kill()
        looping.kill()


def _dbt_running(session: int) -> bool:
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes() if proc.name.isdigit() else b""
            if command and os.getsid(int(proc.name)) == session and b"dbt" in command and b"build" in command:
                return True
        except (OSError, ProcessLookupError):
            continue
    return False


def test_sigkill_in_the_middle_of_dbt_leaves_the_published_file_and_a_retry_succeeds(site):
    state = site.warehouse.with_name("cf.publish.json")
    before, state_before = sha256(site.warehouse), state.read_bytes()
    new = site.change_mobile_revenue()
    run = site.popen_refresh()
    deadline = time.monotonic() + 120
    while not _dbt_running(run.pid) and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.1)
    assert _dbt_running(run.pid), "dbt never started"
    time.sleep(1.5)  # well inside dbt build
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=30)
    assert sha256(site.warehouse) == before and state.read_bytes() == state_before
    retry = site.refresh()
    assert retry.returncode == 0, retry.stdout + retry.stderr
    assert site.mobile_revenue() == new


def test_two_refreshes_at_once_both_end_correctly(site):
    new = site.change_mobile_revenue()
    first, second = site.popen_refresh(), site.popen_refresh()
    outputs = [run.communicate(timeout=600) for run in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert any("waiting for" in err for _, err in outputs)  # one waited for the other's lock
    assert sum("published" in out for out, _ in outputs) >= 1
    assert site.mobile_revenue() == new
    state = json.loads(site.warehouse.with_name("cf.publish.json").read_text())
    assert set(state["loaded"]) == {p.name for p in site.raw.iterdir()}


def test_status_names_the_build_the_loaded_hashes_and_what_changed_since(site):
    from pipelines.intake.fingerprint import scan

    before = json.loads(
        cloudfacts("status", "--json", "--raw-dir", str(site.raw), "--warehouse", str(site.warehouse)).stdout
    )
    assert before["published"] and before["built_at"] and before["git_revision"]
    assert before["loaded"] == scan(site.raw) and before["quarantined"] == {}
    assert before["changes_since_publish"] == {"added": [], "changed": [], "removed": []}
    assert before["last_run"]["status"] in {"SUCCESS", "FAILURE", "CANCELED"}
    site.change_mobile_revenue()
    shutil.copytree(site.raw / SWSC, site.raw / "2030-01-new")
    text = cloudfacts("status", "--raw-dir", str(site.raw), "--warehouse", str(site.warehouse)).stdout
    assert "1 added (2030-01-new)" in text and f"1 changed ({SWSC})" in text


def test_daily_schedule_skips_an_up_to_date_warehouse(site, monkeypatch):
    import dagster as dg

    from pipelines.defs.definitions import build_definitions
    from pipelines.warehouse.paths import Paths

    schedule = build_definitions(Paths.resolve(site.warehouse, site.raw)).resolve_schedule_def("daily_refresh")
    tick = lambda: schedule.evaluate_tick(dg.build_schedule_context(instance=dg.DagsterInstance.ephemeral()))  # noqa: E731
    assert tick().skip_message.startswith("warehouse is up to date")
    site.change_mobile_revenue()
    assert len(tick().run_requests) == 1
