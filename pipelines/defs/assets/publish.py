"""Publishing: the working file replaces the published warehouse only after a whole successful build.

Data decisions:
- The publish asset depends on every mart and sizing table, so Dagster runs it
  only when all of them (and their blocking checks) succeeded.
- The working file is checkpointed, copied beside the published file, flushed
  to disk and renamed over it (os.replace), then the folder is flushed: a
  reader sees the old file or the new one, never a mix, and a crash at any
  point leaves the old file byte for byte.
- Before the copy, the working file is rewritten into a new file (COPY FROM
  DATABASE): the free blocks that every rebuild leaves are dropped, so the
  file does not grow from refresh to refresh, and each published file gets a
  database identifier of its own, so DuckDB refuses a WAL written for an
  older published file instead of replaying it (pipelines.warehouse.stray_wal).
- The published file is never opened for writing, so a reader holding it open
  (even read-write) cannot block a refresh; the reader's next connection sees
  the new file. It is published read-only (0444) so that read-write opens
  fail; `<published>.wal`, which can only belong to the file being replaced,
  is removed just before and after the rename.
- A full disk or an unwritable folder fails the step with one line; partial
  files are removed and the published file is untouched.
- meta.build inside the file and <name>.publish.json beside it say what was built.
- The publish runs inside pipelines.warehouse.publish_guard: a Ctrl-C or SIGTERM lands
  before it (nothing published) or after it (published, and said so).
"""

import shutil
import uuid
from datetime import datetime, timezone

import dagster as dg
import duckdb

from pipelines.warehouse import settings
from pipelines.defs.assets.sizing import sizing_assets
from pipelines.warehouse.build_quarantine import clear_previous
from pipelines.warehouse.file_errors import describe
from pipelines.warehouse.fault_pause import pause_at
from pipelines.intake.fingerprint import pipeline_hash
from pipelines.warehouse.published import git_revision, replace_atomically, write_state
from pipelines.defs.resources import WAREHOUSE_POOL, compact_working_file, failing_in_one_line
from pipelines.warehouse.stray_wal import wal_path
from pipelines.warehouse.publish_guard import publish_guard

PUBLISHED = dg.AssetKey(["warehouse"])
# Read-only for everyone: a read-write open fails for every user but root (root ignores file modes).
PUBLISHED_MODE = 0o444
STATE_SQL = {
    "loaded": "select report_id, package_hash from raw.reports order by 1",
    "quarantined": "select report_id, any_value(package_hash), count(*) from raw.quarantine group by 1 order by 1",
}


def _record_build(connection, run_id: str) -> dict:
    build = {"built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "run_id": run_id,
             "git_revision": git_revision(), "pipeline_hash": pipeline_hash()}
    connection.execute("create schema if not exists meta")
    connection.execute("create or replace table meta.build (built_at timestamptz, run_id varchar, git_revision varchar, "
                       "pipeline_hash varchar)")
    connection.execute("insert into meta.build values (?, ?, ?, ?)", list(build.values()))
    loaded = dict(connection.execute(STATE_SQL["loaded"]).fetchall())
    quarantined = {r: {"hash": h, "problems": n} for r, h, n in connection.execute(STATE_SQL["quarantined"]).fetchall()}
    seen = loaded | {r: q["hash"] for r, q in quarantined.items()}
    return {**build, "loaded": loaded, "quarantined": quarantined, "packages": seen}


def publish_working_file(run_id: str = "") -> dict:
    working, published = settings.working_path(), settings.warehouse_path()
    with duckdb.connect(str(working)) as connection:
        state = _record_build(connection, run_id or str(uuid.uuid4()))
        clear_previous(connection)  # what it kept is what this publish replaces
        connection.execute("checkpoint")
        state["tables"] = connection.execute(
            "select count(*) from duckdb_tables() where schema_name not in ('information_schema', 'pg_catalog')"
        ).fetchone()[0]
    compact_working_file()
    with open(working, "rb") as source:
        replace_atomically(published, lambda handle: shutil.copyfileobj(source, handle, 1 << 24),
                           mode=PUBLISHED_MODE, stale=wal_path(published))
    state["bytes"] = published.stat().st_size
    try:
        write_state(state, published)
    except OSError as error:  # the file is out: say so, not "nothing was published"
        raise dg.Failure(description=f"{describe(error) or error}; {published} was published, but not the state "
                                     f"beside it, so the next refresh rebuilds") from None
    return {"path": str(published), **state}


def build_publish_asset(upstream: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(key=PUBLISHED, group_name="publish", deps=upstream, kinds={"duckdb"}, pool=WAREHOUSE_POOL,
              description="The published warehouse file (CLOUDFACTS_WAREHOUSE), replaced after a successful build.")
    def warehouse(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        with failing_in_one_line(writing_a_copy_of=settings.working_path()), publish_guard() as interrupted:
            pause_at("publish")  # test hook (pipelines/warehouse/fault_pause.py)
            facts = publish_working_file(context.run_id)  # Ctrl-C / SIGTERM land before or after it, never inside
        if interrupted:
            context.log.warning(f"{' and '.join(interrupted)} arrived during the publish; the publish was completed "
                                f"first: {facts['path']} holds this run's build")
        return dg.MaterializeResult(metadata={
            "path": dg.MetadataValue.path(facts["path"]),
            "tables": facts["tables"],
            "bytes": facts["bytes"],
            "reports_loaded": len(facts["loaded"]),
            "quarantined": dg.MetadataValue.json(sorted(facts["quarantined"])),
            "git_revision": facts["git_revision"],
        })

    return warehouse


def leaf_keys(assets_defs: list[dg.AssetsDefinition]) -> list[dg.AssetKey]:
    """Mart and sizing assets: what the published file must contain."""
    keys = [key for a in assets_defs for key in a.keys]
    return [k for k in keys if k.path[0] in ("marts", "sizing")]


__all__ = ["build_publish_asset", "leaf_keys", "sizing_assets"]
