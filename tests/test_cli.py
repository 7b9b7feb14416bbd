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

from pipelines.intake import fingerprint
from pipelines.warehouse import published
from pipelines.warehouse.paths import DEFAULT_RAW_DIR
from tests.helpers import SWSC, cloudfacts, edit, edit_keeping_size_and_mtime, files_under, read_only
from tests.test_publish import Site

ADDED = "2024-06-example-added-report"


def add_package(raw: Path) -> None:
    """A new report restating the seed's tables a year later, in other units."""
    folder = raw / ADDED
    folder.mkdir()
    (folder / "report.yaml").write_text(
        "title: Example\npublisher: Example Research\npublished: 2024-06\nlanguage: en\n"
        "url: https://example.org/report.pdf\naccessed: 2024-07-01\ncitation: Example Research (2024), Example.\n"
        "license: CC BY 4.0\n"
    )
    (folder / "it_spend_by_segment.csv").write_text(
        "segment,year,spend,unit,stated_growth_pct,status,credited_source,ref\n"
        "software,2023,0.9,USD trillion,,actual,Gartner,p3\nsoftware,2024,1.0,USD trillion,,forecast,Gartner,p3\n"
    )
    (folder / "operator_cloud_revenue.csv").write_text(
        "operator,period,revenue,unit,stated_yoy_pct,credited_source,ref\nchina_mobile,2023H1,42.2,CNY billion,80,filings,p4\n".replace(
            "CNY billion", "亿元"
        ).replace("42.2", "422")
    )
    (folder / "saas_vendor_share.csv").write_text(
        "market,period,vendor,share_pct,rank,credited_source,ref\nchina_enterprise_saas,2023,kingdee,6.1,1,IDC,p5\n"
    )
    (folder / "sizing_assumptions.csv").write_text(
        "scenario,parameter,value,unit,ref\nbig,training_compute,1e12,TFLOP,p6\nbig,gpu_throughput,989,TFLOPS,p6\n"
        "big,utilization,40,percent,p6\nbig,training_duration,90,days,p6\nbig,gpus_per_server,8,count,p6\n"
    )


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
    assert "done  dbt_models" in err and "done  published" in err
    assert "reports: 3" in out and "0 failed" in out and "time:" in out


def test_added_package_shows_up_in_every_mart(refreshed):
    for mart in (
        "dim_report",
        "fct_it_spend_by_segment",
        "fct_operator_cloud_revenue",
        "fct_saas_vendor_share",
        "fct_sizing_assumption",
    ):
        rows = query(refreshed["warehouse"], f"select report_id from marts.{mart} where report_id = '{ADDED}'")
        assert rows, mart
    [software] = query(
        refreshed["warehouse"],
        f"select spend_usd_m, yoy_growth_pct from marts.fct_it_spend_by_segment "
        f"where report_id = '{ADDED}' and year = 2024",
        "json",
    )
    assert software["spend_usd_m"] == pytest.approx(1_000_000)
    assert software["yoy_growth_pct"] == pytest.approx((1.0 / 0.9 - 1) * 100)
    [big] = query(refreshed["warehouse"], "select gpus from sizing.gpu_training where scenario = 'big'", "json")
    gpu_hours = round(1e24 / (989e12 * 0.4) / 3600)
    assert big["gpus"] == round(gpu_hours / (90 * 24))


def test_origin_keys_reach_dim_report_and_a_package_without_source_is_no_source(refreshed):
    [report] = query(
        refreshed["warehouse"],
        f"select url, accessed, citation, license from marts.dim_report where report_id = '{ADDED}'",
        "json",
    )
    assert report == {
        "url": "https://example.org/report.pdf",
        "accessed": "2024-07-01",
        "citation": "Example Research (2024), Example.",
        "license": "CC BY 4.0",
    }
    statuses = query(
        refreshed["warehouse"],
        "select report_id, source_check, count(*) as n from marts.fct_metric group by all order by all",
    )
    assert [(r["report_id"], r["source_check"]) for r in statuses] == [
        (SWSC, "exempt"),
        (SWSC, "verified"),
        ("2024-06-example-added-report", "no_source"),
        ("2026-02-cjsc-alibaba-cloud-token", "verified"),
    ]


def test_query_formats_and_read_only(refreshed):
    rows = query(
        refreshed["warehouse"],
        f"select operator from marts.fct_operator_cloud_revenue where report_id = '{SWSC}' order by operator",
    )
    assert [r["operator"] for r in rows] == ["china_mobile", "china_telecom", "china_unicom"]
    table = cloudfacts("query", "--warehouse", str(refreshed["warehouse"]), "select 1 as one")
    assert table.returncode == 0 and "one" in table.stdout
    write = cloudfacts("query", "--warehouse", str(refreshed["warehouse"]), "create table marts.x as select 1")
    assert write.returncode != 0 and "read-only" in write.stderr
    outside = refreshed["warehouse"].parent / "leak.csv"
    for sql in (
        f"copy (select 1) to '{outside}'",
        f"attach '{outside}.duckdb' as other",
        "set enable_external_access = true",
        "select * from read_csv('/etc/hostname')",
    ):
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
    assert "QUARANTINED 1 package(s)" in result.stdout and ADDED in result.stdout
    assert (
        f"{ADDED}/saas_vendor_share.csv:2: [{ADDED}] column share_pct value '106.1': must lie between 0 and 100"
        in result.stdout
    )
    assert query(warehouse, f"select share_pct from marts.fct_saas_vendor_share where report_id = '{ADDED}'") == [
        {"share_pct": "6.1"}
    ]
    assert query(
        warehouse, "select count(*) as n from marts.dim_report where report_id = '2024-07-another-good-report'"
    ) == [{"n": "1"}]
    [row] = query(warehouse, 'select report_id, line, "column", value from raw.quarantine')
    assert row == {"report_id": ADDED, "line": "2", "column": "share_pct", "value": "106.1"}
    again = cloudfacts("refresh", "--raw-dir", str(raw), "--warehouse", str(warehouse))
    assert again.returncode == 2 and "up to date" in again.stdout and "still quarantined" in again.stdout
    edit(raw / ADDED / "saas_vendor_share.csv", "106.1", "16.1")
    fixed = cloudfacts("refresh", "--raw-dir", str(raw), "--warehouse", str(warehouse))
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert query(warehouse, f"select share_pct from marts.fct_saas_vendor_share where report_id = '{ADDED}'") == [
        {"share_pct": "16.1"}
    ]
    assert query(warehouse, "select count(*) as n from raw.quarantine") == [{"n": "0"}]


def test_check_lists_every_problem_without_loading(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    path = raw / SWSC / "it_spend_by_segment.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("software,2022", "softwear,2022").replace(",9.3,", ",9.3%,"),
        encoding="utf-8",
    )
    result = cloudfacts("check", str(raw))
    assert result.returncode == 1
    [line] = result.stdout.strip().splitlines()  # 9.3% in a percent column is accepted
    assert "column segment value 'softwear'" in line and f"would quarantine: {SWSC}" in result.stderr
    assert cloudfacts("check", str(DEFAULT_RAW_DIR)).returncode == 0


def test_check_prints_each_number_not_found_in_the_source_and_still_exits_0(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    edit(
        raw / SWSC / "market_size.csv",
        "china_public_cloud_iaas,market_size,2021,1614.7,",
        "china_public_cloud_iaas,market_size,2021,1641.7,",
    )
    result = cloudfacts("check", str(raw))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{SWSC}/market_size.csv:6: [{SWSC}] column value value '1641.7': not printed on the source line its ref "
        "names (S2 L172; S2 L164); L172: ，市场规模高速增长。2021年，我国公有云IaaS市场规模达1614.7亿元，同比增长80.4%，占总体 "
        "(hint: source line has 1614.7)"
    ]
    assert result.stderr.strip().endswith("0 problem(s), 1 number(s) not found in the source")


OTHER = next(p.name for p in sorted(DEFAULT_RAW_DIR.iterdir()) if p.is_dir() and p.name != SWSC)
MOBILE = "china_mobile,2022H1,{},"


def copy_site(refreshed, root: Path) -> Site:
    """A copy of the refreshed raw/ and warehouse folder, up to date with each other."""
    shutil.copytree(refreshed["raw"], root / "raw")
    shutil.copytree(refreshed["warehouse"].parent, root / "wh")
    return Site(root)


def test_check_one_package_and_folders_without_packages(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    package = raw / SWSC
    edit(package / "operator_cloud_revenue.csv", MOBILE.format(234), MOBILE.format(-234))
    bad = cloudfacts("check", str(package))
    assert bad.returncode == 1
    [line] = bad.stdout.splitlines()
    assert line.startswith(f"{SWSC}/operator_cloud_revenue.csv:2: [{SWSC}] column revenue value '-234': must be >= 0")
    assert bad.stderr == f"{package}: 1 report(s), 0 valid row(s), 1 problem(s); a refresh would quarantine: {SWSC}\n"
    good = cloudfacts("check", str(raw / OTHER) + "/")
    assert good.returncode == 0 and good.stdout == "" and good.stderr.startswith(f"{raw / OTHER}: 1 report(s), ")
    assert good.stderr.endswith(" valid row(s), 0 problem(s)\n") and ", 0 valid row(s)" not in good.stderr
    unnamed = tmp_path / "tables-only"  # CSV files without report.yaml: a package missing it
    unnamed.mkdir()
    shutil.copy(package / "it_spend_by_segment.csv", unnamed)
    missing = cloudfacts("check", str(unnamed))
    assert missing.returncode == 1 and "tables-only/report.yaml: [tables-only]" in missing.stdout
    assert "report.yaml is missing" in missing.stdout
    notes = tmp_path / "notes"
    (notes / "_draft").mkdir(parents=True)
    (notes / "README.md").write_text("notes\n")
    for folder in (tmp_path / "empty", notes):
        folder.mkdir(exist_ok=True)
        result = cloudfacts("check", str(folder))
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr == (
            f"error: {folder}: no report packages here (a package folder holds report.yaml and "
            "CSV tables; a raw directory holds package folders)\n"
        )
    gone = cloudfacts("check", str(raw), str(tmp_path / "gone"))
    assert (gone.returncode, gone.stdout, gone.stderr) == (2, "", f"error: {tmp_path / 'gone'}: no such folder\n")


def test_check_writes_nothing(tmp_path, monkeypatch):
    """Not the hash cache, not a warehouse folder: check runs on read-only copies."""
    raw, warehouse = tmp_path / "raw", tmp_path / "wh"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    warehouse.mkdir()
    monkeypatch.setenv("CLOUDFACTS_WAREHOUSE", str(warehouse / "cf.duckdb"))
    before = files_under(raw, warehouse)
    for target in (raw, raw / SWSC):
        result = cloudfacts("check", str(target))
        assert result.returncode == 0 and "0 problem(s)" in result.stderr, result.stderr
    assert files_under(raw, warehouse) == before
    with read_only(raw), read_only(warehouse):
        result = cloudfacts("check", str(raw))
    assert result.returncode == 0 and result.stderr.startswith(f"{raw}: 2 report(s)"), result.stderr


def test_status_works_when_the_warehouse_folder_is_read_only(refreshed, tmp_path):
    site = copy_site(refreshed, tmp_path)
    edit(site.raw / SWSC / "operator_cloud_revenue.csv", MOBILE.format(234), MOBILE.format(2340))
    before = files_under(site.warehouse.parent)
    with read_only(site.warehouse.parent):
        result = cloudfacts("status", "--raw-dir", str(site.raw), "--warehouse", str(site.warehouse))
    assert result.returncode == 0, result.stderr
    assert f"changed since last publish in {site.raw}: 1 changed ({SWSC})" in result.stdout
    assert files_under(site.warehouse.parent) == before


def test_refresh_sees_an_edit_that_keeps_size_and_mtime(refreshed, tmp_path):
    site = copy_site(refreshed, tmp_path)
    assert "up to date" in site.refresh().stdout  # and the package hashes are cached
    revenue = site.raw / SWSC / "operator_cloud_revenue.csv"
    edit_keeping_size_and_mtime(revenue, MOBILE.format(234), MOBILE.format(235))
    result = site.refresh()
    assert result.returncode == 0 and "up to date" not in result.stdout, result.stdout + result.stderr
    assert site.mobile_revenue() == 235
    # A cache that cannot see an edit at all (its stat key matches): `--force` still hashes every byte.
    edit_keeping_size_and_mtime(revenue, MOBILE.format(235), MOBILE.format(236))
    cache_path = site.warehouse.parent / ".build" / fingerprint.CACHE_NAME
    cache = json.loads(cache_path.read_text()) if cache_path.exists() else {}
    package = site.raw.resolve() / SWSC
    cache[str(package)] = [
        [[e.name, *fingerprint._stat_key(e)] for e in fingerprint._files(str(package))],
        published.read_state(site.warehouse)["loaded"][SWSC],
    ]
    cache_path.write_text(json.dumps(cache))
    assert "up to date" in site.refresh().stdout  # the premise: the stale cache hides the edit
    forced = site.refresh("--force")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert site.mobile_revenue() == 236


def test_names_with_escape_sequences_are_printed_escaped(refreshed, tmp_path):
    site = copy_site(refreshed, tmp_path)
    name, shown = "2024-08-red\x1b[31mtext", "2024-08-red\\x1b[31mtext"
    shutil.copytree(site.raw / SWSC, site.raw / name)
    check = cloudfacts("check", str(site.raw))
    refresh = site.refresh()
    again = site.refresh()
    status = cloudfacts("status", "--raw-dir", str(site.raw), "--warehouse", str(site.warehouse))
    for result in (check, refresh, again, status):
        assert "\x1b" not in result.stdout + result.stderr, result.args
    assert check.returncode == 1 and f"{shown}/report.yaml: [{shown}] column report_id value '{shown}':" in check.stdout
    assert check.stderr.endswith(f"a refresh would quarantine: {shown}\n")
    assert refresh.returncode == 2, refresh.stdout + refresh.stderr
    assert "QUARANTINED 1 package(s), left out of this refresh" in refresh.stdout
    assert f"are kept): {shown}\n  {shown}/report.yaml: [{shown}]" in refresh.stdout
    assert again.returncode == 2 and f"1 still quarantined: {shown}" in again.stdout
    assert f"\n  {shown}  " in status.stdout
