"""The summary `cloudfacts refresh` prints: reports, rows, quarantine, checks, time, or what went wrong.

It reads the working file, which the refresh still holds the writer lock on and
which equals the file just published; the published file may be locked by a
reader with a read-write connection.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.cli.refresh import Summary
from pipelines.intake.verification import NOT_FOUND
from pipelines.warehouse.loading import STATE_TABLES

TABLES_SQL = """
select schema_name || '.' || table_name from duckdb_tables()
where schema_name in ('raw', 'marts', 'sizing') order by schema_name, table_name
"""
QUARANTINE_SQL = 'select file, line, "column", value, rule, report_id, "check", hint from raw.quarantine order by all'
SHOWN_PROBLEMS = 30


def render_summary(summary: Summary, working: Path, published: Path) -> tuple[str, int]:
    """The text to print, and the number of quarantined packages."""
    checks = f"checks: {summary.checks_passed} passed, {len(summary.checks_failed)} failed, {len(summary.warnings)} warning(s)"
    if not summary.success:
        lines = [f"refresh FAILED after {summary.seconds:.1f}s; the published warehouse was not changed.", checks]
        lines += [f"  failed check: {name}" for name in summary.checks_failed]
        for failure in summary.failures:
            step, _, text = failure.partition(": ")
            lines += [f"  {step} failed:"] + [f"    {line}" for line in text.splitlines()]
        return "\n".join(lines), 0
    from pipelines.intake.problems import Problem, printable

    with duckdb.connect(str(working), read_only=True) as connection:
        names = [name for (name,) in connection.execute(TABLES_SQL).fetchall()]
        counts = [(name, connection.execute(f"select count(*) from {name}").fetchone()[0]) for name in names]
        reports = connection.execute("select count(*) from marts.dim_report").fetchone()[0]
        problems = [Problem(*row) for row in connection.execute(QUARANTINE_SQL).fetchall()]
    quarantined = sorted({p.report_id for p in problems})
    rows = sum(n for name, n in counts if name.startswith("raw.") and name.removeprefix("raw.") not in STATE_TABLES)
    lines = [f"published {published}", f"reports: {reports}, raw rows: {rows}, {checks}, time: {summary.seconds:.1f}s"]
    lines += [f"  {name:<40} {n:>7} rows" for name, n in counts if not name.startswith("raw.")]
    for name, facts in summary.warnings:
        if name.endswith("report_arithmetic_consistent"):
            lines.append(
                f"warning {name}: {facts.get('mismatches', '?')} of {facts.get('rules_checked', '?')} "
                "reconciliation rules found a mismatch (see marts.reconciliation)"
            )
        elif NOT_FOUND in facts:
            lines.append(
                f"warning {name}: {facts[NOT_FOUND]} of {facts.get('cells_checked', '?')} numbers are not printed "
                "on the source line their ref names (`cloudfacts check` lists them)"
            )
        elif facts.get("why"):
            lines.append(f"warning {name}: {facts['why']}; the table is published empty")
    if quarantined:
        lines.append(
            printable(
                f"QUARANTINED {len(quarantined)} package(s), left out of this refresh (their earlier "
                f"rows, if any, are kept): {', '.join(quarantined)}"
            )
        )
        lines += [f"  {p}" for p in problems[:SHOWN_PROBLEMS]]
        if len(problems) > SHOWN_PROBLEMS:
            lines.append(f"  ... and {len(problems) - SHOWN_PROBLEMS} more (select * from raw.quarantine)")
    return "\n".join(lines), len(quarantined)
