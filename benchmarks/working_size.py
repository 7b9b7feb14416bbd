"""Benchmark: the size of the working file and the published file over many refreshes.

    python -m benchmarks.working_size [--refreshes 20] [--packages 0] [--force]

Builds the seed warehouse (plus --packages synthetic packages), then runs
`cloudfacts refresh` --refreshes times. Each refresh changes one figure (China
Mobile's 2022H1 cloud revenue, toggled between two values) so every refresh
really rebuilds; with --force nothing changes and each refresh is forced.
Prints the size of the working file (.build/<name>.duckdb), its WAL and the
published file after each refresh, and whether a WAL is left beside the
published file.
"""

from __future__ import annotations

import argparse

from benchmarks.common import Site

SWSC_CSV = ("2023-03-swsc-cloud-computing", "operator_cloud_revenue.csv")
VALUES = ("china_mobile,2022H1,234,", "china_mobile,2022H1,235,")


def size(path) -> int:
    return path.stat().st_size if path.exists() else 0


def toggle(site: Site, step: int) -> None:
    path = site.raw.joinpath(*SWSC_CSV)
    old, new = VALUES if step % 2 else VALUES[::-1]
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refreshes", type=int, default=20)
    parser.add_argument("--packages", type=int, default=0, help="synthetic packages besides the seeds")
    parser.add_argument("--force", action="store_true", help="force each refresh instead of changing a figure")
    args = parser.parse_args(argv)
    site = Site("size")
    site.copy_seeds()
    if args.packages:
        site.add(args.packages)
    working = site.warehouse.parent / ".build" / site.warehouse.name
    wal = working.with_name(working.name + ".wal")
    print(
        "| refresh | seconds | working MB | working WAL KB | published MB | WAL beside published |\n|---|---|---|---|---|---|"
    )
    sizes = []
    for step in range(args.refreshes + 1):
        if step and not args.force:
            toggle(site, step)
        seconds = site.refresh(*(("--force",) if step and args.force else ()))
        sizes.append(size(working))
        print(
            f"| {step or 'first'} | {seconds:.1f} | {size(working) / 2**20:.2f} | {size(wal) / 2**10:.0f} | "
            f"{size(site.warehouse) / 2**20:.2f} | {site.warehouse.with_name(site.warehouse.name + '.wal').exists()} |",
            flush=True,
        )
    print(
        f"\nworking file: first {sizes[0] / 2**20:.2f} MB, max {max(sizes) / 2**20:.2f} MB, "
        f"last {sizes[-1] / 2**20:.2f} MB after {args.refreshes} refreshes"
    )
    site.remove()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
