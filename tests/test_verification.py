"""One cell against its source lines (check_cell), the line-ref grammar, and report.yaml's origin keys."""

from datetime import date

import pytest

from pipelines.intake.line_refs import LineSpan, parse_ref
from pipelines.intake.origin import check_accessed, read_no_fact_lines
from pipelines.intake.problems import Rejected
from pipelines.intake.verification import SourceLines, check_cell

LINES = SourceLines(
    [
        "营业利润亏损30亿美元，营业利润率为-11.3%，下降了2.40pp",  # L1
        "可容纳不少于3万台服务器，共30000个机柜",  # L2
        "ChatGPT 千亿级 预计上百T级，训练需算力3.14×1011TFLOP",  # L3
        "ARR 在一年半内从 5000 万美元增长到 1.5 亿美元，建成10,312个机柜",  # L4
        "数据中心 212376 12% 213852 0.7%",  # L5
        "共30000个机柜",  # L6
        "国内的头部模型水平基本滞后海外一年到一年半左右",  # L7
    ]
)


def at(*lines: int) -> tuple[LineSpan, ...]:
    return tuple(LineSpan(line, line) for line in lines)


@pytest.mark.parametrize(
    ("value", "unit", "line", "matched"),
    [
        (-30, "亿美元", 1, "30"),  # a sign written as a word
        (30, "亿美元", 1, "30"),  # 亏损30 as the size of a loss
        (-11.3, "percent", 1, "-11.3%"),
        (-2.40, "pp", 1, "2.40"),
        (3, "万", 2, "3"),
        (30000, "count", 2, "3"),  # the first printed reading: 3万 is 30000 as well
        (3, "万", 6, "30000"),  # 3 in the unit's scale
        (1000, "亿", 3, "千亿"),
        (1e11, "count", 3, "千亿"),
        (100, "TB", 3, "百"),
        (3.14e11, "TFLOP", 3, "3.14×1011"),
        (1.5, "years", 7, "一年半"),
        (1, "years", 7, "一"),
        (5000, "万美元", 4, "5000"),
        (0.5, "亿美元", 4, "5000"),  # 5000 万 = 0.5 亿: the value in the unit's scale
        (10312, "count", 4, "10,312"),
    ],
)
def test_printed_forms_verify(value, unit, line, matched):
    check = check_cell(value, unit, at(line), LINES)
    assert (check.status, check.matched_text, check.matched_line) == ("verified", matched, line)


def test_an_unsigned_print_never_verifies_a_negative_value():
    assert check_cell(-12, "percent", at(5), LINES).status == "not_found"


def test_not_found_names_the_closest_number_and_where_the_value_stands():
    check = check_cell(213276, "百万美元", at(5), LINES)
    assert (check.status, check.hint, check.excerpt) == (
        "not_found",
        "source line has 212376",
        "数据中心 212376 12% 213852 0.7%",
    )
    assert check_cell(212376, "百万美元", at(4), LINES).hint == "source line has 10,312; 212376 stands on L5"


def test_the_value_may_stand_on_any_line_of_the_ref():
    spans = parse_ref("S2 L1-2; S2 L5")
    assert check_cell(0.7, "percent", spans, LINES).matched_line == 5


def test_statuses_without_source_line_or_with_a_reason():
    assert check_cell(1, "count", at(1), None).status == "no_source"
    assert check_cell(1, "count", (), LINES).status == "unlocated"
    exempt = check_cell(30, "days", at(4), LINES, "1个月 read as 30 days")
    assert (exempt.status, exempt.matched_text) == ("exempt", "derived: 1个月 read as 30 days")


@pytest.mark.parametrize(
    ("ref", "spans"),
    [
        ("L65", (LineSpan(65, 65),)),
        ("L311-312", (LineSpan(311, 312),)),
        ("L311-L312", (LineSpan(311, 312),)),
        ("S2 L983-985; S2 L977", (LineSpan(983, 985, "S2"), LineSpan(977, 977, "S2"))),
        ("p. 12", ()),
        ("Table 1 row 3; L4", (LineSpan(4, 4),)),
        ("Layer 3 table", ()),
    ],
)
def test_line_ref_grammar(ref, spans):
    assert parse_ref(ref) == spans


@pytest.mark.parametrize("ref", ["L65-", "L0", "L 65", "l65", "S2L65", "L12-5", "S2 L3; L4x"])
def test_refs_that_look_like_line_refs_but_break_the_grammar(ref):
    with pytest.raises(Rejected):
        parse_ref(ref)


def test_accessed_is_a_real_day_not_in_the_future():
    today = date(2026, 3, 1)
    check_accessed("2026-03-01", today)
    check_accessed("2026-03-02", today)  # tomorrow: already today east of here
    for text in ("2026-03-03", "2026-02-30", "2026-3-1", "yesterday"):
        with pytest.raises(Rejected):
            check_accessed(text, today)


def test_no_fact_lines_are_spans_with_reasons():
    [span] = read_no_fact_lines([{"lines": "L32-126", "reason": "site navigation"}])
    assert (span.first, span.last, span.reason) == (32, 126, "site navigation")
    [span] = read_no_fact_lines([{"lines": "L421", "numbers": ["365"], "reason": "Microsoft 365"}])
    assert (span.first, span.last, span.numbers) == (421, 421, ("365",))
    for bad in (
        "L32-126",
        [{"lines": "L32-126"}],
        [{"lines": "L421", "numbers": [""], "reason": "x"}],
        [{"lines": "L421", "numbers": {"a": "1"}, "reason": "x"}],
        [{"lines": "p. 3", "reason": "x"}],
        [{"lines": "L1; L3", "reason": "x"}],
    ):
        with pytest.raises(Rejected):
            read_no_fact_lines(bad)
