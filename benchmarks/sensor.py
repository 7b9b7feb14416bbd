"""Benchmark: evaluation time of new_report_sensor over 1,000 report packages.

Copies the packages under raw/ into a temporary raw directory under new names
until there are PACKAGES of them, then times, in one process:
- the first (cold) evaluation: no cursor, every file hashed;
- warm evaluations from the same cursor over an unchanged tree (stat calls only);
- evaluations after one package changed (one package re-hashed, one run requested).

Run with `.venv/bin/python benchmarks/sensor.py`.
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PACKAGES = int(os.environ.get("BENCH_PACKAGES", "1000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "7"))


def make_raw(root: Path) -> Path:
    raw = root / "raw"
    sources = sorted(p for p in (ROOT / "raw").iterdir() if p.is_dir())
    for i in range(PACKAGES):
        shutil.copytree(sources[i % len(sources)], raw / f"{i:04d}-{sources[i % len(sources)].name}")
    return raw


def timed(evaluate, cursor):
    start = time.perf_counter()
    result = evaluate(cursor)
    return (time.perf_counter() - start) * 1000, result


def report(label: str, samples: list[float]) -> None:
    print(
        f"{label:<34} median {statistics.median(samples):7.1f} ms  min {min(samples):7.1f}  "
        f"max {max(samples):7.1f}  (n={len(samples)})"
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="cloudfacts-sensor-bench-") as tmp:
        raw = make_raw(Path(tmp))
        import dagster as dg

        from pipelines.defs.definitions import build_definitions
        from pipelines.defs.sensors import SENSOR_NAME
        from pipelines.project import QUIET_ENV
        from pipelines.warehouse.paths import Paths

        os.environ.update(QUIET_ENV)
        defs = build_definitions(Paths.resolve(Path(tmp) / "wh" / "cloudfacts.duckdb", raw))

        sensor = defs.resolve_sensor_def(SENSOR_NAME)
        instance = dg.DagsterInstance.ephemeral()

        def evaluate(cursor):
            context = dg.build_sensor_context(cursor=cursor, instance=instance, definitions=defs)
            return sensor.evaluate_tick(context)

        files = sum(len(list(p.iterdir())) for p in raw.iterdir())
        print(f"{PACKAGES} packages, {files} files under {raw}")
        cold, first = timed(evaluate, None)
        assert len(first.run_requests) == 1
        cursor = first.cursor
        print(f"cursor: {len(cursor):,} characters")
        report("cold (first evaluation, no cursor)", [cold])

        warm = []
        for _ in range(REPEATS):
            ms, result = timed(evaluate, cursor)
            assert result.run_requests == [], "the tree did not change"
            warm.append(ms)
        report("warm, unchanged tree", warm)

        touched = []
        target = sorted(raw.iterdir())[PACKAGES // 2] / "report.yaml"
        for i in range(REPEATS):
            with open(target, "a", encoding="utf-8") as handle:
                handle.write(f"# bench edit {i}\n")
            ms, result = timed(evaluate, cursor)
            assert len(result.run_requests) == 1 and result.run_requests[0].tags["cloudfacts/changed"] == "1"
            touched.append(ms)
        report("one package changed", touched)


if __name__ == "__main__":
    main()
