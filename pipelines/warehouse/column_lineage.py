"""Column-level lineage of every dbt model: which columns of its parents each of its columns is computed from.

Data decisions:
- Derived with sqlglot (which dagster-dbt already depends on) from each model's compiled SQL in the
  manifest dbt wrote for the build, qualified against the column schemas of its parents
  (pipelines.warehouse.relations), like dagster-dbt's own column lineage, minus its adapter calls.
- Only direct parents count: a dependency on a relation that is not a parent (meta.pending_reports in
  an incremental filter) is left out. A column whose SQL sqlglot cannot follow gets no entry rather
  than a guess; a model that fails to parse gets none at all.
- The result depends only on the code, so it is cached per pipeline version (pipeline_hash) in
  CACHE_NAME beside the manifest, written atomically; every later build with the same code reads it.
- A value looked up through a join (a unit's factor, a report's date) also depends on the columns of
  the other side that the join matches on: spend_usd_m reads `unit` through the unit factor. Self
  joins (a prior period of the same table) are not lookups and add nothing.
- Seeds have no lineage (they are files); sources are the raw assets.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path

from pipelines.warehouse.relations import Relation, RelationKey

DIALECT = "duckdb"
CACHE_NAME = "column-lineage-{version}.json"
Lineage = dict[str, dict[str, list[list[str]]]]  # model id -> column -> [[parent id, parent column], ...]
log = logging.getLogger(__name__)


def relation_key(relation_name: str) -> RelationKey:
    """The (database, schema, name) of a dbt relation_name such as \"cloudfacts\".\"marts\".\"fct_metric\"."""
    from sqlglot import exp

    table = exp.to_table(relation_name, dialect=DIALECT)
    return (table.catalog.lower(), table.db.lower(), table.name.lower())


def _table_key(table) -> RelationKey:
    return (table.catalog.lower(), table.db.lower(), table.name.lower())


def _leaves(node) -> set[tuple[RelationKey, str]]:
    """The base-table columns a lineage node reads."""
    from sqlglot import exp

    found = set()
    for step in node.walk():
        table = step.expression.find(exp.Table) if not step.downstream else None
        if table is not None:
            found.add((_table_key(table), exp.to_column(step.name).name.lower()))
    return found


def _base_tables(source, seen: set | None = None) -> set[RelationKey]:
    """The relations a scope (with the CTEs it reads) or a table reads."""
    from sqlglot import exp

    if isinstance(source, exp.Table):
        return {_table_key(source)}
    seen = set() if seen is None else seen
    found = set()
    for scope in source.traverse():
        for _, child in scope.selected_sources.values():  # not every CTE in view, only those read
            if id(child) not in seen:
                seen.add(id(child))
                found |= _base_tables(child, seen)
    return found


def _column_leaves(scope, table: str, column: str, schema) -> set[tuple[RelationKey, str]]:
    """The base-table columns behind `table`.`column` as read in scope (a table or a CTE/subquery)."""
    from sqlglot import exp
    from sqlglot.lineage import to_node

    source = scope.sources.get(table)
    if isinstance(source, exp.Table):
        return {(_table_key(source), column.lower())}
    return _leaves(to_node(column, source, DIALECT, schema=schema)) if source is not None else set()


def _join_rules(root, schema) -> list[tuple[set, set]]:
    """For each lookup join: the columns it looks up, and the key columns of the other side it looks them up by."""
    from sqlglot import exp

    rules = []
    for scope in root.traverse():
        main = scope.expression.args.get("from_")  # sqlglot >= 26 names it from_
        main_name = main.this.alias_or_name if main else ""
        main_tables = _base_tables(scope.sources[main_name]) if main_name in scope.sources else set()
        for join in scope.expression.args.get("joins") or []:
            alias, on = join.alias_or_name, join.args.get("on")
            if on is None or alias not in scope.sources or _base_tables(scope.sources[alias]) & main_tables:
                continue  # a self join is not a lookup
            keys = set(on.find_all(exp.Column))
            looked_up, driving = set(), set()
            for column in scope.columns:
                if column.table == alias and column not in keys:
                    looked_up |= _column_leaves(scope, alias, column.name, schema)
            for column in keys:
                if column.table != alias:
                    driving |= _column_leaves(scope, column.table, column.name, schema)
            rules.append((looked_up, driving))
    return rules


def _model_lineage(node: dict, manifest: dict, relations: dict[RelationKey, Relation]) -> dict[str, list[list[str]]]:
    from sqlglot import parse_one
    from sqlglot.lineage import lineage
    from sqlglot.optimizer.qualify import qualify
    from sqlglot.optimizer.scope import build_scope
    from sqlglot.schema import MappingSchema

    schema = MappingSchema(dialect=DIALECT)
    parents: dict[RelationKey, str] = {}
    for parent_id in node["depends_on"]["nodes"]:
        parent = (manifest["sources"] if parent_id.startswith("source.") else manifest["nodes"]).get(parent_id)
        if not parent or not parent.get("relation_name"):
            continue
        key = relation_key(parent["relation_name"])
        parents[key] = parent_id
        if key in relations:
            schema.add_table(".".join(key), dict(relations[key].columns), dialect=DIALECT)
    qualified = qualify(
        parse_one(node["compiled_code"], dialect=DIALECT),
        schema=schema,
        dialect=DIALECT,
        validate_qualify_columns=False,
        identify=False,
    )
    root = build_scope(qualified)
    rules = _join_rules(root, schema)
    found: dict[str, list[list[str]]] = {}
    for column, tree in lineage(None, qualified, schema=schema, dialect=DIALECT, scope=root, copy=False).items():
        leaves = _leaves(tree)
        for looked_up, driving in rules:  # a looked-up value also depends on the key it was looked up by
            if leaves & looked_up:
                leaves |= driving
        deps = {(parents[table], name) for table, name in leaves if table in parents}
        if deps:
            found[column.lower()] = sorted([list(d) for d in deps])
    return found


def derive(manifest: dict, relations: dict[RelationKey, Relation]) -> Lineage:
    """The lineage of every model of the manifest that has compiled code."""
    result: Lineage = {}
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] != "model" or not node.get("compiled_code"):
            continue
        try:
            result[unique_id] = _model_lineage(node, manifest, relations)
        except Exception as error:  # sqlglot raises many kinds; the lineage is then left out
            log.warning("no column lineage for %s: %s", unique_id, error)
    return result


def cached(folder: Path, version: str, manifest: dict, relations: dict[RelationKey, Relation]) -> Lineage:
    """The lineage of this pipeline version: read from the cache, or derived and written to it."""
    path = folder / CACHE_NAME.format(version=version)
    with contextlib.suppress(OSError, ValueError):
        return json.loads(path.read_text(encoding="utf-8"))
    lineage = derive(manifest, relations)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        partial.write_text(json.dumps(lineage, sort_keys=True), encoding="utf-8")
        os.replace(partial, path)
    except OSError:  # a cache that cannot be written is only slower next time
        partial.unlink(missing_ok=True)
    return lineage
