"""`cloudfacts status`: what is published, what changed since, and how the last run ended.

Data decisions:
- Everything except the last run comes from <name>.publish.json and a scan of
  raw/, so status works while a reader holds the warehouse open read-write.
- The last run is the newest run of the `refresh` job in the Dagster instance
  (CLI refreshes and sensor or schedule runs alike).
- A WAL left beside the published file by a session opened on an older one
  stops every reader; status removes it and says so (pipelines.warehouse.stray_wal).
- status only reads: raw/ is scanned without saving the hash cache, so it works
  when the warehouse folder is not writable. Report ids are printed through
  problems.printable (a folder name cannot send terminal escapes).
"""

from __future__ import annotations

import json
import sys

from pipelines.intake import fingerprint
from pipelines.intake.problems import printable
from pipelines.warehouse import published
from pipelines.warehouse.file_errors import path_problem
from pipelines.warehouse.paths import Paths
from pipelines.warehouse.stray_wal import stray_wal_line
from pipelines.warehouse.writer_lock import running


def last_run(instance, published_path) -> dict:
    import dagster as dg

    from pipelines.defs.names import JOB_NAME
    from pipelines.defs.runs import release_dead_runs

    release_dead_runs(instance, published_path)
    runs = instance.get_run_records(filters=dg.RunsFilter(job_name=JOB_NAME), limit=1)
    if not runs:
        return {}
    record = runs[0]
    seconds = (record.end_time - record.start_time) if record.end_time and record.start_time else None
    return {
        "run_id": record.dagster_run.run_id,
        "status": record.dagster_run.status.value,
        "started": record.create_timestamp.isoformat(timespec="seconds"),
        "seconds": round(seconds, 1) if seconds is not None else None,
    }


def collect(paths: Paths, open_instance) -> dict:
    """Everything status prints; open_instance() gives the Dagster instance, opened only here."""
    path = paths.published
    state = published.read_state(path)
    try:
        current = fingerprint.scan(paths.raw_dir, cache_dir=paths.build_dir)
    except FileNotFoundError:
        current = {}
    return {
        "warehouse": str(path),
        "published": path.exists(),
        "bytes": path.stat().st_size if path.exists() else 0,
        "built_at": state.get("built_at"),
        "git_revision": state.get("git_revision"),
        "pipeline_changed": bool(state) and state.get("pipeline_hash") != fingerprint.pipeline_hash(),
        "loaded": state.get("loaded", {}),
        "quarantined": state.get("quarantined", {}),
        "raw_dir": str(paths.raw_dir),
        "changes_since_publish": published.pending_changes(current, state),
        "refresh_running": running(paths.working),
        "last_run": last_run(open_instance(), path),
        "stray_wal": stray_wal_line(path),
    }


def render_status(info: dict) -> str:
    size = f"{info['bytes'] / 2**20:.1f} MB"
    lines = [
        f"warehouse: {info['warehouse']}"
        + (
            f" ({size}), built {info['built_at']} by pipeline {info['git_revision']}"
            if info["published"]
            else " (not published yet: run `cloudfacts refresh`)"
        )
    ]
    lines.append(f"reports loaded: {len(info['loaded'])}")
    lines += [f"  {report_id}  {digest}" for report_id, digest in info["loaded"].items()]
    if info["quarantined"]:
        lines.append(f"quarantined: {len(info['quarantined'])} (earlier rows kept; see raw.quarantine)")
        lines += [f"  {r}  {q['hash']}  {q['problems']} problem(s)" for r, q in info["quarantined"].items()]
    changes = info["changes_since_publish"]
    pending = [f"{len(v)} {k} ({', '.join(v[:5])}{', ...' if len(v) > 5 else ''})" for k, v in changes.items() if v]
    lines.append(f"changed since last publish in {info['raw_dir']}: " + ("; ".join(pending) or "none"))
    if info["pipeline_changed"]:
        lines.append("pipeline code changed since last publish: the next refresh rebuilds")
    if info["refresh_running"] is not None:
        lines.append(f"refresh running now: pid {info['refresh_running'].get('pid', '?')}")
    if info["stray_wal"]:
        lines.append(info["stray_wal"])
    run = info["last_run"]
    lines.append(
        f"last run: {run['status']} {run['run_id']} started {run['started']}"
        + (f", {run['seconds']}s" if run.get("seconds") is not None else "")
        if run
        else "last run: none"
    )
    return "\n".join(printable(line) for line in lines)


def print_status(paths: Paths, open_instance, as_json: bool) -> int:
    if problem := path_problem(paths.published):
        print(f"error: {problem}", file=sys.stderr)
        return 1
    info = collect(paths, open_instance)
    print(json.dumps(info, indent=1, ensure_ascii=False) if as_json else render_status(info))
    return 0 if info["published"] else 1
