"""The reader of source lines: every accepted printed form, its text, span and readings."""

import pytest

from pipelines.intake.chinese_numerals import read_numeral, unit_scale
from pipelines.intake.printed_numbers import CHINESE, GROUPED, SCIENTIFIC, SPACED, printed_numbers


def numbers(line: str) -> list[tuple[str, float]]:
    return [(n.text, n.value) for n in printed_numbers(line)]


def only(line: str, text: str):
    [found] = [n for n in printed_numbers(line) if n.text == text]
    assert line[found.start : found.end] == text
    return found


def test_plain_numbers_with_sign_and_percent_keep_their_printed_text():
    assert numbers("合计 4385270 -0.2% 4491471 2.4%") == [
        ("4385270", 4385270),
        ("-0.2%", -0.2),
        ("4491471", 4491471),
        ("2.4%", 2.4),
    ]


def test_a_hyphen_after_a_letter_or_digit_is_no_sign():
    assert numbers("GPT-4 在 2022-01 发布") == [("4", 4), ("2022", 2022), ("01", 1)]


def test_thousands_separators_in_valid_groups():
    assert only("×1h/3600s=11,182,336h", "11,182,336").value == 11182336
    assert only("×1h/3600s=11,182,336h", "11,182,336").form == GROUPED
    assert numbers("1234,567") == [("1234", 1234), ("567", 567)]


def test_full_width_digits_point_and_percent():
    found = only("增长１２３．４％，", "１２３．４％")
    assert (found.value, found.start, found.end) == (123.4, 2, 8)


def test_the_chinese_list_comma_is_no_thousands_separator():
    assert numbers("234，280") == [("234", 234), ("280", 280)]


def test_spaces_inside_numbers_are_read_joined_as_well():
    spaced = [n for n in printed_numbers("用户 1 458 333 人, 日均 43. 33 万") if n.form == SPACED]
    assert [(n.text, n.value) for n in spaced] == [("1 458 333", 1458333), ("43. 33", 43.33)]
    assert 10000 * 43.33 in spaced[1].readings()


def test_scientific_notation_whose_superscript_was_lost():
    found = only("1750亿参数模型训练需算力3.14×1011TFLOP", "3.14×1011")
    assert (found.value, found.form) == (3.14e11, SCIENTIFIC)
    assert only("算力 3.14×10^11 与 2.5e-3", "3.14×10^11").value == 3.14e11
    assert only("算力 3.14×10¹¹", "3.14×10¹¹").value == 3.14e11
    assert only("与 2.5e-3", "2.5e-3").value == 2.5e-3


@pytest.mark.parametrize(
    ("line", "text", "value"),
    [
        ("证实设备在运行四年后", "四", 4),
        ("滞后海外一年到一年半左右", "一年半", 1.5),
        ("并启动两座超大规模智算中心", "两", 2),
        ("升至行业第三", "三", 3),
        ("二〇二三年", "二〇二三", 2023),
        ("三千二百", "三千二百", 3200),
    ],
)
def test_chinese_numerals_and_counts(line, text, value):
    found = only(line, text)
    assert (found.value, found.form) == (value, CHINESE)


def test_words_that_use_numerals_but_are_no_numbers():
    assert numbers("一直在百度统一部署") == []


def test_scale_words_after_digits_and_in_chinese():
    assert only("用量已达 1300 万亿,日均", "1300").readings() == {1300, 1300e12}
    assert only("日均处理 43.33 万 亿,处理", "43.33").scale == 10**12
    assert only("ChatGPT 千亿级", "千亿").readings() == {1000, 1e11}
    assert numbers("3千") == [("3", 3)] and only("3千", "3").scale == 1000


def test_signs_written_as_words_read_both_ways():
    assert only("营业利润亏损30亿美元", "30").readings() == {30, -30, 3e9, -3e9}
    assert only("下降了2.40pp", "2.40").readings() == {2.4, -2.4}
    assert only("增长了2.40pp", "2.40").readings() == {2.4}


def test_chinese_numeral_helpers():
    assert read_numeral("一万二千") == 12000
    assert read_numeral("十五") == 15
    assert read_numeral("万") is None
    assert (unit_scale("亿元"), unit_scale("百万美元"), unit_scale("万亿tokens"), unit_scale("percent")) == (
        10**8,
        10**6,
        10**12,
        1,
    )
