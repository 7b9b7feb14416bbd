"""A write-ahead log beside the published file that belongs to an older published file.

DuckDB keeps a read-write session's uncheckpointed writes in `<file>.wal`, found
by path. After a publish renames a new file over the old one, a WAL written
for the old file makes every reader of the new file fail ("Failure while
replaying WAL"), until someone removes it.

Data decisions:
- Publishing removes `<published>.wal` just before the rename (a reader then
  sees the old file without its session's unsaved writes, which are lost
  anyway) and again just after it (in case that session wrote in between).
- Every published file has a database identifier of its own (publishing
  compacts the working file into a new file), so DuckDB refuses a WAL written
  for any older one instead of replaying it onto the new file.
- A session still open on an older file keeps writing into the WAL it holds
  open, even once removed; only after its own checkpoint does it create a new
  WAL by path. `query`, `status` and the next publish find such a WAL with a
  read-only probe (DuckDB refuses it as not matching) and remove it: it can
  never apply to the current file.
- A WAL that DuckDB replays, or that a live read-write session on the current
  file holds locked, is left alone.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# The parts of DuckDB's replay errors that mean "this WAL is for another file or version".
NOT_THIS_FILE = ("WAL does not match database file", "checkpoint iteration does not match")


def wal_path(database: Path) -> Path:
    return database.with_name(database.name + ".wal")


def belongs_elsewhere(error: BaseException) -> bool:
    return "replaying WAL" in str(error) and any(text in str(error) for text in NOT_THIS_FILE)


def remove_stray_wal(database: Path) -> Path | None:
    """Remove `<database>.wal` when DuckDB refuses it for this file; return the path removed, if any.

    Raises OSError when the WAL cannot be removed (e.g. a read-only folder).
    """
    wal = wal_path(database)
    if not (wal.is_file() and database.is_file()):
        return None
    try:
        duckdb.connect(str(database), read_only=True).close()
        return None
    except duckdb.Error as error:
        if not belongs_elsewhere(error):
            return None
    wal.unlink(missing_ok=True)
    return wal


def stray_wal_line(database: Path) -> str | None:
    """Remove a stray WAL and say so in one line; or say why it could not be removed."""
    try:
        removed = remove_stray_wal(database)
    except OSError as error:
        return (
            f"warning: {wal_path(database)} holds writes of a session opened on an older published file and "
            f"stops every reader; it could not be removed ({error.strerror}): remove it by hand"
        )
    if removed is None:
        return None
    return (
        f"note: removed {removed}: writes of a read-write session opened on an older published file, "
        "which can never apply to the current one"
    )
