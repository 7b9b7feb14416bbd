"""pipelines.intake.normalise: every accepted form and every rejection, plus hypothesis properties.

Rule texts are spelled out here rather than imported, so a change of wording that
users see is a deliberate change of this file too.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipelines.intake import periods
from pipelines.intake.encodings import decode
from pipelines.intake.normalise import (
    Number,
    check_decimal_marks,
    check_year,
    fold_width,
    parse_number,
    parse_period,
)
from pipelines.intake.problems import Rejected

RAW = Path(__file__).resolve().parents[1] / "raw"
NUMBER_RULE = "must be a number (e.g. 1234.5, -2.4, 3.14e11)"
COMMA_RULE = "commas are neither thousands separators (1,234,567) nor one decimal comma (3,14)"
PERCENT_RULE = "a % sign in a column that is not a percent"
PERIOD_RULE = "must be a period: YYYY, YYYYH1, YYYYQ1, YYYY-MM, YYYY-MM-DD, an FY prefix, or START/END"
YEAR_RULE = "year must lie between 1990 and 2100"
BINARY_RULE = "is not text: it holds NUL bytes or control characters"
ENCODING_RULE = "is neither UTF-8 nor unambiguous GB18030 text"
SAVE_AS_UTF8 = "save the file as UTF-8 (in Excel: Save As > CSV UTF-8)"
CSV_TEXT = (
    "operator,period,revenue,unit,stated_yoy_pct,credited_source,ref,note\r\n"
    "china_mobile,2022H1,234,亿元,103.6,公司公告,S2 L311-312,移动云营收（同比增长103.6%）\r\n"
    "china_telecom,2022H1,280.8,亿元,100.8,公司公告,S2 L311-312,天翼云；约≈280亿\r\n"
)
FULL_WIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "0123456789.,+-eE%"})


def rejected(call, *args, **kwargs) -> Rejected:
    with pytest.raises(Rejected) as caught:
        call(*args, **kwargs)
    return caught.value


# fold_width


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("１２３，４５６．７", "123,456.7"),
        ("－５％", "-5%"),
        ("２０２２Ｑ３", "2022Q3"),
        ("\u3000亿元\u3000", " 亿元 "),
        ("3。14", "3。14"),  # the ideographic full stop is a full stop, not a decimal mark
        ("云计算（IaaS）", "云计算(IaaS)"),
        ("plain ascii", "plain ascii"),
    ],
)
def test_fold_width(text, folded):
    assert fold_width(text) == folded


# parse_number: accepted forms


@pytest.mark.parametrize(
    ("cell", "kwargs", "expected"),
    [
        ("1234.5", {}, Number(1234.5, "1234.5")),
        ("268.0", {}, Number(268.0, "268.0")),
        ("-2.4", {}, Number(-2.4, "-2.4")),
        ("+5", {}, Number(5.0, "5")),
        ("3.14e11", {}, Number(3.14e11, "3.14e11")),
        ("3.14E11", {}, Number(3.14e11, "3.14e11")),
        (".5", {}, Number(0.5, ".5")),
        (" 42 ", {}, Number(42.0, "42", notes=("spaces",))),
        ("\u300042\u3000", {}, Number(42.0, "42", notes=("full-width", "spaces"))),
        (
            "１２３，４５６．７",
            {},
            Number(123456.7, "123456.7", notes=("full-width", "thousands-separator"), thousands=True),
        ),
        ("－５", {}, Number(-5.0, "-5", notes=("full-width",))),
        ("\u22125", {}, Number(-5.0, "-5", notes=("minus-sign",))),
        ("1,234", {}, Number(1234.0, "1234", notes=("thousands-separator",), thousands=True)),
        ("12,345,678.5", {}, Number(12345678.5, "12345678.5", notes=("thousands-separator",), thousands=True)),
        ("-1,234.50", {}, Number(-1234.5, "-1234.50", notes=("thousands-separator",), thousands=True)),
        ("3,14", {}, Number(3.14, "3.14", notes=("decimal-comma",), decimal_comma=True)),
        ("1,23", {}, Number(1.23, "1.23", notes=("decimal-comma",), decimal_comma=True)),
        ("12,3456", {}, Number(12.3456, "12.3456", notes=("decimal-comma",), decimal_comma=True)),
        ("50%", {"percent": True}, Number(50.0, "50", notes=("percent-sign",))),
        ("69.54％", {"percent": True}, Number(69.54, "69.54", notes=("full-width", "percent-sign"))),
        ("1.2万亿", {"unit": "万亿元"}, Number(1.2, "1.2", notes=("scale-word:万亿",))),
        ("1750亿", {"unit": "亿"}, Number(1750.0, "1750", notes=("scale-word:亿",))),
        ("7800万", {"unit": "万美元"}, Number(7800.0, "7800", notes=("scale-word:万",))),
        ("212376百万", {"unit": "百万美元"}, Number(212376.0, "212376", notes=("scale-word:百万",))),
        ("504.5千", {"unit": "千瓦"}, Number(504.5, "504.5", notes=("scale-word:千",))),
        ("约3000", {}, Number(3000.0, "3000", "approx", ("qualifier-word:约",))),
        ("近3000", {}, Number(3000.0, "3000", "approx", ("qualifier-word:近",))),
        ("将近3000", {}, Number(3000.0, "3000", "approx", ("qualifier-word:将近",))),
        ("25左右", {}, Number(25.0, "25", "approx", ("qualifier-word:左右",))),
        ("3000余", {}, Number(3000.0, "3000", "lower_bound", ("qualifier-word:余",))),
        ("4000多", {}, Number(4000.0, "4000", "lower_bound", ("qualifier-word:多",))),
        ("超过50", {}, Number(50.0, "50", "lower_bound", ("qualifier-word:超过",))),
        ("50以上", {}, Number(50.0, "50", "lower_bound", ("qualifier-word:以上",))),
        ("不少于10", {}, Number(10.0, "10", "lower_bound", ("qualifier-word:不少于",))),
        ("不到60", {}, Number(60.0, "60", "upper_bound", ("qualifier-word:不到",))),
        ("最多60", {}, Number(60.0, "60", "upper_bound", ("qualifier-word:最多",))),
        ("60以内", {}, Number(60.0, "60", "upper_bound", ("qualifier-word:以内",))),
        ("约3000左右", {}, Number(3000.0, "3000", "approx", ("qualifier-word:约", "qualifier-word:左右"))),
        ("超过11.5亿", {"unit": "亿元"}, Number(11.5, "11.5", "lower_bound", ("scale-word:亿", "qualifier-word:超过"))),
        ("1000多万", {"unit": "万元"}, Number(1000.0, "1000", "lower_bound", ("scale-word:万", "qualifier-word:多"))),
        ("300余亿", {"unit": "亿元"}, Number(300.0, "300", "lower_bound", ("scale-word:亿", "qualifier-word:余"))),
        ("70%以上", {"percent": True}, Number(70.0, "70", "lower_bound", ("percent-sign", "qualifier-word:以上"))),
        ("约 25 %", {"percent": True}, Number(25.0, "25", "approx", ("spaces", "percent-sign", "qualifier-word:约"))),
    ],
)
def test_parse_number_accepts(cell, kwargs, expected):
    assert parse_number(cell, **kwargs) == expected


def test_plain_numbers_take_the_fast_path_unchanged():
    number = parse_number("280.8")
    assert (number.value, number.text, number.notes, number.qualifier) == (280.8, "280.8", (), None)


# parse_number: rejections


@pytest.mark.parametrize(
    ("cell", "kwargs", "rule", "hint"),
    [
        ("", {}, "must not be empty", "leave optional cells empty; fill in required ones"),
        ("  ", {}, "must not be empty", "leave optional cells empty; fill in required ones"),
        ("abc", {}, NUMBER_RULE, "write digits with an optional sign, '.' as the decimal mark and e for an exponent"),
        ("三千", {}, NUMBER_RULE, "write digits with an optional sign, '.' as the decimal mark and e for an exponent"),
        ("nan", {}, NUMBER_RULE, "leave the cell empty when the source states no figure"),
        ("NaN", {}, NUMBER_RULE, "leave the cell empty when the source states no figure"),
        ("inf", {}, NUMBER_RULE, "leave the cell empty when the source states no figure"),
        ("-inf", {}, NUMBER_RULE, "write digits with an optional sign, '.' as the decimal mark and e for an exponent"),
        ("1e400", {}, NUMBER_RULE, "the number is out of range for a float"),
        ("1e-400", {}, NUMBER_RULE, "the number is out of range for a float"),
        ("1 234", {}, NUMBER_RULE, "remove the spaces inside the number"),
        ("3。14", {}, NUMBER_RULE, "use '.' as the decimal mark (。 is a full stop)"),
        ("1.2.3", {}, NUMBER_RULE, "write digits with an optional sign, '.' as the decimal mark and e for an exponent"),
        ("--5", {}, NUMBER_RULE, "write digits with an optional sign, '.' as the decimal mark and e for an exponent"),
        ("约", {}, NUMBER_RULE, "write digits with an optional sign, '.' as the decimal mark and e for an exponent"),
        (
            "千亿级",
            {"unit": "亿元"},
            NUMBER_RULE,
            "write digits with an optional sign, '.' as the decimal mark and e for an exponent",
        ),
        ("٣", {}, NUMBER_RULE, "write digits with an optional sign, '.' as the decimal mark and e for an exponent"),
        ("1,23,456", {}, COMMA_RULE, "write the number without thousands separators, with '.' as the decimal mark"),
        ("12,3456,789", {}, COMMA_RULE, "write the number without thousands separators, with '.' as the decimal mark"),
        ("0,123", {}, COMMA_RULE, "write the number without thousands separators, with '.' as the decimal mark"),
        ("1234,567", {}, COMMA_RULE, "write the number without thousands separators, with '.' as the decimal mark"),
        ("1,234e5", {}, COMMA_RULE, "write the number without thousands separators, with '.' as the decimal mark"),
        ("3,14,", {}, COMMA_RULE, "write the number without thousands separators, with '.' as the decimal mark"),
        ("50%", {}, PERCENT_RULE, "write the number without % and use unit percent"),
        ("50％", {"unit": "亿元"}, PERCENT_RULE, "write the number without % and use unit percent"),
        (
            "1.2万亿",
            {"unit": "元"},
            "scale word 万亿 in the value does not match unit 元",
            "put the scale in the unit, e.g. value 1.2 with unit 万亿元",
        ),
        (
            "1.2万亿",
            {},
            "scale word 万亿 in the value does not match unit (none)",
            "put the scale in the unit, e.g. value 1.2 with unit 万亿",
        ),
        (
            "3万",
            {"unit": "万亿元"},
            "scale word 万 in the value does not match unit 万亿元",
            "write the value in the unit's scale (万亿), without a scale word",
        ),
        (
            "3万亿",
            {"unit": "万元"},
            "scale word 万亿 in the value does not match unit 万元",
            "write the value in the unit's scale (万), without a scale word",
        ),
        (
            "1.2万亿",
            {"unit": "CNY trillion"},
            "scale word 万亿 in the value does not match unit CNY trillion",
            "write 1.2 without 万亿 if CNY trillion already means 万亿, or use a unit starting with 万亿",
        ),
        (
            "约3000以上",
            {},
            "qualifier words that disagree",
            "keep one qualifier word, or none and fill in the qualifier column",
        ),
    ],
)
def test_parse_number_rejects(cell, kwargs, rule, hint):
    error = rejected(parse_number, cell, **kwargs)
    assert (error.rule, error.hint, error.value) == (rule, hint, cell)
    assert isinstance(error, ValueError)


def test_rejected_keeps_rule_hint_and_value_when_pickled():
    import pickle

    error = pickle.loads(pickle.dumps(Rejected("must be a number", "write digits", "abc")))
    assert (error.rule, error.hint, error.value) == ("must be a number", "write digits", "abc")


def test_decimal_marks_mixed_in_one_file():
    comma, grouped, plain = parse_number("3,14"), parse_number("1,234"), parse_number("5")
    rule = "a decimal comma in a file that also uses thousands separators"
    assert check_decimal_marks([comma, grouped, plain]) == rule
    assert check_decimal_marks([comma, plain]) is None
    assert check_decimal_marks([grouped, grouped]) is None
    assert check_decimal_marks([]) is None


# years and periods


@pytest.mark.parametrize("year", [1990, 2022, 2100])
def test_years_in_range(year):
    assert check_year(year) is None


@pytest.mark.parametrize("year", [1989, 2101, 0, -2022, 20222])
def test_years_out_of_range(year):
    error = rejected(check_year, year)
    assert (error.rule, error.value) == (YEAR_RULE, str(year))


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2022", "2022"),
        ("2022H1", "2022H1"),
        ("2022q3", "2022Q3"),
        ("fy2023q2", "FY2023Q2"),
        ("２０２２Ｈ１", "2022H1"),
        (" 2021 / 2026 ", "2021/2026"),
        ("2022 H1", "2022H1"),
        ("2023-01-24／2023-02-24", "2023-01-24/2023-02-24"),
        ("２０２２－０１", "2022-01"),
        ("2022-01\n", "2022-01"),
        ("1990/2100", "1990/2100"),
    ],
)
def test_period_normalised(text, period):
    assert parse_period(text) == period


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("", PERIOD_RULE),
        ("2022年", PERIOD_RULE),
        ("22Q3", PERIOD_RULE),
        ("2022H3", PERIOD_RULE),
        ("2022-13", PERIOD_RULE),
        ("2022–2023", PERIOD_RULE),  # an en dash is not a range
        ("٢٠٢٢", PERIOD_RULE),  # PERIOD_RE's \d would take other scripts' digits
        ("2022/", PERIOD_RULE),
        ("1989", YEAR_RULE),
        ("2021/2101", YEAR_RULE),
        ("FY0000Q1", YEAR_RULE),
        ("2023-02-30", "names a day that does not exist"),
        ("2026/2021", "a range must not end before it starts"),
    ],
)
def test_period_rejected(text, rule):
    error = rejected(parse_period, text)
    assert (error.rule, error.value) == (rule, text)


# decode: real bytes


def test_decode_utf8():
    assert decode(CSV_TEXT.encode("utf-8")) == (CSV_TEXT, "utf-8")
    assert decode(b"") == ("", "utf-8")


def test_decode_utf8_with_bom():
    assert decode(b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8")) == (CSV_TEXT, "utf-8-sig")


def test_decode_gb18030():
    assert decode(CSV_TEXT.encode("gb18030")) == (CSV_TEXT, "gb18030")


@pytest.mark.parametrize("path", sorted(RAW.glob("*/*.csv")), ids=lambda p: p.name)
def test_decode_real_packages_as_utf8_and_as_gb18030(path):
    data = path.read_bytes()
    text = data.decode("utf-8")
    assert decode(data) == (text, "utf-8")
    expected = "utf-8" if text.isascii() else "gb18030"
    assert decode(text.encode("gb18030")) == (text, expected)


@pytest.mark.parametrize(
    ("data", "value"),
    [
        ("entity,name\nx,café\n".encode("latin-1"), "line 2: bytes e9 0a"),
        ("entity,name\nx,résumé\n".encode("latin-1"), "line 2: bytes e9 73 75 6d"),
        # decodes as GB18030 to rare ideographs (Z黵ich, Gen鑦e): no common Chinese, so refused
        ("city\nZürich\nGenève\n".encode("latin-1"), "line 2: bytes fc 72 69 63"),
        # one Chinese character is not enough to decide GB18030
        ("metric,unit\nrevenue,亿\n".encode("gb18030"), "line 2: bytes d2 da 0a"),
        (b"\x80\x80", "line 1: bytes 80 80"),
    ],
)
def test_decode_rejects_other_encodings(data, value):
    error = rejected(decode, data)
    assert (error.rule, error.hint, error.value) == (ENCODING_RULE, SAVE_AS_UTF8, value)


@pytest.mark.parametrize(
    ("data", "value"),
    [
        (b"a,b\n1,\x002\n", "line 2: bytes 00 32 0a"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "line 2: bytes 1a 0a 00 00"),
        (b"a\x1b[31m", "line 1: bytes 1b 5b 33 31"),
        ("a,b\n1,\x85\n".encode(), "line 2: U+0085"),
    ],
)
def test_decode_rejects_binary(data, value):
    error = rejected(decode, data)
    assert (error.rule, error.hint, error.value) == (BINARY_RULE, "save the table as a CSV file (UTF-8)", value)


def test_decode_rejects_utf16_and_a_broken_bom():
    error = rejected(decode, CSV_TEXT.encode("utf-16"))
    assert (error.rule, error.hint) == ("is UTF-16 text, which is not accepted", SAVE_AS_UTF8)
    error = rejected(decode, b"\xef\xbb\xbfa,b\n\xff\n")
    assert (error.rule, error.value) == ("starts with a UTF-8 BOM but is not valid UTF-8", "line 2: bytes ff 0a")


# hypothesis properties

finite_floats = st.floats(allow_nan=False, allow_infinity=False)
decimals = st.integers(0, 8).flatmap(
    lambda places: st.decimals(min_value=-(10**15), max_value=10**15, places=places, allow_nan=False)
)
TEXT_OK = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r")
NUMBERISH = st.text(alphabet="0123456789.,+-eE% 约近余多以上左右超过万亿千百十１２，．％－\u3000。", max_size=12)


def _forms(text: str) -> list[tuple[str, bool]]:
    """A printed number in the ways an analyst writes it, and whether it needs percent=True."""
    return [
        (text, False),
        (f" \t{text}\u3000 ", False),
        (text.translate(FULL_WIDTH), False),
        (f"{text}%", True),
        (f"{text}％".translate(FULL_WIDTH), True),
    ]


@settings(max_examples=200)
@given(finite_floats)
def test_floats_round_trip(x):
    for printed in (repr(x), f"{x:,}"):
        for cell, percent in _forms(printed):
            assert parse_number(cell, percent=percent).value == x, cell


@settings(max_examples=200)
@given(decimals)
def test_decimals_round_trip_with_their_printed_digits(d):
    for printed in (format(d, "f"), format(d, ",f")):
        for cell, percent in _forms(printed):
            number = parse_number(cell, percent=percent)
            assert number.value == float(d), cell
            assert Decimal(number.text).as_tuple().exponent == d.as_tuple().exponent, cell


@settings(max_examples=200)
@given(st.text() | NUMBERISH, st.sampled_from([None, "", "亿元", "万亿元", "percent"]), st.booleans())
def test_parse_number_raises_only_rejected(cell, unit, percent):
    try:
        number = parse_number(cell, unit=unit, percent=percent)
    except Rejected as error:
        assert error.rule and error.value == cell
        return
    assert number.text.isascii()
    assert Decimal(number.text) == Decimal(number.text)  # the caller computes printed precision from it


@settings(max_examples=200)
@given(st.binary())
def test_decode_raises_only_rejected(data):
    try:
        _text, encoding = decode(data)
    except Rejected as error:
        assert error.rule
        return
    assert encoding in ("utf-8", "utf-8-sig", "gb18030")


@settings(max_examples=200)
@given(st.text(alphabet=TEXT_OK))
def test_utf8_text_round_trips(s):
    assume(not s.startswith("\ufeff"))  # a leading U+FEFF is a BOM on disk
    assert decode(s.encode("utf-8")) == (s, "utf-8")


@given(st.text(alphabet="abc,.\n0123456789云计算市场规模亿元，。（）《》“”", min_size=2))
def test_chinese_text_round_trips_as_gb18030(s):
    data = s.encode("gb18030")
    assume(sum(not c.isascii() for c in s) >= 2)
    assume(not s.isascii())
    try:
        data.decode("utf-8")
        assume(False)
    except UnicodeDecodeError:
        pass
    assert decode(data) == (s, "gb18030")


@st.composite
def single_periods(draw) -> str:
    day = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
    form = draw(st.sampled_from(["{y}", "{y}H{h}", "{y}Q{q}", "{y}-{m:02d}", "{y}-{m:02d}-{d:02d}"]))
    text = form.format(y=day.year, h=draw(st.integers(1, 2)), q=draw(st.integers(1, 4)), m=day.month, d=day.day)
    return ("FY" if draw(st.booleans()) else "") + text


@st.composite
def valid_periods(draw) -> str:
    first = draw(single_periods())
    if draw(st.booleans()):
        return first
    second = draw(single_periods())
    start, end = sorted([first, second], key=lambda p: periods.bounds(p)[0])
    period = f"{start}/{end}"
    assume(periods.is_valid(period))
    return period


@settings(max_examples=200)
@given(valid_periods())
def test_periods_round_trip(period):
    assert parse_period(period) == period
    variant = f" {period.lower()} ".translate(FULL_WIDTH).replace("/", " ／ ")
    assert parse_period(variant) == period


@settings(max_examples=200)
@given(st.text() | st.text(alphabet="0123456789-/HQFYhqfy ２０／", max_size=24))
def test_parse_period_raises_only_rejected(text):
    try:
        period = parse_period(text)
    except Rejected as error:
        assert error.rule and error.value == text
        return
    assert periods.is_valid(period) and period.isascii()
