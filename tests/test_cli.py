"""The `cloudfacts` command as users run it: refresh with --raw-dir/--warehouse, query, check.

A second package added to a copy of raw/ shows up in every mart; a bad package
is quarantined with a readable message, keeps its earlier rows, and the rest
of the warehouse still refreshes (exit code 2).
"""

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from pipelines.settings import DEFAULT_RAW_DIR
from tests.helpers import SWSC, cloudfacts, edit

ADDED = "2024-06-example-added-report"


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
    outside = refreshed["warehouse"].parent / "leak.csv"
    for sql in (f"copy (select 1) to '{outside}'", f"attach '{outside}.duckdb' as other",
                "set enable_external_access = true", "select * from read_csv('/etc/hostname')"):
        result = cloudfacts("query", "--warehouse", str(refreshed["warehouse"]), sql)
        assert result.returncode == 1 and result.stderr.startswith("error:"), sql
    assert not outside.exists() and not Path(f"{outside}.duckdb").exists()


def test_bad_package_is_quarantined_and_the_rest_publishes(refreshed, tmp_path):
    """A bad version of a loaded package keeps its earlier rows; a good new package still loads; exit code 2."""
    shutil.copytree(refreshed["warehouse"].parent, tmp_path / "out")
    warehouse, raw = tmp_path / "out" / refreshed["warehouse"].name, tmp_path / "raw"
    shutil.copytree(refreshed["raw"], raw)
    edit(raw / ADDED / "saas_vendor_share.csv", "6.1", "106.1")
    shutil.copytree(raw / SWSC, raw / "2024-07-another-good-report")
    result = cloudfacts("refresh", "--raw-dir", str(raw), "--warehouse", str(warehouse))
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"QUARANTINED 1 package(s)" in result.stdout and ADDED in result.stdout
    assert (f"{ADDED}/saas_vendor_share.csv:2: [{ADDED}] column share_pct value '106.1': must lie between 0 and 100"
            in result.stdout)
    assert query(warehouse, f"select share_pct from marts.fct_saas_vendor_share where report_id = '{ADDED}'") == \
        [{"share_pct": "6.1"}]
    assert query(warehouse, "select count(*) as n from marts.dim_report where report_id = '2024-07-another-good-report'") \
        == [{"n": "1"}]
    [row] = query(warehouse, "select report_id, line, \"column\", value from raw.quarantine")
    assert row == {"report_id": ADDED, "line": "2", "column": "share_pct", "value": "106.1"}
    again = cloudfacts("refresh", "--raw-dir", str(raw), "--warehouse", str(warehouse))
    assert again.returncode == 2 and "up to date" in again.stdout and "still quarantined" in again.stdout
    edit(raw / ADDED / "saas_vendor_share.csv", "106.1", "16.1")
    fixed = cloudfacts("refresh", "--raw-dir", str(raw), "--warehouse", str(warehouse))
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert query(warehouse, f"select share_pct from marts.fct_saas_vendor_share where report_id = '{ADDED}'") == \
        [{"share_pct": "16.1"}]
    assert query(warehouse, "select count(*) as n from raw.quarantine") == [{"n": "0"}]


def test_check_lists_every_problem_without_loading(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    path = raw / SWSC / "it_spend_by_segment.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("software,2022", "softwear,2022").replace(",9.3,", ",9.3%,"),
                    encoding="utf-8")
    result = cloudfacts("check", str(raw))
    assert result.returncode == 1
    [line] = result.stdout.strip().splitlines()  # 9.3% in a percent column is accepted
    assert "column segment value 'softwear'" in line and f"would quarantine: {SWSC}" in result.stderr
    assert cloudfacts("check", str(DEFAULT_RAW_DIR)).returncode == 0
