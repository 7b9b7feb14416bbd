"""Reading the seed packages directly, to recompute expected values in tests; running the CLI."""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from pipelines.warehouse.paths import DEFAULT_RAW_DIR

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


def edit_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    """An edit that a stat cache keyed on size and mtime cannot see: same length, mtime set back."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    edit(path, old, new)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)


@contextmanager
def read_only(path: Path):
    """path read-only for real. Root ignores permission bits, so as root it is bind-mounted read-only."""
    if os.geteuid() != 0:
        folders = [path, *(p for p in path.rglob("*") if p.is_dir())]
        for folder in folders:
            folder.chmod(0o555)
        try:
            yield
        finally:
            for folder in folders:
                folder.chmod(0o755)
        return
    subprocess.run(["mount", "--bind", str(path), str(path)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(path)], check=True)
        yield
    finally:
        subprocess.run(["umount", str(path)], check=True)


def files_under(*roots: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under roots, with its size and mtime: what a command wrote shows up here."""
    return {str(p): (p.lstat().st_size, p.lstat().st_mtime_ns) for root in roots for p in [root, *root.rglob("*")]}


def _typed(names: str, kind: str) -> list[tuple[str, str]]:
    return [(name, kind) for name in names.split()]


# Every published sizing table with its columns and DuckDB types, in order: the same with rows or empty.
_FACT_JOIN = [
    *_typed("fact_report_id metric entity period", "VARCHAR"),
    ("fact_value", "DOUBLE"),
    ("fact_unit", "VARCHAR"),
    ("fact_value_base", "DOUBLE"),
    *_typed("fact_ref scenario_report_id scenario per_gpu_ref", "VARCHAR"),
    ("gpus_per_server", "DOUBLE"),
    ("gpus_per_server_ref", "VARCHAR"),
]
SIZING_COLUMNS = {
    "compute_equivalent_gpus": (
        [*_FACT_JOIN, ("flops_per_accelerator", "DOUBLE"), *_typed("accelerators servers", "BIGINT")]
    ),
    "gpu_inference": (
        _typed("report_id scenario", "VARCHAR")
        + _typed("monthly_active_users questions_per_user_per_day answers_per_day", "DOUBLE")
        + [("answers_per_day_basis", "VARCHAR")]
        + _typed("words_per_answer time_per_word_ms gpus_per_server", "DOUBLE")
        + _typed("gpu_hours_per_day gpus servers", "BIGINT")
        + [("source_refs", "VARCHAR")]
    ),
    "gpu_training": (
        _typed("report_id scenario", "VARCHAR")
        + _typed(
            "model_params training_compute_flop gpu_throughput_flops utilization_pct "
            "training_duration_days gpus_per_server",
            "DOUBLE",
        )
        + _typed("gpu_hours gpus servers", "BIGINT")
        + [("source_refs", "VARCHAR")]
    ),
    "token_inference": (
        [*_FACT_JOIN, ("seconds_per_token", "DOUBLE"), *_typed("gpu_hours_per_day gpus servers", "BIGINT")]
    ),
}
SIZING_COLUMNS_SQL = (
    "select table_name, column_name, data_type from information_schema.columns "
    "where table_schema = 'sizing' order by table_name, ordinal_position"
)


def sizing_columns(rows: list[tuple[str, str, str]]) -> dict[str, list[tuple[str, str]]]:
    """SIZING_COLUMNS_SQL's rows grouped like SIZING_COLUMNS."""
    found: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        found.setdefault(table, []).append((column, kind))
    return found
