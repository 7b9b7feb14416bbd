"""The dbt files generated from the table specs: up to date, and enough for a new long table to reach int_facts_unioned."""

from __future__ import annotations

import json
import shutil
import subprocess

from pipelines.defs.dbt_project import DBT_EXECUTABLE, dbt_project
from pipelines.intake import tables
from pipelines.warehouse import dbt_files

REGENERATE = "run `.venv/bin/python -m pipelines.warehouse.dbt_files` and commit what it writes"


def manifest_of(project) -> dict:
    subprocess.run(
        [DBT_EXECUTABLE, "parse", "--quiet", "--project-dir", str(project), "--profiles-dir", str(project)], check=True
    )
    return json.loads((project / "target" / "manifest.json").read_text(encoding="utf-8"))


def test_the_generated_dbt_files_are_up_to_date():
    assert dbt_files.stale() == [], REGENERATE


def test_every_long_table_flows_into_int_facts_unioned():
    nodes = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))["nodes"]
    parents = nodes["model.cloudfacts.int_facts_unioned"]["depends_on"]["nodes"]
    assert [s.name for s in tables.FACT_TABLES if f"model.cloudfacts.stg_{s.name}" not in parents] == []


def test_a_long_table_added_to_the_specs_is_staged_described_and_unioned(tmp_path, monkeypatch):
    """The spec alone (plus the generator run) gives the table a source, a documented staging model
    and a part in int_facts_unioned; a dropped table's generated files are removed."""
    shipments = tables.fact_table(
        "example_shipments",
        ("vendor", "market", "metric"),
        "vendor",
        description="Example shipments by vendor and market.",
    )
    assert shipments.name not in tables.TABLES_BY_NAME
    dropped = tables.FACT_TABLES[-1]
    kept = (*tables.FACT_TABLES[:-1], shipments)
    monkeypatch.setattr(dbt_files, "FACT_TABLES", kept)
    monkeypatch.setattr(dbt_files, "RAW_TABLES", (*tuple(s for s in dbt_files.RAW_TABLES if s != dropped), shipments))
    project = tmp_path / "dbt"
    shutil.copytree(dbt_project.project_dir, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    written = dbt_files.write(project)
    assert (
        f"models/staging/stg_{dropped.name}.sql" in written
        and not (project / f"models/staging/stg_{dropped.name}.sql").exists()
    )
    assert dbt_files.stale(project) == []

    nodes = manifest_of(project)["nodes"]
    model = nodes["model.cloudfacts.stg_example_shipments"]
    assert model["depends_on"]["nodes"] == ["source.cloudfacts.raw.example_shipments"]
    assert model["description"].startswith("Example shipments by vendor and market (example_shipments.csv)")
    assert "market=" in model["raw_code"] and {"entity", "market", "value", "source_line"} <= set(model["columns"])
    union = nodes["model.cloudfacts.int_facts_unioned"]["depends_on"]["nodes"]
    assert "model.cloudfacts.stg_example_shipments" in union and f"model.cloudfacts.stg_{dropped.name}" not in union


def test_the_staging_calls_are_those_written_by_hand_before():
    """Entity, fixed metric and market column are derived from the specs as they were spelt out by hand."""
    calls = {
        path.stem: path.read_text(encoding="utf-8").splitlines()[-1]
        for path in (dbt_project.project_dir / "models" / "staging").glob("stg_*.sql")
    }
    assert {
        name: calls[f"stg_{name}"] for name in ("metrics", "market_size", "vendor_share", "datacenter_projects")
    } == {
        "metrics": "{{ stg_fact_table('metrics', entity='entity') }}",
        "market_size": "{{ stg_fact_table('market_size', entity='market') }}",
        "vendor_share": "{{ stg_fact_table('vendor_share', entity='vendor', metric='market_share', market='market') }}",
        "datacenter_projects": "{{ stg_fact_table('datacenter_projects', entity='project') }}",
    }
