"""The source's arithmetic, shared by every sizing model.

Data decisions:
- The source (S2 L781-805) rounds half up to a whole number at every step and
  carries the rounded figure into the next: 11,182,336 h -> 15,531 GPUs ->
  1,941 servers; 1,458,333 h -> 60,764 GPUs -> 7,596 servers. Every model does
  the same, so the base case reproduces its printed results.
- GPUs run 24 h a day.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

SECONDS_PER_HOUR = 3600
HOURS_PER_DAY = 24


def half_up(value: float) -> int:
    return int(Decimal(repr(value)).to_integral_value(rounding=ROUND_HALF_UP))
