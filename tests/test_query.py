"""`cloudfacts query` stops on Ctrl-C and at --timeout, prints at most --max-rows rows, streams exports in
bounded memory, never writes beside the warehouse, and writes spreadsheet-safe CSV and NaN-preserving JSON.

Every test runs the installed CLI against the warehouse the real job built (conftest `built`).
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.helpers import CLI, cloudfacts

CROSS_JOIN = "select count(*) from range(100000) a, range(100000) b, range(100000) c"  # runs for hours
MAX_RSS_MB = 600  # the old CLI took 2.5 GB for the 20M-row table and 1.3 GB for the 400 MB JSON export
INTERRUPTED, TIMED_OUT = 130, 124


@pytest.fixture(scope="module")
def warehouse(built) -> Path:
    return built["warehouse"]


def run(warehouse: Path, sql: str, *options: str) -> subprocess.CompletedProcess:
    return cloudfacts("query", "--warehouse", str(warehouse), *options, sql)


def start(warehouse: Path, sql: str, *options: str, **popen) -> subprocess.Popen:
    return subprocess.Popen([CLI, "query", "--warehouse", str(warehouse), *options, sql], **popen)


def wait_until_connected(process: subprocess.Popen, warehouse: Path) -> None:
    """Until the CLI has the warehouse open: from then on, the query is its business."""
    while True:
        assert process.poll() is None, "the query ended before it was interrupted"
        try:
            links = {os.readlink(f"/proc/{process.pid}/fd/{fd}") for fd in os.listdir(f"/proc/{process.pid}/fd")}
        except OSError:  # a descriptor closed while we looked
            links = set()
        if str(warehouse) in links:
            return
        time.sleep(0.05)


def max_rss_mb(process: subprocess.Popen) -> tuple[int, float]:
    """Exit code and peak memory of a child, from the kernel's accounting at exit."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss / 1024


def test_ctrl_c_stops_a_long_query(warehouse):
    process = start(warehouse, CROSS_JOIN, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_until_connected(process, warehouse)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)  # a guard against hanging, not a timing assertion
    assert (process.returncode, out, err) == (INTERRUPTED, "", "interrupted\n")


def test_timeout_stops_a_long_query(warehouse):
    result = cloudfacts("query", "--warehouse", str(warehouse), "--timeout", "1", CROSS_JOIN, timeout=120)
    assert result.returncode == TIMED_OUT and result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: query stopped after 1 s (--timeout); raise --timeout or narrow the query"
    ]
    assert run(warehouse, "select 1", "--timeout", "0").returncode == 2  # argparse: seconds must be > 0


def test_table_stops_at_max_rows_in_bounded_memory(warehouse, tmp_path):
    """20M rows: the table prints the first 10,000 and says so; the rest is never fetched."""
    with open(tmp_path / "out", "w") as out, open(tmp_path / "err", "w") as err:
        code, rss = max_rss_mb(start(warehouse, "select range as n from range(20000000)", stdout=out, stderr=err))
    lines = (tmp_path / "out").read_text().splitlines()
    assert code == 0 and len(lines) == 10_001 and lines[0].strip() == "n" and lines[-1].strip() == "9999"
    assert (tmp_path / "err").read_text().splitlines() == [
        "note: printed the first 10,000 rows; more rows matched. Pass --max-rows N to print more, or --max-rows 0 for all."
    ]
    assert rss < MAX_RSS_MB, rss


def test_max_rows_option(warehouse):
    five = run(warehouse, "select range as n from range(20)", "--format", "csv", "--max-rows", "5")
    assert five.returncode == 0 and five.stdout.split() == ["n", "0", "1", "2", "3", "4"]
    assert "first 5 rows" in five.stderr
    exact = run(warehouse, "select range as n from range(5)", "--format", "csv", "--max-rows", "5")
    assert exact.stdout.split() == ["n", "0", "1", "2", "3", "4"] and exact.stderr == ""
    whole = run(warehouse, "select range as n from range(20000)", "--max-rows", "0")
    assert len(whole.stdout.splitlines()) == 20_001 and whole.stderr == ""
    export = run(warehouse, "select range as n from range(20000)", "--format", "csv")  # exports are whole by default
    assert len(export.stdout.splitlines()) == 20_001 and export.stderr == ""
    assert run(warehouse, "select 1", "--max-rows", "-1").returncode == 2


def test_json_export_streams_in_bounded_memory(warehouse):
    """400 MB of JSON, produced with a fraction of that in memory."""
    rows, width = 40_000, 10_000
    process = start(
        warehouse,
        f"select range as i, repeat('x', {width}) as s from range({rows})",
        "--format",
        "json",
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    seen = {"bytes": 0, "objects": 0, "tail": b""}

    def read():
        for block in iter(lambda: process.stdout.read(1 << 20), b""):
            seen["bytes"] += len(block)
            seen["objects"] += block.count(b'{"i": ')
            seen["tail"] = (seen["tail"] + block)[-(width + 100) :]

    reader = threading.Thread(target=read)
    reader.start()
    code, rss = max_rss_mb(process)
    reader.join()
    assert code == 0 and seen["objects"] == rows and seen["bytes"] > rows * width
    assert seen["tail"].endswith(f'\n{{"i": {rows - 1}, "s": "{"x" * width}"}}\n]\n'.encode())
    assert rss < MAX_RSS_MB, rss


def test_memory_limit_and_no_spill_files(warehouse):
    """A query needing more than --memory-limit fails in one line, instead of spilling files beside the warehouse."""
    before = sorted(p.name for p in warehouse.parent.iterdir())
    setting = run(
        warehouse,
        "select current_setting('memory_limit') as m, current_setting('temp_directory') as t",
        "--format",
        "json",
    )
    assert json.loads(setting.stdout) == [{"m": "953.6 MiB", "t": ""}]  # 1GB, DuckDB's way of printing it
    big_sort = "select count(*) from (select range::varchar || 'x' as s from range(5000000) order by s desc)"
    result = run(warehouse, big_sort, "--memory-limit", "50MB")
    assert result.returncode == 1 and result.stdout == "" and len(result.stderr.splitlines()) == 1
    assert (
        result.stderr.startswith("error: Out of Memory Error") and "(raise --memory-limit, now 50MB)" in result.stderr
    )
    assert sorted(p.name for p in warehouse.parent.iterdir()) == before


def test_csv_is_spreadsheet_safe_and_numbers_unchanged(warehouse):
    sql = (
        "select '=cmd|'' /C calc''!A0' as formula, '+1+2' as plus, '-2+3' as minus, '@sum(a1)' as at, "
        "chr(9) || 'tab' as tab, chr(13) || 'cr' as cr, '-3.5' as text_number, -3.5 as number, -2::int as int, "
        "-1.25::decimal(5, 2) as dec, 'plain' as plain, 'a=b' as inner, null as nothing, 'nan'::double as nan, "
        "'-inf'::double as neg_inf, 1 as \"=header\""
    )
    result = subprocess.run([CLI, "query", "--warehouse", str(warehouse), "--format", "csv", sql], capture_output=True)
    assert result.returncode == 0, result.stderr
    header, row = list(csv.reader(io.StringIO(result.stdout.decode(), newline="")))  # bytes: CR stays CR
    assert header[-1] == "'=header"
    assert dict(zip(header, row, strict=True)) == {
        "formula": "'=cmd|' /C calc'!A0",
        "plus": "'+1+2",
        "minus": "'-2+3",
        "at": "'@sum(a1)",
        "tab": "'\ttab",
        "cr": "'\rcr",
        "text_number": "-3.5",
        "number": "-3.5",
        "int": "-2",
        "dec": "-1.25",
        "plain": "plain",
        "inner": "a=b",
        "nothing": "",
        "nan": "NaN",
        "neg_inf": "-inf",
        "'=header": "1",
    }


def test_json_keeps_nan_and_infinity_apart_from_null(warehouse):
    sql = (
        "select null::double as nothing, 'nan'::double as nan, 'inf'::double as inf, '-inf'::double as neg_inf, "
        "1.5::double as x, 2.25::decimal(5, 2) as dec, 7 as n, date '2024-05-17' as day, "
        "[1.0, 'nan'::double] as list, '=cmd' as text"
    )
    result = run(warehouse, sql, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {
            "nothing": None,
            "nan": "NaN",
            "inf": "inf",
            "neg_inf": "-inf",
            "x": 1.5,
            "dec": 2.25,
            "n": 7,
            "day": "2024-05-17",
            "list": [1.0, "NaN"],
            "text": "=cmd",
        }
    ]
    assert run(warehouse, "select 1 as n where false", "--format", "json").stdout == "[\n]\n"
