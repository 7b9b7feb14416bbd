"""Sizing assets of fact-joined models: report figures sized with each scenario's per-GPU assumptions.

One asset per fact-joined model of the sizing registry (pipelines/sizing/registry.py);
the arithmetic lives with each model in pipelines/sizing/.

Data decisions:
- Facts come from marts.fct_metric_latest (the most recent report stating them) with
  the model's metric and base unit; its per-GPU parameter and gpus_per_server from
  marts.fct_sizing_scenario_latest: the latest vintage of each scenario name, so rows
  are facts x scenario names, not facts x every scenario of every report (which grows
  with reports squared). An older vintage is sized by a query (docs/sizing-models.md).
  Every row keeps both reports and refs, so a result traces to the figures it joins.
- The model computes on the joined columns at once (SizingModel.compute(rows)), with
  the same half-up rounding as row by row (sizing/arithmetic.py).
- No fact or no scenario to join publishes an empty table with every column typed,
  and warns (has_rows).
"""

import dagster as dg

from pipelines.defs.assets.sizing import has_rows_spec, publish_sizing_table, typed_frame
from pipelines.defs.names import WRITER_POOL
from pipelines.defs.resources import WorkingFileResource
from pipelines.sizing.spec import SizingModel
from pipelines.sizing.vocabulary import FACT_MODELS, FACT_SERVER_PARAMETER

FACTS = dg.AssetKey(["marts", "fct_metric_latest"])
SCENARIOS = dg.AssetKey(["marts", "fct_sizing_scenario_latest"])

JOIN_SQL = """
select
    f.report_id as fact_report_id, f.metric, f.entity, f.period, f.value as fact_value, f.unit as fact_unit,
    f.value_base as fact_value_base, f.ref as fact_ref,
    a.report_id as scenario_report_id, a.scenario, a.value_base as per_gpu, a.ref as per_gpu_ref,
    s.value_base as gpus_per_server, s.ref as gpus_per_server_ref
from marts.fct_metric_latest as f
cross join marts.fct_sizing_scenario_latest as a
inner join marts.fct_sizing_scenario_latest as s
    on s.report_id = a.report_id and s.scenario = a.scenario and s.parameter = ?
where f.metric = ? and f.base_unit = ? and a.parameter = ?
order by f.entity, f.period, a.scenario
"""
# The columns of JOIN_SQL, typed, so an empty join still publishes typed columns; per_gpu is renamed by the model.
JOINED = {
    "fact_report_id": "string",
    "metric": "string",
    "entity": "string",
    "period": "string",
    "fact_value": "float64",
    "fact_unit": "string",
    "fact_value_base": "float64",
    "fact_ref": "string",
    "scenario_report_id": "string",
    "scenario": "string",
    "per_gpu": "float64",
    "per_gpu_ref": "string",
    "gpus_per_server": "float64",
    "gpus_per_server_ref": "string",
}

# What each column of JOIN_SQL reads of the marts (f: FACTS, a and s: SCENARIOS).
JOINED_LINEAGE = {
    **{column: [(FACTS, column)] for column in ("metric", "entity", "period")},
    **{f"fact_{column}": [(FACTS, column)] for column in ("report_id", "value", "unit", "value_base", "ref")},
    "scenario_report_id": [(SCENARIOS, "report_id")],
    "scenario": [(SCENARIOS, "scenario")],
    "per_gpu_ref": [(SCENARIOS, "parameter"), (SCENARIOS, "ref")],
    "gpus_per_server": [(SCENARIOS, "parameter"), (SCENARIOS, "value_base")],
    "gpus_per_server_ref": [(SCENARIOS, "parameter"), (SCENARIOS, "ref")],
}


def fact_lineage(model: SizingModel) -> dict:
    """JOINED_LINEAGE, and the model's own columns: computed from the fact and the scenario's values."""
    computed = [(FACTS, "value_base"), (SCENARIOS, "parameter"), (SCENARIOS, "value_base")]
    return {**JOINED_LINEAGE, **dict.fromkeys(model.output, computed)}


def build_fact_sizing_asset(model: SizingModel) -> dg.AssetsDefinition:
    name, fact = model.name, model.fact

    @dg.asset(
        key=["sizing", name],
        group_name="sizing",
        deps=[FACTS, SCENARIOS],
        kinds={"python", "duckdb"},
        pool=WRITER_POOL,
        check_specs=[has_rows_spec(["sizing", name])],
        description=f"{model.description}, per fact and scenario (its latest vintage).",
    )
    def _asset(context: dg.AssetExecutionContext, working_file: WorkingFileResource) -> dg.MaterializeResult:
        with working_file.connect() as connection:
            joined = connection.execute(
                JOIN_SQL, [FACT_SERVER_PARAMETER, fact.metric, fact.base_unit, fact.parameter]
            ).df()
            # once on whole columns: row by row, the 6,583 rows of 10,000 synthetic reports took 0.6-1.1 s
            sized = joined.assign(**model.compute(joined))
            result = typed_frame(sized, {**JOINED, **model.output}).drop(columns=["per_gpu"])
            what = f"no {fact.metric} facts or no scenario with {fact.parameter} to size"
            return publish_sizing_table(connection, name, result, what, fact_lineage(model))

    return _asset


fact_sizing_assets = [build_fact_sizing_asset(model) for model in FACT_MODELS]
