"""`cloudfacts ui` stopped by SIGTERM (a service manager's stop) or SIGINT leaves no process behind and frees its port."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from pipelines.warehouse.paths import DEFAULT_RAW_DIR
from tests.helpers import CLI
from tests.test_signals import in_session, kill_session, wait_until_gone

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != errno.ECONNREFUSED


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_stopping_the_ui_ends_its_whole_process_tree(tmp_path, sig):
    shutil.copytree(DEFAULT_RAW_DIR, tmp_path / "raw")
    port = free_port()
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    log = tmp_path / "ui.log"  # a file, not a pipe: nobody reads a pipe while the UI runs, and a full one blocks it
    with open(log, "w") as output:
        ui = subprocess.Popen(
            [
                CLI,
                "ui",
                "--port",
                str(port),
                "--raw-dir",
                str(tmp_path / "raw"),
                "--warehouse",
                str(tmp_path / "wh" / "cf.duckdb"),
            ],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 300
        while not answers(port) and ui.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
        assert answers(port), f"the UI never answered on port {port}"
        started = in_session(ui.pid)
        assert any("dagster_webserver" in cmd for _, cmd in started) and any("_daemon" in cmd for _, cmd in started)
        os.kill(ui.pid, sig)  # the cloudfacts process alone, as a service manager or `kill` does
        ui.wait(timeout=180)
        assert wait_until_gone(ui.pid) == [], "processes outlived `cloudfacts ui`"
    finally:
        kill_session(ui.pid)
    assert not listening(port)
    assert ui.returncode == 128 + sig
    assert "Traceback" not in log.read_text(), log.read_text()
