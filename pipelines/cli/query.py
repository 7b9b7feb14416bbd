"""Read-only SQL against the published warehouse, printed as a table, CSV or JSON.

Data decisions:
- The connection is read-only, and external access is off and locked: a query
  cannot write the warehouse, COPY to a file, ATTACH another database, read
  files or install extensions, and cannot switch any of that back on.
- A WAL beside the file that belongs to an older published file (a read-write
  session outlived a publish) is removed first, so it cannot stop the query;
  see pipelines.warehouse.stray_wal.
- Memory is bounded: DuckDB's memory_limit is --memory-limit (default
  DEFAULT_MEMORY_LIMIT) and the temporary directory is off, so a query that
  needs more fails with DuckDB's out-of-memory error instead of spilling
  files beside the warehouse (a query never writes). Rows are streamed in
  chunks (pipelines.cli.query_output), never held as one DataFrame.
- At most --max-rows rows are printed; the default protects the terminal for
  the table (DEFAULT_MAX_ROWS) and leaves CSV and JSON exports whole (0 = no
  limit). When rows are cut, one line on stderr says how to see them all.
- The query runs in a worker thread, so the main thread can stop it with
  connection.interrupt(): on Ctrl-C (exit 130, "interrupted") and after
  --timeout seconds (exit 124, like coreutils `timeout`; default: none).
- Exit codes: 0 ok; 1 SQL error (one line: the first line of DuckDB's
  message); 2 no warehouse; 124 timed out; 130 interrupted.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import duckdb

from pipelines.cli.query_output import WRITERS
from pipelines.warehouse.file_errors import path_problem
from pipelines.warehouse.stray_wal import stray_wal_line

READ_ONLY_CONFIG = {"enable_external_access": False, "lock_configuration": True}
DEFAULT_MEMORY_LIMIT = "1GB"
DEFAULT_MAX_ROWS = {"table": 10_000, "csv": 0, "json": 0}
EXIT_OK, EXIT_ERROR, EXIT_NO_WAREHOUSE, EXIT_TIMEOUT, EXIT_INTERRUPTED = 0, 1, 2, 124, 130
STOP_GRACE_SECONDS = 10.0  # after this, stop waiting for a worker stuck writing to a blocked pipe
STOP_POLL_SECONDS = 0.1


def err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def cannot_read(warehouse: Path) -> int | None:
    """The exit code when the published file cannot be read (saying why), else None; a stray WAL is removed."""
    if problem := path_problem(warehouse):
        err(f"error: {problem}")
        return EXIT_ERROR
    if not warehouse.exists():
        err(f"error: no warehouse at {warehouse}; run `cloudfacts refresh` first")
        return EXIT_NO_WAREHOUSE
    if note := stray_wal_line(warehouse):
        err(note)
    return None


def first_line(error: BaseException) -> str:
    return next((line for line in str(error).splitlines() if line.strip()), type(error).__name__)


def run_query(
    warehouse: Path,
    sql: str,
    fmt: str = "table",
    *,
    timeout: float | None = None,
    max_rows: int | None = None,
    memory_limit: str | None = None,
) -> int:
    if (code := cannot_read(warehouse)) is not None:
        return code
    limit = DEFAULT_MAX_ROWS[fmt] if max_rows is None else max_rows
    config = READ_ONLY_CONFIG | {"memory_limit": memory_limit or DEFAULT_MEMORY_LIMIT, "temp_directory": ""}
    try:
        with duckdb.connect(str(warehouse), read_only=True, config=config) as connection:
            outcome = _run(connection, sql, fmt, limit, timeout)
    except KeyboardInterrupt:  # before the query started, or while it was being stopped
        outcome = {"interrupted": True}
    except duckdb.Error as error:
        outcome = {"error": error}
    if outcome.get("interrupted"):
        err("interrupted")
        return EXIT_INTERRUPTED
    if outcome.get("timed_out"):
        err(f"error: query stopped after {timeout:g} s (--timeout); raise --timeout or narrow the query")
        return EXIT_TIMEOUT
    if "error" in outcome:
        error = outcome["error"]
        hint = (
            f" (raise --memory-limit, now {memory_limit or DEFAULT_MEMORY_LIMIT})"
            if isinstance(error, duckdb.OutOfMemoryException)
            else ""
        )
        err(f"error: {first_line(error)}{hint}")
        return EXIT_ERROR
    if outcome.get("cut"):
        err(
            f"note: printed the first {limit:,} rows; more rows matched. "
            "Pass --max-rows N to print more, or --max-rows 0 for all."
        )
    return EXIT_OK


def _run(connection, sql: str, fmt: str, limit: int, timeout: float | None) -> dict:
    """Run the query in a worker thread; stop it on Ctrl-C or at the timeout.
    The main thread waits on an Event, not Thread.join: a join that Ctrl-C interrupts
    marks a running thread as stopped (CPython 3.11), and the connection would close under it."""
    outcome, done = {}, threading.Event()
    worker = threading.Thread(target=_work, args=(connection, sql, fmt, limit, outcome, done), daemon=True)
    try:
        worker.start()
        finished = done.wait(timeout)
    except KeyboardInterrupt:
        outcome["interrupted"], finished = True, done.is_set()
    if not finished:
        outcome.setdefault("timed_out", True)
        _stop(connection, done)
    return outcome


def _work(connection, sql: str, fmt: str, limit: int, outcome: dict, done: threading.Event) -> None:
    try:
        connection.execute(sql)
        outcome["cut"] = WRITERS[fmt](connection, sys.stdout, limit)
        sys.stdout.flush()
    except duckdb.InterruptException:
        pass  # the main thread stopped the query and reports why
    except duckdb.Error as error:
        outcome["error"] = error
    except BrokenPipeError:  # the reader left (`| head`): stop quietly, and let exit not flush into the pipe
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    finally:
        done.set()


def _stop(connection, done: threading.Event) -> None:
    """Interrupt until the worker ends: an interrupt sent before the query starts would be lost."""
    for _ in range(int(STOP_GRACE_SECONDS / STOP_POLL_SECONDS)):
        try:
            connection.interrupt()
            if done.wait(STOP_POLL_SECONDS):
                return
        except KeyboardInterrupt:
            continue
