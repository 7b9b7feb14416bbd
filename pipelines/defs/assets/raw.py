"""Raw assets: every package table, loaded incrementally into raw.<table> in one step.

Data decisions:
- One multi-asset owns all raw tables, because one package touches several of
  them and its rows must be replaced in all of them in one transaction.
- Only new and changed packages are read (pipelines.warehouse.loading); the asset
  metadata says which, with the normalisations applied to each file. More than
  IN_PROCESS of them load in a child process (pipelines.warehouse.load_process).
- The lines of each package's source.txt and the source verification of its
  numeric cells are raw tables of the same step: they change with the package.
- Every raw table's materialization carries its typed columns, described by
  pipelines.intake.column_docs, and its row count (pipelines.defs.table_metadata).
- A package with problems is quarantined, not fatal: the checks fail (severity
  ERROR, not blocking) with the error table, the rest of the warehouse refreshes
  and publishes, and the package's earlier rows stay.
"""

import dagster as dg

from pipelines.defs.metadata import md_table
from pipelines.defs.names import WRITER_POOL
from pipelines.defs.resources import WorkingFileResource, failing_in_one_line
from pipelines.defs.table_metadata import table_metadata
from pipelines.intake.column_docs import raw_column_description
from pipelines.intake.problems import HEADER, KEYS, PACKAGE, VALUES, Problem
from pipelines.intake.source_check import SOURCE_TABLES
from pipelines.intake.tables import RAW_TABLES
from pipelines.warehouse.fault_pause import pause_at
from pipelines.warehouse.relations import describe
from pipelines.warehouse.working_file import release_memory

TABLE_CHECKS = {
    HEADER: "Every file has the documented columns, well-formed rows and at least one row.",
    VALUES: "Types, ids, units, periods and ranges follow docs/raw-format.md.",
    KEYS: "Each key appears once per report.",
}
PACKAGE_CHECK_TEXT = "Every package has a valid report.yaml, only known files, and no problem: else it is quarantined."
REPORTS = dg.AssetKey(["raw", "reports"])
TABLE_KEYS = {spec.name: dg.AssetKey(["raw", spec.name]) for spec in RAW_TABLES}
SOURCE_KEYS = {name: dg.AssetKey(["raw", name]) for name in SOURCE_TABLES}


def problems_table(problems: list[Problem]) -> dg.MetadataValue:
    import pandas as pd

    return md_table(pd.DataFrame([p.as_dict() for p in problems]))


def _check(key: dg.AssetKey, name: str, failing: list[Problem]) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=key,
        check_name=name,
        passed=not failing,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"failures": len(failing), "failing_rows": problems_table(failing)},
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            REPORTS,
            group_name="raw",
            kinds={"duckdb"},
            description="One row per loaded report package: report.yaml's origin metadata and content hash.",
        )
    ]
    + [
        dg.AssetSpec(
            key,
            group_name="raw",
            kinds={"duckdb", "pandera"},
            description=f"{spec.description} Rows of {spec.file_name} from every report package.",
        )
        for spec, key in zip(RAW_TABLES, TABLE_KEYS.values(), strict=True)
    ]
    + [
        dg.AssetSpec(key, group_name="raw", kinds={"duckdb"}, description=SOURCE_TABLES[name])
        for name, key in SOURCE_KEYS.items()
    ],
    check_specs=[dg.AssetCheckSpec(PACKAGE, asset=REPORTS, description=PACKAGE_CHECK_TEXT)]
    + [
        dg.AssetCheckSpec(name, asset=key, description=text)
        for key in TABLE_KEYS.values()
        for name, text in TABLE_CHECKS.items()
    ],
    pool=WRITER_POOL,
)
def raw_tables(context: dg.AssetExecutionContext, working_file: WorkingFileResource):
    # pandas and Pandera load only when a run needs them, not with the code location.
    import pandas as pd

    from pipelines.warehouse.load_process import IN_PROCESS, load_in_child, packages_to_read
    from pipelines.warehouse.loading import load_incremental

    paths = working_file.paths
    with working_file.connect() as connection:
        pause_at("raw")  # test hook (pipelines/warehouse/fault_pause.py)
        to_read, current = packages_to_read(connection, paths.raw_dir, paths.build_dir)
        if to_read <= IN_PROCESS:
            result = load_incremental(connection, paths.raw_dir, cache_dir=paths.build_dir, current=current)
    if to_read > IN_PROCESS:
        context.log.info(f"loading {to_read} packages in a child process")
        with failing_in_one_line(paths.published):
            result = load_in_child(paths.working, paths.raw_dir, paths.build_dir)
    release_memory()
    with working_file.connect() as connection:
        relations = {name: relation for (_, _, name), relation in describe(connection, ["raw"]).items()}
    problems = result.problems
    if problems:
        context.log.warning(
            "quarantined: " + ", ".join(sorted(result.quarantined)) + "\n" + "\n".join(str(p) for p in problems[:50])
        )
    yield _check(REPORTS, PACKAGE, problems)
    for name, key in TABLE_KEYS.items():
        mine = [p for p in problems if p.file.endswith(f"/{name}.csv")]
        for check in TABLE_CHECKS:
            yield _check(key, check, [p for p in mine if p.check == check])
    files = pd.DataFrame(result.files or [], columns=["report_id", "file", "encoding", "rows", "normalisations"])
    normalised = files[files["normalisations"].astype(bool) | (files["encoding"] != "utf-8")]
    yield dg.MaterializeResult(
        asset_key=REPORTS,
        metadata={
            "added": dg.MetadataValue.json(result.added),
            "changed": dg.MetadataValue.json(result.changed),
            "removed": dg.MetadataValue.json(result.removed),
            "unchanged": result.unchanged,
            "quarantined": dg.MetadataValue.json(sorted(result.quarantined)),
            "files_read": len(files),
            "normalisations": md_table(normalised),
            **_table_metadata(relations, "reports"),
        },
    )
    for name, key in (TABLE_KEYS | SOURCE_KEYS).items():
        yield dg.MaterializeResult(asset_key=key, metadata=_table_metadata(relations, name))


def _table_metadata(relations: dict, name: str) -> dict:
    relation = relations[name]
    return table_metadata(relation, {column: raw_column_description(name, column) for column, _ in relation.columns})


raw_assets = [raw_tables]
