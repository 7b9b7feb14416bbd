"""The period grammar of report packages.

Data decisions:
- A period is YYYY, YYYYH1/H2, YYYYQ1-Q4, YYYY-MM or YYYY-MM-DD, or a range
  START/END of those. An `FY` prefix marks a fiscal period of the entity; it is
  kept as printed and mapped to calendar dates downstream.
- A range must not end before it starts.
- Every year lies in YEAR_MIN..YEAR_MAX: the one definition the cell readers
  (pipelines.intake.normalise) and the Pandera schemas use.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

SINGLE = r"(?:FY)?[0-9]{4}(?:H[12]|Q[1-4]|-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?"
PERIOD_PATTERN = rf"^{SINGLE}(?:/{SINGLE})?\Z"
PERIOD_RE = re.compile(PERIOD_PATTERN, re.ASCII)
YEAR_MIN, YEAR_MAX = 1990, 2100
YEAR_RULE = f"year must lie between {YEAR_MIN} and {YEAR_MAX}"
YEAR_HINT = f"check the year; the warehouse holds {YEAR_MIN} to {YEAR_MAX}"


def year_in_range(year: int) -> bool:
    return YEAR_MIN <= year <= YEAR_MAX


def _bounds(single: str) -> tuple[date, date]:
    text = single.removeprefix("FY")
    year = int(text[:4])
    rest = text[4:]
    if not rest:
        return date(year, 1, 1), date(year, 12, 31)
    if rest[0] == "H":
        half = int(rest[1])
        return date(year, 6 * half - 5, 1), _month_end(year, 6 * half)
    if rest[0] == "Q":
        quarter = int(rest[1])
        return date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
    parts = rest[1:].split("-")
    month = int(parts[0])
    if len(parts) == 2:
        day = date(year, month, int(parts[1]))
        return day, day
    return date(year, month, 1), _month_end(year, month)


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def bounds(period: str) -> tuple[date, date]:
    """Calendar bounds of a period as printed (fiscal prefixes not yet shifted)."""
    if not PERIOD_RE.match(period):
        raise ValueError(f"{period!r} does not follow the period grammar")
    start_text, _, end_text = period.partition("/")
    start = _bounds(start_text)[0]
    end = _bounds(end_text or start_text)[1]
    return start, end


def is_valid(period: str) -> bool:
    try:
        start, end = bounds(period)
    except ValueError:
        return False
    return start <= end
