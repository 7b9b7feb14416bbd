"""Source verification of whole packages: the seeds verify, planted typos are caught with a hint,
and the exempt, no_source and unlocated paths. Packages are validated for real (no warehouse)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipelines.intake.source_check import not_found_findings
from pipelines.intake.validation import validate_raw_dir
from pipelines.warehouse.paths import DEFAULT_RAW_DIR
from tests.helpers import SWSC, edit

CJSC = "2026-02-cjsc-alibaba-cloud-token"
# table, CSV text before and after, then the cell that must be not_found (column, value as written) and its hint.
TYPOS = {
    "transposition": (
        "datacenter_projects",
        "keppel_dc_shanghai_qingpu,site_area,,22226,",
        "keppel_dc_shanghai_qingpu,site_area,,22262,",
        ("value", "22262"),
        "source line has 22226",
    ),
    "swapped digits": (
        "market_size",
        "china_public_cloud_iaas,market_size,2021,1614.7,",
        "china_public_cloud_iaas,market_size,2021,1416.7,",
        ("value", "1416.7"),
        "source line has 1614.7",
    ),
    "wrong decimal point": (
        "operator_cloud_revenue",
        "china_telecom,2022H1,280.8,",
        "china_telecom,2022H1,28.08,",
        ("revenue", "28.08"),
        "source line has 280.8",
    ),
    "wrong decimal point in a stated growth": (
        "operator_cloud_revenue",
        "china_mobile,2022H1,234,亿元,103.6,",
        "china_mobile,2022H1,234,亿元,10.36,",
        ("stated_yoy_pct", "10.36"),
        "source line has 103.6%",
    ),
    "value on another line than its ref": (
        "vendor_financials",
        "aws,operating_profit,2022,228,亿美元,exact,actual,,公司公告,S2 L108,",
        "aws,operating_profit,2022,228,亿美元,exact,actual,,公司公告,S2 L110,",
        ("value", "228"),
        "source line has 28.7%; 228 stands on L108",
    ),
}


def statuses(raw: Path) -> dict[tuple, str]:
    checked = validate_raw_dir(raw)
    assert checked.all_problems == []
    frame = checked.validated.verification
    return {(r.report_id, r.source_table, r.source_line, r.column_name): r.source_check for r in frame.itertuples()}


@pytest.fixture(scope="module")
def seeds() -> dict[tuple, str]:
    return statuses(DEFAULT_RAW_DIR)


def test_the_seeds_verify_and_every_other_cell_is_exempt_with_a_reason(seeds):
    counts = {}
    for (report_id, *_), status in seeds.items():
        counts.setdefault(report_id, {}).setdefault(status, 0)
        counts[report_id][status] += 1
    assert counts == {SWSC: {"verified": 249, "exempt": 2}, CJSC: {"verified": 21}}
    for report_counts in counts.values():
        assert report_counts["verified"] / sum(report_counts.values()) >= 0.97
    frame = validate_raw_dir(DEFAULT_RAW_DIR).validated.verification
    exempt = frame[frame["source_check"] == "exempt"]
    assert exempt["matched_text"].str.startswith("derived: printed ").all()


def test_planted_typos_are_exactly_the_cells_not_found_each_with_its_hint(seeds, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR / SWSC, raw / SWSC)
    for table, before, after, *_ in TYPOS.values():
        edit(raw / SWSC / f"{table}.csv", before, after)
    checked = validate_raw_dir(raw)
    assert checked.all_problems == []
    findings = not_found_findings(checked.validated.verification)
    found = {(f.file.split("/")[1].removesuffix(".csv"), f.column, f.value): f.hint for f in findings}
    assert found == {(table, *cell): hint for table, _, _, cell, hint in TYPOS.values()}
    changed = {k for k, s in statuses(raw).items() if s != seeds[k]}
    assert len(changed) == len(TYPOS) and {statuses(raw)[k] for k in changed} == {"not_found"}


def test_a_finding_prints_as_one_line_with_the_source_text_and_the_hint(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR / SWSC, raw / SWSC)
    table, before, after, *_ = TYPOS["wrong decimal point"]
    edit(raw / SWSC / f"{table}.csv", before, after)
    [finding] = not_found_findings(validate_raw_dir(raw).validated.verification)
    assert str(finding) == (
        f"{SWSC}/operator_cloud_revenue.csv:3: [{SWSC}] column revenue value '28.08': not printed on the source "
        "line its ref names (S2 L311-312); L311: 至2022H1，移动云、天翼云、联通云收入分别同比增长103.6%、100.8%、"
        "143%至234、280.8、 (hint: source line has 280.8)"
    )


def write_package(raw: Path, rows: str, source: str | None, header_extra: str = "") -> None:
    package = raw / "2024-05-test-report"
    package.mkdir(parents=True)
    (package / "report.yaml").write_text("title: 测试\npublisher: 测试证券\npublished: 2024-05\nlanguage: zh\n")
    header = "metric,entity,period,value,unit,qualifier,status,stated_yoy_pct,credited_source,ref,note" + header_extra
    (package / "metrics.csv").write_text(header + "\n" + rows, encoding="utf-8")
    if source is not None:
        (package / "source.txt").write_text(source, encoding="utf-8")


def verification_of(raw: Path) -> list[tuple]:
    frame = validate_raw_dir(raw).validated.verification
    cells = frame[["source_line", "column_name", "source_check", "matched_text"]].astype(object)
    return sorted(tuple(None if pd.isna(v) else v for v in row) for row in cells.itertuples(index=False))


SOURCE = "营业利润亏损30亿美元，利润率下降了2.40pp\n模型参数千亿级，训练一年半\n"
ROWS = (
    "market_cap,emcloud_index,2021,-30,亿美元,exact,actual,-2.40,,L1,\n"
    "yoy_growth,emcloud_index,2021,1000,亿,order_of_magnitude,actual,,,L2,\n"
    "gross_margin,emcloud_index,2021,1.5,years,exact,actual,,,p. 12,\n"
)


def test_without_source_every_cell_is_no_source(tmp_path):
    write_package(tmp_path / "raw", ROWS, None)
    assert verification_of(tmp_path / "raw") == [
        (2, "stated_yoy_pct", "no_source", None),
        (2, "value", "no_source", None),
        (3, "value", "no_source", None),
        (4, "value", "no_source", None),
    ]


def test_with_source_a_ref_without_a_line_is_unlocated(tmp_path):
    write_package(tmp_path / "raw", ROWS, SOURCE)
    assert verification_of(tmp_path / "raw") == [
        (2, "stated_yoy_pct", "verified", "2.40"),
        (2, "value", "verified", "30"),
        (3, "value", "verified", "千亿"),
        (4, "value", "unlocated", None),
    ]


def test_derived_exempts_the_figure_or_the_column_it_names(tmp_path):
    rows = (
        "market_cap,emcloud_index,2021,-31,亿美元,exact,actual,-2.40,,L1,,sum of the two segments\n"
        "yoy_growth,emcloud_index,2021,1000,亿,order_of_magnitude,actual,7,,L2,,stated_yoy_pct: from the table\n"
    )
    write_package(tmp_path / "raw", rows, SOURCE, ",derived")
    assert verification_of(tmp_path / "raw") == [
        (2, "stated_yoy_pct", "verified", "2.40"),
        (2, "value", "exempt", "derived: sum of the two segments"),
        (3, "stated_yoy_pct", "exempt", "derived: from the table"),
        (3, "value", "verified", "千亿"),
    ]


def test_only_a_changed_package_is_verified_again(tmp_path):
    import duckdb

    from pipelines.warehouse.loading import load_incremental

    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    sql = "select report_id, source_check, count(*) from raw.source_verification group by all order by all"
    with duckdb.connect(str(tmp_path / "w.duckdb")) as connection:
        load_incremental(connection, raw)
        before = connection.execute(sql).fetchall()
        table, old, new, *_ = TYPOS["wrong decimal point"]
        edit(raw / SWSC / f"{table}.csv", old, new)
        result = load_incremental(connection, raw)
        after = connection.execute(sql).fetchall()
        lines = connection.execute("select report_id, count(*) from raw.source_lines group by all order by all")
        assert lines.fetchall() == [(SWSC, 1172), (CJSC, 126)]
    assert (result.changed, result.unchanged) == ([SWSC], 1)
    assert before == [(SWSC, "exempt", 2), (SWSC, "verified", 249), (CJSC, "verified", 21)]
    assert after == [(SWSC, "exempt", 2), (SWSC, "not_found", 1), (SWSC, "verified", 248), (CJSC, "verified", 21)]
