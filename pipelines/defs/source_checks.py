"""Asset checks of source verification: one per report package that carries a source.txt.

Data decisions:
- A check per package, on marts.source_verification, so the UI shows which
  report has numbers that are not printed where their refs say. A package
  without source.txt has nothing to verify (its cells are no_source) and gets
  no check, so 10,000 synthetic packages add no checks.
- The packages are those of raw/ when the definitions are built; a package
  added later gets its check when the code location is reloaded (every
  `cloudfacts refresh` builds it anew). A package whose rows are not loaded
  (quarantined, or removed since) passes with no cells checked.
- not_found is a finding to fix in the package, never a reason to block the
  publish: severity WARN. The metadata counts every status and lists the
  cells not found (the first 50) with the hint.
"""

from __future__ import annotations

import dagster as dg

from pipelines.defs.metadata import md_table
from pipelines.defs.names import WRITER_POOL
from pipelines.defs.resources import WorkingFileResource
from pipelines.intake.source_check import packages_with_source
from pipelines.intake.verification import NOT_FOUND, STATUSES
from pipelines.warehouse.paths import Paths

MART = dg.AssetKey(["marts", "source_verification"])
CHECK_PREFIX = "source_verified_"
CELLS_SQL = """
select m.report_id, m.source_table, m.source_line, m.column_name, m.value_as_written, m.ref, m.source_check,
    r.hint, m.source_excerpt
from marts.source_verification as m
left join raw.source_verification as r using (report_id, source_table, source_line, column_name)
where m.report_id in (select unnest(?::varchar[]))
order by all
"""


def check_name(report_id: str) -> str:
    """A Dagster check name for a package: report ids hold lowercase letters, digits and '-', never '_'."""
    return CHECK_PREFIX + report_id.replace("-", "_")


def build_source_checks(paths: Paths) -> list[dg.AssetChecksDefinition]:
    report_ids = packages_with_source(paths.raw_dir)
    if not report_ids:
        return []
    specs = [
        dg.AssetCheckSpec(
            check_name(r),
            asset=MART,
            description=f"Every number of {r} is printed on the line of source.txt its ref names.",
        )
        for r in report_ids
    ]

    @dg.multi_asset_check(specs=specs, name="source_verified", pool=WRITER_POOL)
    def source_verified(working_file: WorkingFileResource):
        with working_file.connect() as connection:
            cells = connection.execute(CELLS_SQL, [report_ids]).df()
        for report_id in report_ids:
            mine = cells[cells["report_id"] == report_id]
            missing = mine[mine["source_check"] == NOT_FOUND].drop(columns=["report_id", "source_check"])
            counts = mine["source_check"].value_counts()
            yield dg.AssetCheckResult(
                asset_key=MART,
                check_name=check_name(report_id),
                passed=missing.empty,
                severity=dg.AssetCheckSeverity.WARN,
                metadata={
                    "cells_checked": len(mine),
                    **{status: int(counts.get(status, 0)) for status in STATUSES},
                    "cells_not_found": md_table(missing),
                },
            )

    return [source_verified]
