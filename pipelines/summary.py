"""The summary `cloudfacts refresh` prints: reports, rows, checks, time, or what went wrong."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.refresh import Summary

TABLES_SQL = """
select schema_name || '.' || table_name from duckdb_tables()
where schema_name in ('raw', 'marts', 'sizing') order by schema_name, table_name
"""


def describe(summary: Summary, warehouse: Path) -> str:
    checks = f"checks: {summary.checks_passed} passed, {len(summary.checks_failed)} failed, {len(summary.warnings)} warning(s)"
    if not summary.success:
        lines = [f"refresh FAILED after {summary.seconds:.1f}s; the published warehouse was not changed.", checks]
        lines += [f"  failed check: {name}" for name in summary.checks_failed]
        for failure in summary.failures:
            step, _, text = failure.partition(": ")
            lines += [f"  {step} failed:"] + [f"    {line}" for line in text.splitlines()]
        lines += [f"  dbt: {line}" for line in summary.dbt_errors]
        return "\n".join(lines)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        names = [name for (name,) in connection.execute(TABLES_SQL).fetchall()]
        counts = [(name, connection.execute(f"select count(*) from {name}").fetchone()[0]) for name in names]
        reports = connection.execute("select count(*) from marts.dim_report").fetchone()[0]
    rows = sum(n for name, n in counts if name.startswith("raw.") and name != "raw.reports")
    lines = [f"published {warehouse}",
             f"reports: {reports}, raw rows: {rows}, {checks}, time: {summary.seconds:.1f}s"]
    lines += [f"  {name:<40} {n:>7} rows" for name, n in counts if not name.startswith("raw.")]
    for name, facts in summary.warnings:
        lines.append(f"warning {name}: {facts.get('mismatches', '?')} of {facts.get('rules_checked', '?')} "
                     "reconciliation rules found a mismatch (see marts.reconciliation)")
    return "\n".join(lines)
