"""The table metadata every raw, dbt and sizing asset's materialization carries: typed columns, row count, lineage.

Data decisions:
- `dagster/column_schema`: every column with its DuckDB type (pipelines.warehouse.relations) and its
  description: the dbt YAML's for dbt models (from the manifest), pipelines.intake.column_docs' for raw
  tables, the sizing model's for sizing tables.
- `dagster/row_count`: count(*) of the table or view, asked once per step after it wrote.
- `dagster/column_lineage`: for dbt models from their compiled SQL (pipelines.warehouse.column_lineage),
  for sizing assets as they declare it; parents are named by their asset keys, so the UI can follow a
  mart column back to a raw column. A column without derived lineage has no entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import dagster as dg

from pipelines.warehouse.relations import Relation

COLUMN_SCHEMA, ROW_COUNT, COLUMN_LINEAGE = "dagster/column_schema", "dagster/row_count", "dagster/column_lineage"
ColumnDeps = Mapping[str, Iterable[tuple[dg.AssetKey, str]]]  # column -> (parent asset, parent column)


def table_metadata(relation: Relation, descriptions: Mapping[str, str], lineage: ColumnDeps | None = None) -> dict:
    columns = [
        dg.TableColumn(name, kind, description=descriptions.get(name) or None) for name, kind in relation.columns
    ]
    metadata = {COLUMN_SCHEMA: dg.TableSchema(columns=columns), ROW_COUNT: relation.rows}
    if lineage:
        metadata[COLUMN_LINEAGE] = dg.TableColumnLineage(
            {
                column: [dg.TableColumnDep(asset_key=key, column_name=name) for key, name in sorted(deps)]
                for column, deps in lineage.items()
                if deps
            }
        )
    return metadata


def dbt_materializations(events: list, manifest: dict, relations: dict, lineage: dict, asset_key) -> list:
    """dagster-dbt's events, each model's and seed's output with its table metadata added.

    asset_key(unique_id) gives the asset key of a model, seed or source (the translator's).
    """
    from pipelines.warehouse.column_lineage import relation_key

    typed = []
    for event in events:
        unique_id = getattr(event, "metadata", {}).get("unique_id")
        node = manifest["nodes"].get(getattr(unique_id, "value", unique_id)) if unique_id else None
        relation = relations.get(relation_key(node["relation_name"])) if node and node.get("relation_name") else None
        if not isinstance(event, dg.Output) or relation is None:
            typed.append(event)
            continue
        descriptions = {name: column.get("description", "") for name, column in node["columns"].items()}
        deps = {
            column: [(asset_key(parent), parent_column) for parent, parent_column in parents]
            for column, parents in lineage.get(node["unique_id"], {}).items()
        }
        typed.append(event.with_metadata({**event.metadata, **table_metadata(relation, descriptions, deps)}))
    return typed
