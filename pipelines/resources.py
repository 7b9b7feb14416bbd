"""The warehouse resource: one DuckDB working file that raw and sizing assets write into.

Data decisions:
- Assets always write the working file (settings.working_path); only the
  publish asset touches the published file, after every upstream step passed.
- A run holds the writer lock (pipelines.writer_lock) from start to end, so a
  sensor run and a CLI refresh never write the working file at once; the later
  one waits. The Dagster pool WAREHOUSE_POOL (limit 1) queues runs too.
- A working file that DuckDB cannot open (a crash mid-write) is rebuilt from
  the published file, so the next refresh needs no manual clean-up.
"""

from __future__ import annotations

import shutil
from contextlib import contextmanager

import dagster as dg
import duckdb

from pipelines import settings
from pipelines.writer_lock import writer_lock

WAREHOUSE_POOL = "cloudfacts_warehouse"


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
        shutil.copyfile(published, working)


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB working file; the path comes from CLOUDFACTS_WAREHOUSE at run time."""

    lock_wait_seconds: float = 1800.0

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext):
        log = context.log.info if context.log else None
        with writer_lock(self.lock_wait_seconds, on_wait=log):
            prepare_working_file()
            yield self

    @contextmanager
    def connect(self):
        path = settings.working_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = duckdb.connect(str(path))
        try:
            yield connection
        finally:
            connection.close()
