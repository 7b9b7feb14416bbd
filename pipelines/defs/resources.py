"""The warehouse resource: one DuckDB working file that raw and sizing assets write into.

Data decisions:
- Assets always write the working file (settings.working_path); only the
  publish asset touches the published file, after every upstream step passed.
- A run holds the writer lock (pipelines.warehouse.writer_lock) from start to end, so a
  sensor run and a CLI refresh never write the working file at once; the later
  one waits. The Dagster pool WAREHOUSE_POOL (limit 1) queues runs too.
- A working file that DuckDB cannot open (a crash mid-write) is rebuilt from
  the published file when a step first connects, so the next refresh needs no
  manual clean-up. That copy is written beside it and renamed, so a full disk
  never leaves half a file.
- A full disk or an unwritable folder, in Python, DuckDB or dbt, fails the
  step with one line naming the file (failing_in_one_line).
- Before each publish the working file is rewritten into a new file (see
  compact_working_file), so its size follows the data, not the refresh count.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt.errors import DagsterDbtCliRuntimeError

from pipelines.warehouse import settings
from pipelines.warehouse.file_errors import describe, remove_quietly
from pipelines.warehouse.published import replace_atomically
from pipelines.warehouse.stray_wal import wal_path
from pipelines.warehouse.writer_lock import writer_lock

WAREHOUSE_POOL = "cloudfacts_warehouse"
COMPACT_ALIAS = "cloudfacts_compact"
# Tables, views and columns per schema: what COPY FROM DATABASE must carry over whole.
COUNT_OBJECTS_SQL = """
select schema_name, count(distinct table_name), count(*) from duckdb_columns()
where database_name = ? group by all order by all
"""


def release_memory() -> None:
    """Hand memory freed after a large load back to the OS before dbt starts beside this process."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def prepare_working_file() -> None:
    """Start from the published file when there is no usable working file."""
    working, published = settings.working_path(), settings.warehouse_path()
    working.parent.mkdir(parents=True, exist_ok=True)
    if working.exists():
        try:
            duckdb.connect(str(working)).close()
            return
        except duckdb.Error:
            for path in (working, working.with_name(working.name + ".wal")):
                path.unlink(missing_ok=True)
    if published.exists():
        with open(published, "rb") as source:  # never a half-copied working file, even on a full disk
            replace_atomically(working, lambda handle: shutil.copyfileobj(source, handle, 1 << 24))


def compact_working_file() -> None:
    """Rewrite the working file into a new file and put that in its place.

    A rebuild replaces every table; DuckDB reuses the freed blocks but keeps
    the file at its largest, and a checkpoint or VACUUM does not shrink it. A
    new file holds only live data, and has a database identifier of its own.
    """
    working = settings.working_path()
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


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB working file; the path comes from CLOUDFACTS_WAREHOUSE at run time."""

    lock_wait_seconds: float = 1800.0

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext):
        log = context.log.info if context.log else None
        with writer_lock(self.lock_wait_seconds, on_wait=log):
            yield self

    @contextmanager
    def connect(self):
        # Prepared here, in a step, not when the resource starts: a failure there
        # fails the run before any step, and its reason would not reach the summary.
        with failing_in_one_line(writing_a_copy_of=settings.warehouse_path()):
            prepare_working_file()
        with failing_in_one_line():
            connection = duckdb.connect(str(settings.working_path()))
            try:
                yield connection
            finally:
                connection.close()


@contextmanager
def failing_in_one_line(writing_a_copy_of: Path | None = None):
    """Turn a full disk or an unwritable folder (in Python, DuckDB or dbt) into a step failure of one line.

    `writing_a_copy_of` names the file being copied, to say how much space the copy needs.
    """
    try:
        yield
    except (OSError, duckdb.Error, DagsterDbtCliRuntimeError) as error:
        source = writing_a_copy_of
        line = describe(error, needed=source.stat().st_size if source and source.exists() else None)
        if line is None:
            raise
        raise dg.Failure(description=f"{line}; nothing was published ({settings.warehouse_path()} is unchanged)") from None
