"""The shared vocabularies: units and entity ids, read from the dbt seeds.

Data decisions:
- dbt/seeds/units.csv, entities.csv and metrics.csv are the single source of truth.
  Python validates raw packages against them and dbt joins them, so the two can
  never disagree.
- Units are matched exactly after trimming; Chinese printed forms are aliases
  listed in the `aliases` column, separated by `|`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from pipelines.project import SEEDS_DIR

ALIAS_SEPARATOR = "|"


@dataclass(frozen=True)
class Unit:
    unit: str
    base_unit: str
    factor: float
    dimension: str


def _read_seed(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def units() -> dict[str, Unit]:
    """Every accepted spelling (canonical name or alias) mapped to its unit."""
    table: dict[str, Unit] = {}
    for row in _read_seed("units.csv"):
        unit = Unit(row["unit"], row["base_unit"], float(row["factor"]), row["dimension"])
        spellings = [row["unit"], *filter(None, row["aliases"].split(ALIAS_SEPARATOR))]
        for spelling in spellings:
            table[spelling.strip()] = unit
    return table


@cache
def entities() -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in _read_seed("entities.csv")}


@cache
def metrics() -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in _read_seed("metrics.csv")}


def entity_ids(*kinds: str) -> list[str]:
    return sorted(i for i, row in entities().items() if row["kind"] in kinds)


def to_base(value: float, unit: str) -> tuple[float, str]:
    """Convert a value in any accepted unit spelling to its base unit."""
    found = units()[unit.strip()]
    return value * found.factor, found.base_unit
