"""Shared pieces of the benchmarks: temporary sites, timed CLI runs, memory sampling, medians.

Every measurement is a wall time of a real command (`cloudfacts refresh`,
`dbt build`) in a subprocess, like a user runs it. Memory is the peak of the
summed RSS of the command's whole process tree (the CLI and its dbt child),
sampled every 100 ms from /proc.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.synthetic import generate
from pipelines.project import QUIET_ENV
from pipelines.warehouse.paths import Paths

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": len(values)}


def row(name: str, values: list[float], unit: str = "s") -> str:
    s = summary(values)
    return f"| {name} | {s['median']:.2f} {unit} | {s['min']:.2f} | {s['max']:.2f} | {s['runs']} |"


def _tree_rss(session: int) -> int:
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if os.getsid(int(proc.name)) != session:
                continue
            for line in (proc / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except (OSError, ProcessLookupError, ValueError):
            continue
    return total


class Site:
    """A raw folder, a warehouse and a Dagster home of their own, under one temporary folder."""

    def __init__(self, name: str):
        self.root = Path(tempfile.mkdtemp(prefix=f"cloudfacts-bench-{name}-"))
        self.raw = self.root / "raw"
        self.raw.mkdir()
        self.warehouse = self.root / "wh" / "cloudfacts.duckdb"
        (self.root / "dagster").mkdir()
        self.env = {
            **os.environ,
            **QUIET_ENV,
            "DAGSTER_HOME": str(self.root / "dagster"),
            "CLOUDFACTS_RAW_DIR": str(self.raw),
            "CLOUDFACTS_WAREHOUSE": str(self.warehouse),
        }

    def add(self, n: int, start: int = 0) -> None:
        generate(self.raw, n, start=start)

    def copy_seeds(self) -> None:
        for package in (ROOT / "raw").iterdir():
            shutil.copytree(package, self.raw / package.name)

    def run(self, command: list[str], cwd: Path = ROOT, ok=(0,)) -> tuple[float, int]:
        """Wall seconds and peak tree RSS (bytes) of one command."""
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        peak = [0]

        def sample():
            while process.poll() is None:
                peak[0] = max(peak[0], _tree_rss(process.pid))
                time.sleep(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        output, _ = process.communicate()
        seconds = time.perf_counter() - started
        sampler.join()
        if process.returncode not in ok:
            raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{output[-3000:]}")
        return seconds, peak[0]

    def refresh(self, *args: str) -> float:
        return self.run([str(BIN / "cloudfacts"), "refresh", *args])[0]

    def dbt_build(self, *args: str) -> float:
        dbt_vars = Paths.resolve(self.warehouse, self.raw).dbt_vars()
        return self.run([str(BIN / "dbt"), "build", "--quiet", "--vars", dbt_vars, *args], cwd=ROOT / "dbt")[0]

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def add_one_timings(site: Site, first_number: int, runs: int) -> list[float]:
    """Time `cloudfacts refresh` after adding one new package, `runs` times (a new package each time)."""
    times = []
    for i in range(runs):
        site.add(1, start=first_number + i)
        times.append(site.refresh())
    return times
