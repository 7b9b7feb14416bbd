"""The dbt project as Dagster assets; dbt tests run as asset checks of the models they test.

Data decisions:
- Every run uses one fixed target folder (dbt/target/run) instead of
  dagster-dbt's fresh folder per run, so dbt's partial parse carries over and
  a run does not re-parse the whole project (about 3 s). The writer lock makes
  sure only one run uses it at a time.
- A build whose failures all trace to packages loaded since the last publish
  (pipelines.warehouse.build_quarantine) quarantines those packages and runs once more;
  events of the failed attempt are dropped, so each model and test reports once.
- Models are incremental, keyed by report (pipelines.warehouse.pending,
  dbt/macros/incremental.sql): a build rebuilds the reports changed since the
  last successful one, or everything (`--full-refresh`) when the run carries the
  tag cloudfacts/full_refresh=true, the pipeline changed, or most reports did.
- dbt is told the working file by --vars (pipelines.warehouse.paths), the
  same --vars the manifest was parsed with.
- Any other failure raises dg.Failure naming every failed node with dbt's own
  message, so the CLI and the run's failure metadata show the real cause.
- dbt never drops the table of a model that was removed or renamed; after a
  successful build, tables in dbt's schemas that the manifest no longer names
  are dropped, so a stale model is never published.
- Each model's and seed's materialization carries its typed columns, row count
  and column lineage (pipelines.defs.table_metadata), read in two queries after
  the build; the lineage is derived once per pipeline version and cached in
  the run folder.
"""

import contextlib
import json
import shutil

import dagster as dg
import duckdb
from dagster_dbt import dbt_assets

from pipelines.defs.dbt_project import CloudfactsTranslator, DbtCli, dbt_project, prepared_manifest
from pipelines.defs.names import FULL_REFRESH_TAG, WRITER_POOL
from pipelines.defs.resources import WorkingFileResource, failing_in_one_line
from pipelines.defs.table_metadata import dbt_materializations
from pipelines.intake.fingerprint import pipeline_hash
from pipelines.warehouse import build_quarantine, column_lineage, pending
from pipelines.warehouse.fault_pause import pause_at
from pipelines.warehouse.file_errors import explain
from pipelines.warehouse.paths import MODELS_DATABASE, Paths
from pipelines.warehouse.relations import describe
from pipelines.warehouse.working_file import models_attached

RUN_TARGET = dbt_project.project_dir / "target" / "run"
PARTIAL_PARSE = "partial_parse.msgpack"
SHOWN_FAILURES = 10


def warm_target() -> None:
    """Seed the run folder with the partial parse of the prepared manifest."""
    prepared = dbt_project.manifest_path.parent / PARTIAL_PARSE
    RUN_TARGET.mkdir(parents=True, exist_ok=True)
    if prepared.exists() and not (RUN_TARGET / PARTIAL_PARSE).exists():
        shutil.copyfile(prepared, RUN_TARGET / PARTIAL_PARSE)


def _build(context: dg.AssetExecutionContext, dbt: DbtCli, paths: Paths, full: bool) -> tuple[list, list[dict]]:
    """One `dbt build`: its Dagster events, and the nodes that failed."""
    args = ["build", "--vars", paths.dbt_vars(), *(["--full-refresh"] if full else [])]
    invocation = dbt.cli(args, context=context, target_path=RUN_TARGET, raise_on_error=False)
    pause_at("dbt")  # test hook (pipelines/warehouse/fault_pause.py): dbt is running now
    events = list(invocation.stream())
    if invocation.is_successful():
        return events, []
    failed = build_quarantine.failed_nodes(invocation.get_artifact("run_results.json"))
    return events, failed or [
        {"unique_id": "dbt.build", "status": "error", "message": str(invocation.get_error() or "dbt build failed")}
    ]


def _failure(failed: list[dict], note: str = "") -> dg.Failure:
    disk = explain(RuntimeError("\n".join(n.get("message") or "" for n in failed)))
    if disk:  # a full disk: one line instead of dbt's error for every model
        return dg.Failure(description=f"{disk}; nothing was published", metadata={"failed_nodes": len(failed)})
    lines = [
        f"{n['unique_id'].split('.')[-1]} ({n.get('status')}): {(n.get('message') or '').strip()}"
        for n in failed[:SHOWN_FAILURES]
    ]
    more = [f"... and {len(failed) - SHOWN_FAILURES} more"] if len(failed) > SHOWN_FAILURES else []
    return dg.Failure(
        description="dbt build failed" + note + ":\n" + "\n".join(lines + more),
        metadata={"failed_nodes": dg.MetadataValue.json([n["unique_id"] for n in failed])},
    )


def build_dbt_models(paths: Paths) -> dg.AssetsDefinition:
    @dbt_assets(
        manifest=prepared_manifest(paths.dbt_vars()),
        dagster_dbt_translator=CloudfactsTranslator(),
        project=dbt_project,
        pool=WRITER_POOL,
    )
    def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCli, working_file: WorkingFileResource):
        warm_target()
        paths = working_file.paths
        with failing_in_one_line(paths.published):
            full = _plan(context, working_file)
            events, failed = _build(context, dbt, paths, full)
            if failed:
                with working_file.connect() as connection:
                    culprits, untraced = build_quarantine.trace(connection, failed, paths.models)
                    if untraced or not culprits:
                        raise _failure(failed)
                    build_quarantine.restore_previous(connection, culprits)
                context.log.warning(f"quarantined at build time, retrying without them: {', '.join(sorted(culprits))}")
                events, failed = _build(context, dbt, paths, full)
                if failed:
                    raise _failure(failed, f" again after quarantining {', '.join(sorted(culprits))}")
            manifest = run_manifest()
            with working_file.connect() as connection:
                pending.record_build(connection, paths.models, pipeline_hash(), full)
                dropped = drop_orphans(connection, manifest)
                with models_attached(connection, paths.models):
                    relations = describe(connection, dbt_schemas(manifest))
        if dropped:
            context.log.info(f"dropped tables of models dbt no longer has: {', '.join(dropped)}")
        lineage = column_lineage.cached(RUN_TARGET, pipeline_hash(), manifest, relations)
        yield from dbt_materializations(events, manifest, relations, lineage, _asset_keys(manifest))

    return dbt_models


def _plan(context: dg.AssetExecutionContext, working_file: WorkingFileResource) -> bool:
    """Full refresh or incremental; a full refresh forgets the last build until it succeeds."""
    with working_file.connect() as connection:
        asked = context.run.tags.get(FULL_REFRESH_TAG) == "true"
        reason = (
            "asked for"
            if asked
            else pending.full_refresh_reason(connection, working_file.paths.models, pipeline_hash())
        )
        if reason:
            connection.execute(f"drop table if exists {pending.BUILD_TABLE}")
            context.log.info(f"dbt: full refresh ({reason})")
        else:
            context.log.info(f"dbt: incremental, {len(pending.pending_reports(connection))} report(s) to rebuild")
    return bool(reason)


def run_manifest() -> dict:
    """The manifest of the last build: what it ran, with each model's compiled SQL."""
    manifest = RUN_TARGET / "manifest.json"
    manifest = manifest if manifest.exists() else dbt_project.manifest_path
    return json.loads(manifest.read_text(encoding="utf-8"))


def dbt_schemas(manifest: dict) -> list[str]:
    """The schemas of dbt's models and seeds, and of its sources (the parents of staging)."""
    nodes = [n for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed")]
    return sorted({n["schema"] for n in nodes} | {s["schema"] for s in manifest["sources"].values()})


def _asset_keys(manifest: dict):
    """The translator's asset key of a model, seed or source, by unique id."""
    translator, keys = CloudfactsTranslator(), {}

    def asset_key(unique_id: str) -> dg.AssetKey:
        if unique_id not in keys:
            keys[unique_id] = translator.get_asset_spec(manifest, unique_id, dbt_project).key
        return keys[unique_id]

    return asset_key


def drop_orphans(connection, manifest: dict) -> list[str]:
    """Drop tables of the working file in dbt's schemas that no model or seed builds there; return their names.

    Staging and intermediate models live in the models file, so those schemas of the
    working file (an older layout built them there) are emptied and dropped too.
    """
    nodes = [n for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed")]
    built = {(n["schema"], n.get("alias") or n["name"]) for n in nodes if n["database"] != MODELS_DATABASE}
    schemas = sorted({n["schema"] for n in nodes})
    tables = connection.execute(
        "select schema_name, table_name from duckdb_tables() "
        "where database_name = current_database() and schema_name in (select unnest(?::varchar[]))",
        [schemas],
    ).fetchall()
    orphans = [f"{schema}.{name}" for schema, name in tables if (schema, name) not in built]
    for name in orphans:
        connection.execute(f"drop table {name}")
    for schema in sorted(set(schemas) - {schema for schema, _ in built}):
        with contextlib.suppress(duckdb.Error):  # something else is still in it: leave it
            connection.execute(f"drop schema if exists {schema}")
    return orphans
