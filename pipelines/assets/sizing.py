"""Sizing assets: GPUs and servers per scenario, computed from marts.fct_sizing_assumption.

Data decisions:
- One row per (report_id, scenario) that holds the model's parameters; every
  row lists the refs of the assumptions it used, so results trace to the source.
"""


import dagster as dg
import pandas as pd

from pipelines import sizing
from pipelines.metadata import md_table
from pipelines.resources import WAREHOUSE_POOL, WarehouseResource

ASSUMPTIONS = dg.AssetKey(["marts", "fct_sizing_assumption"])
MODELS = {
    "gpu_training": (sizing.training, sizing.TRAINING_PARAMETERS, "GPUs and servers a training run needs"),
    "gpu_inference": (sizing.inference, sizing.INFERENCE_PARAMETERS, "GPUs and servers a day of inference needs"),
}


def size_scenarios(assumptions: pd.DataFrame, model, parameters: dict[str, str]) -> pd.DataFrame:
    rows = []
    used = assumptions[assumptions["parameter"].isin(list(parameters))].sort_values("parameter")
    for (report_id, scenario), group in used.groupby(["report_id", "scenario"], sort=True):
        params = dict(zip(group["parameter"], group["value_base"]))
        if not sizing.applies(params, tuple(p for p in parameters if p != "gpus_per_server")):
            continue
        refs = "; ".join(f"{p} ({r})" for p, r in zip(group["parameter"], group["ref"]))
        rows.append({"report_id": report_id, "scenario": scenario, **model(scenario, params), "source_refs": refs})
    return pd.DataFrame(rows)


def build_sizing_asset(name: str) -> dg.AssetsDefinition:
    model, parameters, description = MODELS[name]

    @dg.asset(key=["sizing", name], group_name="sizing", deps=[ASSUMPTIONS], pool=WAREHOUSE_POOL,
              description=f"{description}, per report and scenario ({name}).", kinds={"python", "duckdb"})
    def _asset(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        with warehouse.connect() as connection:
            assumptions = connection.execute("select * from marts.fct_sizing_assumption").df()
            try:
                result = size_scenarios(assumptions, model, parameters)
            except sizing.IncompleteScenario as error:
                raise dg.Failure(description=str(error)) from error
            connection.execute("create schema if not exists sizing")
            connection.register("result", result)
            connection.execute(f"create or replace table sizing.{name} as select * from result")
        return dg.MaterializeResult(metadata={
            "dagster/row_count": len(result),
            "preview": md_table(result),
        })

    return _asset


sizing_assets = [build_sizing_asset(name) for name in MODELS]
