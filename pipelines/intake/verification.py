"""Is a cell's value printed on the source line its ref names? One status per numeric cell.

Data decisions:
- Statuses: `exempt` when the row declares the value derived (column
  `derived`, with the reason), else `no_source` when the package has no
  source.txt, `unlocated` when the ref names no line, else `verified` or
  `not_found`.
- A value is found when one reading of a number printed on any line the ref
  names (pipelines.intake.printed_numbers) equals the value or the value in
  the unit's scale (3 with unit 万 is also 30000): floats compared to 1e-9
  relative, so 280.8 is never 208.8 or 2808. Numbers in digits are tried
  before Chinese numerals, so the match shown is 1栋, not the 一 of 一期.
- A value that is not found gets a hint: the number printed on the referenced
  lines that is closest to it (fewest digit edits, adjacent swaps counting
  one, then nearest in value), and the line where the value does stand, if
  it stands anywhere in the source.
- The excerpt is the text of the line that matched, or of the referenced line
  with the closest number; None without a source or a line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from pipelines.intake.chinese_numerals import unit_scale
from pipelines.intake.line_refs import LineSpan, referenced_lines
from pipelines.intake.printed_numbers import CHINESE, PrintedNumber, printed_numbers

VERIFIED, NOT_FOUND, NO_SOURCE, UNLOCATED, EXEMPT = "verified", "not_found", "no_source", "unlocated", "exempt"
STATUSES = (VERIFIED, NOT_FOUND, NO_SOURCE, UNLOCATED, EXEMPT)
DERIVED_COLUMN = "derived"
DERIVED_PREFIX = "derived: "
REL_TOL = 1e-9
CLOSEST_PREFIX = "source line has "


class SourceLines:
    """The lines of a package's source.txt (line n is lines[n - 1]), with each line's numbers read once."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self._numbers: dict[int, list[PrintedNumber]] = {}
        self._index: dict[str, list[int]] | None = None

    def __len__(self) -> int:
        return len(self.lines)

    def text(self, line: int) -> str:
        return self.lines[line - 1]

    def numbers(self, line: int) -> list[PrintedNumber]:
        if line not in self._numbers:
            self._numbers[line] = printed_numbers(self.lines[line - 1])
        return self._numbers[line]

    def lines_reading(self, value: float) -> list[int]:
        """Every line with a number that reads as value; the index is built on first use."""
        if self._index is None:
            self._index = {}
            for line in range(1, len(self.lines) + 1):
                for number in self.numbers(line):
                    for reading in number.readings():
                        self._index.setdefault(_key(reading), []).append(line)
        return self._index.get(_key(value), [])


@dataclass(frozen=True, slots=True)
class CellCheck:
    status: str
    matched_text: str | None = None
    matched_line: int | None = None
    excerpt: str | None = None
    hint: str = ""


def check_cell(
    value: float, unit: str | None, spans: tuple[LineSpan, ...], source: SourceLines | None, derived: str | None = None
) -> CellCheck:
    """The status of one numeric cell against the lines its ref names."""
    lines = referenced_lines(spans)
    if derived:
        excerpt = source.text(lines[0]).strip() if source is not None and lines else None
        return CellCheck(EXEMPT, DERIVED_PREFIX + derived, lines[0] if lines else None, excerpt)
    if source is None:
        return CellCheck(NO_SOURCE)
    if not lines:
        return CellCheck(UNLOCATED)
    targets = _targets(value, unit)
    for chinese in (False, True):  # 1栋 before the 一 of 一期 on the same line
        for line in lines:
            for number in source.numbers(line):
                if (number.form == CHINESE) == chinese and _matches(number, targets):
                    return CellCheck(VERIFIED, number.text, line, source.text(line).strip())
    return _not_found(value, targets, lines, source)


def _targets(value: float, unit: str | None) -> tuple[float, ...]:
    scale = unit_scale(unit.strip()) if isinstance(unit, str) else 1
    return (value, value * scale) if scale != 1 else (value,)


def _matches(number: PrintedNumber, targets: tuple[float, ...]) -> bool:
    return any(math.isclose(r, t, rel_tol=REL_TOL, abs_tol=1e-12) for r in number.readings() for t in targets)


def _not_found(value: float, targets: tuple[float, ...], lines: list[int], source: SourceLines) -> CellCheck:
    candidates = [(line, n) for line in lines for n in source.numbers(line)]
    written = _digits(value)
    hints = []
    line = lines[0]
    if candidates:
        line, closest = min(
            candidates, key=lambda c: (_edits(written, _digits(c[1].value)), abs(abs(c[1].value) - abs(value)))
        )
        hints.append(CLOSEST_PREFIX + closest.text)
    else:
        hints.append("the source line holds no number")
    elsewhere = _stands_on(targets, lines, source)
    if elsewhere:
        hints.append(f"{'-' if value < 0 else ''}{_digits(value)} stands on L{elsewhere}")
    return CellCheck(NOT_FOUND, None, line, source.text(line).strip(), "; ".join(hints))


def _stands_on(targets: tuple[float, ...], lines: list[int], source: SourceLines) -> int | None:
    """The source line nearest the referenced ones where the value is printed, if any."""
    found = {line for target in targets for line in source.lines_reading(target)}
    return min(found, key=lambda n: (min(abs(n - line) for line in lines), n)) if found else None


def _key(value: float) -> str:
    """Readings equal to 12 significant digits share a key: the index of SourceLines.lines_reading."""
    return f"{value:.12g}"


def _digits(value: float) -> str:
    """A number as plain decimal digits: 3.14e11 -> 314000000000, 2.40 -> 2.4."""
    text = format(Decimal(repr(abs(float(value)))), "f")
    return text.removesuffix(".0")


def _edits(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost one."""
    previous2, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1]))
            if previous2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]
