"""Publishing: the working file replaces the published file only after a whole successful build.

Data decisions:
- The working file holds only what is published (dbt's staging and
  intermediate models live in the models file, pipelines.warehouse.paths). It is
  checkpointed, rewritten into a new file only when much of it is free space
  (working_file.compact_working_file), copied beside the published file,
  flushed to disk and renamed over it (os.replace), then the folder is
  flushed: a reader sees the old file or the new one, never a mix, and a crash
  at any point leaves the old file byte for byte.
- Each published file is a later checkpoint of the working file than the one
  before (or a rewrite, with a database identifier of its own), so DuckDB
  refuses a WAL written for an older published file instead of replaying it
  (pipelines.warehouse.stray_wal).
- The published file is never opened for writing, so a reader holding it open
  (even read-write) cannot block a refresh; the reader's next connection sees
  the new file. It is published read-only (0444) so that read-write opens
  fail; `<published>.wal`, which can only belong to the file being replaced,
  is removed just before and after the rename.
- meta.build inside the file and <name>.publish.json beside it say what was built.
"""

from __future__ import annotations

import shutil
import uuid
from datetime import UTC, datetime

import duckdb

from pipelines.intake.fingerprint import pipeline_hash
from pipelines.warehouse.build_quarantine import clear_previous
from pipelines.warehouse.paths import Paths
from pipelines.warehouse.published import git_revision, replace_atomically, write_state
from pipelines.warehouse.stray_wal import wal_path
from pipelines.warehouse.working_file import COMPACT_FREE_SHARE, compact_working_file, free_share

# Read-only for everyone: a read-write open fails for every user but root (root ignores file modes).
PUBLISHED_MODE = 0o444
STATE_SQL = {
    "loaded": "select report_id, package_hash from raw.reports order by 1",
    "quarantined": "select report_id, any_value(package_hash), count(*) from raw.quarantine group by 1 order by 1",
}


class StateNotWritten(OSError):
    """The file was published, but the state beside it could not be written."""


def _record_build(connection, run_id: str) -> dict:
    build = {
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "run_id": run_id,
        "git_revision": git_revision(),
        "pipeline_hash": pipeline_hash(),
    }
    connection.execute("create schema if not exists meta")
    connection.execute(
        "create or replace table meta.build (built_at timestamptz, run_id varchar, git_revision varchar, "
        "pipeline_hash varchar)"
    )
    connection.execute("insert into meta.build values (?, ?, ?, ?)", list(build.values()))
    loaded = dict(connection.execute(STATE_SQL["loaded"]).fetchall())
    quarantined = {r: {"hash": h, "problems": n} for r, h, n in connection.execute(STATE_SQL["quarantined"]).fetchall()}
    seen = loaded | {r: q["hash"] for r, q in quarantined.items()}
    return {**build, "loaded": loaded, "quarantined": quarantined, "packages": seen}


def publish_working_file(paths: Paths, run_id: str = "") -> dict:
    """Replace the published file with the working file; return the state written beside it."""
    working, published = paths.working, paths.published
    with duckdb.connect(str(working)) as connection:
        state = _record_build(connection, run_id or str(uuid.uuid4()))
        clear_previous(connection)  # what it kept is what this publish replaces
        connection.execute("checkpoint")
        state["tables"] = connection.execute(
            "select count(*) from duckdb_tables() where schema_name not in ('information_schema', 'pg_catalog')"
        ).fetchone()[0]
    if free_share(working) > COMPACT_FREE_SHARE:
        compact_working_file(working)
    with open(working, "rb") as source:
        replace_atomically(
            published,
            lambda handle: shutil.copyfileobj(source, handle, 1 << 24),
            mode=PUBLISHED_MODE,
            stale=wal_path(published),
        )
    state["bytes"] = published.stat().st_size
    try:
        write_state(state, published)
    except OSError as error:
        raise StateNotWritten(error.errno, error.strerror, error.filename) from error
    return {"path": str(published), **state}
