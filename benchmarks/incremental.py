"""Benchmark: the cost of adding one report grows with that report, not with the reports already loaded.

    python -m benchmarks.incremental [--sizes 10 1000] [--runs 5]

For each N it builds a warehouse of N synthetic packages (benchmarks/synthetic.py),
then adds one new package and times `cloudfacts refresh`, `runs` times (a
different package each time). The sizes run interleaved, one add per size in
turn, so machine noise hits both alike. Prints median, min and max per N and
the ratio of the medians.
"""

from __future__ import annotations

import argparse
import statistics

from benchmarks.common import Site, row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    sites = {}
    for n in args.sizes:
        site = Site(f"n{n}")
        site.add(n)
        print(f"N = {n}: first build {site.refresh():.1f} s", flush=True)
        sites[n] = site
    times = {n: [] for n in args.sizes}
    for i in range(args.runs):
        for n, site in sites.items():
            site.add(1, start=1_000_000 + i)
            times[n].append(site.refresh())
    print("\n| add one report to | median | min | max | runs |\n|---|---|---|---|---|")
    for n in args.sizes:
        print(row(f"N = {n}", times[n]))
    small, large = min(args.sizes), max(args.sizes)
    ratio = statistics.median(times[large]) / statistics.median(times[small])
    print(f"\nratio N={large} / N={small}: {ratio:.2f}")
    for site in sites.values():
        site.remove()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
