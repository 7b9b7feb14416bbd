"""Bad rows get clear errors naming report, file, line, column, value and rule; all are collected."""

import re
import shutil
from pathlib import Path

import pytest

from pipelines.intake.validation import validate_raw_dir
from pipelines.warehouse.paths import DEFAULT_RAW_DIR
from tests.helpers import SWSC

GOOD_META = "title: t\npublisher: p\npublished: 2024-05\nlanguage: en\n"


def package(root: Path, report_id: str, tables: dict[str, str], meta: str = GOOD_META) -> Path:
    folder = root / report_id
    folder.mkdir(parents=True)
    (folder / "report.yaml").write_text(meta, encoding="utf-8")
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def problems_of(root: Path):
    return validate_raw_dir(root).all_problems


def test_seed_packages_are_valid():
    loaded = validate_raw_dir(DEFAULT_RAW_DIR)
    assert loaded.all_problems == []
    assert {p.report_id for p in loaded.packages} >= {SWSC}


IT_HEADER = "segment,year,spend,unit,stated_growth_pct,status,credited_source,ref\n"


def test_every_bad_value_is_reported_with_its_place_and_rule(tmp_path):
    package(
        tmp_path,
        "2024-05-bad",
        {
            "it_spend_by_segment": IT_HEADER
            + "\n".join(
                [
                    "software,2023,100,百万美元,1.5,forecast,Gartner,p1",  # line 2: fine
                    "hardware,2023,100,百万美元,1.5,forecast,Gartner,p1",  # line 3: unknown id
                    "devices,2023,1,234,百万美元,1.5,forecast,Gartner,p1",  # line 4: thousands separator splits the row
                    "devices,2023,12x,百万美元,,forecast,Gartner,p1",  # line 5: unparsable number
                    "total,2023,-5,百万,,forecast,Gartner,p1",  # line 6: negative spend and unknown unit
                    "software,2023,100,百万美元,,estimate,Gartner,",  # line 7: duplicate key, bad status, no ref
                ]
            )
            + "\n"
        },
    )
    found = {(p.line, p.column, p.value): p for p in problems_of(tmp_path)}
    assert found[(3, "segment", "hardware")].rule.startswith("must be a documented it_segment id")
    assert "fields but the header has 8" in found[(4, "", "devices,2023,1,234,百万美元,1.5,forecast,Gartner,p1")].rule
    assert found[(5, "spend", "12x")].rule.startswith("must be a number")
    assert found[(6, "spend", "-5")].rule == "must be >= 0"
    assert found[(6, "unit", "百万")].rule.startswith("must be a unit of the vocabulary")
    assert found[(7, "status", "estimate")].rule == "must be actual or forecast"
    assert found[(7, "ref", "")].rule == "must not be empty"
    assert found[(7, "segment+year", "software / 2023")].rule.startswith("duplicates another row's key")
    assert found[(2, "segment+year", "software / 2023")]
    checks = {key: p.check for key, p in found.items()}
    assert checks[(7, "segment+year", "software / 2023")] == "keys_unique"
    assert checks[(4, "", "devices,2023,1,234,百万美元,1.5,forecast,Gartner,p1")] == "header_complete"
    assert checks[(3, "segment", "hardware")] == "values_valid"
    problem = found[(3, "segment", "hardware")]
    assert problem.file == "2024-05-bad/it_spend_by_segment.csv" and problem.report_id == "2024-05-bad"
    assert str(problem).startswith(
        "2024-05-bad/it_spend_by_segment.csv:3: [2024-05-bad] column segment value 'hardware'"
    )


def test_missing_column_unknown_table_and_bad_metadata(tmp_path):
    package(
        tmp_path,
        "Bad_Id",
        {
            "operator_cloud_revenue": "operator,period,revenue,unit,credited_source,ref\nchina_mobile,2022H1,1,亿元,x,p\n",
            "operator_revenue": "a\n1\n",
        },
        meta="title: t\npublished: 2024/05\nlanguage: zh\n",
    )
    found = {(p.file.split("/")[-1], p.column): p.rule for p in problems_of(tmp_path)}
    assert found[("operator_cloud_revenue.csv", "stated_yoy_pct")] == "required column is missing from the header"
    [missing] = [p for p in problems_of(tmp_path) if p.column == "stated_yoy_pct"]
    assert missing.check == "header_complete"
    assert found[("operator_revenue.csv", "")].startswith("not a known table")
    assert found[("report.yaml", "publisher")] == "required key is missing or empty"
    assert found[("report.yaml", "published")] == "must be YYYY-MM-DD or YYYY-MM"
    assert "lowercase" in found[("report.yaml", "report_id")]


@pytest.mark.parametrize(
    ("period", "ok"),
    [
        ("2022H1", True),
        ("2022-01/2022-11", True),
        ("FY2023Q2", True),
        ("2022H3", False),
        ("2023/2021", False),
        ("H1 2022", False),
    ],
)
def test_period_grammar(tmp_path, period, ok):
    header = "operator,period,revenue,unit,stated_yoy_pct,credited_source,ref\n"
    package(tmp_path, "r", {"operator_cloud_revenue": header + f"china_mobile,{period},1,亿元,,x,p\n"})
    assert (problems_of(tmp_path) == []) is ok


def test_shares_range_and_extra_columns(tmp_path):
    header = "market,period,vendor,share_pct,rank,credited_source,ref,my_comment\n"
    package(
        tmp_path,
        "r",
        {
            "saas_vendor_share": header + "china_enterprise_saas,2021,sap,100.5,1,IDC,p,hi\n"
            "china_enterprise_saas,2021,yonyou,-1,2,IDC,p,\n"
        },
    )
    found = {(p.line, p.value): p.rule for p in problems_of(tmp_path)}
    assert found == {(2, "100.5"): "must lie between 0 and 100", (3, "-1"): "must lie between 0 and 100"}


def test_sizing_parameter_needs_a_unit_of_its_kind(tmp_path):
    header = "scenario,parameter,value,unit,ref\n"
    package(tmp_path, "r", {"sizing_assumptions": header + "base,time_per_word,350,TFLOP,p\nbase,speed,1,count,p\n"})
    found = {(p.line, p.column): (p.value, p.rule) for p in problems_of(tmp_path)}
    assert found[(2, "parameter+unit")][0] == "time_per_word / TFLOP"
    assert found[(3, "parameter")][1].startswith("must be a sizing parameter")


def test_seed_copy_with_one_error_reports_only_that_error(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    path = raw / SWSC / "operator_cloud_revenue.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("280.8", "280..8"), encoding="utf-8")
    [problem] = problems_of(raw)
    assert (problem.file, problem.line, problem.column, problem.value) == (
        f"{SWSC}/operator_cloud_revenue.csv",
        3,
        "revenue",
        "280..8",
    )


def test_every_check_has_a_rule_name_with_a_hint_not_keyed_by_its_message():
    """A hint follows the check it belongs to: rewording a message cannot orphan or swap its hint."""
    from pipelines.intake.schemas import RULE_HINTS, SCHEMAS

    checks = [
        (f"{table}.{column}", check)
        for table, schema in SCHEMAS.items()
        for column, spec in schema.columns.items()
        for check in spec.checks
    ]
    checks += [(table, check) for table, schema in SCHEMAS.items() for check in schema.checks]
    assert [(where, check.name) for where, check in checks if check.name not in RULE_HINTS] == []
    assert [key for key in RULE_HINTS if not re.fullmatch(r"[a-z][a-z_]*", key)] == []  # names, not message text
    assert len(checks) > 50 and {"unit", "entity_id", "sizing_unit"} <= {check.name for _, check in checks}


def test_a_row_check_names_its_columns_and_hint_by_rule(tmp_path):
    package(
        tmp_path,
        "2024-05-sizing",
        {"sizing_assumptions": "scenario,parameter,value,unit,ref\nbase,time_per_word,3,亿,p1\n"},
    )
    assert [(p.column, p.value, p.hint) for p in problems_of(tmp_path)] == [
        ("parameter+unit", "time_per_word / 亿", "e.g. time_per_word in ms or s, training_compute in FLOP")
    ]
