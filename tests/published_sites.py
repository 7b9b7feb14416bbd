"""Copies of the session's built warehouse for tests that refresh, hold or break the published file.

A `site` is a copy of raw/ and of the warehouse folder (published file, state,
working file) built once per session by the `built` fixture, so these tests
need no build of their own. A `session` is a second process holding the
published file open read-write, as a notebook would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import SWSC, edit
from tests.test_publish import Site

# A read-write DuckDB session in its own process, driven line by line over stdin.
SESSION = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
print("open", flush=True)
for command in sys.stdin:
    command = command.strip()
    if command == "write":
        con.execute("create or replace table main.scratch as select 42 as x")
    elif command == "checkpoint":
        con.execute("checkpoint")
    print(command, flush=True)
"""


class BuiltSite(Site):
    def __init__(self, root: Path):
        super().__init__(root)
        self.warehouse = root / "wh" / "cloudfacts.duckdb"
        self.working = root / "wh" / ".build" / "cloudfacts.duckdb"
        self.wal = self.warehouse.with_name(self.warehouse.name + ".wal")
        self.state = self.warehouse.with_name("cloudfacts.publish.json")

    def change_mobile_revenue_again(self) -> float:
        edit(self.raw / SWSC / "operator_cloud_revenue.csv", "china_mobile,2022H1,235,", "china_mobile,2022H1,236,")
        return 236.0


@pytest.fixture
def site(built, tmp_path) -> BuiltSite:
    shutil.copytree(built["raw"], tmp_path / "raw")
    shutil.copytree(built["warehouse"].parent, tmp_path / "wh")
    return BuiltSite(tmp_path)


def open_session(path: Path) -> subprocess.Popen:
    if os.geteuid() != 0:
        pytest.skip("the published file is read-only (0444): only root can open it read-write")
    session = subprocess.Popen(
        [sys.executable, "-c", SESSION, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert session.stdout.readline().strip() == "open"
    return session


def tell(session: subprocess.Popen, command: str) -> None:
    session.stdin.write(command + "\n")
    session.stdin.flush()
    assert session.stdout.readline().strip() == command


def kill(session: subprocess.Popen) -> None:
    """SIGKILL, like a crashed kernel: DuckDB gets no chance to checkpoint or remove its WAL."""
    session.kill()
    session.wait(timeout=30)


def read_in_new_process(path: Path, sql: str) -> subprocess.CompletedProcess:
    """A plain Python reader, read-only, in a process of its own."""
    code = "import sys, duckdb; print(duckdb.connect(sys.argv[1], read_only=True).execute(sys.argv[2]).fetchone()[0])"
    return subprocess.run([sys.executable, "-c", code, str(path), sql], capture_output=True, text=True, timeout=60)
