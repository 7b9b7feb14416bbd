"""Coverage: is every number printed in a source transcribed by some row? One status per printed number.

Data decisions:
- A printed number (pipelines.intake.printed_numbers) is `transcribed` when a
  cell of the package was verified on its line with that very text
  (raw.source_verification matched_line and matched_text). Exempt cells are
  derived, not copied, so they transcribe nothing.
- A number spaced across groups (1 458 333) is listed once: joined when a cell
  took it joined, else as its parts.
- position is the number's first character on the line, from 1: the same
  text may stand twice on a line (3次 ... 3亿), so it completes the key.
- Otherwise it is `skipped` when one of SKIP_RULES applies, first rule first,
  its name and reason in skip_reason; else `untranscribed`.
- Skip rules (each a non-figure a report prints, not a judgment on a figure):
  no_fact_line (declared in report.yaml, with its reason), page_number,
  source_note (数据来源 lines: credits and dates), row_period (the year of a
  row transcribed on the same line), year (a plain integer YEAR_MIN..YEAR_MAX is read
  as a year: 2023年, 2022全年, timeline axes; and 22Q3), date (months and days: 3月15日, 2023-03-07), name_part (A100,
  GPT-4, 8-GPU, 5G), security_code (688111, 0268.HK), label (图3, 表2, list
  enumerators (1) 1、, section numbers at a line's start), chinese_word (一 of 一体化: a Chinese numeral
  not taken by a cell is read as part of a word), and last repeated (the
  same figure, of more than one digit, was taken by a cell from another line,
  whatever its sign: a report's summary repeats its body, 下滑0.2% a table's
  -0.2%, and a package stores a figure once).
"""

from __future__ import annotations

import re

import pandas as pd

from pipelines.intake.periods import YEAR_MAX, YEAR_MIN
from pipelines.intake.printed_numbers import CHINESE, SPACED, PrintedNumber
from pipelines.intake.verification import VERIFIED, SourceLines

TRANSCRIBED, UNTRANSCRIBED, SKIPPED = "transcribed", "untranscribed", "skipped"
COVERAGE_STATUSES = (TRANSCRIBED, UNTRANSCRIBED, SKIPPED)
COVERAGE_COLUMNS = ("report_id", "line", "number_as_printed", "line_text", "status", "skip_reason", "position")
SKIP_REASONS = {  # rule name -> why a number it matches is not a figure to transcribe
    "page_number": "a page number",
    "source_note": "a 数据来源 line: credits and dates of the data, not figures",
    "row_period": "the period of a row transcribed from this line",
    "year": f"a year (a plain integer {YEAR_MIN}-{YEAR_MAX}: 2023年, 2022全年, a timeline's axis) or 22Q3, 25年下半年: a period, not a figure",
    "date": "a month or day of a date",
    "name_part": "part of a name (A100, GPT-4, 8-GPU, 5G)",
    "security_code": "a security code (688111, 0268.HK)",
    "label": "a figure, table, list or section number: 图3, (1), 1、, 1.1",
    "chinese_word": "a Chinese numeral read as part of a word (一体化, 三大)",
    "repeated": "printed again (a summary repeats the body); the package stores it once, transcribed from",
}
_PAGE = re.compile(r"[\s\-—–第页Pp.]*\d{1,3}(?:\s*/\s*\d{1,3})?[\s\-—–页]*")
_SOURCE_NOTE = re.compile(r"\s*(?:数据来源|资料来源|来源|Source)\s*[:：]", re.IGNORECASE)
_DATE = re.compile(
    r"\d{4}\s*[-/.年]\s*\d{1,2}(?:\s*[-/.月]\s*\d{1,2}\s*日?)?|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*[月日]"
)
_CODE = re.compile(r"[（(]\s*\d{4,6}(?:\.[A-Z]{1,2})?\s*[)）]|\d{4,6}\.(?:HK|SH|SZ|US|O|N)\b")
_LABEL_BEFORE = re.compile(r"(?:图表|图|表|Figure|Table|Fig\.)\s*$", re.IGNORECASE)
_SECTION = re.compile(r"\s*\d+(?:\.\d+)*(?:\s+|、)(?=\D)")
_SHORT_YEAR = re.compile(r"\d{2}(?:[QH][1-4]|\s*年\s*[上下]半年|\s*年\s*[QH][1-4])")
_ENUMERATOR = re.compile(r"[（(]\s*\d{1,2}\s*[)）]|\d{1,2}\s*[)）、]")
_PERIOD_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def line_coverage(
    line: str,
    numbers: list[PrintedNumber],
    matched: set[str],
    periods: set[int],
    no_fact: str | None = None,
    elsewhere: dict[str, list[int]] | None = None,
    line_number: int = 0,
) -> list[tuple[str, str, str | None, int]]:
    """(number_as_printed, status, skip_reason, position) for each number printed on one line; elsewhere maps the
    repeat_key of every number a cell took to the lines it was taken from (the nearest to line_number is named)."""
    joined = [n for n in numbers if n.form == SPACED and n.text in matched]
    listed = [
        n
        for n in numbers
        if (n.form != SPACED or n in joined) and not any(j is not n and j.start <= n.start < j.end for j in joined)
    ]
    found = []
    for number in listed:
        if number.text in matched:
            found.append((number.text, TRANSCRIBED, None, number.start + 1))
            continue
        rule = no_fact and f"no_fact_line: {no_fact}"
        rule = rule or next((name for name, test in _RULES if test(line, number, periods)), None)
        taken = (elsewhere or {}).get(repeat_key(number), []) if len(number.text.strip("+-%")) > 1 else []
        repeated = min(taken, key=lambda n: (abs(n - line_number), n)) if taken else None
        rule = rule or (repeated and f"repeated: {SKIP_REASONS['repeated']} L{repeated}")
        found.append((number.text, SKIPPED if rule else UNTRANSCRIBED, _reason(rule), number.start + 1))
    return found


def repeat_key(number: PrintedNumber) -> str:
    """Numbers that print the same figure share a key: its size and whether it is a percentage
    (0.2% after 下滑 repeats -0.2% of a table; 27 does not repeat 27%)."""
    return f"{abs(number.value):.12g}{'%' if '%' in number.text else ''}"


def _is_year(number: PrintedNumber) -> bool:
    plain = number.form != CHINESE and "%" not in number.text and "," not in number.text and number.scale == 1
    return plain and number.value.is_integer() and YEAR_MIN <= abs(number.value) <= YEAR_MAX


def _year_label(line: str, number: PrintedNumber, periods: set[int]) -> bool:
    """A plain integer YEAR_MIN..YEAR_MAX (2022年, 2022全年, 2007 2008 ...), or a short year before a quarter or half: 22Q3."""
    short = bool(_SHORT_YEAR.match(line, number.start)) and number.form != CHINESE and number.value >= 0
    return _is_year(number) or short


def _inside(pattern: re.Pattern, line: str, number: PrintedNumber) -> bool:
    return any(m.start() <= number.start and number.end <= m.end() for m in pattern.finditer(line))


def _name_part(line: str, number: PrintedNumber, periods: set[int]) -> bool:
    before, after = line[max(0, number.start - 2) : number.start], line[number.end : number.end + 2]
    glued = before[-1:].isascii() and before[-1:].isalpha()
    hyphened = before[-1:] == "-" and before[:1].isascii() and before[:1].isalpha()
    letter_after = after[:1].isascii() and after[:1].isupper() and not (after[1:].isascii() and after[1:].isalpha())
    return glued or hyphened or letter_after or (after[:1] == "-" and after[1:].isascii() and after[1:].isalpha())


def _label(line: str, number: PrintedNumber, periods: set[int]) -> bool:
    """图3, 表2; list enumerators (1), 1）, 1、; a section number 1.1 at the line's start."""
    return (
        bool(_LABEL_BEFORE.search(line[: number.start])) or _inside(_ENUMERATOR, line, number) or _section(line, number)
    )


def _section(line: str, number: PrintedNumber) -> bool:
    match = _SECTION.match(line)
    return bool(match) and "%" not in number.text and number.start == len(line) - len(line.lstrip())


_RULES = (  # (rule name, test): the first that holds names the skip
    ("page_number", lambda line, n, p: bool(_PAGE.fullmatch(line))),
    ("source_note", lambda line, n, p: bool(_SOURCE_NOTE.match(line))),
    ("row_period", lambda line, n, p: _is_year(n) and int(n.value) in p),
    ("year", _year_label),
    ("date", lambda line, n, p: "%" not in n.text and n.form != CHINESE and _inside(_DATE, line, n)),
    ("name_part", _name_part),
    ("security_code", lambda line, n, p: _inside(_CODE, line, n)),
    ("label", _label),
    ("chinese_word", lambda line, n, p: n.form == CHINESE),
)


def package_coverage(
    report_id: str,
    source: SourceLines,
    no_fact: dict[int, str],
    cells: pd.DataFrame,
    no_fact_numbers: dict[tuple[int, str], str] | None = None,
) -> list[tuple]:
    """Coverage rows of one package; cells are its verification rows with a `period` column; no_fact
    holds the reasons of whole lines, no_fact_numbers those of single numbers (line, text)."""
    verified = cells[cells["source_check"] == VERIFIED]
    matched: dict[int, set[str]] = {}
    periods: dict[int, set[int]] = {}
    for line, text, period in zip(verified["matched_line"], verified["matched_text"], verified["period"], strict=True):
        matched.setdefault(int(line), set()).add(text)
        periods.setdefault(int(line), set()).update(
            int(y) for y in _PERIOD_YEAR.findall("" if pd.isna(period) else str(period))
        )
    elsewhere: dict[str, list[int]] = {}
    for line in sorted(matched):
        for number in source.numbers(line):
            if number.text in matched[line]:
                elsewhere.setdefault(repeat_key(number), []).append(line)
    rows = []
    for n in range(1, len(source) + 1):
        text = source.text(n)
        for printed, status, reason, position in line_coverage(
            text, source.numbers(n), matched.get(n, set()), periods.get(n, set()), no_fact.get(n), elsewhere, n
        ):
            declared = (no_fact_numbers or {}).get((n, printed)) if status != TRANSCRIBED else None
            if declared:
                status, reason = SKIPPED, f"no_fact_line: {declared}"
            rows.append((report_id, n, printed, text.strip(), status, reason, position))
    return rows


def _reason(rule: str | None) -> str | None:
    if rule is None or ":" in rule:
        return rule
    return f"{rule}: {SKIP_REASONS[rule]}"


def coverage_frame(
    packages: list, sources: dict[str, SourceLines | None], verification: pd.DataFrame, frames: dict[str, pd.DataFrame]
) -> pd.DataFrame:
    """raw.source_coverage: every number printed in every package's source.txt, with its status."""
    periods = [
        frame.assign(source_table=name, period=frame["period" if "period" in frame else "year"].astype("string"))[
            ["report_id", "source_table", "line", "period"]
        ].rename(columns={"line": "source_line"})
        for name, frame in frames.items()
        if len(frame) and ("period" in frame or "year" in frame)
    ]
    cells = verification.merge(pd.concat(periods), how="left") if periods and len(verification) else verification
    if "period" not in cells:
        cells = cells.assign(period=None)
    records = []
    for package in packages:
        source = sources.get(package.report_id)
        if source is None:
            continue
        no_fact = {n: s.reason for s in package.no_fact_lines if not s.numbers for n in range(s.first, s.last + 1)}
        no_fact_numbers = {
            (n, text): s.reason for s in package.no_fact_lines for n in range(s.first, s.last + 1) for text in s.numbers
        }
        mine = cells[cells["report_id"] == package.report_id] if len(cells) else cells
        records += package_coverage(package.report_id, source, no_fact, mine, no_fact_numbers)
    return pd.DataFrame(records, columns=list(COVERAGE_COLUMNS))
