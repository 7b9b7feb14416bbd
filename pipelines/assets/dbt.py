"""The dbt project as Dagster assets; dbt tests run as asset checks of the models they test."""


import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from pipelines.dbt_project import CloudfactsTranslator, dbt_project
from pipelines.resources import WAREHOUSE_POOL


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=CloudfactsTranslator(), project=dbt_project,
            pool=WAREHOUSE_POOL)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build"], context=context).stream()
