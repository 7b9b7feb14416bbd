"""The publish's critical section: a stop request either comes before the publish or waits for its end.

Data decisions:
- Replacing the published file and writing its state is one unit. A Ctrl-C or
  SIGTERM lands either before it (nothing is published, the run is recorded
  as canceled) or after it (the publish is complete and recorded as done),
  never in between; the run record then says which happened.
- In `cloudfacts refresh` the job runs in a worker thread and signals reach
  the main thread, which calls stop_publishing(): that waits for a publish in
  progress to finish and makes any later one raise PublishStopped.
- In a run worker (daemon runs) the step runs in the main thread, where
  Dagster turns SIGINT/SIGTERM into an exception at any line. There the guard
  holds both signals for its duration and hands the caller the ones that came;
  the publish (the job's last step) completes and says so in its log, so the
  run ends as a success, which is what happened to the warehouse.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_GATE = threading.Lock()
_STOPPED = threading.Event()


class PublishStopped(RuntimeError):
    pass


@contextmanager
def noting_stop_signals():
    """Note SIGINT/SIGTERM instead of raising where they land; yields the list of their names."""
    received: list[str] = []
    if threading.current_thread() is not threading.main_thread():
        yield received  # only the main thread gets signals; it calls stop_publishing()
        return
    previous = {
        sig: signal.signal(sig, lambda signum, _frame: received.append(signal.Signals(signum).name))
        for sig in STOP_SIGNALS
    }
    try:
        yield received
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def publish_guard():
    """Run the publish as one unit; yields the names of signals that arrived meanwhile (main thread only)."""
    with _GATE:
        if _STOPPED.is_set():
            raise PublishStopped("the refresh was stopped before publishing; the published warehouse was not changed")
        with noting_stop_signals() as received:
            yield received


def stop_publishing() -> None:
    """Forbid publishing in this process from now on, after waiting for a publish in progress."""
    with _GATE:
        _STOPPED.set()
