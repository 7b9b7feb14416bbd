"""Dagster definitions of cloudfacts: raw -> dbt (staging, intermediate, marts) -> sizing -> publish.

Data decisions:
- Everything runs in one process: DuckDB allows one writer to a file, and the
  steps are small, so separate step processes would only add start-up time.
- Downstream models and sizing update in the same run as the raw load (one job,
  `refresh`), not through declarative automation: the publish step must see
  raw, dbt and sizing succeed together before it swaps the file, and one run
  is one unit that the writer lock and the pool can serialise.
- Triggers: new_report_sensor (on any package change) and daily_refresh (a
  backstop that skips when nothing changed); both run by default under
  `cloudfacts ui`. `cloudfacts refresh` runs the same job from the shell.
"""

from __future__ import annotations

import dagster as dg

from pipelines.defs.assets.dbt import dbt_models
from pipelines.defs.assets.publish import build_publish_asset, leaf_keys
from pipelines.defs.assets.raw import raw_assets
from pipelines.defs.assets.sizing import sizing_assets
from pipelines.defs.assets.sizing_facts import fact_sizing_assets
from pipelines.defs.checks import reconciliation_mismatches
from pipelines.defs.dbt_project import DBT_LAUNCHER, DbtCli, dbt_project
from pipelines.defs.resources import WarehouseResource
from pipelines.defs.schedules import build_daily_refresh
from pipelines.defs.sensors import build_new_report_sensor

built_assets = [*raw_assets, dbt_models, *sizing_assets, *fact_sizing_assets]
publish = build_publish_asset(leaf_keys(built_assets))

refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    description="Load every report package, build the dbt models and sizing, then publish.",
    executor_def=dg.in_process_executor,
)

defs = dg.Definitions(
    assets=[*built_assets, publish],
    asset_checks=[reconciliation_mismatches],
    jobs=[refresh_job],
    schedules=[build_daily_refresh(refresh_job)],
    sensors=[build_new_report_sensor(refresh_job)],
    resources={
        "warehouse": WarehouseResource(),
        "dbt": DbtCli(project_dir=dbt_project, dbt_executable=DBT_LAUNCHER),
    },
    executor=dg.in_process_executor,
)
