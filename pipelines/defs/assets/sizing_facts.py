"""Sizing joined onto facts: report figures sized with each scenario's per-GPU assumptions.

Data decisions:
- Facts come from marts.fct_metric_latest (the most recent report stating them);
  per-GPU speeds from marts.fct_sizing_assumption, per scenario. Every row keeps
  both reports and refs, so a result traces to the figures it joins.
- Tokens are sized at the scenario's time_per_word, reading one generated word as
  one token (the source sizes ChatGPT in words); GPUs run 24 h a day.
- Compute capacity converts to accelerators at the scenario's gpu_throughput,
  at full utilisation: an equivalence, not a deployment estimate.
- Rounding follows the source's sizing: half up at each step.
- No fact or no scenario to join publishes an empty table and warns (has_rows).
"""

import dagster as dg

from pipelines.defs.assets.sizing import has_rows_spec, publish_sizing_table, typed_frame
from pipelines.defs.names import WRITER_POOL
from pipelines.defs.resources import WorkingFileResource
from pipelines.sizing.models import HOURS_PER_DAY, SECONDS_PER_HOUR, half_up

FACTS = dg.AssetKey(["marts", "fct_metric_latest"])
ASSUMPTIONS = dg.AssetKey(["marts", "fct_sizing_assumption"])

JOIN_SQL = """
select
    f.report_id as fact_report_id, f.metric, f.entity, f.period, f.value as fact_value, f.unit as fact_unit,
    f.value_base as fact_value_base, f.ref as fact_ref,
    a.report_id as scenario_report_id, a.scenario, a.value_base as per_gpu, a.ref as per_gpu_ref,
    s.value_base as gpus_per_server, s.ref as gpus_per_server_ref
from marts.fct_metric_latest as f
cross join marts.fct_sizing_assumption as a
inner join marts.fct_sizing_assumption as s
    on s.report_id = a.report_id and s.scenario = a.scenario and s.parameter = 'gpus_per_server'
where f.metric = ? and f.base_unit = ? and a.parameter = ?
order by f.entity, f.period, a.report_id, a.scenario
"""


def token_gpus(row) -> dict:
    gpu_hours = half_up(row.fact_value_base * row.per_gpu / SECONDS_PER_HOUR)
    gpus = half_up(gpu_hours / HOURS_PER_DAY)
    return {"seconds_per_token": row.per_gpu, "gpu_hours_per_day": gpu_hours, "gpus": gpus,
            "servers": half_up(gpus / row.gpus_per_server)}


def equivalent_accelerators(row) -> dict:
    accelerators = half_up(row.fact_value_base / row.per_gpu)
    return {"flops_per_accelerator": row.per_gpu, "accelerators": accelerators,
            "servers": half_up(accelerators / row.gpus_per_server)}


MODELS = {
    "token_inference": (("tokens_processed_daily", "tokens", "time_per_word"), token_gpus,
                        {"seconds_per_token": "float64", "gpu_hours_per_day": "int64", "gpus": "int64",
                         "servers": "int64"},
                        "GPUs and servers to generate a day of a company's stated token volume"),
    "compute_equivalent_gpus": (("intelligent_compute_capacity", "FLOP/s", "gpu_throughput"), equivalent_accelerators,
                                {"flops_per_accelerator": "float64", "accelerators": "int64", "servers": "int64"},
                                "Accelerators equivalent to a stated compute capacity"),
}


def build_fact_sizing_asset(name: str) -> dg.AssetsDefinition:
    params, model, output, description = MODELS[name]

    @dg.asset(key=["sizing", name], group_name="sizing", deps=[FACTS, ASSUMPTIONS], kinds={"python", "duckdb"},
              pool=WRITER_POOL, check_specs=[has_rows_spec(["sizing", name])],
              description=f"{description}, per fact and scenario.")
    def _asset(context: dg.AssetExecutionContext, working_file: WorkingFileResource) -> dg.MaterializeResult:
        with working_file.connect() as connection:
            joined = connection.execute(JOIN_SQL, list(params)).df()
            rows = [{**row._asdict(), **model(row)} for row in joined.itertuples(index=False)]
            result = typed_frame(rows, {**joined.dtypes.astype(str).to_dict(), **output}).drop(columns=["per_gpu"])
            return publish_sizing_table(connection, name, result,
                                        f"no {params[0]} facts or no scenario with {params[2]} to size")

    return _asset


fact_sizing_assets = [build_fact_sizing_asset(name) for name in MODELS]
