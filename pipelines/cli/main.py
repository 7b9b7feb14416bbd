"""The `cloudfacts` command: refresh, status, query, coverage, check, ui.

This is the edge: paths given as options (else CLOUDFACTS_WAREHOUSE /
CLOUDFACTS_RAW_DIR, else the defaults) are resolved here once into a Paths and
passed down as an argument. The environment is written only for the processes
this command starts: dbt and Dagster's telemetry off (project.QUIET_ENV), and
for `ui`, the paths and DAGSTER_HOME of the `dagster dev` child.

`refresh` exit codes: 0 everything loaded and published; 2 published, but some
packages are quarantined; 1 nothing published (failure, or another writer held
the lock too long). `refresh` checks "up to date" before importing Dagster, so
a refresh with nothing to do returns in well under a second.

Ctrl-C (SIGINT) or SIGTERM: no traceback, one line, exit 128 + the signal
number (130, 143). A refresh stopped before its publish publishes nothing and
says so; one stopped while publishing completes the publish first, says so,
and exits with its normal code (0 or 2), because the warehouse is published.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from pipelines.project import PROJECT_ROOT, QUIET_ENV
from pipelines.warehouse.paths import RAW_DIR_ENV, WAREHOUSE_ENV, Paths

DAGSTER_HOME_ENV = "DAGSTER_HOME"


def _paths(args) -> Paths:
    return Paths.resolve(getattr(args, "warehouse", None), getattr(args, "raw_dir", None))


def _dagster_home() -> Path:
    return Path(os.environ.get(DAGSTER_HOME_ENV) or PROJECT_ROOT / ".dagster").expanduser().resolve()


def _instance():
    from pipelines.defs.instance import open_instance

    return open_instance(_dagster_home())


EXIT_OK, EXIT_FAILED, EXIT_QUARANTINED = 0, 1, 2
EXIT_SIGNAL_BASE = 128  # the shell's convention: 130 after SIGINT, 143 after SIGTERM


def err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def cmd_refresh(args) -> int:
    from pipelines.intake import fingerprint
    from pipelines.intake.problems import printable
    from pipelines.warehouse import published
    from pipelines.warehouse.file_errors import explain
    from pipelines.warehouse.stray_wal import stray_wal_line
    from pipelines.warehouse.writer_lock import WriterBusy, writer_lock

    paths = _paths(args)
    try:
        with writer_lock(paths.working, args.wait, on_wait=err):
            current = fingerprint.scan(paths.raw_dir, cache_dir=paths.build_dir, save=True, rehash=args.force)
            fresh, state = published.is_up_to_date(current, fingerprint.pipeline_hash(), paths.published)
            if fresh and not (args.force or args.full_refresh):
                quarantined = state.get("quarantined", {})
                print(
                    f"up to date: {paths.published} (built {state.get('built_at')}) already holds the "
                    f"{len(current)} report package(s) in {paths.raw_dir}; nothing published"
                    + (
                        f"; {len(quarantined)} still quarantined: {printable(', '.join(quarantined))}"
                        if quarantined
                        else ""
                    )
                )
                if note := stray_wal_line(paths.published):
                    err(note)
                return EXIT_QUARANTINED if quarantined else EXIT_OK
            return _run_refresh(paths, args.full_refresh)
    except WriterBusy as error:
        err(f"error: {error}")
        return EXIT_FAILED
    except FileNotFoundError as error:
        err(f"error: {error}")
        return EXIT_FAILED
    except OSError as error:  # the warehouse folder is read-only, full, or under a file
        err(f"error: {explain(error) or error}; nothing was published")
        return EXIT_FAILED


def _run_refresh(paths, full_refresh: bool = False) -> int:
    from pipelines.cli.refresh import run_refresh
    from pipelines.cli.summary import render_summary

    err(f"refreshing {paths.published} from {paths.raw_dir}")
    summary = run_refresh(_instance(), paths, echo=err, full_refresh=full_refresh)
    if summary.stopped_by and not summary.published:
        err(
            f"refresh stopped by {summary.stopped_by}"
            + (f" during {summary.step}" if summary.step else "")
            + f"; nothing was published: {paths.published} is unchanged"
        )
        sys.stdout.flush()
        # The job's worker thread cannot be stopped from here: ending the process ends it, and dbt with it.
        os._exit(EXIT_SIGNAL_BASE + signal.Signals[summary.stopped_by].value)
    text, quarantined = render_summary(summary, paths.working, paths.published)
    print(text)
    if summary.stopped_by:
        err(f"{summary.stopped_by} arrived while publishing; the publish was completed first")
    if not summary.success:
        return EXIT_FAILED
    return EXIT_QUARANTINED if quarantined else EXIT_OK


def cmd_status(args) -> int:
    from pipelines.cli.status import print_status

    return print_status(_paths(args), _instance, args.json)


def cmd_query(args) -> int:
    from pipelines.cli.query import run_query

    return run_query(
        _paths(args).published,
        args.sql,
        args.format,
        timeout=args.timeout,
        max_rows=args.max_rows,
        memory_limit=args.memory_limit,
    )


def cmd_coverage(args) -> int:
    from pipelines.cli.coverage import run_coverage

    return run_coverage(_paths(args).published, args.report_id)


def cmd_check(args) -> int:
    from pipelines.cli.check import run_check

    return run_check(args.dirs, _paths(args).raw_dir)


def cmd_ui(args) -> int:
    from pipelines.cli.ui_process import run_dagster_dev

    paths = _paths(args)
    _instance()  # dagster.yaml written and the pool limited before the daemon reads them
    command = [
        str(Path(sys.executable).parent / "dagster"),
        "dev",
        "-m",
        "pipelines.definitions",
        "--host",
        args.host,
        "--port",
        str(args.port),
    ]
    env = {
        **os.environ,
        DAGSTER_HOME_ENV: str(_dagster_home()),
        WAREHOUSE_ENV: str(paths.published),
        RAW_DIR_ENV: str(paths.raw_dir),
    }
    return run_dagster_dev(command, cwd=PROJECT_ROOT, env=env)


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds > 0, got {text!r}")
    return value


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="cloudfacts", description="Cloud and AI industry figures from research reports."
    )
    sub = root.add_subparsers(dest="command", required=True)
    refresh = sub.add_parser("refresh", help="load every report package, build the marts and sizing, publish")
    refresh.add_argument("--raw-dir", help="report packages (default raw/ or $CLOUDFACTS_RAW_DIR)")
    refresh.add_argument(
        "--warehouse", help="published DuckDB file (default warehouse/cloudfacts.duckdb or $CLOUDFACTS_WAREHOUSE)"
    )
    refresh.add_argument("--force", action="store_true", help="run even when nothing changed")
    refresh.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every dbt model from all reports, not only what changed (implies --force)",
    )
    refresh.add_argument(
        "--wait",
        type=float,
        default=1800.0,
        metavar="SECONDS",
        help="how long to wait for another refresh to finish (default 1800)",
    )
    refresh.set_defaults(func=cmd_refresh)
    status = sub.add_parser("status", help="what is published, what changed since, and the last run")
    status.add_argument("--raw-dir")
    status.add_argument("--warehouse")
    status.add_argument("--json", action="store_true", help="print JSON for scripts")
    status.set_defaults(func=cmd_status)
    query = sub.add_parser("query", help="run read-only SQL against the published warehouse")
    query.add_argument("sql")
    query.add_argument("--warehouse")
    query.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="csv: spreadsheet-safe (text starting with = + - @ gets a leading '); json: NaN and infinities as strings",
    )
    query.add_argument(
        "--max-rows",
        type=_count,
        metavar="N",
        help="print at most N rows (default 10000 for table, all for csv and json; 0 = no limit)",
    )
    query.add_argument(
        "--timeout", type=_seconds, metavar="SECONDS", help="stop the query after SECONDS (default: none)"
    )
    query.add_argument(
        "--memory-limit",
        metavar="SIZE",
        help="DuckDB memory_limit for the query (default 1GB); a query needing more fails",
    )
    query.set_defaults(func=cmd_query)
    coverage = sub.add_parser(
        "coverage",
        help="how many numbers of a report's source are transcribed, and the ones that are not",
        description="Reads the published warehouse. Exit codes: 0 ok, 1 unknown REPORT_ID, 2 no warehouse.",
    )
    coverage.add_argument("report_id", metavar="REPORT_ID")
    coverage.add_argument("--warehouse")
    coverage.set_defaults(func=cmd_coverage)
    check = sub.add_parser(
        "check",
        help="validate report packages without loading or writing anything",
        description="Validate report packages without loading them; writes nothing. Each DIR is "
        "one package if it holds report.yaml (or, lacking it, CSV files and no package folders), "
        "otherwise a raw directory of package folders. A DIR with no packages is an error. "
        "Exit codes: 0 no problems, 1 problems, 2 DIR missing or without packages.",
    )
    check.add_argument(
        "dirs",
        nargs="*",
        metavar="DIR",
        help="a package folder or a raw directory of packages (default raw/ or $CLOUDFACTS_RAW_DIR)",
    )
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
    for key, value in QUIET_ENV.items():  # inherited by dbt and Dagster processes this command starts
        os.environ.setdefault(key, value)
    interrupted = []

    def on_interrupt(signum, frame):
        interrupted.append(signum)
        signal.default_int_handler(signum, frame)

    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not when started with Ctrl-C ignored
        signal.signal(signal.SIGINT, on_interrupt)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        pass
    except Exception:
        if not interrupted:  # a library may turn the KeyboardInterrupt into its own error (DuckDB does)
            raise
    err("interrupted")
    return EXIT_SIGNAL_BASE + signal.SIGINT


if __name__ == "__main__":
    sys.exit(main())
