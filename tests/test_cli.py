"""The `cloudfacts` command as users run it: refresh with --raw-dir/--warehouse, query, check.

A second package added to a copy of raw/ shows up in every mart; a bad package
fails the refresh with a readable message and leaves the published file as it was.
"""

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.settings import DEFAULT_RAW_DIR
from tests.helpers import SWSC

CLI = [str(Path(sys.executable).parent / "cloudfacts")]
ADDED = "2024-06-example-added-report"


def cloudfacts(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=600)


def add_package(raw: Path) -> None:
    """A new report restating the seed's tables a year later, in other units."""
    folder = raw / ADDED
    folder.mkdir()
    (folder / "report.yaml").write_text("title: Example\npublisher: Example Research\npublished: 2024-06\nlanguage: en\n")
    (folder / "it_spend_by_segment.csv").write_text(
        "segment,year,spend,unit,stated_growth_pct,status,credited_source,ref\n"
        "software,2023,0.9,USD trillion,,actual,Gartner,p3\nsoftware,2024,1.0,USD trillion,,forecast,Gartner,p3\n")
    (folder / "operator_cloud_revenue.csv").write_text(
        "operator,period,revenue,unit,stated_yoy_pct,credited_source,ref\nchina_mobile,2023H1,42.2,CNY billion,80,filings,p4\n"
        .replace("CNY billion", "亿元").replace("42.2", "422"))
    (folder / "saas_vendor_share.csv").write_text(
        "market,period,vendor,share_pct,rank,credited_source,ref\nchina_enterprise_saas,2023,kingdee,6.1,1,IDC,p5\n")
    (folder / "sizing_assumptions.csv").write_text(
        "scenario,parameter,value,unit,ref\nbig,training_compute,1e12,TFLOP,p6\nbig,gpu_throughput,989,TFLOPS,p6\n"
        "big,utilization,40,percent,p6\nbig,training_duration,90,days,p6\nbig,gpus_per_server,8,count,p6\n")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    raw = root / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    add_package(raw)
    warehouse = root / "out" / "cf.duckdb"
    result = cloudfacts("refresh", "--raw-dir", str(raw), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stdout + result.stderr
    return {"raw": raw, "warehouse": warehouse, "result": result}


def query(warehouse: Path, sql: str, fmt: str = "csv") -> list[dict]:
    result = cloudfacts("query", "--warehouse", str(warehouse), "--format", fmt, sql)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if fmt == "json" else list(csv.DictReader(io.StringIO(result.stdout)))


def test_refresh_prints_progress_and_summary(refreshed):
    out, err = refreshed["result"].stdout, refreshed["result"].stderr
    assert "done  dbt_models" in err and "done  warehouse" in err
    assert "reports: 3" in out and "0 failed" in out and "time:" in out


def test_added_package_shows_up_in_every_mart(refreshed):
    for mart in ("dim_report", "fct_it_spend_by_segment", "fct_operator_cloud_revenue", "fct_saas_vendor_share",
                 "fct_sizing_assumption"):
        rows = query(refreshed["warehouse"], f"select report_id from marts.{mart} where report_id = '{ADDED}'")
        assert rows, mart
    [software] = query(refreshed["warehouse"], f"select spend_usd_m, yoy_growth_pct from marts.fct_it_spend_by_segment "
                                               f"where report_id = '{ADDED}' and year = 2024", "json")
    assert software["spend_usd_m"] == pytest.approx(1_000_000)
    assert software["yoy_growth_pct"] == pytest.approx((1.0 / 0.9 - 1) * 100)
    [big] = query(refreshed["warehouse"], "select gpus from sizing.gpu_training where scenario = 'big'", "json")
    gpu_hours = round(1e24 / (989e12 * 0.4) / 3600)
    assert big["gpus"] == round(gpu_hours / (90 * 24))


def test_query_formats_and_read_only(refreshed):
    rows = query(refreshed["warehouse"], "select operator from marts.fct_operator_cloud_revenue "
                                         f"where report_id = '{SWSC}' order by operator")
    assert [r["operator"] for r in rows] == ["china_mobile", "china_telecom", "china_unicom"]
    table = cloudfacts("query", "--warehouse", str(refreshed["warehouse"]), "select 1 as one")
    assert table.returncode == 0 and "one" in table.stdout
    write = cloudfacts("query", "--warehouse", str(refreshed["warehouse"]), "create table marts.x as select 1")
    assert write.returncode != 0 and "read-only" in write.stderr


def test_bad_package_fails_loudly_and_keeps_the_published_file(refreshed, tmp_path):
    before = digest(refreshed["warehouse"])
    raw = tmp_path / "raw"
    shutil.copytree(refreshed["raw"], raw)
    path = raw / ADDED / "saas_vendor_share.csv"
    path.write_text(path.read_text().replace("6.1", "106.1"))
    result = cloudfacts("refresh", "--raw-dir", str(raw), "--warehouse", str(refreshed["warehouse"]))
    assert result.returncode == 1
    assert f"{ADDED}/saas_vendor_share.csv:2: [{ADDED}] column share_pct value '106.1': must lie between 0 and 100" in result.stdout
    assert "published warehouse was not changed" in result.stdout
    assert digest(refreshed["warehouse"]) == before
    rows = query(refreshed["warehouse"], f"select share_pct from marts.fct_saas_vendor_share where report_id = '{ADDED}'")
    assert rows == [{"share_pct": "6.1"}]


def test_check_lists_every_problem_without_loading(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    path = raw / SWSC / "it_spend_by_segment.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("software,2022", "softwear,2022").replace("9.3", "9.3%"),
                    encoding="utf-8")
    result = cloudfacts("check", str(raw))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert "column segment value 'softwear'" in result.stdout and "column stated_growth_pct value '9.3%'" in result.stdout
    assert cloudfacts("check", str(DEFAULT_RAW_DIR)).returncode == 0
