"""The shape of the dbt project: a grain test on every mart, one conversion path, unions that name their columns.

Read from the dbt manifest (dbt/target/manifest.json, parsed when stale).
"""

import json
import re

from pipelines.defs.dbt_project import prepared_manifest
from pipelines.warehouse.paths import Paths

GRAIN_TESTS = {"unique", "unique_combination"}
# A union whose parts are `select *` (or matched by name) depends on the column order of its inputs.
UNNAMED_UNION = re.compile(
    r"union\s+(all\s+)?(by\s+name\s+)?\(?\s*select\s+\*|select\s+\*\s+from\s+\w+\s+union\b", re.I
)


def manifest() -> dict:
    return json.loads(prepared_manifest(Paths.resolve().dbt_vars()).read_text(encoding="utf-8"))


def models(nodes: dict) -> dict[str, dict]:
    return {n["unique_id"]: n for n in nodes.values() if n["resource_type"] == "model"}


def test_every_mart_has_a_grain_test():
    nodes = manifest()["nodes"]
    marts = {i for i, m in models(nodes).items() if m["schema"] == "marts"}
    tested = {
        n["attached_node"]
        for n in nodes.values()
        if n["resource_type"] == "test" and (n.get("test_metadata") or {}).get("name") in GRAIN_TESTS
    }
    assert len(marts) >= 12 and sorted(marts - tested) == []


def test_one_model_converts_units_and_currencies():
    nodes = manifest()["nodes"]
    for reference in ("stg_units", "stg_fx_rates"):
        readers = {
            m["name"] for m in models(nodes).values() if f"model.cloudfacts.{reference}" in m["depends_on"]["nodes"]
        }
        assert readers == {"int_facts_normalised"}, reference


def test_typed_marts_read_the_normalised_facts():
    nodes = models(manifest()["nodes"])
    for mart in ("fct_it_spend_by_segment", "fct_operator_cloud_revenue", "fct_sizing_assumption"):
        assert nodes[f"model.cloudfacts.{mart}"]["depends_on"]["nodes"] == ["model.cloudfacts.int_facts_normalised"]


def test_unions_name_their_columns():
    found = {m["name"] for m in models(manifest()["nodes"]).values() if UNNAMED_UNION.search(m["raw_code"])}
    assert found == set()
