"""One bad package never stops the warehouse: quarantine before the build, at build time, and empty sizing.

Build-time quarantine is the fallback for what the package rules miss. To reach it with real dbt,
these tests switch the package rules off (validation.check_packages), so a package whose segments
do not add up passes intake and fails the dbt test assert_segments_sum_to_stated_total.
"""

from __future__ import annotations

import shutil

import duckdb
import pytest

from pipelines.intake import validation
from pipelines.warehouse.paths import DEFAULT_RAW_DIR
from tests.conftest import run_job
from tests.helpers import SWSC, cloudfacts, edit, seed_value

SOFTWARE_2022 = "select spend from raw.it_spend_by_segment where report_id = ? and segment = 'software' and year = 2022"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("bq")
    shutil.copytree(DEFAULT_RAW_DIR, root / "raw")
    assert run_job(root / "raw", root / "wh" / "cf.duckdb").success
    return root


@pytest.fixture
def site(published, tmp_path):
    for part in ("raw", "wh"):
        shutil.copytree(published / part, tmp_path / part)
    return tmp_path


def read(path, sql, *params):
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute(sql, params).fetchall()


def test_failing_dbt_test_quarantines_the_package_and_keeps_its_published_rows(site, monkeypatch):
    monkeypatch.setattr(validation, "check_packages", lambda *args, **kwargs: [])
    edit(site / "raw" / SWSC / "it_spend_by_segment.csv", "software,2022,783462,", "software,2022,783562,")
    result = run_job(site / "raw", site / "wh" / "cf.duckdb")
    assert result.success
    warehouse = site / "wh" / "cf.duckdb"
    # the published figure, not the bad one, is what the warehouse holds
    assert read(warehouse, SOFTWARE_2022, SWSC) == [
        (seed_value("it_spend_by_segment", "spend", segment="software", year="2022"),)
    ]
    [(report_id, rule)] = read(warehouse, "select report_id, rule from raw.quarantine")
    assert (report_id, rule) == (SWSC, "fails the build check assert_segments_sum_to_stated_total (1 row(s))")
    assert read(warehouse, "select count(*) from duckdb_schemas() where schema_name = 'raw_previous'") == [(0,)]
    checks = {
        e.asset_check_evaluation_data.check_name: e.asset_check_evaluation_data.passed
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }
    assert checks["assert_segments_sum_to_stated_total"] is True  # reported once: the retry's result


def test_failure_that_names_no_package_fails_loudly_with_its_cause(site, monkeypatch):
    monkeypatch.setattr(validation, "check_packages", lambda *args, **kwargs: [])
    edit(site / "raw" / SWSC / "report.yaml", "published: 2023-03", "published: 2024-02-31")
    before = (site / "wh" / "cf.duckdb").read_bytes()
    result = run_job(site / "raw", site / "wh" / "cf.duckdb")
    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    description = failure.step_failure_data.user_failure_data.description
    # stg_reports is a view: the first model that reads it fails, with the cause
    assert "dim_report (error)" in description and 'date field value out of range: "2024-02-31"' in description
    assert (site / "wh" / "cf.duckdb").read_bytes() == before


def test_bad_packages_beside_good_ones_publish_the_good_ones(site):
    """The issue's cases, each in its own package beside the seeds: one refresh, exit 2, every one quarantined."""
    raw = site / "raw"
    cases = {
        "2024-01-bad-date": ("report.yaml", "published: 2023-03", "published: 2024-02-31"),
        "2024-01-zero-utilization": ("sizing_assumptions.csv", "base,utilization,40,", "base,utilization,0,"),
        "2024-01-segments": ("it_spend_by_segment.csv", "software,2022,783462,", "software,2022,783562,"),
        "2024-01-shares": ("saas_vendor_share.csv", ",kingdee,5.8,", ",kingdee,95.8,"),
    }
    for report_id, (name, old, new) in cases.items():
        shutil.copytree(raw / SWSC, raw / report_id)
        edit(raw / report_id / name, old, new)
    (raw / "\udcca\udcfd\udcbe\udcdd").mkdir()
    warehouse = site / "wh" / "cf.duckdb"
    run = cloudfacts("refresh", "--raw-dir", str(raw), "--warehouse", str(warehouse))
    assert run.returncode == 2, run.stdout + run.stderr
    quarantined = {r for (r,) in read(warehouse, "select distinct report_id from raw.quarantine")}
    assert quarantined == {*cases, "\\xca\\xfd\\xbe\\xdd"}
    assert read(warehouse, "select count(*) from marts.dim_report") == [(2,)]
    assert "QUARANTINED 5 package(s)" in run.stdout


def test_nothing_to_size_publishes_empty_sizing_tables_and_warns(site):
    (site / "raw" / SWSC / "sizing_assumptions.csv").unlink()
    result = run_job(site / "raw", site / "wh" / "cf.duckdb")
    assert result.success
    warehouse = site / "wh" / "cf.duckdb"
    for name, column in [
        ("gpu_training", "gpus"),
        ("gpu_inference", "gpus"),
        ("token_inference", "gpus"),
        ("compute_equivalent_gpus", "accelerators"),
    ]:
        assert read(warehouse, f"select count(*) from sizing.{name}") == [(0,)]
        [(kind,)] = read(
            warehouse,
            "select data_type from information_schema.columns where table_schema = 'sizing' "
            "and table_name = ? and column_name = ?",
            name,
            column,
        )
        assert kind == "BIGINT"
    warned = {
        e.asset_check_evaluation_data.asset_key.path[-1]
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and e.asset_check_evaluation_data.check_name == "has_rows"
        and not e.asset_check_evaluation_data.passed
    }
    assert warned == {"gpu_training", "gpu_inference", "token_inference", "compute_equivalent_gpus"}


def test_tables_of_removed_models_are_not_published(site):
    """dbt leaves the table of a removed model behind (int_it_spend_usd after its model went); the build drops it,
    and the staging and intermediate schemas an older layout built in the working file."""
    working = site / "wh" / ".build" / "cf.duckdb"
    with duckdb.connect(str(working)) as connection:
        connection.execute("create table marts.fct_gone as select 1 as stale")
        connection.execute("create schema intermediate")
        connection.execute("create table intermediate.int_it_spend_usd as select 1 as stale")
        connection.execute("create table raw.kept_by_hand as select 1 as mine")  # not a dbt schema: left alone
    assert run_job(site / "raw", site / "wh" / "cf.duckdb").success
    tables = {
        f"{s}.{t}" for s, t in read(site / "wh" / "cf.duckdb", "select schema_name, table_name from duckdb_tables()")
    }
    assert "marts.fct_gone" not in tables and "intermediate.int_it_spend_usd" not in tables
    assert {"raw.kept_by_hand", "marts.fct_metric"} <= tables
    schemas = {s for (s,) in read(site / "wh" / "cf.duckdb", "select schema_name from duckdb_schemas()")}
    assert {"staging", "intermediate"} & schemas == set()
    models = {t for (t,) in read(site / "wh" / ".build" / "cf.models.duckdb", "select table_name from duckdb_tables()")}
    assert {"int_facts_normalised", "int_fact_pairs", "int_touched_figures"} <= models
