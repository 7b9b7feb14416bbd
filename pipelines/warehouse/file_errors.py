"""One line for a file operation that failed: a full disk, a read-only folder, a path under a file.

Data decisions:
- The reason comes first, in the words users search for ("no space left on
  device"), then the path, then what it means for the warehouse; never a
  traceback.
- DuckDB reports a full disk as an IO Error naming the file; that text is read
  for the same reasons, so a full disk in DuckDB and in Python read alike.
- A path under a file (ENOTDIR) names the file that is in the way, found by
  walking up the path, not the folder that could not be made.
- A full disk also says how much is free where the file was being written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
from pathlib import Path

REASONS = {
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENOTDIR: "not a directory",
    errno.ENOENT: "no such file or directory",
    errno.EISDIR: "is a directory",
}
# DuckDB's IO Error texts (the strerror it appends) that are read from DuckDB's and dbt's messages;
# "No such file or directory" and the like are left to their own, more specific, messages.
DUCKDB_TEXT = {os.strerror(code): code for code in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES)}
QUOTED_PATH = re.compile(r'"(/[^"]+)"')


def _blocking_file(path: Path) -> Path | None:
    """The nearest ancestor of path that exists and is not a folder."""
    for parent in [path, *path.parents]:
        if parent.exists():
            return None if parent.is_dir() else parent
    return None


def _free(path: Path, needed: int | None) -> str:
    wanted = f", {needed / 2**20:.1f} MB needed" if needed else ""
    for folder in [path, *path.parents]:
        if folder.is_dir():
            return f"{shutil.disk_usage(folder).free / 2**20:.1f} MB free in {folder}{wanted}"
    return "free space unknown"


def explain(error: BaseException, path: Path | str | None = None, needed: int | None = None) -> str | None:
    """`<reason>: <path>[ (detail)]` for a known file error, else None."""
    code = getattr(error, "errno", None)
    where = getattr(error, "filename", None) or path
    if code not in REASONS:  # DuckDB's or dbt's text: the first line naming a known reason
        found = [(line, c) for line in str(error).splitlines() for s, c in DUCKDB_TEXT.items() if s in line]
        if not found:
            return None
        line, code = found[0]
        quoted = QUOTED_PATH.search(line)
        where = quoted.group(1) if quoted else path
    where = Path(where) if where else None
    line = f"{REASONS[code]}: {where}" if where else REASONS[code]
    if code in (errno.ENOSPC, errno.EDQUOT) and where:
        line += f" ({_free(where.parent, needed)})"
    elif code == errno.ENOTDIR and where and (blocking := _blocking_file(where)):
        line += f" ({blocking} is a file, not a folder)"
    return line


def is_described(text: str) -> bool:
    """Whether text is a line made by explain()."""
    return text.startswith(tuple(REASONS.values()))


def path_problem(path: Path) -> str | None:
    """A line when a file stands where a folder of path should be (e.g. /etc/passwd/x.duckdb)."""
    blocking = _blocking_file(path.parent)
    return f"not a directory: {path} ({blocking} is a file, not a folder)" if blocking else None


def remove_quietly(*paths: Path) -> None:
    """Remove partial files after a failure; a failure to remove must not hide the first error."""
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
