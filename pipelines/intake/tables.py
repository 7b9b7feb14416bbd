"""The raw tables a report package may hold: their columns, types and keys.

Data decisions:
- Every documented column must be present in the header; cells of OPTIONAL
  columns may be empty. Extra columns are allowed and not loaded.
- `ref` (where the figure stands in the source) is required on every row, so
  every number in the warehouse traces to a place in its report.
- ANNOTATIONS close every table: `note` (the data decision) and `derived`
  (why a value is not printed as is in the source; source verification
  exempts it). Both are optional and may be left out of the header.
- Keys are unique within one report; two reports may state the same figure.
- A Table is what one file of a package held: its cells as text, by CSV line,
  and the normalisations made reading it (pipelines.intake.csvfiles writes it,
  pipelines.intake.cells types its cells).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

ANNOTATIONS = ("note", "derived")


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    numbers: tuple[str, ...] = ()
    integers: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    description: str = ""
    # Long fact tables: the column naming the entity, and the metric when the table fixes it.
    entity_column: str = ""
    metric: str = ""

    @property
    def is_fact_table(self) -> bool:
        return bool(self.entity_column)

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def loaded_columns(self) -> tuple[str, ...]:
        """Columns of raw.<name>: the documented ones, the printed resolution
        of each number (1 for "234", 0.1 for "280.8") and the CSV line."""
        precisions = tuple(f"{c}_precision" for c in self.numbers)
        return ("report_id", *self.columns, *precisions, "line")


IT_SPEND = TableSpec(
    name="it_spend_by_segment",
    columns=("segment", "year", "spend", "unit", "stated_growth_pct", "status", "credited_source", "ref", *ANNOTATIONS),
    key=("segment", "year"),
    numbers=("spend", "stated_growth_pct"),
    integers=("year",),
    optional=("stated_growth_pct", "credited_source", *ANNOTATIONS),
    description="IT spending by segment and year, in a USD unit.",
)

OPERATOR_REVENUE = TableSpec(
    name="operator_cloud_revenue",
    columns=("operator", "period", "revenue", "unit", "stated_yoy_pct", "credited_source", "ref", *ANNOTATIONS),
    key=("operator", "period"),
    numbers=("revenue", "stated_yoy_pct"),
    optional=("stated_yoy_pct", "credited_source", *ANNOTATIONS),
    description="Cloud revenue of the telecom operators, in a CNY unit.",
)

SAAS_SHARE = TableSpec(
    name="saas_vendor_share",
    columns=("market", "period", "vendor", "share_pct", "rank", "credited_source", "ref", *ANNOTATIONS),
    key=("market", "period", "vendor"),
    numbers=("share_pct",),
    integers=("rank",),
    optional=("period", "rank", "credited_source", *ANNOTATIONS),
    description="Vendor shares of a SaaS market; an empty period means the source states none.",
)

SIZING_ASSUMPTIONS = TableSpec(
    name="sizing_assumptions",
    columns=("scenario", "parameter", "value", "unit", "ref", *ANNOTATIONS),
    key=("scenario", "parameter"),
    numbers=("value",),
    optional=ANNOTATIONS,
    description="Inputs of the GPU sizing models, one row per scenario and parameter.",
)

FACT_TAIL = ("period", "value", "unit", "qualifier", "status", "stated_yoy_pct", "credited_source", "ref", *ANNOTATIONS)
FACT_OPTIONAL = ("period", "stated_yoy_pct", "credited_source", *ANNOTATIONS)


def fact_table(
    name: str, lead: tuple[str, ...], entity_column: str, metric: str = "", description: str = ""
) -> TableSpec:
    """A table of facts in the long shape: its own lead columns, then the shared tail."""
    key = (*tuple(c for c in lead), "period")
    return TableSpec(
        name=name,
        columns=lead + FACT_TAIL,
        key=key,
        numbers=("value", "stated_yoy_pct"),
        optional=FACT_OPTIONAL,
        description=description,
        entity_column=entity_column,
        metric=metric,
    )


METRICS = fact_table(
    "metrics",
    ("metric", "entity"),
    "entity",
    description="One-off facts in the long shape: metric, entity, period, value.",
)
MARKET_SIZE = fact_table(
    "market_size",
    ("market", "metric"),
    "market",
    description="Size, growth, CAGR and shares of markets and their layers.",
)
VENDOR_SHARE = fact_table(
    "vendor_share",
    ("market", "vendor"),
    "vendor",
    "market_share",
    description="Share of a market held by a vendor or vendor group, in percent.",
)
VENDOR_FINANCIALS = fact_table(
    "vendor_financials",
    ("company", "metric"),
    "company",
    description="Revenue, profit and margins of companies and their segments.",
)
COMPUTE_CAPACITY = fact_table(
    "compute_capacity",
    ("entity", "metric"),
    "entity",
    description="Compute capacity of a country, data centre or cluster, and its growth.",
)
TOKEN_VOLUME = fact_table(
    "token_volume", ("entity", "metric"), "entity", description="Tokens processed by a company's models."
)
MODEL_FACTS = fact_table(
    "model_facts",
    ("model", "metric"),
    "model",
    description="Facts about AI models: parameters, training compute and cost, data.",
)
DATACENTER_PROJECTS = fact_table(
    "datacenter_projects", ("project", "metric"), "project", description="Attributes of named data-centre projects."
)
FACT_TABLES = (
    METRICS,
    MARKET_SIZE,
    VENDOR_SHARE,
    VENDOR_FINANCIALS,
    COMPUTE_CAPACITY,
    TOKEN_VOLUME,
    MODEL_FACTS,
    DATACENTER_PROJECTS,
)

OMITTABLE_COLUMNS = ANNOTATIONS

RAW_TABLES: tuple[TableSpec, ...] = (IT_SPEND, OPERATOR_REVENUE, SAAS_SHARE, SIZING_ASSUMPTIONS, *FACT_TABLES)
TABLES_BY_NAME = {spec.name: spec for spec in RAW_TABLES}


@dataclass
class Table:
    spec: TableSpec
    file: str
    encoding: str
    columns: list[str]
    rows: list[list[str | None]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    notes: Counter = field(default_factory=Counter)

    def describe_notes(self) -> str:
        return "; ".join(f"{name} x{n}" if n > 1 else name for name, n in sorted(self.notes.items()))
