"""`cloudfacts-dbt`: starts dbt so that it cannot outlive the process that asked for it.

dagster-dbt starts dbt with a plain subprocess.Popen (same process group, no
hooks), so a refresh killed by SIGKILL, or ended by a signal while its worker
thread waits on dbt, used to leave `dbt build` running with parent 1, writing
`.build/` after the writer lock was gone. The dbt resource names this launcher
as its dbt executable; it sets two things up and then execs the real dbt, so
the dbt process keeps the launcher's pid:

- PR_SET_PDEATHSIG = SIGKILL: the kernel kills dbt when the thread that forked
  it ends. In a CLI refresh that is the refresh's worker thread, which runs the
  whole job and waits for dbt's exit before moving on, so it never ends before
  dbt in a normal run; in a daemon run it is the run worker's main thread. If
  the parent died before prctl took effect, the parent pid no longer matches
  PARENT_ENV and the launcher exits at once.
- The dbt lock (writer_lock.dbt_lock_path of the working file named by dbt's
  own `--vars`, see pipelines.warehouse.paths): an flock taken here on an
  inheritable descriptor, so the dbt process holds it until its very end. The
  next refresh waits for it after taking the writer lock: even a dbt that
  outlived its refresh (pdeathsig is Linux-only; a dbt started some other way)
  is waited for, never overlapped.
- Linux only in effect: elsewhere prctl is missing and only the lock applies.
"""

from __future__ import annotations

import ctypes
import fcntl
import itertools
import json
import os
import signal
import sys
from pathlib import Path

PARENT_ENV = "CLOUDFACTS_DBT_PARENT"
PR_SET_PDEATHSIG = 1
DBT = str(Path(sys.executable).parent / "dbt")


def die_with_parent() -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the dbt lock still keeps the next refresh from overlapping
        return
    expected = os.environ.get(PARENT_ENV, "")
    if expected.isdigit() and os.getppid() != int(expected):
        sys.exit(f"cloudfacts-dbt: the refresh (pid {expected}) is gone; not starting dbt")


def working_file(argv: list[str]) -> Path | None:
    """The working file dbt is about to build, from the --vars it was given."""
    from pipelines.warehouse.paths import DBT_WORKING_FILE_VAR

    for flag, value in itertools.pairwise(argv):
        if flag == "--vars":
            try:
                named = json.loads(value).get(DBT_WORKING_FILE_VAR)
            except (ValueError, AttributeError):
                return None
            return Path(named) if named else None
    return None


def hold_dbt_lock(working: Path | None) -> None:
    from pipelines.warehouse.writer_lock import dbt_lock_path

    if working is None:  # dbt started by hand on no working file: nothing of ours to guard
        return
    path = dbt_lock_path(working)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.ftruncate(fd, 0)
    os.write(fd, str(os.getpid()).encode())
    os.set_inheritable(fd, True)  # kept across exec: dbt itself holds the lock


def main() -> None:
    die_with_parent()
    hold_dbt_lock(working_file(sys.argv[1:]))
    os.execv(DBT, [DBT, *sys.argv[1:]])


if __name__ == "__main__":
    main()
