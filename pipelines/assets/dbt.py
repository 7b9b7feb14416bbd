"""The dbt project as Dagster assets; dbt tests run as asset checks of the models they test.

Data decisions:
- Every run uses one fixed target folder (dbt/target/run) instead of
  dagster-dbt's fresh folder per run, so dbt's partial parse carries over and
  a run does not re-parse the whole project (about 3 s). The writer lock makes
  sure only one run uses it at a time.
"""

import shutil

import dagster as dg
from dagster_dbt import dbt_assets

from pipelines.dbt_project import CloudfactsTranslator, DbtCli, dbt_project
from pipelines.fault_pause import pause_at
from pipelines.resources import WAREHOUSE_POOL

RUN_TARGET = dbt_project.project_dir / "target" / "run"
PARTIAL_PARSE = "partial_parse.msgpack"


def warm_target() -> None:
    """Seed the run folder with the partial parse of the prepared manifest."""
    prepared = dbt_project.manifest_path.parent / PARTIAL_PARSE
    RUN_TARGET.mkdir(parents=True, exist_ok=True)
    if prepared.exists() and not (RUN_TARGET / PARTIAL_PARSE).exists():
        shutil.copyfile(prepared, RUN_TARGET / PARTIAL_PARSE)


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=CloudfactsTranslator(), project=dbt_project,
            pool=WAREHOUSE_POOL)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCli):
    warm_target()
    invocation = dbt.cli(["build"], context=context, target_path=RUN_TARGET)
    pause_at("dbt")  # test hook (pipelines/fault_pause.py): dbt is running now
    yield from invocation.stream()
