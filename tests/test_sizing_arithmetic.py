"""Half up on a whole column is the scalar rule, value for value; fact-joined models on columns equal them row by row.

The scalar rule (Decimal of the float's repr, ROUND_HALF_UP) is the reference: the source's arithmetic
(pipelines/sizing/arithmetic.py), as every model computed before the fact-joined ones worked on columns.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.sizing.arithmetic import half_up
from pipelines.sizing.vocabulary import FACT_MODELS


def reference(value: float) -> int:
    return int(Decimal(repr(float(value))).to_integral_value(rounding=ROUND_HALF_UP))


HALVES = [0.5, 1.5, 2.5, -0.5, -2.5, 1e15 + 0.5, 2.0**51 + 0.5, 2.0**52 - 0.5]
EDGES = [
    *HALVES,
    *(math.nextafter(h, 0) for h in HALVES),  # just under a half in magnitude: rounds towards zero
    *(math.nextafter(h, math.copysign(math.inf, h)) for h in HALVES),
    0.0,
    -0.0,
    0.49999999999999994,
    2.675,
    11182336 / 24,
    1458333 / 24 / 8,
]


def test_half_up_on_a_column_is_the_scalar_rule_at_the_edges():
    rounded = half_up(pd.Series(EDGES))
    assert rounded.tolist() == [reference(v) for v in EDGES]
    assert rounded.tolist()[:5] == [1, 2, 3, -1, -3]  # halves go away from zero
    assert half_up(pd.Series([v for v in EDGES if abs(v) < 2**52])).dtype == "int64"  # vectorised below 2**52


@settings(max_examples=300)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=20))
def test_half_up_on_a_column_is_the_scalar_rule(values):
    """Also beyond 2**52, where a float's repr is not its exact value: the column goes value by value."""
    assert half_up(pd.Series(values, index=range(5, 5 + len(values)))).to_dict() == {
        5 + i: reference(v) for i, v in enumerate(values)
    }


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_a_non_finite_value_fails_as_the_scalar_rule_does(bad):
    with pytest.raises((ValueError, OverflowError)) as scalar:
        half_up(bad)
    with pytest.raises(type(scalar.value), match=str(scalar.value)):
        half_up(pd.Series([1.5, bad]))


@pytest.mark.parametrize("model", FACT_MODELS, ids=lambda m: m.name)
@pytest.mark.parametrize(("facts", "per_gpu"), [((0, 11), (-3, 3)), ((0, 15), (-3, 6))], ids=["vectorised", "beyond"])
def test_fact_models_on_columns_equal_them_row_by_row(model, facts, per_gpu):
    rng = np.random.default_rng(15)
    rows = pd.DataFrame(
        {
            # results up to about 1e14, or some beyond 2**52 (value by value) up to 1e18: within int64, as published
            "fact_value_base": np.round(10 ** rng.uniform(*facts, 2000), 2),
            "per_gpu": np.round(10 ** rng.uniform(*per_gpu, 2000), 3),
            "gpus_per_server": rng.choice([1.0, 4.0, 8.0, 16.0], 2000),
        }
    )
    by_column = pd.DataFrame(model.compute(rows))
    by_row = pd.DataFrame([model.compute(row) for row in rows.itertuples(index=False)])
    assert list(by_column) == list(model.output)
    kinds = {by_column[c].dtype.kind for c in model.results}  # i: int64, vectorised; O: value by value
    assert kinds == {"i"} if facts[1] < 12 else "O" in kinds
    pd.testing.assert_frame_equal(by_column.astype(model.output), by_row.astype(model.output))
