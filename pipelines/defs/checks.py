"""Asset checks beyond the dbt tests: reconciliation findings of each report's own arithmetic.

Mismatches are findings, not failures: the check warns (it never blocks the
publish step) and lists the mismatches (the first 50) as metadata; marts.reconciliation holds all.
"""

import dagster as dg

from pipelines.defs.metadata import md_table
from pipelines.defs.names import WRITER_POOL
from pipelines.defs.resources import WorkingFileResource

MISMATCH_SQL = """
select report_id, rule, subject, stated_value, computed_value, gap, tolerance
from marts.reconciliation where status = 'mismatch' order by report_id, rule, subject
"""


@dg.asset_check(
    asset=dg.AssetKey(["marts", "reconciliation"]),
    name="report_arithmetic_consistent",
    pool=WRITER_POOL,
    description="Counts the places where a report's printed arithmetic does not add up.",
)
def reconciliation_mismatches(working_file: WorkingFileResource) -> dg.AssetCheckResult:
    with working_file.connect() as connection:
        mismatches = connection.execute(MISMATCH_SQL).df()
        checked = connection.execute("select count(*) from marts.reconciliation").fetchone()[0]
    return dg.AssetCheckResult(
        passed=mismatches.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"rules_checked": checked, "mismatches": len(mismatches), "findings": md_table(mismatches)},
    )
