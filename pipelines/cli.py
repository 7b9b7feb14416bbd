"""The `cloudfacts` command: refresh, query, check, ui.

Paths given as options are exported as CLOUDFACTS_WAREHOUSE / CLOUDFACTS_RAW_DIR
before the Dagster definitions load, so the CLI, dbt and the UI share them.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipelines import settings


def _export(args) -> None:
    if getattr(args, "warehouse", None):
        os.environ[settings.WAREHOUSE_ENV] = str(Path(args.warehouse).expanduser().resolve())
    if getattr(args, "raw_dir", None):
        os.environ[settings.RAW_DIR_ENV] = str(Path(args.raw_dir).expanduser().resolve())
    settings.export_environment()
    os.environ.setdefault("DAGSTER_HOME", str(settings.PROJECT_ROOT / ".dagster"))
    from pipelines.instance import prepare_dagster_home

    prepare_dagster_home(Path(os.environ["DAGSTER_HOME"]))


def cmd_refresh(args) -> int:
    _export(args)
    import dagster as dg

    from pipelines.refresh import run_refresh
    from pipelines.summary import describe

    err = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    err(f"refreshing {settings.warehouse_path()} from {settings.raw_dir()}")
    summary = run_refresh(dg.DagsterInstance.get(), echo=err)
    print(describe(summary, settings.warehouse_path()))
    return 0 if summary.success else 1


def cmd_query(args) -> int:
    _export(args)
    from pipelines.query import run_query

    return run_query(settings.warehouse_path(), args.sql, args.format)


def cmd_check(args) -> int:
    from pipelines.validation import load

    dirs = [Path(d) for d in args.dirs] or [settings.raw_dir()]
    total = 0
    for raw in dirs:
        try:
            loaded = load(raw.expanduser().resolve())
        except FileNotFoundError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        problems = loaded.all_problems
        total += len(problems)
        rows = sum(len(f) for name, f in loaded.frames.items() if name != "reports")
        for problem in problems:
            print(problem)
        print(f"{raw}: {len(loaded.packages)} report(s), {rows} row(s), {len(problems)} problem(s)", file=sys.stderr)
    return 1 if total else 0


def cmd_ui(args) -> int:
    _export(args)
    import subprocess

    command = [str(Path(sys.executable).parent / "dagster"), "dev", "-m", "pipelines.definitions",
               "--host", args.host, "--port", str(args.port)]
    return subprocess.call(command, cwd=settings.PROJECT_ROOT)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="cloudfacts", description="Cloud and AI industry figures from research reports.")
    sub = root.add_subparsers(dest="command", required=True)
    refresh = sub.add_parser("refresh", help="load every report package, build the marts and sizing, publish")
    refresh.add_argument("--raw-dir", help="report packages (default raw/ or $CLOUDFACTS_RAW_DIR)")
    refresh.add_argument("--warehouse", help="published DuckDB file (default warehouse/cloudfacts.duckdb or $CLOUDFACTS_WAREHOUSE)")
    refresh.set_defaults(func=cmd_refresh)
    query = sub.add_parser("query", help="run read-only SQL against the published warehouse")
    query.add_argument("sql")
    query.add_argument("--warehouse")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.set_defaults(func=cmd_query)
    check = sub.add_parser("check", help="validate report packages without loading them")
    check.add_argument("dirs", nargs="*", help="raw directories (default raw/)")
    check.set_defaults(func=cmd_check)
    ui = sub.add_parser("ui", help="start the Dagster UI on this project")
    ui.add_argument("--raw-dir")
    ui.add_argument("--warehouse")
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
