"""Dagster definitions of cloudfacts: raw -> dbt (staging, intermediate, marts) -> sizing -> publish.

Data decisions:
- build_definitions(paths) assembles them for one warehouse; the paths are
  resolved once at the edge (the CLI, or `Paths.resolve()` from the
  environment when Dagster loads the code location `pipelines.definitions:defs`)
  and travel into the resources, sensor and schedule as arguments.
- Building them prepares the dbt manifest if it is stale (dbt parse); importing
  this module does neither, and nothing here changes os.environ.
- Everything runs in one process: DuckDB allows one writer to a file, and the
  steps are small, so separate step processes would only add start-up time.
- Downstream models and sizing update in the same run as the raw load (one job,
  JOB_NAME), not through declarative automation: the publish step must see
  raw, dbt and sizing succeed together before it swaps the file, and one run
  is one unit that the writer lock and the pool can serialise.
- Triggers: new_report_sensor (on any package change) and daily_refresh (a
  backstop that skips when nothing changed); both run by default under
  `cloudfacts ui`. `cloudfacts refresh` runs the same job from the shell.
"""

from __future__ import annotations

from functools import cache

import dagster as dg

from pipelines.defs.assets.dbt import build_dbt_models
from pipelines.defs.assets.publish import build_publish_asset, leaf_keys
from pipelines.defs.assets.raw import raw_assets
from pipelines.defs.assets.sizing import sizing_assets
from pipelines.defs.assets.sizing_facts import fact_sizing_assets
from pipelines.defs.checks import reconciliation_mismatches
from pipelines.defs.dbt_project import DBT_LAUNCHER, DbtCli, dbt_project
from pipelines.defs.names import DBT_RESOURCE, JOB_NAME, WORKING_FILE_RESOURCE
from pipelines.defs.resources import WorkingFileResource
from pipelines.defs.schedules import build_daily_refresh
from pipelines.defs.sensors import build_new_report_sensor
from pipelines.defs.source_checks import build_source_checks
from pipelines.warehouse.paths import Paths


@cache
def build_definitions(paths: Paths) -> dg.Definitions:
    built_assets = [*raw_assets, build_dbt_models(paths), *sizing_assets, *fact_sizing_assets]
    refresh_job = dg.define_asset_job(
        JOB_NAME,
        selection=dg.AssetSelection.all(),
        description="Load every report package, build the dbt models and sizing, then publish.",
        executor_def=dg.in_process_executor,
    )
    return dg.Definitions(
        assets=[*built_assets, build_publish_asset(leaf_keys(built_assets))],
        asset_checks=[reconciliation_mismatches, *build_source_checks(paths)],
        jobs=[refresh_job],
        schedules=[build_daily_refresh(refresh_job, paths)],
        sensors=[build_new_report_sensor(refresh_job, paths)],
        resources={
            WORKING_FILE_RESOURCE: WorkingFileResource.of(paths),
            DBT_RESOURCE: DbtCli(project_dir=dbt_project, dbt_executable=DBT_LAUNCHER),
        },
        executor=dg.in_process_executor,
    )
