"""Content hashes of report packages: what changed in raw/ since a run or a publish.

Data decisions:
- A package is any folder directly under raw/ whose name does not start with
  `.` or `_`; a folder without report.yaml is still a package (and an error),
  so a half-copied package is never mistaken for a removed one.
- A package's hash covers every file name and byte in it (sha256), in name
  order; renaming, editing, adding or removing a file changes it.
- Hashes are cached by (name, size, mtime_ns, ctime_ns, inode) per file, in
  this process and in .build/package-hashes.json for the next one (like git's
  index), so an unchanged tree of thousands of packages is rescanned with stat
  calls only. ctime is in the key because a user can set mtime back (touch -d,
  os.utime) but not ctime: an edit that keeps the size and restores the mtime
  still changes the key.
- A hash is cached only when every file's ctime is RACY_NS older than the
  moment hashing began (git's "racily clean" rule): the clock ticks coarsely,
  so a file rewritten right after it was hashed could keep its whole stat key.
- `refresh --force` rescans with rehash=True: every package is hashed from its
  bytes and the cache is ignored (then updated).
- Only writers save the cache: scan(save=True) in `refresh` and the load step,
  which hold the writer lock. check, status, the sensor and the schedule only
  read it, so they need no write access to the warehouse folder.
- Packages are keyed by report_id, the folder name as pipelines.intake.packages
  reads it (text_name), so a scan and a validation name the same packages.
- The pipeline hash covers the dbt project and the Python package, so a new
  model or rule also counts as "something to rebuild".
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from pathlib import Path

from pipelines.intake.packages import package_dirs, text_name
from pipelines.project import PROJECT_ROOT

_CACHE: dict[str, tuple[tuple, str]] = {}
_CACHE_STATE: dict = {"misses": 0}
CACHE_NAME = "package-hashes.json"
RACY_NS = 2_000_000_000  # coarse file-system clocks, and FAT's 2 s mtime steps
PIPELINE_PARTS = ("dbt/models", "dbt/macros", "dbt/seeds", "dbt/tests", "dbt/dbt_project.yml", "pipelines")


def _files(path: str) -> list[os.DirEntry]:
    return sorted(
        (e for e in os.scandir(path) if e.is_file(follow_symlinks=False) or e.is_symlink()), key=lambda e: e.name
    )


def _digest(files: list[os.DirEntry]) -> str:
    digest = hashlib.sha256()
    for entry in files:
        digest.update(entry.name.encode("utf-8", "surrogateescape") + b"\0")
        if entry.is_symlink():
            digest.update(b"symlink:" + os.readlink(entry.path).encode("utf-8", "surrogateescape"))
            continue
        with open(entry.path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def package_hash(path: str | Path, rehash: bool = False) -> str:
    files = _files(str(path))
    signature = tuple((e.name, *_stat_key(e)) for e in files)
    cached = _CACHE.get(str(path))
    if cached and cached[0] == signature and not rehash:
        return cached[1]
    started = time.time_ns()
    value = _digest(files)
    if all(ctime < started - RACY_NS for *_, ctime, _ in signature):
        _CACHE[str(path)] = (signature, value)
    else:
        _CACHE.pop(str(path), None)
    _CACHE_STATE["misses"] += 1
    _CACHE_STATE["dirty"] = True
    return value


def _stat_key(entry: os.DirEntry) -> tuple:
    stat = entry.stat(follow_symlinks=False)
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


def scan(raw_dir: Path, *, cache_dir: Path | None = None, save: bool = False, rehash: bool = False) -> dict[str, str]:
    """{report_id: hash} of every package under raw_dir, sorted by report_id.

    cache_dir: where the stat cache of earlier processes lives (the warehouse's build folder);
    save: write the cache file (writers only); rehash: hash every package from its bytes."""
    entries = package_dirs(raw_dir)
    if cache_dir is not None:
        _load_cache(cache_dir / CACHE_NAME)
    hashes = {text_name(e.name): package_hash(e.path, rehash) for e in entries}
    if save and cache_dir is not None and _CACHE_STATE.get("dirty"):  # also what readers in this process hashed before
        _save_cache(cache_dir / CACHE_NAME)
        _CACHE_STATE["dirty"] = False
    return hashes


def _load_cache(path: Path) -> None:
    """Read the stat cache of earlier processes once per warehouse."""
    if _CACHE_STATE.get("file") == path:
        return
    _CACHE_STATE["file"] = path
    try:
        stored = json.loads(path.read_text())
        _CACHE.update({k: (tuple(tuple(f) for f in sig), h) for k, (sig, h) in stored.items()})
    except (OSError, ValueError, TypeError):
        pass


def _save_cache(path: Path) -> None:
    incoming = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        incoming.write_text(json.dumps(_CACHE, separators=(",", ":")))
        os.replace(incoming, path)
    except OSError:
        # Only a speed-up: on a full disk or a read-only warehouse folder the next
        # scan hashes again; whatever really needs the disk reports the error itself.
        with contextlib.suppress(OSError):  # a read-only folder cannot hold the partial file either
            incoming.unlink(missing_ok=True)


def tree_hash(hashes: dict[str, str]) -> str:
    """One hash of a whole scan: the run key of a batch of changes."""
    return hashlib.sha256("".join(f"{k}={v}\n" for k, v in sorted(hashes.items())).encode()).hexdigest()[:16]


def pipeline_hash() -> str:
    digest = hashlib.sha256()
    for part in PIPELINE_PARTS:
        root = PROJECT_ROOT / part
        files = (
            [root]
            if root.is_file()
            else sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        )
        for path in files:
            digest.update(str(path.relative_to(PROJECT_ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def diff(old: dict[str, str], new: dict[str, str]) -> dict[str, list[str]]:
    """Packages added, changed and removed between two scans."""
    return {
        "added": sorted(set(new) - set(old)),
        "changed": sorted(k for k in set(new) & set(old) if new[k] != old[k]),
        "removed": sorted(set(old) - set(new)),
    }
