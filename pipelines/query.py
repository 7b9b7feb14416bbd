"""Read-only SQL against the published warehouse, printed as a table, CSV or JSON."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb


def run_query(warehouse: Path, sql: str, fmt: str) -> int:
    if not warehouse.exists():
        print(f"error: no warehouse at {warehouse}; run `cloudfacts refresh` first", file=sys.stderr)
        return 2
    try:
        with duckdb.connect(str(warehouse), read_only=True) as connection:
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
