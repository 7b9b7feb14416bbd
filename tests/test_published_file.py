"""The published file after a publish: no stale WAL stops a reader, read-write opens are refused where
the OS allows it, a reader in one process sees the new file the way the README says, and the working
file keeps little dead space from refresh to refresh.

Every refresh is the real CLI; every session and reader is a real DuckDB connection in its own process.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import tempfile

import duckdb
import pytest

from pipelines.warehouse.stray_wal import NOT_THIS_FILE
from pipelines.warehouse.working_file import COMPACT_FREE_SHARE
from tests.helpers import cloudfacts, seed_value
from tests.published_sites import kill, open_session, read_in_new_process, site, tell  # noqa: F401 (fixture)
from tests.test_publish import MOBILE_SQL

OLD = seed_value("operator_cloud_revenue", "revenue", operator="china_mobile")
SCRATCH_SQL = "select count(*) from duckdb_tables() where table_name = 'scratch'"


def query(site, sql: str = MOBILE_SQL):
    return cloudfacts("query", sql, "--format", "csv", "--warehouse", str(site.warehouse))


def test_a_session_that_wrote_then_died_after_a_publish_leaves_every_reader_working(site):
    session = open_session(site.warehouse)
    tell(session, "write")
    assert site.wal.exists()  # the session's write waits in the WAL, as DuckDB does
    new = site.change_mobile_revenue()
    result = site.refresh()
    assert result.returncode == 0, result.stdout + result.stderr
    kill(session)
    assert not site.wal.exists()
    answer = query(site)
    assert answer.returncode == 0 and answer.stdout.splitlines() == ["revenue_cny_100m", str(new)], answer.stderr
    assert float(read_in_new_process(site.warehouse, MOBILE_SQL).stdout) == new
    assert read_in_new_process(site.warehouse, SCRATCH_SQL).stdout.strip() == "0"  # the session's write is lost


def test_a_wal_written_after_a_publish_is_refused_by_duckdb_and_removed_by_query_status_and_refresh(site):
    session = open_session(site.warehouse)  # opened read-write on the old file; writes only after the publish
    new = site.change_mobile_revenue()
    assert site.refresh().returncode == 0
    tell(session, "write")
    kill(session)
    stray = site.wal.read_bytes()
    # Each publish is a later checkpoint of the working file (or a rewrite with a new database identifier):
    # DuckDB refuses the old file's WAL, it never replays it here.
    refused = read_in_new_process(site.warehouse, MOBILE_SQL)
    assert refused.returncode != 0 and any(text in refused.stderr for text in NOT_THIS_FILE), refused.stderr
    answer = query(site)
    assert answer.returncode == 0 and answer.stdout.splitlines()[1] == str(new), answer.stderr
    assert f"note: removed {site.wal}" in answer.stderr and not site.wal.exists()
    site.wal.write_bytes(stray)
    status = cloudfacts("status", "--json", "--raw-dir", str(site.raw), "--warehouse", str(site.warehouse))
    assert json.loads(status.stdout)["stray_wal"].startswith(f"note: removed {site.wal}")
    site.wal.write_bytes(stray)
    again = site.refresh()
    assert again.returncode == 0 and "up to date" in again.stdout and f"note: removed {site.wal}" in again.stderr
    assert float(read_in_new_process(site.warehouse, MOBILE_SQL).stdout) == new
    assert read_in_new_process(site.warehouse, SCRATCH_SQL).stdout.strip() == "0"


def _open_read_write_as_nobody(path) -> str:
    """Open path read-write as uid/gid 65534 in a forked child; return what DuckDB said."""
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            os.setgid(65534)
            os.setuid(65534)
            duckdb.connect(str(path)).close()
            message = "opened"
        except Exception as error:
            message = str(error)
        os.write(writer, message.encode())
        os._exit(0)
    os.close(writer)
    ready, _, _ = select.select([reader], [], [], 60)
    message = os.read(reader, 4096).decode() if ready else "no answer"
    os.close(reader)
    os.waitpid(child, 0)
    return message


def test_the_published_file_is_read_only_and_refuses_read_write_opens_except_for_root(site):
    assert site.warehouse.stat().st_mode & 0o777 == 0o444
    folder = tempfile.mkdtemp(prefix="cloudfacts-mode-")
    try:
        os.chmod(folder, 0o755)
        copy = shutil.copy2(site.warehouse, os.path.join(folder, "cloudfacts.duckdb"))  # keeps the mode
        if os.geteuid() != 0:
            with pytest.raises(duckdb.IOException, match="Permission denied"):
                duckdb.connect(copy)
            return
        assert "Permission denied" in _open_read_write_as_nobody(copy)
        duckdb.connect(copy).close()  # root ignores file modes: the README says so
    finally:
        shutil.rmtree(folder)


def test_the_readme_way_to_see_a_new_publish_in_one_process(site):
    """README, "Reading while it refreshes": close every connection, then connect; or attach and re-attach."""
    first = duckdb.connect(str(site.warehouse), read_only=True)
    assert first.execute(MOBILE_SQL).fetchone()[0] == OLD
    new = site.change_mobile_revenue()
    assert site.refresh().returncode == 0
    with duckdb.connect(str(site.warehouse), read_only=True) as second:  # the old advice: a new connection
        assert second.execute(MOBILE_SQL).fetchone()[0] == OLD  # DuckDB shares the instance `first` keeps open
    first.close()
    with duckdb.connect(str(site.warehouse), read_only=True) as fresh:
        assert fresh.execute(MOBILE_SQL).fetchone()[0] == new
        notebook = duckdb.connect()
        notebook.execute(f"attach '{site.warehouse}' as cloudfacts (read_only); use cloudfacts")
        assert notebook.execute(MOBILE_SQL).fetchone()[0] == new
        newer = site.change_mobile_revenue_again()
        assert site.refresh().returncode == 0
        notebook.execute(
            f"use memory; detach cloudfacts; attach '{site.warehouse}' as cloudfacts (read_only); use cloudfacts"
        )
        assert notebook.execute(MOBILE_SQL).fetchone()[0] == newer  # while `fresh` is still open
        assert fresh.execute(MOBILE_SQL).fetchone()[0] == new  # which keeps the version it opened
        notebook.close()


def _blocks(path) -> tuple[int, int]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute("select total_blocks, free_blocks from pragma_database_size()").fetchone()


def test_the_working_file_keeps_little_dead_space_from_refresh_to_refresh(site):
    """DuckDB reuses freed blocks but never shrinks a file. An incremental refresh frees few blocks; a full
    refresh replaces every table, and publishing compacts a file that is more than a quarter free space."""
    built_blocks, _ = _blocks(site.working)
    site.change_mobile_revenue()
    for extra in ((), ("--force",), ("--full-refresh",)):
        assert site.refresh(*extra).returncode == 0
        total, free = _blocks(site.working)
        assert free <= COMPACT_FREE_SHARE * total, (extra, total, free)
        assert total <= built_blocks / (1 - COMPACT_FREE_SHARE) + 2, (extra, total, built_blocks)
        assert _blocks(site.warehouse) == (total, free)  # the published file is the working file, copied
        assert site.working.stat().st_size == site.warehouse.stat().st_size


def test_a_working_file_mostly_free_space_is_compacted_before_it_is_published(site):
    built_blocks, _ = _blocks(site.working)
    with duckdb.connect(str(site.working)) as connection:
        connection.execute("create table raw.bulky as select range as n, random() as r from range(2000000)")
        connection.execute("checkpoint")
        connection.execute("drop table raw.bulky")
        connection.execute("checkpoint")
    grown, free = _blocks(site.working)
    assert free > COMPACT_FREE_SHARE * grown
    assert site.refresh("--force").returncode == 0
    assert _blocks(site.warehouse) == _blocks(site.working)
    total, free = _blocks(site.warehouse)
    assert free == 0 and abs(total - built_blocks) <= 2, (total, built_blocks)
