"""What source verification costs on a ~1,000-line source; medians of --runs runs, nothing written.

    python -m benchmarks.verification [--runs 9]

The package is the 003 seed (source.txt of 1,172 lines, 251 numeric cells), copied to a temporary folder:
- verify: read source.txt, then give every numeric cell its status, as the loader does for a
  changed package (pipelines.intake.source_check), each run with fresh caches;
- verify, every cell not found: the same with every value times ten, so each cell also looks for
  the closest number and for the line where its value stands (the worst case);
- verify, then coverage: the same, then the status of every number printed in the source
  (pipelines.intake.coverage), as the loader does;
- read every number of every line: printed_numbers over the whole source (what coverage reads);
- validate the package with and without source.txt: the whole intake of the package, so the
  difference is what verification adds to loading it.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from pipelines.intake.cells import parse_cells
from pipelines.intake.coverage import coverage_frame
from pipelines.intake.csvfiles import read_table
from pipelines.intake.packages import SOURCE_FILE, package_at
from pipelines.intake.printed_numbers import printed_numbers
from pipelines.intake.source_check import read_source, verification_frame
from pipelines.intake.tables import RAW_TABLES, TABLES_BY_NAME
from pipelines.intake.validation import validate_packages
from pipelines.warehouse.paths import DEFAULT_RAW_DIR

SEED = "2023-03-swsc-cloud-computing"


def timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="cloudfacts-bench-verify-") as folder:
        raw = Path(folder) / "raw"
        shutil.copytree(DEFAULT_RAW_DIR / SEED, raw / SEED)
        package = package_at(raw, SEED)
        validated = validate_packages([package], raw)
        frames = validated_frames(package)
        slipped = {name: times_ten(frame, name) for name, frame in frames.items()}

        def verify(tables):
            source, _ = read_source(package)
            return verification_frame(tables, {SEED: source})

        def verify_and_cover(tables):
            source, _ = read_source(package)
            return coverage_frame([package], {SEED: source}, verification_frame(tables, {SEED: source}), tables)

        lines = read_source(package)[0].lines
        cells = len(validated.verification)
        assert (verify(slipped)["source_check"] == "not_found").mean() > 0.99  # 100 TB x 10 is on its line: 千亿
        results = {
            f"verify ({len(lines)} lines, {cells} cells)": timed(lambda: verify(frames), runs),
            "verify, every cell not found": timed(lambda: verify(slipped), runs),
            "verify, then the coverage of every printed number": timed(lambda: verify_and_cover(frames), runs),
            "read every number of every line": timed(lambda: [printed_numbers(line) for line in lines], runs),
            "validate the package with source.txt": timed(lambda: validate_packages([package], raw), runs),
        }
        (raw / SEED / SOURCE_FILE).unlink()
        results["validate the package without source.txt"] = timed(lambda: validate_packages([package], raw), runs)
    print("| measurement | median | min | max | runs |\n|---|---|---|---|---|")
    for name, values in results.items():
        print(f"| {name} | {statistics.median(values) * 1000:.1f} ms | {min(values) * 1000:.1f} | "
              f"{max(values) * 1000:.1f} | {len(values)} |")  # fmt: skip


def validated_frames(package) -> dict[str, pd.DataFrame]:
    """The package's table frames as verification_frame sees them: typed values and the cells as written."""
    frames = {}
    for spec in RAW_TABLES:
        table, _ = read_table(package.file(spec.file_name), spec)
        rows = parse_cells(table, package.report_id)[0] if table else []
        frames[spec.name] = pd.DataFrame(
            [{"report_id": package.report_id, **row} for row in rows],
            columns=["report_id", *spec.columns, "line"]
            + [f"{c}_{s}" for c in spec.numbers for s in ("precision", "text")],
        )
    return frames


def times_ten(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    frame = frame.copy()
    for column in TABLES_BY_NAME[name].numbers:
        frame[column] = frame[column] * 10
    frame["derived"] = None
    return frame


if __name__ == "__main__":
    main()
