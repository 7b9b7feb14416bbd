"""The dbt project as Dagster sees it, and the one translator of dbt nodes to asset keys.

Data decisions:
- Models get the key [schema, name] (e.g. marts/fct_metric) and the group of
  their layer; seeds live in `reference`. Sources keep the key that
  meta.dagster.asset_key gives them, so they join the raw assets.
- Importing this module runs nothing. prepared_manifest() parses the project
  when the manifest is missing or older than any dbt file (a fresh clone and
  an edited model both work without a separate step), once per process, like
  the Dagster Open Platform's prepare_if_dev behind @cache.
- The parse gets the same --vars as the build (the working file), so the
  build's partial parse starts from the prepared one instead of re-parsing.
- Runs start dbt through DBT_LAUNCHER (pipelines.warehouse.dbt_launcher),
  which ties dbt's life to the refresh that started it and holds the dbt lock.
"""

from __future__ import annotations

import os
import subprocess
import sys
from functools import cache
from pathlib import Path

from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject

from pipelines.project import DBT_PROJECT_DIR

# The dbt installed beside this Python, whatever PATH holds.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")
DBT_LAUNCHER = str(Path(sys.executable).parent / "cloudfacts-dbt")
DBT_SOURCES = ("models", "macros", "seeds", "tests", "dbt_project.yml", "profiles.yml")
dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def _newest_source_mtime() -> float:
    paths = [DBT_PROJECT_DIR / name for name in DBT_SOURCES]
    files = [f for p in paths for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file()]
    return max(f.stat().st_mtime for f in files)


@cache
def prepared_manifest(dbt_vars: str) -> Path:
    """The manifest of the dbt project, parsed first if any dbt file is newer."""
    manifest = dbt_project.manifest_path
    if not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime():
        subprocess.run(
            [
                DBT_EXECUTABLE,
                "parse",
                "--quiet",
                "--project-dir",
                str(dbt_project.project_dir),
                "--profiles-dir",
                str(dbt_project.profiles_dir),
                "--vars",
                dbt_vars,
            ],
            check=True,
        )
    return manifest


class CloudfactsTranslator(DagsterDbtTranslator):
    def get_asset_spec(self, manifest, unique_id, project):
        spec = super().get_asset_spec(manifest, unique_id, project)
        node = self.get_resource_props(manifest, unique_id)
        if node["resource_type"] == "source":
            return spec
        schema = node["config"].get("schema") or "reference"
        return spec.replace_attributes(key=[schema, node["name"]], group_name=schema)


class DbtCli(DbtCliResource):
    """dagster-dbt's dbt CLI resource, without its in-process dbt adapter.

    dagster-dbt builds a dbt-core adapter in the Dagster process before it starts
    dbt (about 2.7 s here), only to fetch row counts and column metadata, which
    cloudfacts does not ask for. The dbt subprocess is unchanged.
    """

    def _initialize_dbt_core_adapter(self, args):
        return None

    def cli(self, args, **kwargs):
        # dagster-dbt hands dbt a copy of os.environ and takes no other environment;
        # the launcher checks its parent against this pid.
        from pipelines.warehouse.dbt_launcher import PARENT_ENV

        os.environ[PARENT_ENV] = str(os.getpid())
        return super().cli(args, **kwargs)
