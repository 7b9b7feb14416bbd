"""Raw assets: one per package table, each validated by Pandera and written to raw.<table>.

Data decisions:
- Each asset reads its table from every package, so a new package shows up in
  every table on the next refresh.
- Problems are reported as asset checks (header, values, unique keys), with
  the failing rows as metadata; then the asset fails, so nothing downstream
  runs and the published warehouse stays as it was.
"""


import dagster as dg
import pandas as pd

from pipelines import settings
from pipelines.packages import discover
from pipelines.problems import HEADER, KEYS, VALUES, Problem
from pipelines.resources import WarehouseResource
from pipelines.tables import RAW_TABLES, TableSpec
from pipelines.validation import collect_reports, collect_table

CHECKS = {
    HEADER: "Every file has the documented columns and well-formed rows.",
    VALUES: "Types, ids, units, periods and ranges follow docs/raw-format.md.",
    KEYS: "Each key appears once per report.",
}
REPORT_CHECK = "report_metadata_valid"


def problems_table(problems: list[Problem], limit: int = 50) -> dg.MetadataValue:
    frame = pd.DataFrame([p.as_dict() for p in problems[:limit]])
    return dg.MetadataValue.md(frame.to_markdown(index=False) if len(frame) else "none")


def write_table(warehouse: WarehouseResource, name: str, frame: pd.DataFrame) -> None:
    with warehouse.connect() as connection:
        connection.execute("create schema if not exists raw")
        connection.register("incoming", frame)
        connection.execute(f"create or replace table raw.{name} as select * from incoming")


def build_table_asset(spec: TableSpec) -> dg.AssetsDefinition:
    key = dg.AssetKey(["raw", spec.name])

    @dg.asset(
        key=key,
        group_name="raw",
        description=f"{spec.description} Rows of {spec.file_name} from every report package.",
        check_specs=[dg.AssetCheckSpec(name, asset=key, description=text) for name, text in CHECKS.items()],
        kinds={"duckdb", "pandera"},
    )
    def _asset(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        frame, problems = collect_table(discover(settings.raw_dir()), spec)
        for name in CHECKS:
            failing = [p for p in problems if p.check == name]
            yield dg.AssetCheckResult(check_name=name, passed=not failing,
                                      metadata={"failures": len(failing), "failing_rows": problems_table(failing)})
        if problems:
            raise dg.Failure(description="\n".join(str(p) for p in sorted(problems)),
                             metadata={"problems": len(problems)})
        write_table(warehouse, spec.name, frame)
        yield dg.MaterializeResult(metadata={
            "dagster/row_count": len(frame),
            "reports": dg.MetadataValue.json(sorted(frame["report_id"].unique().tolist())),
        })

    return _asset


@dg.asset(
    key=["raw", "reports"],
    group_name="raw",
    description="One row per report package: report.yaml with the source's origin metadata.",
    check_specs=[dg.AssetCheckSpec(REPORT_CHECK, asset=["raw", "reports"],
                                   description="report.yaml has the required keys and formats; no unknown files.")],
    kinds={"duckdb"},
)
def reports(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    packages = discover(settings.raw_dir())
    frame, problems = collect_reports(packages)
    if not packages:
        problems.append(Problem(str(settings.raw_dir()), 0, "", "", "no report packages (folders with report.yaml) found"))
    yield dg.AssetCheckResult(check_name=REPORT_CHECK, passed=not problems,
                              metadata={"failures": len(problems), "failing_rows": problems_table(problems)})
    if problems:
        raise dg.Failure(description="\n".join(str(p) for p in sorted(problems)))
    write_table(warehouse, "reports", frame)
    yield dg.MaterializeResult(metadata={"dagster/row_count": len(frame)})


raw_assets = [reports, *(build_table_asset(spec) for spec in RAW_TABLES)]
