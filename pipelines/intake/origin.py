"""Where a report came from, and which lines of its source hold no facts: the origin keys of report.yaml.

Data decisions:
- Origin keys follow Our World in Data's origins, all optional: url, accessed
  (the day the source was retrieved), citation, license (its licence or rights
  statement).
- accessed is a real YYYY-MM-DD date, not later than tomorrow: a date written
  today anywhere on Earth is never "in the future".
- no_fact_lines lists line spans of source.txt that hold no facts (page
  footers, navigation, an aggregator site's lists), each with a reason:
  `- {lines: L32-126, reason: ...}`. The spans follow the line-ref grammar
  (pipelines.intake.line_refs), one span each; whether they lie inside
  source.txt is checked where the source is read.
- An entry with `numbers` (a list of numbers as printed, `numbers: ["365"]`)
  declares only those numbers of its lines no facts, for a line that holds
  facts besides (Microsoft 365 beside a figure); each must be printed on the
  lines, checked where the source is read. Such lines keep no no_fact_reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from pipelines.intake.line_refs import SEPARATOR, parse_ref
from pipelines.intake.problems import Rejected, is_empty

ORIGIN_KEYS = ("accessed", "citation", "license")  # url was a key before origins
NO_FACT_LINES = "no_fact_lines"
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
ACCESSED_RULE = "must be a real date YYYY-MM-DD, not in the future"
NO_FACT_RULE = "must be a list of {lines: L<first>-<last>, reason: ...}"
NO_FACT_HINT = "e.g. no_fact_lines: [{lines: L32-126, reason: the site's navigation lists}]"
ENTRY_RULE = "each no_fact_lines entry needs lines and a reason, optionally numbers, and nothing else"
ACCESSED_HINT = "the day you retrieved the source, e.g. accessed: 2024-05-17"


@dataclass(frozen=True, slots=True)
class NoFactLines:
    first: int
    last: int
    reason: str
    numbers: tuple[str, ...] = ()  # when given, only these printed numbers of the lines are no facts


def check_accessed(text: str, today: date | None = None) -> None:
    """Rejected unless text is a real date no later than tomorrow."""
    latest = (today or date.today()) + timedelta(days=1)
    try:
        day = date.fromisoformat(text) if DATE_RE.fullmatch(text) else None
    except ValueError:
        day = None
    if day is None or day > latest:
        raise Rejected(ACCESSED_RULE, ACCESSED_HINT, text)


def read_no_fact_lines(value: object) -> list[NoFactLines]:
    """The spans of `no_fact_lines` as report.yaml's BaseLoader reads them (lists and dicts of text)."""
    if not isinstance(value, list):
        raise Rejected(NO_FACT_RULE, NO_FACT_HINT, str(value)[:80])
    spans = []
    for entry in value:
        if not isinstance(entry, dict):
            raise Rejected(NO_FACT_RULE, NO_FACT_HINT, str(entry)[:80])
        lines, reason, numbers = entry.get("lines"), entry.get("reason"), entry.get("numbers", [])
        numbers = [numbers] if isinstance(numbers, str) else numbers
        valid_numbers = isinstance(numbers, list) and all(isinstance(n, str) and n.strip() for n in numbers)
        if (
            set(entry) - {"numbers"} != {"lines", "reason"}
            or not isinstance(reason, str)
            or is_empty(reason)
            or not valid_numbers
        ):
            raise Rejected(ENTRY_RULE, NO_FACT_HINT, ", ".join(f"{k}: {v}" for k, v in entry.items())[:80])
        if not isinstance(lines, str):
            raise Rejected(NO_FACT_RULE, NO_FACT_HINT, str(lines)[:80])
        found = parse_ref(lines)
        if len(found) != 1 or SEPARATOR in lines:
            raise Rejected(NO_FACT_RULE, "one span per entry, e.g. lines: L32-126", lines)
        spans.append(NoFactLines(found[0].first, found[0].last, reason.strip(), tuple(n.strip() for n in numbers)))
    return spans
