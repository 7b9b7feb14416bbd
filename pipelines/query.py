"""Read-only SQL against the published warehouse, printed as a table, CSV or JSON.

Data decisions:
- The connection is read-only, and external access is off and locked: a query
  cannot write the warehouse, COPY to a file, ATTACH another database, read
  files or install extensions, and cannot switch any of that back on.
- A WAL beside the file that belongs to an older published file (a read-write
  session outlived a publish) is removed first, so it cannot stop the query;
  see pipelines.stray_wal.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from pipelines.file_errors import path_problem
from pipelines.stray_wal import stray_wal_line

READ_ONLY_CONFIG = {"enable_external_access": False, "lock_configuration": True}


def run_query(warehouse: Path, sql: str, fmt: str) -> int:
    if problem := path_problem(warehouse):
        print(f"error: {problem}", file=sys.stderr)
        return 1
    if not warehouse.exists():
        print(f"error: no warehouse at {warehouse}; run `cloudfacts refresh` first", file=sys.stderr)
        return 2
    if note := stray_wal_line(warehouse):
        print(note, file=sys.stderr)
    try:
        with duckdb.connect(str(warehouse), read_only=True, config=READ_ONLY_CONFIG) as connection:
            frame = connection.execute(sql).df()
    except duckdb.Error as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if fmt == "csv":
        frame.to_csv(sys.stdout, index=False)
    elif fmt == "json":
        print(frame.to_json(orient="records", force_ascii=False, date_format="iso", indent=2))
    else:
        print(frame.to_string(index=False) if len(frame) else "(no rows)")
    return 0
