"""Publishing: the working file replaces the published warehouse only after a whole successful build.

Data decisions:
- The publish asset depends on every mart and sizing table, so Dagster runs it
  only when all of them (and their blocking checks) succeeded.
- The copy lands beside the published file and is renamed over it in one step
  (os.replace), so readers never see a half-written warehouse.
"""


import os
import shutil

import dagster as dg
import duckdb

from pipelines import settings
from pipelines.assets.sizing import sizing_assets

PUBLISHED = dg.AssetKey(["warehouse"])


def publish_working_file() -> dict:
    working, published = settings.working_path(), settings.warehouse_path()
    with duckdb.connect(str(working)) as connection:
        connection.execute("checkpoint")
        tables = connection.execute(
            "select count(*) from information_schema.tables where table_schema not in ('information_schema', 'pg_catalog')"
        ).fetchone()[0]
    published.parent.mkdir(parents=True, exist_ok=True)
    incoming = published.with_name(f".{published.name}.incoming")
    shutil.copyfile(working, incoming)
    os.replace(incoming, published)
    return {"path": str(published), "tables": tables, "bytes": published.stat().st_size}


def build_publish_asset(upstream: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(key=PUBLISHED, group_name="publish", deps=upstream, kinds={"duckdb"},
              description="The published warehouse file (CLOUDFACTS_WAREHOUSE), replaced after a successful build.")
    def warehouse() -> dg.MaterializeResult:
        facts = publish_working_file()
        return dg.MaterializeResult(metadata={
            "path": dg.MetadataValue.path(facts["path"]),
            "tables": facts["tables"],
            "bytes": facts["bytes"],
        })

    return warehouse


def leaf_keys(assets_defs: list[dg.AssetsDefinition]) -> list[dg.AssetKey]:
    """Mart and sizing assets: what the published file must contain."""
    keys = [key for a in assets_defs for key in a.keys]
    return [k for k in keys if k.path[0] in ("marts", "sizing")]


__all__ = ["build_publish_asset", "leaf_keys", "sizing_assets"]
