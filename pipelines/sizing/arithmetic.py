"""The source's arithmetic, shared by every sizing model.

Data decisions:
- The source (S2 L781-805) rounds half up to a whole number at every step and
  carries the rounded figure into the next: 11,182,336 h -> 15,531 GPUs ->
  1,941 servers; 1,458,333 h -> 60,764 GPUs -> 7,596 servers. Every model does
  the same, so the base case reproduces its printed results.
- Half up is decided on the decimal a float prints as (its repr), halves away from
  zero (-2.5 -> -3). On a whole column (the fact-joined models) the same rule runs
  vectorised: below 2**52 a float's fraction is exact and a repr ends in .5 only
  when the float is that half, so comparing the fraction with 0.5 decides as the
  decimal does. A column with a larger or non-finite value goes value by value,
  giving the same integers, or the same error, as before.
- GPUs run 24 h a day.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

SECONDS_PER_HOUR = 3600
HOURS_PER_DAY = 24
EXACT_FRACTION_BELOW = 2.0**52  # from here on every float is whole, and its repr may not be its exact value


def _half_up_value(value: float) -> int:
    return int(Decimal(repr(value)).to_integral_value(rounding=ROUND_HALF_UP))


def half_up(value):
    """value rounded half up to a whole number: an int for a number, an int64 Series for a Series."""
    import numpy as np  # at run time: the code location imports the models without pandas
    import pandas as pd

    if not isinstance(value, pd.Series):
        return _half_up_value(value)
    numbers = value.to_numpy(dtype="float64")
    magnitude = np.abs(numbers)
    if not (magnitude < EXACT_FRACTION_BELOW).all():  # NaN and inf compare False
        return pd.Series([_half_up_value(v) for v in numbers.tolist()], index=value.index, dtype=object)
    whole = np.floor(magnitude)
    rounded = np.copysign(whole + (magnitude - whole >= 0.5), numbers)
    return pd.Series(rounded.astype("int64"), index=value.index)
