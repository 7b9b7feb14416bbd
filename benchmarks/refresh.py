"""Benchmark: wall time of a repeated `cloudfacts refresh` and of `dbt build` alone, as medians.

Run with `make bench` after `make warehouse`. Both are measured in the same run,
alternating, so the ratio is comparable even on a noisy machine.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    os.environ.setdefault("CLOUDFACTS_WAREHOUSE", str(ROOT / "warehouse" / "cloudfacts.duckdb"))
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    refresh, dbt = [], []
    for _ in range(RUNS):
        refresh.append(timed([str(BIN / "cloudfacts"), "refresh"], ROOT))
        dbt.append(timed([str(BIN / "dbt"), "build", "--quiet"], ROOT / "dbt"))
    r, d = statistics.median(refresh), statistics.median(dbt)
    print(f"runs: {RUNS}")
    print(f"cloudfacts refresh: median {r:.2f}s  (all: {', '.join(f'{x:.2f}' for x in refresh)})")
    print(f"dbt build alone:    median {d:.2f}s  (all: {', '.join(f'{x:.2f}' for x in dbt)})")
    print(f"ratio refresh / dbt build: {r / d:.2f}")


if __name__ == "__main__":
    main()
