"""The synthetic packages of benchmarks/synthetic.py: valid, about facts_per_report rows each, deterministic."""

from __future__ import annotations

import csv
import dataclasses
import importlib.util
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from pipelines.intake import tables, vocabulary
from pipelines.intake.tables import FACT_TABLES, RAW_TABLES, TABLES_BY_NAME
from pipelines.intake.validation import validate_raw_dir
from tests.helpers import SIZING_COLUMNS, SIZING_COLUMNS_SQL, cloudfacts, sizing_columns

ROOT = Path(__file__).resolve().parent.parent


def load_synthetic():
    """benchmarks/synthetic.py, executed afresh (it reads the table specs when it is loaded)."""
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


synthetic = load_synthetic()


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def three(tmp_path_factory) -> tuple[Path, list[Path]]:
    root = tmp_path_factory.mktemp("synthetic") / "raw"
    return root, synthetic.generate(root, 3)


@pytest.fixture(scope="module")
def loaded(three):
    return validate_raw_dir(three[0])


def test_packages_are_valid(three, loaded):
    _, paths = three
    assert [p.name for p in paths] == ["synth-000000", "synth-000001", "synth-000002"]
    assert loaded.all_problems == []
    assert sorted(p.report_id for p in loaded.packages) == [p.name for p in paths]


def test_rows_per_package_are_about_facts_per_report(three, loaded):
    _, paths = three
    rows = defaultdict(int)
    for name, frame in loaded.frames.items():
        if name != "reports":
            for report_id, n in frame["report_id"].value_counts().items():
                rows[report_id] += n
    assert all(90 <= rows[p.name] <= 110 for p in paths), dict(rows)


def test_same_seed_and_number_give_the_same_bytes_whatever_n_and_start(three, tmp_path):
    _, paths = three
    again = synthetic.generate(tmp_path / "again", 2, start=1)
    assert [contents(p) for p in again] == [contents(p) for p in paths[1:]]
    single = synthetic.generate(tmp_path / "single", 1, start=2)
    assert contents(single[0]) == contents(paths[2])


def test_different_numbers_and_seeds_differ(three, tmp_path):
    _, paths = three
    assert contents(paths[0]) != contents(paths[1]) != contents(paths[2])
    other_seed = synthetic.generate(tmp_path / "seed1", 1, seed=1)
    assert contents(other_seed[0]) != contents(paths[0])


def test_rows_keep_the_constraints_the_dbt_tests_rely_on():
    """Checked on 200 packages in memory: vendor shares, IT-spend totals, metrics the typed tables own."""
    for number in range(200):
        _, rows = synthetic.build(0, number)
        columns = {t: TABLES_BY_NAME[t].columns for t in rows}
        shares = defaultdict(float)
        for table, value_column in (("vendor_share", "value"), ("saas_vendor_share", "share_pct")):
            c = columns.get(table, ())
            for row in rows.get(table, ()):
                shares[table, row[c.index("market")], row[c.index("period")]] += float(row[c.index(value_column)])
        assert max(shares.values(), default=0) <= 100, number
        c = columns.get("it_spend_by_segment", ())
        spend = [dict(zip(c, row, strict=True)) for row in rows.get("it_spend_by_segment", ())]
        for year in {r["year"] for r in spend}:
            parts = [int(r["spend"]) for r in spend if r["year"] == year and r["segment"] != "total"]
            totals = [int(r["spend"]) for r in spend if r["year"] == year and r["segment"] == "total"]
            assert not totals or totals == [sum(parts)], number
        for table in rows:
            if "metric" in columns[table]:
                metrics = {row[columns[table].index("metric")] for row in rows[table]}
                assert not metrics & {"it_spend", "cloud_revenue"}, (number, table)


def test_a_library_of_300_passes_every_package_rule(tmp_path):
    """Dates, segment totals, shares, magnitudes and sizing domains hold for every generated package."""
    synthetic.generate(tmp_path / "raw", 300)
    assert [str(p) for p in validate_raw_dir(tmp_path / "raw").all_problems] == []


def written(folder: Path) -> dict[str, list[dict[str, str]]]:
    """The rows of each table file of a package, by the header's column names."""
    found = {}
    for path in sorted(folder.glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            assert tuple(reader.fieldnames) == TABLES_BY_NAME[path.stem].columns, path
            found[path.stem] = list(reader)
    return found


def test_every_table_and_column_of_the_specs_is_written(tmp_path):
    """A table or column added to pipelines/intake/tables.py that the generator never fills fails here.
    The long tables share their tail (period, value, unit ...): it counts once for all of them."""
    filled = defaultdict(set)
    for folder in synthetic.generate(tmp_path / "raw", 60):
        for table, rows in written(folder).items():
            filled[table] |= {c for row in rows for c, v in row.items() if v}
    assert sorted(filled) == sorted(spec.name for spec in RAW_TABLES)
    tail = set().union(*(filled[spec.name] for spec in FACT_TABLES))
    never = [
        (spec.name, c)
        for spec in RAW_TABLES
        for c in spec.columns
        if c not in filled[spec.name] and not (spec in FACT_TABLES and c in tables.FACT_TAIL and c in tail)
    ]
    assert never == []


def test_a_long_table_added_to_the_specs_is_generated_in_its_own_column_order(monkeypatch, tmp_path):
    """No copy of the long tables or of their column order: a new spec, its tail in another order, is written right."""
    plain = tables.fact_table("example_shipments", ("vendor", "market", "metric"), "vendor")
    columns = plain.columns[:3] + tuple(reversed(plain.columns[3:]))
    shipments = dataclasses.replace(plain, columns=columns)
    assert shipments.name not in tables.TABLES_BY_NAME
    monkeypatch.setattr(tables, "FACT_TABLES", (*tables.FACT_TABLES, shipments))
    monkeypatch.setitem(tables.TABLES_BY_NAME, shipments.name, shipments)
    extended = load_synthetic()
    packages = [written(folder).get(shipments.name, []) for folder in extended.generate(tmp_path / "raw", 40)]
    rows = [row for package in packages for row in package]
    assert len(rows) >= 20
    units, metrics, entities = vocabulary.units(), vocabulary.metrics(), vocabulary.entities()
    assert [
        r
        for r in rows
        if not (
            r["unit"] in units
            and r["metric"] in metrics
            and r["vendor"] in entities
            and r["market"] in entities
            and r["qualifier"]
            and r["status"]
            and r["ref"]
        )
    ] == []
    assert all(isinstance(float(r["value"]), float) for r in rows)  # a text in the value column raises
    keys = [
        (n, r["vendor"], r["market"], r["metric"], r["period"]) for n, package in enumerate(packages) for r in package
    ]
    assert len(set(keys)) == len(keys)


def test_a_range_without_an_anchor_refreshes_with_empty_typed_sizing_tables(tmp_path):
    """No package states sizing_assumptions: the refresh still publishes (exit 0); every sizing table is there,
    empty, with the columns and types it has when it has rows, and its has_rows check warns in the summary."""
    paths = synthetic.generate(tmp_path / "raw", 2, start=1)
    assert not any((p / "sizing_assumptions.csv").exists() for p in paths)
    warehouse = tmp_path / "wh" / "cf.duckdb"
    run = cloudfacts("refresh", "--raw-dir", str(tmp_path / "raw"), "--warehouse", str(warehouse))
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"published {warehouse}" in run.stdout
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        assert sizing_columns(connection.execute(SIZING_COLUMNS_SQL).fetchall()) == SIZING_COLUMNS
        counts = {
            name: connection.execute(f"select count(*) from sizing.{name}").fetchone()[0] for name in SIZING_COLUMNS
        }
    assert counts == dict.fromkeys(SIZING_COLUMNS, 0)
    for name in SIZING_COLUMNS:
        assert f"  sizing.{name:<33} {0:>7} rows" in run.stdout
    warnings = sorted(line for line in run.stdout.splitlines() if line.startswith("warning sizing/"))
    assert warnings == [
        "warning sizing/compute_equivalent_gpus:has_rows: no intelligent_compute_capacity facts or no scenario "
        "with gpu_throughput to size; the table is published empty",
        "warning sizing/gpu_inference:has_rows: no scenario has the parameters of gpu_inference; "
        "the table is published empty",
        "warning sizing/gpu_training:has_rows: no scenario has the parameters of gpu_training; "
        "the table is published empty",
        "warning sizing/token_inference:has_rows: no tokens_processed_daily facts or no scenario "
        "with time_per_word to size; the table is published empty",
    ]
