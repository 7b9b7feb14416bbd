"""Typed columns, row counts and column lineage on the materializations of the seed refresh.

Expected values come from the files themselves: types and counts are asked of the published and
models files directly, descriptions of the dbt manifest and pipelines.intake.column_docs, and the
lineage is checked against what the SQL of each hop visibly computes.
"""

from __future__ import annotations

import json
from collections import deque

import duckdb
import pytest

from pipelines.defs.assets.dbt import RUN_TARGET
from pipelines.intake.column_docs import raw_column_description
from pipelines.warehouse import column_lineage
from pipelines.warehouse.paths import MODELS_DATABASE, Paths

TABLE_GROUPS = ("raw", "staging", "intermediate", "marts", "reference", "sizing")
MODELS_FILE_GROUPS = ("staging", "intermediate")


@pytest.fixture(scope="module")
def materialized(built) -> dict[str, dict]:
    return {
        event.asset_key.to_user_string(): event.materialization.metadata
        for event in built["result"].get_asset_materialization_events()
    }


@pytest.fixture(scope="module")
def lineage(materialized) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(asset, column) -> the (asset, column) pairs it reads, over every materialization."""
    edges = {}
    for key, metadata in materialized.items():
        if "dagster/column_lineage" in metadata:
            for column, deps in metadata["dagster/column_lineage"].column_lineage.deps_by_column.items():
                edges[key, column] = {(d.asset_key.to_user_string(), d.column_name) for d in deps}
    return edges


def path_to(lineage, start: tuple[str, str], goal: tuple[str, str]) -> list[tuple[str, str]]:
    """The shortest chain of column reads from start to goal, or [] if there is none."""
    before, todo = {start: None}, deque([start])
    while todo:
        here = todo.popleft()
        if here == goal:
            chain = [here]
            while before[chain[-1]] is not None:
                chain.append(before[chain[-1]])
            return chain[::-1]
        for step in sorted(lineage.get(here, ())):
            if step not in before:
                before[step] = here
                todo.append(step)
    return []


def _actual(built, key: str) -> tuple[list[tuple[str, str]], int]:
    """Columns and row count as the build left them: the working file, with the models file attached
    under the name dbt's SQL uses (its staging views read the working file's raw tables)."""
    paths = Paths.resolve(built["warehouse"], built["raw"])
    schema, name = key.split("/")
    with duckdb.connect(str(paths.working), read_only=True) as connection:
        connection.execute(f"attach '{paths.models}' as {MODELS_DATABASE} (read_only)")
        database = MODELS_DATABASE if schema in MODELS_FILE_GROUPS else paths.working.stem
        columns = connection.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position",
            [database, schema, name],
        ).fetchall()
        rows = connection.execute(f'select count(*) from "{database}"."{schema}"."{name}"').fetchone()[0]
    return columns, rows


def test_every_table_asset_has_its_columns_typed_and_its_row_count(built, materialized):
    tables = [key for key in materialized if key.split("/")[0] in TABLE_GROUPS]
    assert len(tables) >= 60  # 19 raw, 41 dbt models and seeds, 4 sizing tables
    for key in tables:
        metadata = materialized[key]
        columns, rows = _actual(built, key)
        shown = [(c.name, c.type) for c in metadata["dagster/column_schema"].schema.columns]
        assert shown == columns, key
        assert metadata["dagster/row_count"].value == rows, key


def test_typed_columns_carry_the_descriptions_of_the_dbt_yaml_and_the_raw_specs(materialized):
    manifest = json.loads((RUN_TARGET / "manifest.json").read_text(encoding="utf-8"))
    mart = materialized["marts/fct_it_spend_by_segment"]["dagster/column_schema"].schema.columns
    yaml_columns = manifest["nodes"]["model.cloudfacts.fct_it_spend_by_segment"]["columns"]
    assert {c.name: c.description for c in mart} == {n: c["description"] for n, c in yaml_columns.items()}
    for key in [k for k in materialized if k.startswith("raw/")]:
        for column in materialized[key]["dagster/column_schema"].schema.columns:
            assert column.description == raw_column_description(key.split("/")[1], column.name)
            assert column.description, f"{key}.{column.name} has no description in pipelines/intake/column_docs.py"


def test_spend_usd_m_traces_back_to_the_raw_spend_and_its_unit(lineage):
    start = ("marts/fct_it_spend_by_segment", "spend_usd_m")
    assert path_to(lineage, start, ("raw/it_spend_by_segment", "spend")) == [
        start,
        ("intermediate/int_facts_normalised", "value_usd"),
        ("intermediate/int_facts_unioned", "value"),
        ("staging/stg_it_spend_by_segment", "spend"),
        ("raw/it_spend_by_segment", "spend"),
    ]
    # the unit factor: value_usd looks up stg_units by the fact's unit
    assert ("intermediate/int_facts_unioned", "unit") in lineage["intermediate/int_facts_normalised", "value_usd"]
    assert path_to(lineage, start, ("raw/it_spend_by_segment", "unit"))


@pytest.mark.parametrize(
    ("mart_column", "raw_column"),
    [
        (("marts/fct_operator_cloud_revenue", "revenue_cny_100m"), ("raw/operator_cloud_revenue", "revenue")),
        (
            ("marts/fct_operator_cloud_revenue", "prior_period_revenue_cny_100m"),
            ("raw/operator_cloud_revenue", "stated_yoy_pct"),
        ),
        (("marts/fct_saas_vendor_share", "share_pct"), ("raw/saas_vendor_share", "share_pct")),
        (("marts/fct_sizing_assumption", "value_base"), ("raw/sizing_assumptions", "value")),
        (("marts/fct_metric", "value_usd"), ("raw/vendor_financials", "value")),
        (("sizing/gpu_training", "gpus"), ("raw/sizing_assumptions", "value")),
        (("sizing/token_inference", "gpus"), ("raw/token_volume", "value")),
    ],
)
def test_measure_columns_trace_back_to_raw(lineage, mart_column, raw_column):
    assert path_to(lineage, mart_column, raw_column)


def test_lineage_names_only_columns_that_exist(materialized, lineage):
    columns = {
        (key, c.name)
        for key, m in materialized.items()
        if "dagster/column_schema" in m
        for c in m["dagster/column_schema"].schema.columns
    }
    for (key, column), deps in lineage.items():
        assert (key, column) in columns
        assert deps <= columns, (key, column, deps - columns)
    # a key that the incremental filter reads is not a parent: it never shows as lineage
    assert not any(dep[0].startswith("meta/") for deps in lineage.values() for dep in deps)


def test_lineage_is_read_from_the_cache_of_its_pipeline_version(tmp_path):
    cached = {"model.cloudfacts.x": {"a": [["model.cloudfacts.y", "b"]]}}
    (tmp_path / column_lineage.CACHE_NAME.format(version="v1")).write_text(json.dumps(cached), encoding="utf-8")
    assert column_lineage.cached(tmp_path, "v1", {"nodes": {}, "sources": {}}, {}) == cached
    assert column_lineage.cached(tmp_path, "v2", {"nodes": {}, "sources": {}}, {}) == {}
    assert (tmp_path / column_lineage.CACHE_NAME.format(version="v2")).read_text(encoding="utf-8") == "{}"
