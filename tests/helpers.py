"""Reading the seed packages directly, to recompute expected values in tests; running the CLI."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from pathlib import Path

from pipelines.settings import DEFAULT_RAW_DIR

SWSC = "2023-03-swsc-cloud-computing"


def seed_rows(table: str, report_id: str = SWSC, raw_dir: Path = DEFAULT_RAW_DIR) -> list[dict[str, str]]:
    with open(raw_dir / report_id / f"{table}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def seed_value(table: str, column: str, report_id: str = SWSC, **match: str) -> float:
    rows = [r for r in seed_rows(table, report_id) if all(r[k] == v for k, v in match.items())]
    assert len(rows) == 1, (table, match, rows)
    return float(rows[0][column])


CLI = str(Path(sys.executable).parent / "cloudfacts")


def cloudfacts(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """The installed `cloudfacts` command, as users run it."""
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
