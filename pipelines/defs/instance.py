"""The Dagster instance folder (DAGSTER_HOME): runs persist there so the UI shows CLI refreshes.

Data decisions:
- One writer at a time: every asset that writes the warehouse belongs to the
  concurrency pool WRITER_POOL, and dagster.yaml limits pools to one run at a time
  (`granularity: run`, `default_limit: 1`). The daemon's run queue (used by
  `dagster dev`) then keeps a sensor or schedule run queued while another run
  holding the pool is in progress, including a CLI run.
- Dagster enforces nothing for runs started with execute_in_process under run
  granularity (the CLI's refresh): the writer lock (pipelines.warehouse.writer_lock, held
  by the warehouse resource for a whole run) is what stops a CLI run from
  writing while another run does. The pool keeps daemon runs queued, and
  visible as queued in the UI, instead of launched and waiting on that lock.
- Compute-log capture is off (NoOpComputeLogManager): Dagster's local capture
  mirrors stdout through `tail -F` children; one that outlived a refresh kept
  the caller's pipe open and hung it. Run history lives in the event log.
- cloudfacts owns a dagster.yaml whose first line starts with HEADER and rewrites
  it when its content differs; a dagster.yaml without that line is the user's
  and is never touched.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipelines.defs.names import WRITER_POOL

POOL_LIMIT = 1
HEADER = "# Written by cloudfacts"

DAGSTER_YAML = f"""\
{HEADER}; edits are replaced. Telemetry stays off.
# One run at a time may hold a concurrency pool ({WRITER_POOL} is the warehouse writer).
telemetry:
  enabled: false
concurrency:
  pools:
    granularity: run
    default_limit: {POOL_LIMIT}
# No raw stdout/stderr capture: it mirrors output through `tail -F` processes
# that can outlive a refresh and hold its output pipe open. Steps, checks and
# dbt results are all in the structured event log.
compute_logs:
  module: dagster._core.storage.noop_compute_log_manager
  class: NoOpComputeLogManager
"""


def prepare_dagster_home(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if config.exists():
        current = config.read_text(encoding="utf-8")
        if current == DAGSTER_YAML or not current.startswith(HEADER):
            return
    tmp = config.with_name(f".dagster.yaml.{os.getpid()}.tmp")
    tmp.write_text(DAGSTER_YAML, encoding="utf-8")
    tmp.replace(config)


def open_instance(home: Path):
    """The Dagster instance in `home`, its dagster.yaml written and the writer pool limited."""
    from dagster import DagsterInstance
    from dagster._core.instance.ref import InstanceRef

    prepare_dagster_home(home)
    instance = DagsterInstance.from_ref(InstanceRef.from_dir(str(home)))
    ensure_pool_limit(instance)
    return instance


def ensure_pool_limit(instance) -> None:
    """Give WRITER_POOL an explicit limit in the instance's storage unless the user already set one.

    A pool limited only by `default_limit` gets its row the first time the run
    queue sees it, after that pass has read the configured pools, so without this
    the first queued run would not be held back by a CLI run in progress.
    """
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return
    existing = next((p for p in storage.get_pool_limits() if p.name == WRITER_POOL), None)
    if existing is None or existing.from_default:
        storage.set_concurrency_slots(WRITER_POOL, POOL_LIMIT)
