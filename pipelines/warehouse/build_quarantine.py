"""Quarantine at build time: a package that passed every package rule yet fails a dbt test is left out, and the build retried.

Data decisions:
- Before the loader replaces a package's rows, it keeps the rows the last
  publish held in the schema PREVIOUS (once per package until the next publish),
  or notes that the package is new. A package quarantined at build time gets
  those rows back (or none, when it is new), so a bad version never removes
  what was already published.
- A failed dbt test is traced to packages by running its compiled SQL and
  reading the `report_id` of the failing rows. Only packages loaded since the
  last publish are quarantined: a test that fails on a package published
  before (a new test, a changed model) is the pipeline's fault. A failure that
  names no such package (or a model error) cannot be traced: the build then
  fails loudly with dbt's own message, and nothing is quarantined.
- The retry happens once, in the same run; publishing clears PREVIOUS.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.intake.problems import PACKAGE, Problem
from pipelines.intake.tables import RAW_TABLES
from pipelines.warehouse.pending import mark_pending
from pipelines.warehouse.working_file import models_attached

PREVIOUS = "raw_previous"
PACKAGE_TABLES = [spec.name for spec in RAW_TABLES] + [
    "reports",
    "package_files",
    "source_lines",
    "source_verification",
    "source_coverage",
]
FAILED = ("fail", "error")
HINT = "run `cloudfacts check` on the package, and compare the rows the test names with the source"


def keep_previous(connection, report_ids: list[str]) -> None:
    """Save the current rows of packages about to be replaced, unless already saved since the last publish."""
    if not report_ids:
        return
    connection.execute(f"create schema if not exists {PREVIOUS}")
    connection.execute(f"create table if not exists {PREVIOUS}.packages (report_id varchar, existed boolean)")
    for name in PACKAGE_TABLES:
        connection.execute(f"create table if not exists {PREVIOUS}.{name} as select * from raw.{name} limit 0")
    fresh = [
        r
        for (r,) in connection.execute(
            f"select unnest(?::varchar[]) except select report_id from {PREVIOUS}.packages", [report_ids]
        ).fetchall()
    ]
    if not fresh:
        return
    connection.execute(
        f"insert into {PREVIOUS}.packages select r, r in (select report_id from raw.reports) "
        "from unnest(?::varchar[]) as t(r)",
        [fresh],
    )
    for name in PACKAGE_TABLES:
        connection.execute(
            f"insert into {PREVIOUS}.{name} select * from raw.{name} where report_id in (select unnest(?::varchar[]))",
            [fresh],
        )


def restore_previous(connection, problems: dict[str, list[Problem]]) -> None:
    """Put back the published rows of these packages and record why they were quarantined."""
    ids = sorted(problems)
    hashes = dict(
        connection.execute(
            "select report_id, package_hash from raw.reports where report_id in (select unnest(?::varchar[]))", [ids]
        ).fetchall()
    )
    connection.execute("begin transaction")
    try:
        for name in PACKAGE_TABLES:
            connection.execute(f"delete from raw.{name} where report_id in (select unnest(?::varchar[]))", [ids])
            connection.execute(
                f"insert into raw.{name} select * from {PREVIOUS}.{name} "
                "where report_id in (select unnest(?::varchar[]))",
                [ids],
            )
        connection.execute("delete from raw.quarantine where report_id in (select unnest(?::varchar[]))", [ids])
        mark_pending(connection, ids)
        for report_id, found in problems.items():
            for p in found:
                connection.execute(
                    "insert into raw.quarantine by name select ? as report_id, ? as package_hash, "
                    '? as file, ? as line, ? as "column", ? as value, ? as rule, ? as hint, '
                    '? as "check"',
                    [report_id, hashes.get(report_id, ""), p.file, p.line, p.column, p.value, p.rule, p.hint, p.check],
                )
        connection.execute("commit")
    except BaseException:
        connection.execute("rollback")
        raise


def clear_previous(connection) -> None:
    connection.execute(f"drop schema if exists {PREVIOUS} cascade")


def changed_since_publish(connection) -> set[str]:
    exists = connection.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = 'packages'", [PREVIOUS]
    ).fetchone()[0]
    return (
        {r for (r,) in connection.execute(f"select report_id from {PREVIOUS}.packages").fetchall()} if exists else set()
    )


def failed_nodes(run_results: dict) -> list[dict]:
    return [r for r in run_results.get("results", []) if r.get("status") in FAILED]


def trace(connection, failed: list[dict], models: Path) -> tuple[dict[str, list[Problem]], list[str]]:
    """Packages to quarantine for the failed dbt nodes, and the failures that name no package."""
    culprits: dict[str, list[Problem]] = {}
    untraced = []
    changed = changed_since_publish(connection)
    with models_attached(connection, models):  # tests read staging and intermediate models too
        named_by_node = {
            node["unique_id"]: _failing_reports(connection, node) if node["unique_id"].startswith("test.") else []
            for node in failed
        }
    for node in failed:
        name = node["unique_id"].split(".")[-1]
        named = named_by_node[node["unique_id"]]
        reports = [r for r in named if r in changed]
        if not reports or len(reports) < len(named):
            unchanged = sorted(set(named) - changed)
            untraced.append(
                f"{name}: {node.get('message') or node.get('status')}"
                + (f" (rows of {', '.join(unchanged)}, unchanged since the last publish)" if unchanged else "")
            )
        for report_id in reports:
            culprits.setdefault(report_id, []).append(
                Problem(
                    f"{report_id}/",
                    0,
                    "",
                    "",
                    f"fails the build check {name} ({node.get('failures') or '?'} row(s))",
                    report_id,
                    PACKAGE,
                    HINT,
                )
            )
    return culprits, untraced


def _failing_reports(connection, node: dict) -> list[str]:
    sql = node.get("compiled_code") or ""
    try:
        rows = connection.execute(
            f"select distinct report_id from ({sql}) as failing where report_id is not null"
        ).fetchall()
    except Exception:
        return []
    return sorted(str(r) for (r,) in rows)
