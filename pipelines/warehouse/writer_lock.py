"""One writer at a time: an exclusive lock on the working file, held for a whole refresh.

Data decisions:
- The lock is an flock on `.build/<name>.lock`, so it is released by the kernel
  when its holder dies, even by SIGKILL: a killed run never blocks the next.
- It is re-entrant within a process: the CLI takes it before the run starts and
  the run's warehouse resource takes it again without deadlocking itself.
- The lock file records who holds it (pid, command, start time), so the one who
  waits can say for whom.
- dbt holds a second lock, `.build/<name>.dbt.lock`, for its whole life
  (pipelines.warehouse.dbt_launcher takes it on a descriptor dbt inherits). A dbt can
  outlive the refresh that started it (and so that refresh's writer lock), so
  whoever takes the writer lock then waits for the dbt lock too: the next
  refresh waits for a leftover dbt to exit instead of overlapping it.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

_HELD: dict[str, tuple[int, int]] = {}  # path -> (fd, depth)


class WriterBusy(RuntimeError):
    pass


def lock_path(working: Path) -> Path:
    return working.with_name(f"{working.name}.lock")


def dbt_lock_path(working: Path) -> Path:
    return working.with_name(f"{working.name}.dbt.lock")


def holder(path: Path) -> dict:
    try:
        return json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return {}


def is_held(path: Path) -> bool:
    """Whether another open file holds an flock on path (the writer or the dbt lock)."""
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def running(working: Path) -> dict | None:
    """Who holds the writer lock of a working file now, or None when no refresh is writing it."""
    path = lock_path(working)
    return holder(path) if is_held(path) else None


def describe_holder(info: dict) -> str:
    if not info:
        return "another refresh"
    started = time.strftime("%H:%M:%S", time.localtime(info.get("started", 0)))
    return f"{info.get('command', 'a refresh')} (pid {info.get('pid')}, started {started})"


@contextmanager
def writer_lock(working: Path, wait_seconds: float = 600.0, on_wait=None):
    """Hold the working file's writer lock; wait up to wait_seconds for another holder."""
    path = lock_path(working)
    key = str(path)
    if key in _HELD:
        fd, depth = _HELD[key]
        _HELD[key] = (fd, depth + 1)
        try:
            yield
        finally:
            fd, depth = _HELD[key]
            _HELD[key] = (fd, depth - 1)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = (time.monotonic() + wait_seconds, wait_seconds)
        _acquire(fd, path, working, deadline, on_wait)
        _wait_for_leftover_dbt(working, deadline, on_wait)
        os.ftruncate(fd, 0)
        os.write(
            fd,
            json.dumps(
                {"pid": os.getpid(), "command": " ".join(sys.argv[:2]) or "python", "started": time.time()}
            ).encode(),
        )
        _HELD[key] = (fd, 1)
        try:
            yield
        finally:
            del _HELD[key]
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _wait_for_leftover_dbt(working: Path, deadline: tuple[float, float], on_wait) -> None:
    path = dbt_lock_path(working)
    if not path.exists():
        return
    fd = os.open(path, os.O_RDONLY)
    try:

        def who() -> str:  # the launcher writes dbt's pid
            return f"dbt (pid {path.read_text().strip() or '?'}) left running by a stopped refresh"

        _acquire(fd, path, working, deadline, on_wait, who=who)
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, path: Path, working: Path, deadline: tuple[float, float], on_wait, who=None) -> None:
    """Lock fd exclusively; deadline is (monotonic time to give up at, the seconds that allowed)."""
    who = who or (lambda: describe_holder(holder(path)))
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline[0]:
                raise WriterBusy(
                    f"{who()} is writing {working}; gave up after waiting "
                    f"{deadline[1]:.0f}s. Try again when it has finished."
                ) from None
            if on_wait and not told:
                on_wait(f"waiting for {who()} to finish writing the warehouse ...")
                told = True
            time.sleep(0.2)
