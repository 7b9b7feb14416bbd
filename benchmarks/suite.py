"""The performance suite: targets P1-P6 of docs/performance.md, measured and written there.

    python -m benchmarks.suite [--runs 5] [--packages 10000] [--only P1 P2 ...] [--no-write]

- P1 `cloudfacts refresh --full-refresh` of the seed warehouse vs `dbt build --full-refresh` alone, alternating.
- P2 `cloudfacts refresh` with nothing changed (seed warehouse, and the large one).
- P3 a full build of --packages synthetic packages: wall time and peak memory of the
  whole process tree (CLI + dbt), from an empty warehouse each run.
- P4 adding one report to the large warehouse vs to a 10-package one, interleaved.
- P5 each README query on the large warehouse, in process, read-only.
- P6 loading the code location `pipelines.definitions:defs` (import and build) with the dbt manifest prepared.
Every figure is a median of --runs runs, with min and max; ratios come from runs
made in the same session.
"""

from __future__ import annotations

import argparse
import platform
import re
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb

from benchmarks.common import BIN, ROOT, Site, add_one_timings, summary

README_SQL = re.findall(r"```sql\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
TARGETS = {
    "P1": ("ratio", 1.5),
    "P2": ("s", 3.0),
    "P3": ("s", 120.0),
    "P3 memory": ("GiB", 2.0),
    "P4": ("ratio", 1.3),
    "P5": ("ms", 100.0),
    "P6": ("s", 3.0),
}
RESULTS_START, RESULTS_END = "<!-- results:start -->", "<!-- results:end -->"


def p1_p2(runs: int, results: list) -> None:
    site = Site("seed")
    site.copy_seeds()
    site.refresh()
    refresh, dbt = [], []
    for _ in range(runs):
        refresh.append(site.refresh("--full-refresh"))
        dbt.append(site.dbt_build("--full-refresh"))
    ratio = statistics.median(refresh) / statistics.median(dbt)
    results += [
        ("P1", "`cloudfacts refresh --full-refresh`, seed warehouse", summary(refresh), None),
        ("P1", "`dbt build --full-refresh` alone, same project and files", summary(dbt), None),
        ("P1", "ratio of the medians", None, ratio),
    ]
    idle = [site.refresh() for _ in range(runs)]
    results.append(("P2", "`cloudfacts refresh`, nothing changed, seed warehouse", summary(idle), None))
    site.remove()


def p3(runs: int, packages: int, results: list) -> Site:
    times, peaks = [], []
    for i in range(runs):
        site = Site(f"n{packages}")
        site.add(packages)
        seconds, peak = site.run([str(BIN / "cloudfacts"), "refresh"])
        times.append(seconds)
        peaks.append(peak / 2**30)
        if i < runs - 1:
            site.remove()
    results += [
        ("P3", f"full build of {packages:,} packages", summary(times), None),
        ("P3 memory", "peak RSS of CLI + dbt (GiB)", summary(peaks), None),
    ]
    return site


def p4(runs: int, large: Site, packages: int, results: list) -> None:
    small = Site("n10")
    small.add(10)
    small.refresh()
    big, little = [], []
    for i in range(runs):
        big += add_one_timings(large, 2_000_000 + i, 1)
        little += add_one_timings(small, 2_000_000 + i, 1)
    results += [
        ("P4", f"add one report to {packages:,}", summary(big), None),
        ("P4", "add one report to 10", summary(little), None),
        ("P4", "ratio of the medians", None, statistics.median(big) / statistics.median(little)),
    ]
    idle = [large.refresh() for _ in range(runs)]
    results.append(("P2", f"`cloudfacts refresh`, nothing changed, {packages:,} packages", summary(idle), None))
    small.remove()


def p5(runs: int, large: Site, packages: int, results: list) -> None:
    with duckdb.connect(str(large.warehouse), read_only=True) as connection:
        for number, sql in enumerate(README_SQL, 1):
            times = []
            for _ in range(runs + 1):
                started = time.perf_counter()
                connection.execute(sql).fetchall()
                times.append((time.perf_counter() - started) * 1000)
            results.append(("P5", f"README query {number}, {packages:,} packages (ms)", summary(times[1:]), None))


# What Dagster does when it loads the code location: import the module, then build the lazy definitions.
LOAD_CODE_LOCATION = "from pipelines.definitions import defs; defs()"


def p6(runs: int, results: list) -> None:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", LOAD_CODE_LOCATION], cwd=ROOT, check=True)
        times.append(time.perf_counter() - started)
    results.append(
        ("P6", "loading the code location `pipelines.definitions:defs` (manifest prepared)", summary(times), None)
    )


def verdict(target: str, value: float) -> str:
    unit, limit = TARGETS[target]
    return f"{'met' if value <= limit else 'NOT met'} (≤ {limit:g}{'×' if unit == 'ratio' else ' ' + unit})"


def table(results: list) -> str:
    lines = ["| target | measurement | median | min | max | vs target |", "|---|---|---|---|---|---|"]
    for target, what, stats, ratio in results:
        if ratio is not None:
            lines.append(f"| {target} | {what} | **{ratio:.2f}×** | | | {verdict(target, ratio)} |")
            continue
        judged = verdict(target, stats["median"]) if target in ("P2", "P3", "P3 memory", "P5", "P6") else ""
        lines.append(
            f"| {target} | {what} | {stats['median']:.2f} | {stats['min']:.2f} | {stats['max']:.2f} | {judged} |"
        )
    return "\n".join(lines)


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    memory = next((int(line.split()[1]) for line in meminfo if line.startswith("MemTotal")), 0) / 2**20
    cores = len([line for line in cpuinfo if line.startswith("processor")])
    return f"{cores} cores ({cpu}), {memory:.0f} GiB RAM, Python {platform.python_version()}, {platform.platform()}"


def write(results: list, runs: int) -> None:
    path = ROOT / "docs" / "performance.md"
    text = path.read_text(encoding="utf-8")
    block = (
        f"{RESULTS_START}\nMeasured {date.today().isoformat()} with `make bench` (runs per figure: {runs}).  \n"
        f"Machine: {machine()}\n\n{table(results)}\n{RESULTS_END}"
    )
    start, end = text.index(RESULTS_START), text.index(RESULTS_END) + len(RESULTS_END)
    path.write_text(text[:start] + block + text[end:], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure P1-P6 and write docs/performance.md.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--packages", type=int, default=10_000)
    parser.add_argument("--only", nargs="*", default=["P1", "P2", "P3", "P4", "P5", "P6"])
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    results: list = []
    if {"P1", "P2"} & set(args.only):
        p1_p2(args.runs, results)
    if {"P3", "P4", "P5"} & set(args.only):
        large = p3(args.runs if "P3" in args.only else 1, args.packages, results)
        if "P4" in args.only:
            p4(args.runs, large, args.packages, results)
        if "P5" in args.only:
            p5(args.runs, large, args.packages, results)
        large.remove()
    if "P6" in args.only:
        p6(args.runs, results)
    print(table(results))
    if not args.no_write:
        write(results, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
