"""The dbt project as Dagster sees it, and the one translator of dbt nodes to asset keys.

Data decisions:
- Models get the key [schema, name] (e.g. marts/fct_metric) and the group of
  their layer; seeds live in `reference`. Sources keep the key that
  meta.dagster.asset_key gives them, so they join the raw assets.
- The manifest is parsed when missing or older than any dbt file, so a fresh
  clone and an edited model both work without a separate step.
- Runs start dbt through DBT_LAUNCHER (pipelines.warehouse.dbt_launcher), which ties
  dbt's life to the refresh that started it and holds the dbt lock.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject

from pipelines.warehouse import settings

settings.export_environment()
# The dbt installed beside this Python, whatever PATH holds.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")
DBT_LAUNCHER = str(Path(sys.executable).parent / "cloudfacts-dbt")
dbt_project = DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)


def _newest_source_mtime() -> float:
    files = [p for d in ("models", "macros", "seeds", "tests") for p in (settings.DBT_PROJECT_DIR / d).rglob("*") if p.is_file()]
    files += [settings.DBT_PROJECT_DIR / "dbt_project.yml", settings.DBT_PROJECT_DIR / "profiles.yml"]
    return max(p.stat().st_mtime for p in files)


def ensure_manifest() -> None:
    manifest = dbt_project.manifest_path
    if manifest.exists() and manifest.stat().st_mtime >= _newest_source_mtime():
        return
    subprocess.run([DBT_EXECUTABLE, "parse", "--quiet", "--project-dir", str(dbt_project.project_dir),
                    "--profiles-dir", str(dbt_project.profiles_dir)], check=True)


ensure_manifest()


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

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002 - dagster-dbt 0.29's private hook
        return None

    def cli(self, args, **kwargs):
        # dagster-dbt copies os.environ into dbt's environment; the launcher checks its parent against it.
        from pipelines.warehouse.dbt_launcher import PARENT_ENV

        os.environ[PARENT_ENV] = str(os.getpid())
        return super().cli(args, **kwargs)
