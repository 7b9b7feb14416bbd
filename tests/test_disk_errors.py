"""A full disk, a read-only warehouse folder and a warehouse path under a file: one clear line, exit 1,
nothing published, no partial file left, and the next refresh works once the cause is gone.

The disks are real: small tmpfs mounts (this needs root, as in CI; else the tests skip and say why).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import cloudfacts, sha256
from tests.published_sites import site  # noqa: F401 (fixture)
from tests.test_publish import MOBILE_SQL

MB = 2**20


@pytest.fixture
def mount():
    mounted = []

    def tmpfs(folder: Path, megabytes: int, *options: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        command = ["mount", "-t", "tmpfs", "-o", ",".join([f"size={megabytes}M", *options]), "tmpfs", str(folder)]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (needs root): {result.stderr.strip()}")
        mounted.append(folder)
        return folder

    yield tmpfs
    for folder in reversed(mounted):
        subprocess.run(["umount", "-l", str(folder)], check=False)


def remount(folder: Path, *options: str) -> None:
    subprocess.run(["mount", "-o", ",".join(["remount", *options]), str(folder)], check=True)


def move_onto(source: Path, target: Path) -> None:
    """Copy a folder's files onto a mounted folder (keeping modes), then drop the original."""
    for path in sorted(source.rglob("*")):
        destination = target / path.relative_to(source)
        if path.is_dir():
            destination.mkdir(exist_ok=True)
        else:
            shutil.copy2(path, destination)
    shutil.rmtree(source)


def one_clear_line(result: subprocess.CompletedProcess, reason: str) -> str:
    text = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in text, text
    lines = [line for line in text.splitlines() if reason.lower() in line.lower()]
    assert len(lines) == 1, text
    return lines[0]


def _on_tmpfs(site, mount, size_mb: int, build_size_mb: int | None = None) -> None:
    """Put the warehouse folder (and, with build_size_mb, its .build folder apart) on tmpfs mounts."""
    kept = site.warehouse.parent.rename(site.warehouse.parent.with_name("wh-before"))
    mount(site.warehouse.parent, size_mb)
    if build_size_mb:
        mount(site.warehouse.parent / ".build", build_size_mb)
    move_onto(kept, site.warehouse.parent)


def test_a_full_disk_while_publishing_leaves_the_old_file_and_no_partial_one(site, mount):
    published_mb = site.warehouse.stat().st_size // MB
    _on_tmpfs(site, mount, published_mb + 3, build_size_mb=200)  # room for dbt, not for the new file
    before, state = sha256(site.warehouse), site.state.read_bytes()
    new = site.change_mobile_revenue()
    line = one_clear_line(site.refresh(), "no space left on device")
    assert f"no space left on device: {site.warehouse.parent}/.cloudfacts.duckdb.incoming (" in line
    assert f"nothing was published ({site.warehouse} is unchanged)" in line
    assert sha256(site.warehouse) == before and site.state.read_bytes() == state
    assert sorted(p.name for p in site.warehouse.parent.iterdir()) == [
        ".build",
        "cloudfacts.duckdb",
        "cloudfacts.publish.json",
    ]
    remount(site.warehouse.parent, "size=100M")
    retry = site.refresh()
    assert retry.returncode == 0, retry.stdout + retry.stderr
    assert site.mobile_revenue() == new


def test_a_full_disk_for_the_working_file_and_dbt_ends_in_one_line_and_the_next_refresh_works(site, mount):
    used_mb = (site.warehouse.stat().st_size + site.working.stat().st_size) // MB
    _on_tmpfs(site, mount, used_mb + 4)  # the rebuild outgrows the working file's room
    before = sha256(site.warehouse)
    site.change_mobile_revenue()
    one_clear_line(site.refresh(), "no space left on device")
    assert sha256(site.warehouse) == before
    newer = site.change_mobile_revenue_again()  # a changed package: the hash cache is saved on a full disk
    one_clear_line(site.refresh(), "no space left on device")
    assert sha256(site.warehouse) == before
    remount(site.warehouse.parent, "size=100M")
    retry = site.refresh()
    assert retry.returncode == 0, retry.stdout + retry.stderr
    assert site.mobile_revenue() == newer


def test_a_read_only_warehouse_folder_refuses_refresh_in_one_line_and_still_serves_readers(site, mount):
    _on_tmpfs(site, mount, 100)
    remount(site.warehouse.parent, "ro")
    site.change_mobile_revenue()
    line = one_clear_line(site.refresh(), "read-only file system")
    assert line == f"error: read-only file system: {site.working}.lock; nothing was published"
    status = cloudfacts("status", "--raw-dir", str(site.raw), "--warehouse", str(site.warehouse))
    assert status.returncode == 0 and "1 changed" in status.stdout, status.stdout + status.stderr
    answer = cloudfacts("query", MOBILE_SQL, "--format", "csv", "--warehouse", str(site.warehouse))
    assert answer.returncode == 0 and answer.stdout.splitlines()[1] == "234.0", answer.stderr


@pytest.mark.parametrize("command", [("refresh",), ("status",), ("query", "select 1")])
def test_a_warehouse_path_under_a_file_is_one_line_and_exit_1(tmp_path, command):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = (
        cloudfacts(*command, "--raw-dir", str(tmp_path), "--warehouse", str(blocker / "x.duckdb"))
        if command[0] != "query"
        else cloudfacts(*command, "--warehouse", str(blocker / "x.duckdb"))
    )
    line = one_clear_line(result, "not a directory")
    assert line.startswith("error: not a directory: ") and f"({blocker} is a file, not a folder)" in line
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1
