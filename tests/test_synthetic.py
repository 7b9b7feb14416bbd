"""The synthetic packages of benchmarks/synthetic.py: valid, about facts_per_report rows each, deterministic."""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from pathlib import Path

import pytest

from pipelines.intake.tables import TABLES_BY_NAME
from pipelines.intake.validation import validate_raw_dir

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
synthetic = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synthetic)


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
        spend = [dict(zip(c, row)) for row in rows.get("it_spend_by_segment", ())]
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
