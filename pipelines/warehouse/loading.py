"""Incremental loading of report packages into the raw schema of the working file.

Data decisions:
- A package is read only when its content hash differs from the one loaded (or
  quarantined) before; unchanged packages are not parsed or validated again.
- A valid new or changed package replaces all its rows in every raw table, and
  its hash in raw.reports, in the same DuckDB transaction; a removed package's
  rows are deleted. A killed load therefore leaves every package either fully
  old or fully new, and the next load carries on from the hashes.
- A package with any problem is quarantined: its problems go to raw.quarantine
  and its previously loaded rows (if any) stay until a valid version arrives.
- Rows a package had at the last publish are kept aside before they are
  replaced (pipelines.warehouse.build_quarantine), so a package that fails at build time
  can get them back.
- Packages are validated and inserted in batches of BATCH, one transaction
  each, so memory stays bounded however many packages change at once. Several
  batches are validated on every core (pipelines.warehouse.validation_pool)
  while the previous one is inserted.
- Every report whose rows change is added to meta.pending_reports in the same
  transaction (pipelines.warehouse.pending), so dbt rebuilds just those.
- An empty raw directory is an error, never "delete everything".
- A package's source text (raw.source_lines) and the status of each of its
  numeric cells against it (raw.source_verification) are computed when the
  package is validated, so only new and changed packages are verified, and
  they are replaced with its rows in the same transaction; so is the coverage
  of its source, every printed number's status (raw.source_coverage).
- A raw table that is missing while others exist counts as an older layout
  too: every package is loaded again, so a new table is filled for all of them.
"""

from __future__ import annotations

import contextlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.intake import fingerprint
from pipelines.intake.coverage import COVERAGE_COLUMNS
from pipelines.intake.packages import REPORT_COLUMNS
from pipelines.intake.problems import Problem
from pipelines.intake.source_check import SOURCE_LINE_COLUMNS, VERIFICATION_COLUMNS
from pipelines.intake.tables import RAW_TABLES, TableSpec
from pipelines.warehouse.build_quarantine import PACKAGE_TABLES, keep_previous
from pipelines.warehouse.pending import ensure_pending, mark_pending
from pipelines.warehouse.validation_pool import validated_batches

SOURCE_TYPES = {"source_line": "bigint", "matched_line": "bigint", "is_value": "boolean"}
BATCH = 500  # packages validated and inserted together: bounds memory at 10,000 packages
STATE_TABLES = {  # raw tables that are not package tables, and their columns
    "reports": {**dict.fromkeys(REPORT_COLUMNS, "varchar"), "package_hash": "varchar", "loaded_at": "timestamp"},
    "package_files": {
        "report_id": "varchar",
        "file": "varchar",
        "encoding": "varchar",
        "rows": "bigint",
        "normalisations": "varchar",
    },
    "quarantine": {
        "report_id": "varchar",
        "package_hash": "varchar",
        "file": "varchar",
        "line": "bigint",
        "column": "varchar",
        "value": "varchar",
        "rule": "varchar",
        "hint": "varchar",
        "check": "varchar",
    },
    "source_lines": {c: "bigint" if c == "line" else "varchar" for c in SOURCE_LINE_COLUMNS},
    "source_verification": {c: SOURCE_TYPES.get(c, "varchar") for c in VERIFICATION_COLUMNS},
    "source_coverage": {c: "bigint" if c in ("line", "position") else "varchar" for c in COVERAGE_COLUMNS},
}


@dataclass
class LoadResult:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    quarantined: dict[str, list[Problem]] = field(default_factory=dict)
    unchanged: int = 0
    files: list[dict] = field(default_factory=list)

    @property
    def loaded(self) -> list[str]:
        return [r for r in self.added + self.changed if r not in self.quarantined]

    @property
    def problems(self) -> list[Problem]:
        return sorted(p for group in self.quarantined.values() for p in group)


def column_types(spec: TableSpec) -> dict[str, str]:
    def kind(column: str) -> str:
        if column in spec.integers or column == "line":
            return "bigint"
        return "double" if column in spec.numbers or column.endswith("_precision") else "varchar"

    return {column: kind(column) for column in spec.loaded_columns}


def ensure_tables(connection: duckdb.DuckDBPyConnection) -> None:
    """Create the raw tables; when any has other columns (an older layout), reload everything."""
    connection.execute("create schema if not exists raw")
    tables = {spec.name: column_types(spec) for spec in RAW_TABLES} | STATE_TABLES
    existing = {}
    for table, column in connection.execute(
        "select table_name, column_name from duckdb_columns() where schema_name = 'raw' order by column_index"
    ).fetchall():
        existing.setdefault(table, []).append(column)
    stale = any(name in existing and existing[name] != list(columns) for name, columns in tables.items())
    stale = stale or (bool(existing) and any(name not in existing for name in tables))
    for name, columns in tables.items():
        if stale:
            connection.execute(f"drop table if exists raw.{name}")
        body = ", ".join(f'"{c}" {t}' for c, t in columns.items())
        connection.execute(f"create table if not exists raw.{name} ({body})")


def _known(connection) -> tuple[dict[str, str], dict[str, str]]:
    loaded = dict(connection.execute("select report_id, package_hash from raw.reports").fetchall())
    quarantined = dict(connection.execute("select distinct report_id, package_hash from raw.quarantine").fetchall())
    return loaded, quarantined


def known_hashes(connection: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The hash each loaded or quarantined package had; nothing before the first load."""
    missing = connection.execute(
        "select count(*) < 2 from duckdb_tables() where schema_name = 'raw' and table_name in ('reports', 'quarantine')"
    ).fetchone()[0]
    if missing:
        return {}
    loaded, quarantined = _known(connection)
    return loaded | quarantined


def load_incremental(
    connection: duckdb.DuckDBPyConnection, raw_dir: Path, cache_dir: Path | None = None, current: dict | None = None
) -> LoadResult:
    """Load new and changed packages of raw_dir, remove removed ones; cache_dir keeps the package hash cache.
    `current` is a scan of raw_dir the caller already made (package -> hash), so it is not scanned twice."""
    current = fingerprint.scan(raw_dir, cache_dir=cache_dir, save=True) if current is None else current
    if not current:
        raise FileNotFoundError(f"no report packages in {raw_dir}; refusing to publish an empty warehouse")
    ensure_tables(connection)
    ensure_pending(connection)
    loaded, quarantined = _known(connection)
    seen = loaded | quarantined
    changes = fingerprint.diff(seen, current)
    removed = [r for r in sorted(set(loaded) | set(quarantined)) if r not in current]
    todo = changes["added"] + changes["changed"]
    result = LoadResult(
        added=changes["added"], changed=changes["changed"], removed=removed, unchanged=len(current) - len(todo)
    )
    with _transaction(connection):
        _delete_everywhere(connection, removed)
        _delete(connection, "quarantine", removed)
        mark_pending(connection, [r for r in removed if r in loaded])
    batches = [todo[start : start + BATCH] for start in range(0, len(todo), BATCH)]
    for batch, validated in validated_batches(raw_dir, batches):
        with _transaction(connection):
            _store_batch(connection, batch, validated, current, result)
    return result


@contextmanager
def _transaction(connection):
    connection.execute("begin transaction")
    try:
        yield
        connection.execute("commit")
    except BaseException:
        with contextlib.suppress(duckdb.TransactionException):  # a failed commit (a full disk) rolled back already
            connection.execute("rollback")
        raise


def _store_batch(connection, report_ids: list[str], validated, current: dict[str, str], result: LoadResult) -> None:
    """Replace the rows of the valid packages of a validated batch, record the problems of the rest."""
    bad = {r: found for r, found in validated.problems.items() if found}
    good = [r for r in report_ids if r not in bad]
    result.quarantined |= bad
    result.files += validated.files
    keep_previous(connection, [r for r in good if r in current])
    _delete_everywhere(connection, good)
    mark_pending(connection, good)
    for name, frame in validated.frames.items():
        if name == "reports":
            frame = frame.assign(
                package_hash=frame["report_id"].map(current), loaded_at=pd.Timestamp.now(tz="UTC").tz_localize(None)
            )
        _insert(connection, name, frame[frame["report_id"].isin(good)])
    _insert(connection, "source_lines", validated.source_lines)
    _insert(connection, "source_verification", validated.verification.reindex(columns=list(VERIFICATION_COLUMNS)))
    _insert(connection, "source_coverage", validated.coverage)
    _insert(
        connection,
        "package_files",
        pd.DataFrame(
            [f for f in validated.files if f["report_id"] in good], columns=list(STATE_TABLES["package_files"])
        ),
    )
    _delete(connection, "quarantine", report_ids)
    _insert(
        connection,
        "quarantine",
        pd.DataFrame(
            [{**p.as_dict(), "package_hash": current[p.report_id]} for found in bad.values() for p in found],
            columns=list(STATE_TABLES["quarantine"]),
        ),
    )


def _delete_everywhere(connection, report_ids: list[str]) -> None:
    for name in PACKAGE_TABLES:
        _delete(connection, name, report_ids)


def _delete(connection, name: str, report_ids: list[str]) -> None:
    if report_ids:
        connection.execute(f"delete from raw.{name} where report_id in (select unnest(?::varchar[]))", [report_ids])


def _insert(connection, name: str, frame: pd.DataFrame) -> None:
    if not len(frame):
        return
    connection.register("incoming", frame)
    try:
        connection.execute(f"insert into raw.{name} by name select * from incoming")
    finally:
        connection.unregister("incoming")
