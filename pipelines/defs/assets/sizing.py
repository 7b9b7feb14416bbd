"""Sizing assets of scenario models: GPUs and servers per scenario, from marts.fct_sizing_assumption.

One asset per scenario model of the sizing registry (pipelines/sizing/registry.py).

Data decisions:
- One row per (report_id, scenario) that has every parameter the model requires
  (SizingModel.sizes); every row lists the refs of the assumptions it used, so
  results trace to the source.
- A model with nothing to size (no scenario has its parameters, e.g. the only
  report with scenarios is quarantined) publishes an empty table with all its
  columns, each typed as when it has rows, and its `has_rows` check warns; it
  never fails the refresh.
"""

from typing import TYPE_CHECKING

import dagster as dg

from pipelines.defs.metadata import md_table
from pipelines.defs.names import WRITER_POOL
from pipelines.defs.resources import WorkingFileResource
from pipelines.defs.table_metadata import ColumnDeps, table_metadata
from pipelines.sizing.spec import IncompleteScenario, SizingModel
from pipelines.sizing.vocabulary import SCENARIO_MODELS
from pipelines.warehouse.relations import describe

if TYPE_CHECKING:  # pandas stays out of the code location's import
    import pandas as pd

ASSUMPTIONS = dg.AssetKey(["marts", "fct_sizing_assumption"])
HAS_ROWS = "has_rows"


def typed_frame(rows: "list[dict] | pd.DataFrame", dtypes: dict[str, str]) -> "pd.DataFrame":
    """rows as a frame with exactly these columns and types, also when there are no rows or a column is all null
    (an untyped empty or all-None column would reach DuckDB as type NULL)."""
    import pandas as pd

    return pd.DataFrame(rows, columns=list(dtypes)).astype(dtypes)


def publish_sizing_table(
    connection, name: str, result: "pd.DataFrame", what: str, lineage: ColumnDeps
) -> dg.MaterializeResult:
    """Write sizing.<name>; an empty result is a warning, not a failure. lineage: the mart columns each column reads."""
    connection.execute("create schema if not exists sizing")
    connection.register("result", result)
    try:
        connection.execute(f"create or replace table sizing.{name} as select * from result")
    finally:
        connection.unregister("result")
    (relation,) = describe(connection, ["sizing"], [name]).values()
    check = dg.AssetCheckResult(
        check_name=HAS_ROWS,
        passed=not result.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"rows": len(result)} | ({} if len(result) else {"why": what}),
    )
    return dg.MaterializeResult(
        metadata={**table_metadata(relation, {}, lineage), "preview": md_table(result)}, check_results=[check]
    )


def has_rows_spec(key: list[str]) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        HAS_ROWS,
        asset=dg.AssetKey(key),
        description="Warns when there was nothing to size; the table is then published empty.",
    )


def scenario_lineage(model: SizingModel) -> ColumnDeps:
    """What each column of a scenario model reads of marts.fct_sizing_assumption: the parameters' values."""
    values = [(ASSUMPTIONS, "parameter"), (ASSUMPTIONS, "value_base")]
    return {
        "report_id": [(ASSUMPTIONS, "report_id")],
        "scenario": [(ASSUMPTIONS, "scenario")],
        **dict.fromkeys(model.output, values),
        "source_refs": [(ASSUMPTIONS, "parameter"), (ASSUMPTIONS, "ref")],
    }


def size_scenarios(assumptions: "pd.DataFrame", model: SizingModel) -> "pd.DataFrame":
    rows = []
    used = assumptions[assumptions["parameter"].isin(list(model.parameter_names))].sort_values("parameter")
    for (report_id, scenario), group in used.groupby(["report_id", "scenario"], sort=True):
        params = dict(zip(group["parameter"], group["value_base"], strict=True))
        if not model.sizes(params):
            continue
        refs = "; ".join(f"{p} ({r})" for p, r in zip(group["parameter"], group["ref"], strict=True))
        rows.append(
            {"report_id": report_id, "scenario": scenario, **model.compute(scenario, params), "source_refs": refs}
        )
    return typed_frame(rows, {"report_id": "string", "scenario": "string", **model.output, "source_refs": "string"})


def build_sizing_asset(model: SizingModel) -> dg.AssetsDefinition:
    name = model.name

    @dg.asset(
        key=["sizing", name],
        group_name="sizing",
        deps=[ASSUMPTIONS],
        pool=WRITER_POOL,
        description=f"{model.description}, per report and scenario ({name}).",
        kinds={"python", "duckdb"},
        check_specs=[has_rows_spec(["sizing", name])],
    )
    def _asset(context: dg.AssetExecutionContext, working_file: WorkingFileResource) -> dg.MaterializeResult:
        with working_file.connect() as connection:
            assumptions = connection.execute("select * from marts.fct_sizing_assumption").df()
            try:
                result = size_scenarios(assumptions, model)
            except IncompleteScenario as error:
                raise dg.Failure(description=str(error)) from error
            what = f"no scenario has the parameters of {name}"
            return publish_sizing_table(connection, name, result, what, scenario_lineage(model))

    return _asset


sizing_assets = [build_sizing_asset(model) for model in SCENARIO_MODELS]
