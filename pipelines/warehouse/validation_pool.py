"""Batches of packages validated on every core while the loader inserts the one before.

Data decisions:
- Validating (reading, Pandera, source verification) is CPU work that needs no
  database; inserting needs the loader's one connection. With more than one
  batch, WORKERS spawned processes validate batches and the loader inserts
  each as it comes back, in batch order, so what lands in which transaction is
  what a sequential load would do.
- At most AHEAD batches are validated ahead of the insert, so memory stays
  bounded however many packages change.
- A single batch (every usual refresh) is validated in process: a worker
  costs the imports of pandas and Pandera (about 1.5 s).
- Workers die with the loader (PR_SET_PDEATHSIG); an error in one (an
  unreadable file) comes back as it is, batches not started are cancelled, and
  no worker outlives the load.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from pipelines.intake.packages import package_at
from pipelines.warehouse.dbt_launcher import PARENT_ENV, die_with_parent

WORKERS = min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
AHEAD = WORKERS + 1  # batches in flight: every worker busy while the loader inserts


def validate(raw_dir: Path, report_ids: list[str]):
    """The Validated result of some packages of raw_dir (pipelines.intake.validation)."""
    from pipelines.intake.validation import validate_packages  # Pandera is imported only when a package changed

    return validate_packages([package_at(raw_dir, r) for r in report_ids], raw_dir)


def _start_worker() -> None:
    os.environ.pop(PARENT_ENV, None)  # names the refresh process, not this worker's parent
    die_with_parent()


def validated_batches(raw_dir: Path, batches: list[list[str]]) -> Iterator[tuple[list[str], object]]:
    """(batch, Validated) for each batch, in order."""
    if len(batches) <= 1 or WORKERS == 1:
        for batch in batches:
            yield batch, validate(raw_dir, batch)
        return
    waiting = deque(batches)
    pool = ProcessPoolExecutor(max_workers=WORKERS, mp_context=get_context("spawn"), initializer=_start_worker)
    try:
        running = deque()
        while waiting or running:
            while waiting and len(running) < AHEAD:
                batch = waiting.popleft()
                running.append((batch, pool.submit(validate, raw_dir, batch)))
            batch, future = running.popleft()
            yield batch, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
