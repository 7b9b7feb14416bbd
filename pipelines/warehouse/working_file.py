"""The working file: the DuckDB file every build writes, beside and apart from the published one.

Data decisions:
- A working file that DuckDB cannot open (a crash mid-write) is rebuilt from
  the published file when a step first connects, so the next refresh needs no
  manual clean-up. That copy is written beside it and renamed, so a full disk
  never leaves half a file.
- DuckDB reuses the blocks that deletes and replaced tables free, but keeps the
  file at its largest (a checkpoint or VACUUM does not shrink it). Before a
  publish, a working file whose free blocks are more than COMPACT_FREE_SHARE of
  it (after a full refresh, or many removed reports) is rewritten into a new
  file (COPY FROM DATABASE) that holds only live data; an incremental build
  frees little, and copying it whole costs less than rewriting it.
- After a large load, freed memory goes back to the OS before dbt starts
  beside this process (release_memory).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import duckdb

from pipelines.warehouse.file_errors import remove_quietly
from pipelines.warehouse.paths import MODELS_DATABASE, Paths
from pipelines.warehouse.published import replace_atomically
from pipelines.warehouse.stray_wal import wal_path

COMPACT_ALIAS = "cloudfacts_compact"
COMPACT_FREE_SHARE = 0.25
# Tables, views and columns per schema: what COPY FROM DATABASE must carry over whole.
COUNT_OBJECTS_SQL = """
select schema_name, count(distinct table_name), count(*) from duckdb_columns()
where database_name = ? group by all order by all
"""


def release_memory() -> None:
    """Hand memory freed after a large load back to the OS."""
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def prepare_working_file(paths: Paths) -> None:
    """Start from the published file when there is no usable working file."""
    working, published = paths.working, paths.published
    working.parent.mkdir(parents=True, exist_ok=True)
    if working.exists():
        try:
            duckdb.connect(str(working)).close()
            return
        except duckdb.Error:
            remove_quietly(working, wal_path(working))
    # dbt's intermediate tables belong to the working file that is gone: without them the next build is a full one.
    remove_quietly(paths.models, wal_path(paths.models))
    if published.exists():
        with open(published, "rb") as source:  # never a half-copied working file, even on a full disk
            replace_atomically(working, lambda handle: shutil.copyfileobj(source, handle, 1 << 24))


@contextlib.contextmanager
def models_attached(connection: duckdb.DuckDBPyConnection, models: Path, read_only: bool = True):
    """The models file attached under the name dbt gives it, so dbt's compiled SQL runs here; None if missing."""
    if not models.exists():
        yield None
        return
    connection.execute(f"attach {quote(str(models))} as {MODELS_DATABASE}" + (" (read_only)" if read_only else ""))
    try:
        yield MODELS_DATABASE
    finally:
        connection.execute(f"detach {MODELS_DATABASE}")


def free_share(path: Path) -> float:
    """The share of the file's blocks that hold no live data (asked of a new connection: the one that
    wrote and checkpointed still counts only the blocks it uses)."""
    with duckdb.connect(str(path), read_only=True) as connection:
        total, free = connection.execute(
            "select total_blocks, free_blocks from pragma_database_size() where database_name = current_database()"
        ).fetchone()
    return free / total if total else 0.0


def compact_working_file(working: Path) -> None:
    """Rewrite the working file into a new file and put that in its place."""
    fresh = working.with_name(f".{working.name}.compact")
    remove_quietly(fresh, wal_path(fresh))
    try:
        with duckdb.connect(str(working)) as connection:
            catalog = connection.execute("select current_database()").fetchone()[0]
            connection.execute(f"attach {quote(str(fresh))} as {COMPACT_ALIAS}")
            connection.execute(f'copy from database "{catalog.replace(chr(34), chr(34) * 2)}" to {COMPACT_ALIAS}')
            counts = [connection.execute(COUNT_OBJECTS_SQL, [name]).fetchall() for name in (catalog, COMPACT_ALIAS)]
            connection.execute(f"detach {COMPACT_ALIAS}")
        if counts[0] != counts[1]:
            raise RuntimeError(f"copying {working} into a new file lost objects: {counts[0]} != {counts[1]}")
        os.replace(fresh, working)
    except BaseException:
        remove_quietly(fresh, wal_path(fresh))
        raise


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
