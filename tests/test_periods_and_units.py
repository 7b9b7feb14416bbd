from datetime import date

import pytest

from pipelines.intake import periods, vocabulary


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2022", date(2022, 1, 1), date(2022, 12, 31)),
        ("2022H1", date(2022, 1, 1), date(2022, 6, 30)),
        ("2022H2", date(2022, 7, 1), date(2022, 12, 31)),
        ("2022Q3", date(2022, 7, 1), date(2022, 9, 30)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-01-24/2023-02-24", date(2023, 1, 24), date(2023, 2, 24)),
        ("2022-01/2022-11", date(2022, 1, 1), date(2022, 11, 30)),
        ("2021/2026", date(2021, 1, 1), date(2026, 12, 31)),
        ("FY2023Q2", date(2023, 4, 1), date(2023, 6, 30)),
    ],
)
def test_period_bounds(period, start, end):
    assert periods.bounds(period) == (start, end)
    assert periods.is_valid(period)


@pytest.mark.parametrize("bad", ["2022H3", "2022Q5", "22Q3", "2022-13", "2023-02-30", "2023/2021", "2022 H1", ""])
def test_bad_periods_are_rejected(bad):
    assert not periods.is_valid(bad)


def test_chinese_units_are_aliases_with_their_scale():
    assert vocabulary.to_base(1, "亿元") == (1e8, "CNY")
    assert vocabulary.to_base(212376, "百万美元") == (212376e6, "USD")
    assert vocabulary.to_base(2.7, "万亿美元") == (2.7e12, "USD")
    assert vocabulary.to_base(350, "ms") == (pytest.approx(0.35), "s")
    assert vocabulary.to_base(19.5, "TFLOPs/s") == (19.5e12, "FLOP/s")
    assert vocabulary.to_base(1300, "万亿tokens") == (1.3e15, "tokens")


def test_every_alias_names_one_unit():
    seen = {}
    for row in vocabulary._read_seed("units.csv"):
        for spelling in [row["unit"], *filter(None, row["aliases"].split("|"))]:
            assert spelling not in seen, f"{spelling!r} used by {seen.get(spelling)} and {row['unit']}"
            seen[spelling] = row["unit"]


def test_entity_parents_exist():
    entities = vocabulary.entities()
    for row in entities.values():
        assert not row["parent"] or row["parent"] in entities, row
