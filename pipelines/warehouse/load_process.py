"""Large loads run in a child process, so the memory they take is gone before dbt starts.

Data decisions:
- Python and pandas keep most of what a large load allocated (about 1.2 GiB
  after 10,000 packages), and dbt runs beside the refresh process right after.
  A load of more than IN_PROCESS packages therefore runs in a spawned child
  that opens the working file, loads, and exits; the parent holds no
  connection meanwhile (DuckDB lets one process write a file).
- Smaller loads, the usual refresh, stay in process: a child costs about a
  second and a half of start-up and imports.
- The child dies with the refresh that started it (die_with_parent), and its
  errors come back as they are (a full disk, an empty raw folder).
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import duckdb

from pipelines.intake import fingerprint
from pipelines.warehouse.dbt_launcher import die_with_parent
from pipelines.warehouse.loading import LoadResult, known_hashes, load_incremental

IN_PROCESS = 500  # packages to read: above this, load in a child process


def packages_to_read(connection: duckdb.DuckDBPyConnection, raw_dir: Path, cache_dir: Path) -> tuple[int, dict]:
    """How many packages a load would read (new or changed), and the scan it counted them from."""
    current = fingerprint.scan(raw_dir, cache_dir=cache_dir, save=True)
    changes = fingerprint.diff(known_hashes(connection), current)
    return len(changes["added"]) + len(changes["changed"]), current


def _load(working: Path, raw_dir: Path, cache_dir: Path) -> LoadResult:
    with duckdb.connect(str(working)) as connection:
        return load_incremental(connection, raw_dir, cache_dir=cache_dir)


def load_in_child(working: Path, raw_dir: Path, cache_dir: Path) -> LoadResult:
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"), initializer=die_with_parent) as pool:
        return pool.submit(_load, working, raw_dir, cache_dir).result()
