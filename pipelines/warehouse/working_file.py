"""The working file: the DuckDB file every build writes, beside and apart from the published one.

Data decisions:
- A working file that DuckDB cannot open (a crash mid-write) is rebuilt from
  the published file when a step first connects, so the next refresh needs no
  manual clean-up. That copy is written beside it and renamed, so a full disk
  never leaves half a file.
- Before each publish the working file is rewritten into a new file (COPY FROM
  DATABASE): a rebuild replaces every table, and DuckDB reuses the freed blocks
  but keeps the file at its largest; a checkpoint or VACUUM does not shrink it.
  The new file holds only live data, and has a database identifier of its own.
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
from pipelines.warehouse.paths import Paths
from pipelines.warehouse.published import replace_atomically
from pipelines.warehouse.stray_wal import wal_path

COMPACT_ALIAS = "cloudfacts_compact"
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
    if published.exists():
        with open(published, "rb") as source:  # never a half-copied working file, even on a full disk
            replace_atomically(working, lambda handle: shutil.copyfileobj(source, handle, 1 << 24))


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
