"""Every number printed on one line of a source text, with its printed text and span.

printed_numbers(line) is the one reader of source lines: verification looks a
cell's value up among its readings, and coverage lists the numbers no row took.

Data decisions:
- Accepted forms: digits with a sign (-11.3, not the hyphen of GPT-4 or
  2022-01), a decimal point and a % after them; thousands separators in valid
  3-digit groups (11,182,336); full-width digits, ．, ％, －, the minus sign
  U+2212 and superscript digits, folded one character for one so spans stay
  those of the line; scientific notation (3.14e11, 3.14×10^11, and 3.14×1011
  whose superscript 11 was lost in extraction: an exponent of 1-3 digits not
  starting with 0); Chinese numerals and counts (pipelines.intake.chinese_numerals).
- A scale word after digits (5000 万, 43.33 万 亿, 1750亿) is not part of the
  number's text; its factor is `scale`, and the number reads both as printed
  and scaled (5000 and 5e7). The same goes for 千亿级 (1000 at scale 1e8).
- A sign word before a number (亏损30, 下降了2.40pp, 减少约34) makes it read
  both negative and positive: 下降至41.4 names a level, 下降2.4 a change.
- Spaces inside numbers: numbers separated only by spaces that join into one
  (1 458 333 in 3-digit groups, 43. 33 around a decimal point) are listed once
  more, joined, with form SPACED. They overlap the numbers they join; every other
  number's span is disjoint from the rest.
- The comma ， of Chinese lists is not folded, so 234，280 stays two numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.intake.chinese_numerals import SCALES, SCALES_LONGEST_FIRST, numeral_spans

DIGITS, GROUPED, SCIENTIFIC, CHINESE, SPACED = "digits", "grouped", "scientific", "chinese", "spaced"
_FOLD = (
    {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}  # full-width digits
    | {0xFF0E: ".", 0xFF05: "%", 0xFF0B: "+", 0xFF0D: "-", 0x2212: "-"}
    | dict(zip(map(ord, "⁰¹²³⁴⁵⁶⁷⁸⁹"), "0123456789", strict=True))
    | dict.fromkeys((0x00A0, 0x2009, 0x202F, 0x3000), " ")
)
_SCIENTIFIC = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)(?:\s*[×xX*]\s*10\^?\s?([+-]?[1-9]\d{0,2})|[eE]([+-]?\d{1,3}))(?![\d.])"
)
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?")
_SIGN_WORD = re.compile(
    r"(亏损|下降|下滑|下跌|减少|降低|回落|缩减|收窄|负|降|减|跌|亏)(?:了|约|近|达|为|至|到|幅度|\s)*$"
)
_SCALE_CHARS = set("".join(SCALES))
_SIGN_WINDOW = 12
_GROUP = re.compile(r"\d{3}(?:\.\d+)?%?")


@dataclass(frozen=True, slots=True)
class PrintedNumber:
    text: str  # the line's characters from start to end, as printed
    start: int
    end: int
    value: float  # with its sign: -11.3 for "-11.3%", -30 for 亏损30's 30 is offered by readings
    scale: int = 1  # the factor of a scale word printed after it (万 10**4, 亿 10**8), else 1
    form: str = DIGITS
    sign_word: str = ""

    def readings(self) -> set[float]:
        """Every value this printed number may stand for in a cell: as printed, scaled, and signed by a word."""
        values = {self.value, self.value * self.scale}
        return values | {-v for v in values} if self.sign_word else values


def fold(line: str) -> str:
    """Full-width and superscript digits, ．％＋－ and odd spaces as ASCII, one character for one."""
    return line if line.isascii() else line.translate(_FOLD)


def printed_numbers(line: str) -> list[PrintedNumber]:
    """Every number printed on the line, in every accepted form, by position."""
    folded = fold(line)
    found: list[PrintedNumber] = []
    taken = [False] * len(folded)
    for match in _SCIENTIFIC.finditer(folded):
        exponent = match.group(2) or match.group(3)
        found.append(
            _number(line, folded, match.start(), match.end(), float(f"{match.group(1)}e{exponent}"), SCIENTIFIC)
        )
        taken[match.start() : match.end()] = [True] * (match.end() - match.start())
    digits = []
    for match in _NUMBER.finditer(folded):
        if taken[match.start()]:
            continue
        text = match.group()
        digits.append(_number(line, folded, match.start(), match.end(), float(text.replace(",", "")), _form(text)))
    found += digits
    for start, end, value, scale in numeral_spans(folded):
        found.append(_number(line, folded, start, end, value, CHINESE, scale))
    found += _spaced(line, folded, digits)
    return sorted(found, key=lambda n: (n.start, -n.end))


def _form(text: str) -> str:
    return GROUPED if "," in text else DIGITS


def _number(line: str, folded: str, start: int, end: int, value: float, form: str, scale: int = 1) -> PrintedNumber:
    """The number at folded[start:end] with its sign, % and scale word."""
    if (
        start
        and folded[start - 1] in "+-"
        and not (start > 1 and folded[start - 2].isascii() and folded[start - 2].isalnum())
    ):
        start -= 1
        value = -value if folded[start] == "-" else value
    if folded[end : end + 1] == "%":
        end += 1
    if scale == 1:
        scale = _scale_after(folded, end)
    sign = _SIGN_WORD.search(folded[max(0, start - _SIGN_WINDOW) : start])
    return PrintedNumber(line[start:end], start, end, value, scale, form, sign.group(1) if sign else "")


def _scale_after(folded: str, end: int) -> int:
    """The factor of the scale word after a number; spaces may stand inside it (万 亿)."""
    word = ""
    for c in folded[end : end + 6]:
        if c in _SCALE_CHARS:
            word += c
        elif not c.isspace():
            break
    return next((SCALES[w] for w in SCALES_LONGEST_FIRST if word.startswith(w)), 1)


def _spaced(line: str, folded: str, digits: list[PrintedNumber]) -> list[PrintedNumber]:
    """Numbers split by spaces that join into one: 1 458 333 (3-digit groups) or 43. 33 (around the point)."""
    joined, inside = [], set()
    for i, first in enumerate(digits):
        head = folded[first.start : first.end].lstrip("+-")
        if not head.isdigit() or i in inside:
            continue
        text, last = head, first
        for j, after in enumerate(digits[i + 1 :] if len(head) <= 3 else (), i + 1):
            gap, part = folded[last.end : after.start], folded[after.start : after.end]
            if not gap or gap.strip() or not _GROUP.fullmatch(part):
                break
            text, last = text + part, after
            inside.add(j)
            if not part.isdigit():
                break
        if last is first and i + 1 < len(digits):
            after = digits[i + 1]
            gap, part = folded[first.end : after.start], folded[after.start : after.end]
            if gap != "." and gap.replace(" ", "") == "." and part.rstrip("%").isdigit():
                text, last = f"{head}.{part}", after
        if last is not first:
            value = float(text.rstrip("%")) * (-1 if first.value < 0 else 1)
            joined.append(
                PrintedNumber(
                    line[first.start : last.end], first.start, last.end, value, last.scale, SPACED, first.sign_word
                )
            )
    return joined
