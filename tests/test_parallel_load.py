"""Batches validated in worker processes load exactly what a one-batch-at-a-time load does.

Seven synthetic packages in batches of two (four batches), one of them broken in the
second batch: the parallel load (two spawned workers) and the sequential one must give
the same raw tables, the same quarantine, and leave no worker process behind.
"""

from __future__ import annotations

import multiprocessing
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.intake import fingerprint
from pipelines.intake.tables import RAW_TABLES
from pipelines.warehouse import loading, validation_pool
from pipelines.warehouse.loading import STATE_TABLES, load_incremental
from tests.test_synthetic import synthetic

PACKAGES = 7
BROKEN = "synth-000002"


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("parallel") / "raw"
    synthetic.generate(root, PACKAGES, facts_per_report=20)
    meta = root / BROKEN / "report.yaml"
    meta.write_text(re.sub(r"^published: .*$", "published: someday", meta.read_text(), flags=re.M))
    return root


def tables(working: Path) -> dict[str, list[tuple]]:
    names = [spec.name for spec in RAW_TABLES] + [name for name in STATE_TABLES if name != "reports"]
    with duckdb.connect(str(working), read_only=True) as connection:
        found = {name: sorted(connection.execute(f"select * from raw.{name}").fetchall(), key=repr) for name in names}
        found["reports"] = connection.execute("select report_id, package_hash from raw.reports order by 1").fetchall()
    return found


def load(raw: Path, working: Path, workers: int, monkeypatch) -> loading.LoadResult:
    monkeypatch.setattr(loading, "BATCH", 2)
    monkeypatch.setattr(validation_pool, "WORKERS", workers)
    monkeypatch.setattr(validation_pool, "AHEAD", workers + 1)
    with duckdb.connect(str(working)) as connection:
        return load_incremental(connection, raw)


def test_parallel_load_equals_sequential_load(raw, tmp_path, monkeypatch):
    parallel = load(raw, tmp_path / "parallel.duckdb", 2, monkeypatch)
    assert multiprocessing.active_children() == []
    sequential = load(raw, tmp_path / "sequential.duckdb", 1, monkeypatch)

    assert list(parallel.quarantined) == [BROKEN]
    assert [p.column for p in parallel.quarantined[BROKEN]] == ["published"]
    assert parallel.loaded == sequential.loaded == [f"synth-{n:06d}" for n in range(PACKAGES) if n != 2]
    loaded = tables(tmp_path / "parallel.duckdb")
    assert loaded == tables(tmp_path / "sequential.duckdb")
    assert [row[0] for row in loaded["reports"]] == parallel.loaded


def test_a_failing_batch_stops_the_load_and_keeps_the_batches_before(raw, tmp_path, monkeypatch):
    vanishing = tmp_path / "raw"
    synthetic.generate(vanishing, 5, facts_per_report=5)
    scan = fingerprint.scan(vanishing)
    shutil.rmtree(vanishing / "synth-000003")  # removed while the load runs
    monkeypatch.setattr(loading, "BATCH", 2)
    monkeypatch.setattr(validation_pool, "WORKERS", 2)
    monkeypatch.setattr(validation_pool, "AHEAD", 3)
    working = tmp_path / "failing.duckdb"
    with duckdb.connect(str(working)) as connection, pytest.raises(FileNotFoundError, match="synth-000003"):
        load_incremental(connection, vanishing, current=scan)
    assert multiprocessing.active_children() == []
    with duckdb.connect(str(working), read_only=True) as connection:
        loaded = [r for (r,) in connection.execute("select report_id from raw.reports order by 1").fetchall()]
    assert loaded == ["synth-000000", "synth-000001"]
