"""Source coverage: every number printed in a package's source.txt is transcribed, untranscribed or
skipped by a named rule. A small package is validated for real (no warehouse); the CLI reads a
published warehouse built from the seeds."""

from __future__ import annotations

import re
import shutil

import duckdb
import pytest

from pipelines.intake.coverage import SKIP_REASONS, line_coverage, repeat_key
from pipelines.intake.printed_numbers import printed_numbers
from pipelines.intake.validation import validate_raw_dir
from pipelines.project import PROJECT_ROOT
from pipelines.warehouse.paths import DEFAULT_RAW_DIR
from tests.conftest import run_job
from tests.helpers import SWSC, cloudfacts, edit

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
REPORT = "2024-05-test-report"
CJSC = "2026-02-cjsc-alibaba-cloud-token"
SOURCE = """2022年移动云收入同比增长103.6%至234亿元，部署A100服务器3000台。
第 2 页
数据来源：公司公告，2023年3月
其他报告：云计算白皮书 88 页
2023年全球IT支出预计达到4.5万亿美元。
"""
FILES = {
    "report.yaml": "title: 测试报告\npublisher: 测试证券\npublished: 2024-05\nlanguage: zh\n"
    "no_fact_lines:\n  - lines: L4\n    reason: the site's list of other reports\n",
    "source.txt": SOURCE,
    "operator_cloud_revenue.csv": "operator,period,revenue,unit,stated_yoy_pct,credited_source,ref,note\n"
    "china_mobile,2022H1,234,亿元,103.6,公司公告,L1,\n",
}
# (line, number as printed, status, the skip rule): every number the source prints, in order.
EXPECTED = [
    (1, "2022", "skipped", "row_period"),
    (1, "103.6%", "transcribed", None),
    (1, "234", "transcribed", None),
    (1, "100", "skipped", "name_part"),
    (1, "3000", "untranscribed", None),
    (2, "2", "skipped", "page_number"),
    (3, "2023", "skipped", "source_note"),
    (3, "3", "skipped", "source_note"),
    (4, "88", "skipped", "no_fact_line"),
    (5, "2023", "skipped", "year"),
    (5, "4.5", "untranscribed", None),
]


@pytest.fixture
def package(tmp_path):
    folder = tmp_path / "raw" / REPORT
    folder.mkdir(parents=True)
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def coverage_of(raw):
    checked = validate_raw_dir(raw)
    assert checked.all_problems == []
    return checked.validated.coverage


def test_every_printed_number_of_a_small_package_gets_its_status(package):
    coverage = coverage_of(package.parent)
    found = [
        (r.line, r.number_as_printed, r.status, r.skip_reason.split(":")[0] if isinstance(r.skip_reason, str) else None)
        for r in coverage.itertuples()
    ]
    assert found == EXPECTED
    assert set(coverage["report_id"]) == {REPORT}
    assert coverage["line_text"].iloc[0] == SOURCE.splitlines()[0]
    reasons = dict(zip(coverage["number_as_printed"], coverage["skip_reason"], strict=False))
    assert reasons["88"] == "no_fact_line: the site's list of other reports"
    assert reasons["100"] == f"name_part: {SKIP_REASONS['name_part']}"


def test_a_year_is_the_row_period_only_on_the_line_the_row_was_taken_from(package):
    """Without the row, 2022 on L1 is still a year, but no longer the period of a transcribed row."""
    (package / "operator_cloud_revenue.csv").write_text(
        FILES["operator_cloud_revenue.csv"].replace("L1,", "p. 3,"), encoding="utf-8"
    )
    coverage = coverage_of(package.parent)
    first = coverage[coverage["line"] == 1]
    assert list(first["status"]) == ["skipped", "untranscribed", "untranscribed", "skipped", "untranscribed"]
    assert first["skip_reason"].iloc[0].startswith("year:")


def test_a_package_without_source_has_no_coverage(package):
    (package / "source.txt").unlink()
    (package / "report.yaml").write_text(FILES["report.yaml"].split("no_fact_lines")[0], encoding="utf-8")
    assert coverage_of(package.parent).empty


@pytest.mark.parametrize(
    ("line", "statuses"),
    [
        ("图3：2021年IaaS市场份额为33.5%", ["skipped label", "skipped year", "untranscribed"]),
        ("（1）谷歌：1、Document AI", ["skipped label", "skipped label"]),
        ("金山办公（688111）、金蝶国际（0268.HK）", ["skipped security_code", "skipped security_code"]),
        (
            "营业利润率自22Q3的43.5%下降至23Q2的41.4%",
            ["skipped year", "skipped name_part", "untranscribed"] * 2,  # 22 and the 3 of Q3
        ),
        ("发布时间:2026/02/03，5月10日", ["skipped year"] + ["skipped date"] * 4),
        ("随着5G时代的来临，GPT-4发布", ["skipped name_part", "skipped name_part"]),
        ("三大运营商", ["skipped chinese_word"]),
    ],
)
def test_skip_rules_name_what_is_not_a_figure(line, statuses):
    found = line_coverage(line, printed_numbers(line), set(), set())
    assert [f"{status} {reason.split(':')[0]}" if reason else status for _, status, reason, _ in found] == statuses


def test_a_number_taken_from_another_line_is_a_repeat_and_a_spaced_number_counts_once():
    line = "收入增速为27%，支出下滑0.2%，共27家，共计1 458 333小时"
    taken = {"27%": [8, 989], "-0.2%": [75]}
    elsewhere = {repeat_key(printed_numbers(text)[0]): lines for text, lines in taken.items()}
    found = line_coverage(line, printed_numbers(line), {"1 458 333"}, set(), elsewhere=elsewhere, line_number=991)
    assert [(text, status, reason) for text, status, reason, _ in found] == [
        ("27%", "skipped", f"repeated: {SKIP_REASONS['repeated']} L989"),
        ("0.2%", "skipped", f"repeated: {SKIP_REASONS['repeated']} L75"),
        ("27", "untranscribed", None),
        ("1 458 333", "transcribed", None),
    ]


@pytest.fixture(scope="module")
def small_warehouse(tmp_path_factory):
    """The small package, refreshed by the real Dagster job into a published warehouse."""
    root = tmp_path_factory.mktemp("coverage")
    folder = root / "raw" / REPORT
    folder.mkdir(parents=True)
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    warehouse = root / "warehouse" / "cloudfacts.duckdb"
    result = run_job(root / "raw", warehouse)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    return warehouse


def test_the_marts_hold_the_coverage_and_its_share(small_warehouse):
    with duckdb.connect(str(small_warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select line, number_as_printed, status, split_part(skip_reason, ':', 1) from marts.source_coverage "
            "order by line, position"
        ).fetchall()
        report = connection.execute(
            "select numbers_transcribed, numbers_untranscribed, numbers_skipped, coverage_share from marts.dim_report"
        ).fetchall()
    assert rows == EXPECTED
    assert report == [(2, 2, 7, 0.5)]


def test_cloudfacts_coverage_prints_the_summary_then_the_untranscribed_numbers_by_line(small_warehouse):
    result = cloudfacts("coverage", REPORT, "--warehouse", str(small_warehouse))
    assert (result.returncode, result.stderr) == (0, "")
    lines = SOURCE.splitlines()
    assert result.stdout == (
        f"{REPORT}: 2 of 4 content numbers transcribed (50.0%); 2 untranscribed; "
        "7 skipped (years, dates, labels, no-fact lines)\n"
        "untranscribed, by source line:\n"
        f"L1  3000\n    {lines[0]}\n"
        f"L5  4.5\n    {lines[4]}\n"
    )


def test_cloudfacts_coverage_names_an_unknown_report_in_one_line(small_warehouse):
    result = cloudfacts("coverage", "2099-01-no-such-report", "--warehouse", str(small_warehouse))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"error: no report '2099-01-no-such-report' in {small_warehouse}; "
        "`cloudfacts status` lists the loaded reports\n"
    )


def test_every_content_number_of_the_seeds_is_transcribed(query):
    """The seeds after issue 14: what coverage listed was transcribed or declared (report.yaml no_fact_lines)."""
    assert query(
        "select report_id, numbers_transcribed, numbers_untranscribed, numbers_skipped, coverage_share "
        "from marts.dim_report order by report_id"
    ) == [
        ("2023-03-swsc-cloud-computing", 246, 0, 404, 1.0),
        ("2026-02-cjsc-alibaba-cloud-token", 21, 0, 206, 1.0),
    ]


def test_declared_numbers_of_a_line_are_skipped_with_their_reason_and_the_rest_stay(package):
    (package / "report.yaml").write_text(
        FILES["report.yaml"] + "  - lines: L1\n    numbers: ['3000']\n    reason: a fleet size, out of scope\n",
        encoding="utf-8",
    )
    coverage = coverage_of(package.parent)
    first = coverage[coverage["line"] == 1]
    assert list(zip(first["number_as_printed"], first["status"], strict=True))[-1] == ("3000", "skipped")
    assert first["skip_reason"].iloc[-1] == "no_fact_line: a fleet size, out of scope"
    assert list(coverage[coverage["line"] == 5]["status"]) == ["skipped", "untranscribed"]


def test_a_declared_number_the_line_does_not_print_is_one_problem(package):
    (package / "report.yaml").write_text(
        FILES["report.yaml"] + "  - lines: L1\n    numbers: ['3001']\n    reason: a typo\n", encoding="utf-8"
    )
    [problem] = validate_raw_dir(package.parent).all_problems
    assert str(problem) == (
        f"{REPORT}/report.yaml:5: [{REPORT}] column no_fact_lines value '3001': 3001 is not a number printed on "
        "L1 of source.txt (hint: write the number as printed (cloudfacts coverage lists them), "
        "e.g. numbers: ['365'])"
    )


SECTION = README.split("## How do I know a number is right?")[1].split("\n## ")[0]
SHOWN = re.findall(r"```(sql|sh)\n(.*?)```\n```\n(.*?)```", SECTION, re.S)


def test_the_readme_section_shows_what_the_commands_print(built):
    """Every sql and sh block of "How do I know a number is right?" prints exactly the output shown below it."""
    assert [kind for kind, _, _ in SHOWN] == ["sql", "sql", "sh"]
    for kind, command, shown in SHOWN:
        if kind == "sql":
            result = cloudfacts("query", command, "--warehouse", str(built["warehouse"]))
        else:
            args = command.split()[1:]
            result = cloudfacts(*args, "--warehouse", str(built["warehouse"]))
        assert (result.returncode, result.stdout) == (0, shown), command


def test_a_changed_package_gets_its_coverage_again_and_a_mistyped_figure_is_left_untranscribed(tmp_path):
    """28.08 typed for 280.8: the cell is not_found, so the printed 280.8 is no longer transcribed."""
    from pipelines.warehouse.loading import load_incremental

    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    sql = "select report_id, status, count(*) from raw.source_coverage group by all order by all"
    with duckdb.connect(str(tmp_path / "w.duckdb")) as connection:
        load_incremental(connection, raw)
        before = connection.execute(sql).fetchall()
        edit(raw / SWSC / "operator_cloud_revenue.csv", "china_telecom,2022H1,280.8,", "china_telecom,2022H1,28.08,")
        result = load_incremental(connection, raw)
        after = connection.execute(sql).fetchall()
        left = connection.execute(
            "select line, number_as_printed from raw.source_coverage where status = 'untranscribed'"
        ).fetchall()
    assert (result.changed, result.unchanged) == ([SWSC], 1)
    assert before == [
        (SWSC, "skipped", 404),
        (SWSC, "transcribed", 246),
        (CJSC, "skipped", 206),
        (CJSC, "transcribed", 21),
    ]
    assert after == [
        (SWSC, "skipped", 404),
        (SWSC, "transcribed", 245),
        (SWSC, "untranscribed", 1),
        (CJSC, "skipped", 206),
        (CJSC, "transcribed", 21),
    ]
    assert left == [(311, "280.8")]
