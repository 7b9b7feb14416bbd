"""What the next dbt build must rebuild: the reports changed since the last successful build, or everything.

Data decisions:
- meta.pending_reports lists each report loaded, changed, removed or put back
  (build quarantine) since the last successful dbt build. The loader writes it
  in the same transaction as the raw rows, so a killed load leaves both or
  neither; dbt's incremental models read it (dbt/macros/incremental.sql).
- After a successful build it is emptied, with intermediate.int_touched_figures,
  and meta.dbt_build records the pipeline hash the models were built with. A
  failed build empties nothing: the next one rebuilds the same reports again,
  which is safe because every incremental model deletes before it inserts.
- A build is a full refresh (`dbt build --full-refresh`) when asked for, when
  the working file has no record of a build, when the pipeline (dbt models,
  seeds, macros, Python code) changed since, or when more than FULL_SHARE of
  the reports are pending: then rebuilding all is no dearer and surely right.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.warehouse.working_file import models_attached

PENDING_TABLE = "meta.pending_reports"
TOUCHED_FIGURES = "intermediate.int_touched_figures"  # in the models file (pipelines.warehouse.paths)
BUILD_TABLE = "meta.dbt_build"
FULL_SHARE = 0.5


def ensure_pending(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute("create schema if not exists meta")
    connection.execute(f"create table if not exists {PENDING_TABLE} (report_id varchar)")


def mark_pending(connection: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    """Record reports whose rows changed; call inside the transaction that changes them."""
    if report_ids:
        connection.execute(f"insert into {PENDING_TABLE} select unnest(?::varchar[])", [sorted(set(report_ids))])


def _exists(connection, qualified: str, database: str | None = None) -> bool:
    schema, name = qualified.split(".")
    found = "select count(*) from duckdb_tables() where schema_name = ? and table_name = ? and database_name = "
    found += "?" if database else "current_database()"
    return connection.execute(found, [schema, name, *([database] if database else [])]).fetchone()[0] > 0


def full_refresh_reason(connection: duckdb.DuckDBPyConnection, models: Path, pipeline_hash: str) -> str:
    """Why the next build must rebuild everything, or "" when an incremental build is right."""
    if not _exists(connection, BUILD_TABLE):
        return "no earlier build in the working file"
    with models_attached(connection, models, read_only=True) as alias:
        if alias is None or not _exists(connection, TOUCHED_FIGURES, alias):
            return f"no intermediate models in {models}"
    built = connection.execute(f"select pipeline_hash from {BUILD_TABLE}").fetchone()
    if not built or built[0] != pipeline_hash:
        return "the pipeline changed since the last build"
    ensure_pending(connection)
    pending = connection.execute(f"select count(distinct report_id) from {PENDING_TABLE}").fetchone()[0]
    reports = (
        connection.execute("select count(*) from raw.reports").fetchone()[0]
        if _exists(connection, "raw.reports")
        else 0
    )
    if pending > FULL_SHARE * max(reports, 1):
        return f"{pending} of {reports} reports changed"
    return ""


def pending_reports(connection: duckdb.DuckDBPyConnection) -> list[str]:
    ensure_pending(connection)
    return [r for (r,) in connection.execute(f"select distinct report_id from {PENDING_TABLE} order by 1").fetchall()]


def record_build(connection: duckdb.DuckDBPyConnection, models: Path, pipeline_hash: str, full_refresh: bool) -> None:
    """After a successful build: nothing is pending, and the models match this pipeline."""
    ensure_pending(connection)
    with models_attached(connection, models, read_only=False) as alias:
        if alias and _exists(connection, TOUCHED_FIGURES, alias):
            connection.execute(f"delete from {alias}.{TOUCHED_FIGURES}")
    connection.execute("begin transaction")
    connection.execute(f"delete from {PENDING_TABLE}")
    connection.execute(
        f"create or replace table {BUILD_TABLE} (pipeline_hash varchar, built_at timestamptz, full_refresh boolean)"
    )
    connection.execute(f"insert into {BUILD_TABLE} values (?, ?, ?)", [pipeline_hash, datetime.now(UTC), full_refresh])
    connection.execute("commit")
