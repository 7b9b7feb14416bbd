"""Pandera schemas of the raw tables.

Data decisions:
- Numbers are parsed before the schema runs (see validation.py), so the schema
  sees floats and NaN; an unparsable cell is reported once, as unparsable.
- Ids come from the entity list (dbt/seeds/entities.csv), by kind.
- Units come from the unit vocabulary (dbt/seeds/units.csv); each column also
  pins the base unit it must convert to (spend in USD, revenue in CNY).
- Shares lie in 0-100; spend and revenue are >= 0; growth may be negative.
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.pandas import Check, Column, DataFrameSchema

from pipelines.intake import vocabulary
from pipelines.sizing.vocabulary import SIZING_PARAMETERS
from pipelines.intake.periods import PERIOD_PATTERN, PERIOD_RE, is_valid
from pipelines.intake.tables import FACT_TABLES, IT_SPEND, OPERATOR_REVENUE, SAAS_SHARE, SIZING_ASSUMPTIONS, TableSpec

STATUSES = ("actual", "forecast")
QUALIFIERS = ("exact", "approx", "lower_bound", "upper_bound", "order_of_magnitude")



def id_of(*kinds: str) -> Check:
    allowed = vocabulary.entity_ids(*kinds)
    return Check.isin(allowed, error=f"must be a documented {'/'.join(kinds)} id: {', '.join(allowed)}")


def unit_in(*base_units: str) -> Check:
    spellings = sorted(s for s, u in vocabulary.units().items() if not base_units or u.base_unit in base_units)
    wanted = f" converting to {'/'.join(base_units)}" if base_units else ""
    return Check.isin(spellings, error=f"must be a unit of the vocabulary{wanted} (docs/raw-format.md#units)")


PERIOD = Check.str_matches(PERIOD_PATTERN, error="must follow the period grammar (YYYY, YYYYH1, YYYYQ3, YYYY-MM, START/END, FY prefix)")
PERIOD_ORDER = Check(
    lambda s: s.map(lambda p: is_valid(p) or not PERIOD_RE.match(p)),
    error="must be a real date range that does not end before it starts",
)
NOT_NEGATIVE = Check.ge(0, error="must be >= 0")
PERCENT_RANGE = Check.in_range(0, 100, error="must lie between 0 and 100")
YEAR_RANGE = Check.in_range(1990, 2100, error="must be a year between 1990 and 2100")
POSITIVE_RANK = Check.ge(1, error="must be a rank >= 1")
TEXT = Column(str)
OPTIONAL_TEXT = Column(str, nullable=True)


def _schema(spec: TableSpec, columns: dict[str, Column], checks: list[Check] | None = None) -> DataFrameSchema:
    base = {"report_id": TEXT, "credited_source": OPTIONAL_TEXT, "ref": TEXT, "note": OPTIONAL_TEXT}
    merged = {name: columns.get(name, base.get(name)) for name in ("report_id", *spec.columns)}
    return DataFrameSchema(
        merged,
        checks=checks or [],
        unique=["report_id", *spec.key],
        report_duplicates="all",
        name=spec.name,
    )


SIZING_UNIT_RULE = "unit must convert to the base unit the parameter needs (docs/raw-format.md#sizing)"


def _sizing_unit_matches(df):
    expected = df["parameter"].map(SIZING_PARAMETERS)
    actual = df["unit"].map(lambda u: getattr(vocabulary.units().get(u), "base_unit", None))
    return expected.isna() | actual.isna() | (expected == actual)


SCHEMAS: dict[str, DataFrameSchema] = {
    IT_SPEND.name: _schema(IT_SPEND, {
        "segment": Column(str, id_of("it_segment")),
        "year": Column("Int64", YEAR_RANGE),
        "spend": Column(float, NOT_NEGATIVE),
        "unit": Column(str, unit_in("USD")),
        "stated_growth_pct": Column(float, nullable=True),
        "status": Column(str, Check.isin(STATUSES, error="must be actual or forecast")),
    }),
    OPERATOR_REVENUE.name: _schema(OPERATOR_REVENUE, {
        "operator": Column(str, id_of("telecom_operator")),
        "period": Column(str, [PERIOD, PERIOD_ORDER]),
        "revenue": Column(float, NOT_NEGATIVE),
        "unit": Column(str, unit_in("CNY")),
        "stated_yoy_pct": Column(float, nullable=True),
    }),
    SAAS_SHARE.name: _schema(SAAS_SHARE, {
        "market": Column(str, id_of("market")),
        "period": Column(str, [PERIOD, PERIOD_ORDER], nullable=True),
        "vendor": Column(str, id_of("company", "telecom_operator")),
        "share_pct": Column(float, PERCENT_RANGE),
        "rank": Column("Int64", POSITIVE_RANK, nullable=True),
    }),
    SIZING_ASSUMPTIONS.name: _schema(SIZING_ASSUMPTIONS, {
        "scenario": Column(str, Check.str_matches(r"^[a-z0-9_]+$", error="must be lowercase letters, digits and _")),
        "parameter": Column(str, Check.isin(sorted(SIZING_PARAMETERS), error=f"must be a sizing parameter: {', '.join(sorted(SIZING_PARAMETERS))}")),
        "value": Column(float, NOT_NEGATIVE),
        "unit": Column(str, unit_in()),
    }, checks=[Check(_sizing_unit_matches, error=SIZING_UNIT_RULE)]),
}

def _fact_schema(spec: TableSpec) -> DataFrameSchema:
    ids = Check.isin(sorted(vocabulary.entities()), error="must be an id of the entity list (dbt/seeds/entities.csv)")
    columns = {name: Column(str, ids) for name in spec.columns[: spec.columns.index("period")] if name != "metric"}
    if "metric" in spec.columns:
        metric_ids = sorted(vocabulary.metrics())
        columns["metric"] = Column(str, Check.isin(metric_ids, error="must be a metric id of dbt/seeds/metrics.csv"))
    columns |= {
        "period": Column(str, [PERIOD, PERIOD_ORDER], nullable=True),
        "value": Column(float),
        "unit": Column(str, unit_in()),
        "qualifier": Column(str, Check.isin(QUALIFIERS, error=f"must be one of {', '.join(QUALIFIERS)}")),
        "status": Column(str, Check.isin(STATUSES, error="must be actual or forecast")),
        "stated_yoy_pct": Column(float, nullable=True),
    }
    if spec.metric == "market_share":
        columns["value"] = Column(float, PERCENT_RANGE)
    return _schema(spec, columns)


SCHEMAS |= {spec.name: _fact_schema(spec) for spec in FACT_TABLES}

# How to fix a failed check, by the start of its rule text.
RULE_HINTS = {
    "must be a documented": "use one of the ids listed, or add the entity to dbt/seeds/entities.csv with its kind",
    "must be an id of the entity list": "fix the spelling, or add the id to dbt/seeds/entities.csv with its kind",
    "must be a metric id": "fix the spelling, or add the metric to dbt/seeds/metrics.csv",
    "must be a unit of the vocabulary": "use a spelling from dbt/seeds/units.csv, or add the unit there with its factor",
    "must be >= 0": "spend, revenue and sizes cannot be negative; check the sign",
    "must lie between 0 and 100": "shares are percent from 0 to 100; check the decimal point",
    "must follow the period grammar": "e.g. 2022, 2022H1, 2022Q3, 2022-05, 2021/2026, FY2023Q2",
    "must be a real date range": "check the month and day, and that the range starts before it ends",
    "must be actual or forecast": "forecast for 预计, 预测, 有望, 将; else actual",
    "must be one of exact": "approx for 约, lower_bound for 超过/以上, upper_bound for 不到",
    "must be a year between": "years run from 1990 to 2100",
    "must be a rank": "ranks start at 1",
    "must be a sizing parameter": "see docs/raw-format.md#sizing",
    SIZING_UNIT_RULE: "e.g. time_per_word in ms or s, training_compute in FLOP",
}


def rule_hint(rule: str) -> str:
    return next((hint for start, hint in RULE_HINTS.items() if rule.startswith(start)), "see docs/raw-format.md")


# Row-level checks see every column; these are the columns a problem names.
ROW_CHECK_COLUMNS = {SIZING_UNIT_RULE: ("parameter", "unit")}

SchemaErrors = pa.errors.SchemaErrors
