"""Every dbt model, and every column of the table it builds, has a description.

Descriptions are read from the dbt manifest (doc blocks rendered), columns from
the warehouse the real job built (marts in the published file, staging and
intermediate in the models file beside the working file), so a column added to a model without a line in
its YAML file, or a YAML line left behind for a dropped column, fails here.
"""

import json

import duckdb

from pipelines.defs.dbt_project import dbt_project, prepared_manifest
from pipelines.warehouse.paths import Paths

BUILT_COLUMNS = (
    "select table_schema, table_name, column_name from information_schema.columns "
    "where table_schema in ('staging', 'intermediate', 'marts') order by table_schema, table_name, ordinal_position"
)


def dbt_models() -> list[dict]:
    manifest = json.loads(prepared_manifest(Paths.resolve().dbt_vars()).read_text(encoding="utf-8"))
    return [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]


def built_columns(warehouse) -> list[tuple[str, str, str]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        connection.execute(f"attach '{Paths.resolve(warehouse).models}' as models (read_only)")
        return connection.execute(BUILT_COLUMNS).fetchall()


def test_every_model_and_built_column_is_described(built):
    built_tables: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in built_columns(built["warehouse"]):
        built_tables.setdefault((schema, table), []).append(column)
    problems = []
    for model in dbt_models():
        columns = built_tables.get((model["schema"], model["alias"]), [])
        described = {name for name, c in model["columns"].items() if c.get("description", "").strip()}
        if not columns:
            problems.append(f"{model['name']}: not built")
        if not model["description"].strip():
            problems.append(f"{model['name']}: no description")
        problems += [f"{model['name']}.{c}: no description" for c in columns if c not in described]
        problems += [
            f"{model['name']}.{c}: described but not in the table" for c in sorted(set(model["columns"]) - set(columns))
        ]
    assert problems == []


def test_every_model_file_is_a_documented_model():
    files = {p.stem for p in (dbt_project.project_dir / "models").rglob("*.sql")}
    assert files == {m["name"] for m in dbt_models()}
    assert {"stg_metrics", "int_facts_normalised", "fct_metric"} <= files
