"""The Dagster definitions: one connected lineage raw -> staging -> marts -> sizing -> publish."""

import subprocess
import sys

import dagster as dg

from pipelines.definitions import defs as code_location
from pipelines.intake.tables import RAW_TABLES

defs = code_location()  # what Dagster does when it loads the code location


def graph():
    return defs.resolve_asset_graph()


def key(*path):
    return dg.AssetKey(list(path))


def upstream(asset_key):
    seen, todo = set(), [asset_key]
    while todo:
        for parent in graph().get(todo.pop()).parent_keys:
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def test_raw_assets_feed_staging_marts_and_sizing():
    for spec in RAW_TABLES:
        assert key("raw", spec.name) in graph().get(key("staging", f"stg_{spec.name}")).parent_keys
    assert key("raw", "reports") in graph().get(key("staging", "stg_reports")).parent_keys
    training = upstream(key("sizing", "gpu_training"))
    assert {
        key("marts", "fct_sizing_assumption"),
        key("staging", "stg_sizing_assumptions"),
        key("raw", "sizing_assumptions"),
        key("reference", "units"),
    } <= training


def test_publish_waits_for_every_mart_and_sizing_asset():
    parents = graph().get(key("published")).parent_keys
    marts = {k for k in graph().get_all_asset_keys() if k.path[0] in ("marts", "sizing")}
    assert marts and marts <= parents


def test_one_connected_graph():
    keys = set(graph().get_all_asset_keys())
    reached = upstream(key("published")) | {key("published")}
    assert keys == reached


def test_dbt_tests_are_asset_checks():
    checks = {(c.asset_key.to_user_string(), c.name) for c in graph().asset_check_keys}
    assert ("marts/fct_it_spend_by_segment", "assert_segments_sum_to_stated_total") in checks or any(
        name == "assert_segments_sum_to_stated_total" for _, name in checks
    )
    assert any(name == "assert_vendor_shares_at_most_100" for _, name in checks)
    assert ("marts/dim_report", "unique_dim_report_report_id") in checks
    assert ("raw/it_spend_by_segment", "values_valid") in checks


def test_groups_follow_layers():
    groups = {k.path[0]: graph().get(k).group_name for k in graph().get_all_asset_keys()}
    assert groups["staging"] == "staging" and groups["marts"] == "marts" and groups["sizing"] == "sizing"


def test_mart_columns_have_descriptions_in_the_ui():
    spec = next(
        s for a in defs.assets for s in getattr(a, "specs", []) if s.key == key("marts", "fct_it_spend_by_segment")
    )
    columns = spec.metadata["dagster/column_schema"].columns
    assert columns and all(c.description for c in columns)


IMPORT_SIDE_EFFECTS = """
import os, subprocess
before = dict(os.environ)
run = subprocess.run
def refuse_dbt(command, *args, **kwargs):
    if "dbt" in " ".join(map(str, command)):
        raise AssertionError(f"dbt was started at import: {command}")
    return run(command, *args, **kwargs)
subprocess.run = refuse_dbt
import pipelines.definitions
assert dict(os.environ) == before, set(os.environ.items()) ^ set(before.items())
"""


def test_importing_the_code_location_starts_nothing_and_leaves_the_environment_alone():
    result = subprocess.run([sys.executable, "-c", IMPORT_SIDE_EFFECTS], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_cli_loads_dagster_only_for_commands_that_need_it():
    probe = "import sys, pipelines.cli.main; print(sorted(m for m in sys.modules if m.split('.')[0] in ('dagster', 'dagster_dbt')))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
