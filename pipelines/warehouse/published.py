"""What the published warehouse holds, in a JSON file beside it: read without opening DuckDB.

Data decisions:
- `<name>.publish.json` sits beside the published file and is replaced right
  after it (write, fsync, rename). A reader holding the DuckDB file open
  read-write locks it against every other process, so status and the
  "up to date" test must not depend on opening it.
- It records the package hashes seen at load time (quarantined ones too), the
  hashes actually loaded, the pipeline hash and the git revision. If a crash
  lands between the two renames the state is older than the file; the next
  refresh then sees "changes" and rebuilds, which is safe.
- A write that fails (a full disk) removes its partial file, so a failed
  publish never keeps the disk full.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from pipelines.project import PROJECT_ROOT
from pipelines.warehouse.file_errors import remove_quietly

VERSION = 1


def state_path(published: Path) -> Path:
    return published.with_name(f"{published.stem}.publish.json")


def read_state(published: Path) -> dict:
    try:
        state = json.loads(state_path(published).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if state.get("version") == VERSION else {}


def replace_atomically(path: Path, fill, mode: int = 0o644, stale: Path | None = None) -> None:
    """Write beside the target with fill(handle), flush to disk, rename over it, flush the folder.

    On any failure (a full disk) the partial file is removed and the target is
    untouched. `mode` is set before the rename, so the target never has another.
    `stale` (a file that belongs to the old target) is removed just before and
    just after the rename.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    incoming = path.with_name(f".{path.name}.incoming")
    try:
        with open(incoming, "wb") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(incoming, mode)
    except BaseException as error:
        remove_quietly(incoming)
        if isinstance(error, OSError) and error.filename is None:
            error.filename = str(incoming)  # a failed write does not say which file
        raise
    if stale is not None:
        stale.unlink(missing_ok=True)
    os.replace(incoming, path)
    if stale is not None:
        stale.unlink(missing_ok=True)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_state(state: dict, published: Path) -> None:
    text = json.dumps({"version": VERSION, **state}, indent=1, ensure_ascii=False, sort_keys=True)
    replace_atomically(state_path(published), lambda handle: handle.write(text.encode("utf-8")))


def _git(*args: str) -> str:
    command = ["git", "-C", str(PROJECT_ROOT), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=10, check=True).stdout.strip()


def git_revision() -> str:
    try:
        run = _git
        revision = run("rev-parse", "--short=12", "HEAD")
        dirty = run("status", "--porcelain", "--untracked-files=no", "--", "pipelines", "dbt")
        return revision + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def pending_changes(current: dict[str, str], state: dict) -> dict[str, list[str]]:
    """Packages added, changed and removed in raw/ since the published build."""
    from pipelines.intake.fingerprint import diff

    return diff(state.get("packages", {}), current)


def is_up_to_date(current: dict[str, str], pipeline: str, published: Path) -> tuple[bool, dict]:
    state = read_state(published)
    fresh = (
        bool(state)
        and published.exists()
        and state.get("packages") == current
        and state.get("pipeline_hash") == pipeline
    )
    return fresh, state
