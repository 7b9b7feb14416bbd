"""Reading cells as analysts write them: numbers, years and periods.

Plain functions, no pandas: they run on every cell. Each accepted normalisation is
named in Number.notes, so a package's summary says what was changed.

Data decisions:
- Accepted in numbers: surrounding spaces; full-width digits and punctuation
  (１２３，４５６．７, ％, －) and the minus sign U+2212; a leading + or -;
  scientific notation (3.14e11); thousands separators in valid 3-digit groups
  whose first group does not start with 0 (1,234 and 12,345,678.5).
- A single comma followed by 1-2 or 4+ digits cannot be a thousands separator,
  so it is a decimal comma ("3,14" -> 3.14). Every other comma is rejected:
  "0,123" and "1234,567" could be either. A file mixing decimal commas with
  thousands separators is rejected by check_decimal_marks.
- % (or ％) only in a percent column; elsewhere it is rejected, never divided by 100.
- A scale word (SCALE_WORDS) in the value is accepted only when the unit starts
  with the same scale word ("1.2万亿" with unit 万亿元 -> 1.2). A value is never
  multiplied and a scale never guessed: the unit carries the scale.
- Qualifier words are removed and returned (QUALIFIER_PREFIXES/SUFFIXES, the
  vocabulary of docs/raw-format.md). 近 (nearly) reads as approx like 将近: in a
  number cell it cannot mean "recent", which would need a time word after it.
  Two qualifier words must agree ("约3000左右" is fine, "约3000以上" is not).
  The order-of-magnitude form (千亿级) holds no number and is rejected.
- Rejected: empty cells, nan/inf, values that overflow or underflow a float,
  Chinese numerals (三千), spaces inside digits (1 234), 。 as a decimal point.
- Number.text is the number as printed with the normalisations removed (no +,
  lower-case e, '.' as the decimal mark), so its printed precision is kept:
  "268.0" stays "268.0".
- Years and periods: full-width folded, spaces removed, q/h/fy upper-cased, then
  the grammar of pipelines.intake.periods; every year must lie in its YEAR_MIN..YEAR_MAX.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.intake.periods import PERIOD_RE, YEAR_HINT, YEAR_RULE, bounds, year_in_range
from pipelines.intake.problems import EMPTY_RULE, Rejected, is_empty

SCALE_WORDS = ("十", "百", "千", "万", "十万", "百万", "千万", "亿", "十亿", "百亿", "千亿", "万亿", "亿亿")
QUALIFIER_PREFIXES = {
    "约": "approx",
    "近": "approx",
    "将近": "approx",
    "超过": "lower_bound",
    "不少于": "lower_bound",
    "不到": "upper_bound",
    "最多": "upper_bound",
}
QUALIFIER_SUFFIXES = {
    "左右": "approx",
    "以上": "lower_bound",
    "余": "lower_bound",
    "多": "lower_bound",
    "以内": "upper_bound",
}
QUALIFIER_WORDS = {**QUALIFIER_PREFIXES, **QUALIFIER_SUFFIXES}
PERCENT_SIGN = "%"

NUMBER_RULE = "must be a number (e.g. 1234.5, -2.4, 3.14e11)"
NUMBER_HINT = "write digits with an optional sign, '.' as the decimal mark and e for an exponent"
COMMA_RULE = "commas are neither thousands separators (1,234,567) nor one decimal comma (3,14)"
COMMA_HINT = "write the number without thousands separators, with '.' as the decimal mark"
PERCENT_RULE = "a % sign in a column that is not a percent"
PERCENT_HINT = "write the number without % and use unit percent"
QUALIFIER_RULE = "qualifier words that disagree"
DECIMAL_MARK_RULE = "a decimal comma in a file that also uses thousands separators"
PERIOD_RULE = "must be a period: YYYY, YYYYH1, YYYYQ1, YYYY-MM, YYYY-MM-DD, an FY prefix, or START/END"
PERIOD_HINT = "e.g. 2022, 2022H1, 2022Q3, 2025-09, 2023-01-24, FY2023Q2 or 2021/2026"
DATE_RULE = "names a day that does not exist"
RANGE_RULE = "a range must not end before it starts"

_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_GROUPED = re.compile(r"[+-]?[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,(?:[0-9]{1,2}|[0-9]{4,})")
_SCALES_LONGEST_FIRST = sorted(SCALE_WORDS, key=len, reverse=True)
_PREFIXES_LONGEST_FIRST = sorted(QUALIFIER_PREFIXES, key=len, reverse=True)
_SUFFIXES_LONGEST_FIRST = sorted(QUALIFIER_SUFFIXES, key=len, reverse=True)
_NOT_A_NUMBER_WORDS = ("nan", "inf", "infinity", "na", "n/a", "null", "none", "-", "--")


def fold_width(text: str) -> str:
    """Full-width ASCII forms to ASCII and U+3000 to a space; 。 is left alone."""
    return text if text.isascii() else text.translate(_WIDTH_TABLE)


@dataclass(frozen=True, slots=True)
class Number:
    value: float
    text: str
    qualifier: str | None = None
    notes: tuple[str, ...] = ()
    decimal_comma: bool = False
    thousands: bool = False


def _finite(text: str, cell: str) -> tuple[float, str]:
    """The float of a plain number and its canonical text."""
    if text[0] == "+":
        text = text[1:]
    text = text.replace("E", "e")
    value = float(text)
    mantissa = text.partition("e")[0]
    if value in (float("inf"), float("-inf")) or (value == 0 and mantissa.strip("-0.")):
        raise Rejected(NUMBER_RULE, "the number is out of range for a float", cell)
    return value, text


def parse_number(cell: str, *, unit: str | None = None, percent: bool = False) -> Number:
    """Read one numeric cell as written by an analyst (see the module docstring)."""
    if _PLAIN.fullmatch(cell):
        return Number(*_finite(cell, cell))
    notes: list[str] = []
    text = fold_width(cell)
    if text != cell:
        notes.append("full-width")
    if "\u2212" in text:
        text = text.replace("\u2212", "-")
        notes.append("minus-sign")
    qualifiers: list[str] = []
    scale = None
    has_percent = False
    if is_empty(text):
        raise Rejected(EMPTY_RULE, "leave optional cells empty; fill in required ones", cell)
    text, spaced = _strip(text, False)
    for word in _PREFIXES_LONGEST_FIRST:
        if text.startswith(word):
            qualifiers.append(word)
            text, spaced = _strip(text[len(word) :], spaced)
            break
    suffix_qualifier = False
    while True:  # peel words off the end: "3000多万以上", "50%左右"
        if not has_percent and text.endswith(PERCENT_SIGN):
            has_percent, word = True, PERCENT_SIGN
        elif not suffix_qualifier and (word := _ending(text, _SUFFIXES_LONGEST_FIRST)):
            suffix_qualifier = True
            qualifiers.append(word)
        elif scale is None and (word := _ending(text, _SCALES_LONGEST_FIRST)):
            scale = word
        else:
            break
        text, spaced = _strip(text[: -len(word)], spaced)
    if spaced:
        notes.append("spaces")
    number, decimal_comma, thousands = text, False, False
    if "," in number:
        if _GROUPED.fullmatch(number):
            number, thousands = number.replace(",", ""), True
            notes.append("thousands-separator")
        elif _DECIMAL_COMMA.fullmatch(number):
            number, decimal_comma = number.replace(",", "."), True
            notes.append("decimal-comma")
        else:
            raise Rejected(COMMA_RULE, COMMA_HINT, cell)
    if not _PLAIN.fullmatch(number):
        raise Rejected(NUMBER_RULE, _number_hint(number), cell)
    value, number = _finite(number, cell)
    if has_percent:
        if not percent:
            raise Rejected(PERCENT_RULE, PERCENT_HINT, cell)
        notes.append("percent-sign")
    if scale is not None:
        _check_scale(scale, unit, number, cell)
        notes.append(f"scale-word:{scale}")
    meanings = {QUALIFIER_WORDS[word] for word in qualifiers}
    if len(meanings) > 1:
        raise Rejected(QUALIFIER_RULE, "keep one qualifier word, or none and fill in the qualifier column", cell)
    notes += [f"qualifier-word:{word}" for word in qualifiers]
    return Number(value, number, meanings.pop() if meanings else None, tuple(notes), decimal_comma, thousands)


def _strip(text: str, spaced: bool) -> tuple[str, bool]:
    stripped = text.strip()
    return stripped, spaced or stripped != text


def _ending(text: str, words: list[str]) -> str | None:
    return next((word for word in words if text.endswith(word)), None)


def _leading_scale(unit: str) -> str | None:
    return next((word for word in _SCALES_LONGEST_FIRST if unit.startswith(word)), None)


def _check_scale(scale: str, unit: str | None, number: str, cell: str) -> None:
    unit = fold_width(unit or "").strip()
    unit_scale = _leading_scale(unit)
    if unit_scale == scale:
        return
    shown = unit or "(none)"
    if unit_scale:
        hint = f"write the value in the unit's scale ({unit_scale}), without a scale word"
    elif unit.isascii() and unit:  # "CNY trillion": gluing 万亿 onto it would not name a unit
        hint = f"write {number} without {scale} if {unit} already means {scale}, or use a unit starting with {scale}"
    else:
        hint = f"put the scale in the unit, e.g. value {number} with unit {scale}{unit}"
    raise Rejected(f"scale word {scale} in the value does not match unit {shown}", hint, cell)


def _number_hint(text: str) -> str:
    if text.lower() in _NOT_A_NUMBER_WORDS:
        return "leave the cell empty when the source states no figure"
    if "。" in text:
        return "use '.' as the decimal mark (。 is a full stop)"
    if any(c.isspace() for c in text):
        return "remove the spaces inside the number"
    return NUMBER_HINT


def check_decimal_marks(numbers: list[Number]) -> str | None:
    """The file-level rule when decimal commas and thousands separators are mixed, else None."""
    if any(n.decimal_comma for n in numbers) and any(n.thousands for n in numbers):
        return DECIMAL_MARK_RULE
    return None


def check_year(year: int) -> None:
    if not year_in_range(year):
        raise Rejected(YEAR_RULE, YEAR_HINT, str(year))


def parse_period(text: str) -> str:
    """The period normalised to the grammar of pipelines.intake.periods, or Rejected."""
    period = "".join(fold_width(text).split())
    # ASCII first: PERIOD_RE's \d also matches other scripts' digits.
    if not period.isascii() or not PERIOD_RE.match(period.upper()):
        raise Rejected(PERIOD_RULE, PERIOD_HINT, text)
    period = period.upper()
    for single in period.split("/"):
        if not year_in_range(int(single.removeprefix("FY")[:4])):
            raise Rejected(YEAR_RULE, YEAR_HINT, text)
    try:
        start, end = bounds(period)
    except ValueError:
        raise Rejected(DATE_RULE, "check the day of the month", text) from None
    if end < start:
        raise Rejected(RANGE_RULE, "write the earlier period first, e.g. 2021/2026", text)
    return period
