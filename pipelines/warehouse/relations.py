"""Columns, DuckDB types and row counts of the tables and views a refresh wrote, in two queries.

Data decisions:
- Asked of the working file after the build, with the models file attached (staging views and
  intermediate tables live there): one information_schema query for every column of the given
  schemas, one query of count(*) per relation, unioned. dagster-dbt's per-model adapter calls
  would cost about 2.7 s per refresh.
- Views (staging) are counted too; their count is that of the raw rows they project.
- Keys are (database, schema, name) in lower case, the parts of dbt's relation_name.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Relation:
    columns: tuple[tuple[str, str], ...]  # (name, DuckDB type), in table order
    rows: int


RelationKey = tuple[str, str, str]


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def describe(
    connection: duckdb.DuckDBPyConnection, schemas: list[str], names: list[str] | None = None
) -> dict[RelationKey, Relation]:
    """Every table and view of these schemas (only those called `names`, if given), in every attached database."""
    found = connection.execute(
        "select table_catalog, table_schema, table_name, column_name, data_type from information_schema.columns "
        "where table_schema in (select unnest(?::varchar[])) "
        "and (?::varchar[] is null or table_name in (select unnest(?::varchar[]))) "
        "order by table_catalog, table_schema, table_name, ordinal_position",
        [schemas, names, names],
    ).fetchall()
    columns: dict[RelationKey, list[tuple[str, str]]] = {}
    for database, schema, name, column, kind in found:
        columns.setdefault((database.lower(), schema.lower(), name.lower()), []).append((column, kind))
    if not columns:
        return {}
    counts = " union all ".join(
        f"select {i} as i, count(*) as n from {'.'.join(_identifier(part) for part in key)}"
        for i, key in enumerate(columns)
    )
    rows = dict(connection.execute(counts).fetchall())
    return {key: Relation(tuple(cols), rows[i]) for i, (key, cols) in enumerate(columns.items())}
