"""Incremental dbt builds equal full builds, after any sequence of added, changed and removed reports.

A property test over random sequences on small synthetic libraries: after every step
the same raw rows are built twice, incrementally (only meta.pending_reports) and with
--full-refresh, and every mart must come out the same. The loader and dbt are real;
Dagster is left out because it adds nothing to what is compared. Sequences: the seeds
in SEEDS, or CLOUDFACTS_PROPERTY_SEEDS (comma-separated) for a longer search.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.intake.fingerprint import pipeline_hash
from pipelines.project import DBT_PROJECT_DIR
from pipelines.warehouse import pending
from pipelines.warehouse.loading import load_incremental
from tests.test_synthetic import synthetic

SEEDS = [int(s) for s in os.environ.get("CLOUDFACTS_PROPERTY_SEEDS", "1,2").split(",")]
STEPS = 4
LIBRARY = 5  # packages at the start
FACTS = 40  # per package: small, but reports still restate each other's figures
DBT = Path(sys.executable).parent / "dbt"
PUBLISHED_LINE = re.compile(r"^published: .*$", re.MULTILINE)


def models_file(working: Path) -> Path:
    return working.with_suffix(".models.duckdb")


def dbt_build(working: Path, full: bool) -> None:
    target = f"target/property-{'full' if full else 'incremental'}"  # each keeps its own partial parse
    dbt_vars = {"working_file": str(working), "models_file": str(models_file(working))}
    args = [str(DBT), "build", "--quiet", "--vars", json.dumps(dbt_vars)]
    args += ["--target-path", target, "--exclude-resource-type", "test", "unit_test"]
    done = subprocess.run(
        args + (["--full-refresh"] if full else []), cwd=DBT_PROJECT_DIR, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with duckdb.connect(str(working)) as connection:
        pending.record_build(connection, models_file(working), pipeline_hash(), full)


def load(working: Path, raw: Path) -> None:
    with duckdb.connect(str(working)) as connection:
        load_incremental(connection, raw)


def marts(working: Path) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(working), read_only=True) as connection:
        names = [
            n
            for (n,) in connection.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
            ).fetchall()
        ]
        return {n: connection.execute(f"select * from marts.{n} order by all").df() for n in names}


def step(rng: random.Random, raw: Path, next_number: list[int]) -> str:
    """One random change to the library; returns what it did."""
    packages = sorted(raw.iterdir())
    kind = rng.choice(["add", "change", "remove", "same_date"] if len(packages) > 2 else ["add"])
    if kind == "add":
        synthetic.generate(raw, 1, start=next_number[0], facts_per_report=FACTS)
        next_number[0] += 1
        return f"add synth-{next_number[0] - 1:06d}"
    target = rng.choice(packages)
    if kind == "remove":
        shutil.rmtree(target)
    elif kind == "change":  # the same report id with other figures and another publication date
        number = int(target.name.split("-")[1])
        shutil.rmtree(target)
        synthetic.generate(raw, 1, start=number, seed=rng.randrange(1, 1000), facts_per_report=FACTS)
    else:  # the earlier of two reports moves to the later one's date: vintages tie, report_id decides
        pair = [target, rng.choice([p for p in packages if p != target])]
        dates = [PUBLISHED_LINE.search((p / "report.yaml").read_text(encoding="utf-8")).group(0) for p in pair]
        target = pair[dates.index(min(dates))]  # moving later never turns an actual figure into a future one
        text = (target / "report.yaml").read_text(encoding="utf-8")
        (target / "report.yaml").write_text(PUBLISHED_LINE.sub(max(dates), text), encoding="utf-8")
    return f"{kind} {target.name}"


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_incremental_builds_equal_full_builds_after_random_changes(tmp_path, seed):
    rng = random.Random(seed)
    raw = tmp_path / "raw"
    start = rng.randrange(0, 5000)
    synthetic.generate(raw, LIBRARY, start=start, facts_per_report=FACTS)
    next_number = [start + LIBRARY]
    incremental, full = tmp_path / "incremental.duckdb", tmp_path / "full.duckdb"
    load(incremental, raw)
    dbt_build(incremental, full=True)
    history = []
    for _ in range(STEPS):
        history.append(step(rng, raw, next_number))
        load(incremental, raw)
        shutil.copyfile(incremental, full)
        shutil.copyfile(models_file(incremental), models_file(full))
        dbt_build(incremental, full=False)
        dbt_build(full, full=True)
        built, expected = marts(incremental), marts(full)
        assert built.keys() == expected.keys()
        assert sum(len(f) for f in expected.values()) > 0
        for name, frame in expected.items():
            pd.testing.assert_frame_equal(
                built[name], frame, check_exact=False, rtol=1e-9, obj=f"{name} after {history}"
            )
