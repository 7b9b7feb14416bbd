"""Pandera schemas of the raw tables.

Data decisions:
- Numbers are parsed before the schema runs (see validation.py), so the schema
  sees floats and NaN; an unparsable cell is reported once, as unparsable.
- Ids come from the entity list (dbt/seeds/entities.csv), by kind.
- Units come from the unit vocabulary (dbt/seeds/units.csv); each column also
  pins the base unit it must convert to (spend in USD, revenue in CNY).
- Shares lie in 0-100; spend and revenue are >= 0; growth may be negative.
- Every check carries a rule name (Check name=); its hint is looked up by that
  name (RULE_HINTS), never by the wording of its message.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.pandas import Check, Column, DataFrameSchema

from pipelines.intake import vocabulary
from pipelines.intake.periods import PERIOD_PATTERN, PERIOD_RE, YEAR_HINT, YEAR_MAX, YEAR_MIN, YEAR_RULE, is_valid
from pipelines.intake.tables import FACT_TABLES, IT_SPEND, OPERATOR_REVENUE, SAAS_SHARE, SIZING_ASSUMPTIONS, TableSpec
from pipelines.sizing.vocabulary import SIZING_PARAMETERS

STATUSES = ("actual", "forecast")
QUALIFIERS = ("exact", "approx", "lower_bound", "upper_bound", "order_of_magnitude")
# How to fix a failed check, by the check's rule name.
RULE_HINTS = {
    "documented_id": "use one of the ids listed, or add the entity to dbt/seeds/entities.csv with its kind",
    "entity_id": "fix the spelling, or add the id to dbt/seeds/entities.csv with its kind",
    "metric_id": "fix the spelling, or add the metric to dbt/seeds/metrics.csv",
    "unit": "use a spelling from dbt/seeds/units.csv, or add the unit there with its factor",
    "not_negative": "spend, revenue and sizes cannot be negative; check the sign",
    "percent": "shares are percent from 0 to 100; check the decimal point",
    "period_grammar": "e.g. 2022, 2022H1, 2022Q3, 2022-05, 2021/2026, FY2023Q2",
    "period_order": "check the month and day, and that the range starts before it ends",
    "status": "forecast for 预计, 预测, 有望, 将; else actual",
    "qualifier": "approx for 约, lower_bound for 超过/以上, upper_bound for 不到",
    "year": YEAR_HINT,
    "rank": "ranks start at 1",
    "scenario": "see docs/raw-format.md",
    "sizing_parameter": "see docs/raw-format.md#sizing",
    "sizing_unit": "e.g. time_per_word in ms or s, training_compute in FLOP",
}
DEFAULT_HINT = "see docs/raw-format.md"


def id_of(*kinds: str) -> Check:
    allowed = vocabulary.entity_ids(*kinds)
    return Check.isin(
        allowed, error=f"must be a documented {'/'.join(kinds)} id: {', '.join(allowed)}", name="documented_id"
    )


def unit_in(*base_units: str) -> Check:
    spellings = sorted(s for s, u in vocabulary.units().items() if not base_units or u.base_unit in base_units)
    wanted = f" converting to {'/'.join(base_units)}" if base_units else ""
    return Check.isin(
        spellings, error=f"must be a unit of the vocabulary{wanted} (docs/raw-format.md#units)", name="unit"
    )


PERIOD = Check.str_matches(
    PERIOD_PATTERN,
    error="must follow the period grammar (YYYY, YYYYH1, YYYYQ3, YYYY-MM, START/END, FY prefix)",
    name="period_grammar",
)
PERIOD_ORDER = Check(
    lambda s: s.map(lambda p: is_valid(p) or not PERIOD_RE.match(p)),
    error="must be a real date range that does not end before it starts",
    name="period_order",
)
NOT_NEGATIVE = Check.ge(0, error="must be >= 0", name="not_negative")
PERCENT_RANGE = Check.in_range(0, 100, error="must lie between 0 and 100", name="percent")
YEAR_RANGE = Check.in_range(YEAR_MIN, YEAR_MAX, error=YEAR_RULE, name="year")
POSITIVE_RANK = Check.ge(1, error="must be a rank >= 1", name="rank")
STATUS = Check.isin(STATUSES, error="must be actual or forecast", name="status")
TEXT = Column(str)
OPTIONAL_TEXT = Column(str, nullable=True)


def _schema(spec: TableSpec, columns: dict[str, Column], checks: list[Check] | None = None) -> DataFrameSchema:
    base = {
        "report_id": TEXT,
        "credited_source": OPTIONAL_TEXT,
        "ref": TEXT,
        "note": OPTIONAL_TEXT,
        "derived": OPTIONAL_TEXT,
    }
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
    IT_SPEND.name: _schema(
        IT_SPEND,
        {
            "segment": Column(str, id_of("it_segment")),
            "year": Column("Int64", YEAR_RANGE),
            "spend": Column(float, NOT_NEGATIVE),
            "unit": Column(str, unit_in("USD")),
            "stated_growth_pct": Column(float, nullable=True),
            "status": Column(str, STATUS),
        },
    ),
    OPERATOR_REVENUE.name: _schema(
        OPERATOR_REVENUE,
        {
            "operator": Column(str, id_of("telecom_operator")),
            "period": Column(str, [PERIOD, PERIOD_ORDER]),
            "revenue": Column(float, NOT_NEGATIVE),
            "unit": Column(str, unit_in("CNY")),
            "stated_yoy_pct": Column(float, nullable=True),
        },
    ),
    SAAS_SHARE.name: _schema(
        SAAS_SHARE,
        {
            "market": Column(str, id_of("market")),
            "period": Column(str, [PERIOD, PERIOD_ORDER], nullable=True),
            "vendor": Column(str, id_of("company", "telecom_operator")),
            "share_pct": Column(float, PERCENT_RANGE),
            "rank": Column("Int64", POSITIVE_RANK, nullable=True),
        },
    ),
    SIZING_ASSUMPTIONS.name: _schema(
        SIZING_ASSUMPTIONS,
        {
            "scenario": Column(
                str,
                Check.str_matches(r"^[a-z0-9_]+$", error="must be lowercase letters, digits and _", name="scenario"),
            ),
            "parameter": Column(
                str,
                Check.isin(
                    sorted(SIZING_PARAMETERS),
                    name="sizing_parameter",
                    error=f"must be a sizing parameter: {', '.join(sorted(SIZING_PARAMETERS))}",
                ),
            ),
            "value": Column(float, NOT_NEGATIVE),
            "unit": Column(str, unit_in()),
        },
        checks=[Check(_sizing_unit_matches, error=SIZING_UNIT_RULE, name="sizing_unit")],
    ),
}


def _fact_schema(spec: TableSpec) -> DataFrameSchema:
    ids = Check.isin(
        sorted(vocabulary.entities()),
        error="must be an id of the entity list (dbt/seeds/entities.csv)",
        name="entity_id",
    )
    columns = {name: Column(str, ids) for name in spec.columns[: spec.columns.index("period")] if name != "metric"}
    if "metric" in spec.columns:
        metric_ids = sorted(vocabulary.metrics())
        columns["metric"] = Column(
            str, Check.isin(metric_ids, error="must be a metric id of dbt/seeds/metrics.csv", name="metric_id")
        )
    columns |= {
        "period": Column(str, [PERIOD, PERIOD_ORDER], nullable=True),
        "value": Column(float),
        "unit": Column(str, unit_in()),
        "qualifier": Column(
            str, Check.isin(QUALIFIERS, error=f"must be one of {', '.join(QUALIFIERS)}", name="qualifier")
        ),
        "status": Column(str, STATUS),
        "stated_yoy_pct": Column(float, nullable=True),
    }
    if spec.metric == "market_share":
        columns["value"] = Column(float, PERCENT_RANGE)
    return _schema(spec, columns)


SCHEMAS |= {spec.name: _fact_schema(spec) for spec in FACT_TABLES}


def rule_name(table: str, context: str, column: str, number: float) -> str | None:
    """The rule name of the check behind one row of Pandera's failure cases: a check of
    a column, or (context DataFrameSchema) of whole rows; None for Pandera's own checks."""
    if pd.isna(number):  # not_nullable, uniqueness, a missing column
        return None
    schema = SCHEMAS[table]
    checks = schema.checks if context == "DataFrameSchema" else schema.columns[column].checks
    return checks[int(number)].name


def rule_hint(rule: str | None) -> str:
    return RULE_HINTS.get(rule, DEFAULT_HINT)


# Row-level checks see every column; these are the columns a problem names.
ROW_CHECK_COLUMNS = {"sizing_unit": ("parameter", "unit")}

SchemaErrors = pa.errors.SchemaErrors
