"""The publish asset: the published file, replaced after every mart and sizing table succeeded.

Data decisions:
- It depends on every mart and sizing table, so Dagster runs it only when all
  of them (and their blocking checks) succeeded. The publishing itself is
  pipelines.warehouse.publishing.
- A full disk or an unwritable folder fails the step with one line; partial
  files are removed and the published file is untouched.
- The publish runs inside pipelines.warehouse.publish_guard: a Ctrl-C or
  SIGTERM lands before it (nothing published) or after it (published, and said so).
"""

import dagster as dg

from pipelines.defs.names import WRITER_POOL
from pipelines.defs.resources import WorkingFileResource, failing_in_one_line
from pipelines.warehouse.fault_pause import pause_at
from pipelines.warehouse.file_errors import explain
from pipelines.warehouse.publish_guard import publish_guard
from pipelines.warehouse.publishing import StateNotWritten, publish_working_file

PUBLISHED = dg.AssetKey(["published"])


def build_publish_asset(upstream: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        key=PUBLISHED,
        group_name="publish",
        deps=upstream,
        kinds={"duckdb"},
        pool=WRITER_POOL,
        description="The published DuckDB file that users query (CLOUDFACTS_WAREHOUSE), "
        "replaced after a successful build.",
    )
    def published(context: dg.AssetExecutionContext, working_file: WorkingFileResource) -> dg.MaterializeResult:
        paths = working_file.paths
        with failing_in_one_line(paths.published, writing_a_copy_of=paths.working), publish_guard() as interrupted:
            pause_at("publish")  # test hook (pipelines/warehouse/fault_pause.py)
            try:
                facts = publish_working_file(paths, context.run_id)  # Ctrl-C / SIGTERM land before or after it
            except StateNotWritten as error:  # the file is out: say so, not "nothing was published"
                raise dg.Failure(
                    description=f"{explain(error.__cause__) or error}; {paths.published} was published, "
                    "but not the state beside it, so the next refresh rebuilds"
                ) from None
        if interrupted:
            context.log.warning(
                f"{' and '.join(interrupted)} arrived during the publish; the publish was completed "
                f"first: {facts['path']} holds this run's build"
            )
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(facts["path"]),
                "tables": facts["tables"],
                "bytes": facts["bytes"],
                "reports_loaded": len(facts["loaded"]),
                "quarantined": dg.MetadataValue.json(sorted(facts["quarantined"])),
                "git_revision": facts["git_revision"],
            }
        )

    return published


def leaf_keys(assets_defs: list[dg.AssetsDefinition]) -> list[dg.AssetKey]:
    """Mart and sizing assets: what the published file must contain."""
    keys = [key for a in assets_defs for key in a.keys]
    return [k for k in keys if k.path[0] in ("marts", "sizing")]
