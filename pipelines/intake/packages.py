"""Discovering and reading report packages: raw/<report_id>/report.yaml plus CSVs.

Data decisions:
- A package is every folder under raw/ not starting with `.` or `_` (drafts);
  one without report.yaml is an error, never silently skipped.
- Names in raw/ that are not UTF-8 (a GBK name from a zip made on Chinese
  Windows) are keyed by text_name, with \\xNN for each undecodable byte, so
  every name stored or printed is valid text; check_files rejects them.
- Files are checked against fixed limits (MAX_FILE_BYTES, MAX_FILES) before
  pipelines.intake.csvfiles reads them, so a huge file is rejected unread.
- A symlink may only point inside raw/; nothing read from a package is used to
  build a path outside it.
- report.yaml is read with PyYAML's BaseLoader: safe, and every value stays text.
  Values must be plain text, so no alias can expand into a huge structure.
- Files other than report.yaml, source.txt (the report's text, which line refs
  point into), the known tables and *.md notes are errors, so a misspelt table
  name is never silently ignored.
- Origin keys (url, accessed, citation, license) and no_fact_lines follow
  pipelines.intake.origin; no_fact_lines is the one key whose value is a list.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipelines.intake.csvfiles import PackageFile, read_text
from pipelines.intake.origin import NO_FACT_LINES, ORIGIN_KEYS, NoFactLines, check_accessed, read_no_fact_lines
from pipelines.intake.problems import PACKAGE, Problem, Rejected, is_empty
from pipelines.intake.tables import TABLES_BY_NAME

REPORT_FILE = "report.yaml"
SOURCE_FILE = "source.txt"
REPORT_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED_META = ("title", "publisher", "published", "language")
OPTIONAL_META = ("title_en", "publisher_en", "source_file", "url", "notes", *ORIGIN_KEYS)
REPORT_COLUMNS = ("report_id", *REQUIRED_META, *OPTIONAL_META)  # raw.reports: the folder name, then report.yaml
ALLOWED_META = (*REPORT_COLUMNS, NO_FACT_LINES)
PUBLISHED_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_META_BYTES = 256 * 1024
MAX_FILES = 64
NOTE_SUFFIX = ".md"
NOT_UTF8_HINT = "rename it in ASCII or UTF-8 (a zip made on Chinese Windows stores GBK names)"


@dataclass
class Package:
    report_id: str
    path: Path
    meta: dict = field(default_factory=dict)
    no_fact_lines: list[NoFactLines] = field(default_factory=list)
    meta_lines: dict[str, int] = field(default_factory=dict)  # the line of each key in report.yaml

    def file(self, name: str) -> PackageFile:
        return PackageFile(self.path, self.report_id, name)

    def problem(
        self,
        name: str,
        rule: str,
        hint: str = "",
        *,
        line: int = 0,
        column: str = "",
        value: str = "",
        check: str = PACKAGE,
    ) -> Problem:
        return self.file(name).problem(rule, hint, line=line, column=column, value=value, check=check)


def text_name(name: str) -> str:
    """A file name as valid text: bytes that are not UTF-8 become \\xNN."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def is_package_dir(entry: os.DirEntry) -> bool:
    # A symlinked folder counts too, so check_files can reject it if it leads outside raw/.
    return not entry.name.startswith((".", "_")) and entry.is_dir()


def package_dirs(raw_dir: Path) -> list[os.DirEntry]:
    """The package folders of raw_dir, in name order."""
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw directory {raw_dir} does not exist")
    return sorted((e for e in os.scandir(raw_dir) if is_package_dir(e)), key=lambda e: e.name)


def discover(raw_dir: Path) -> list[Package]:
    return [Package(text_name(entry.name), raw_dir / entry.name) for entry in package_dirs(raw_dir)]


def package_at(raw_dir: Path, report_id: str) -> Package:
    """The package a scan names report_id, including one whose folder name is not UTF-8."""
    path = raw_dir / report_id
    if not path.exists():
        path = next((raw_dir / n for n in os.listdir(raw_dir) if text_name(n) == report_id), path)
    return Package(report_id, path)


ALL_FILES = frozenset({"*"})  # check_files' answer when nothing in the package may be read


def check_files(package: Package, raw_dir: Path) -> tuple[list[Problem], frozenset[str]]:
    """Problems of the package as a whole (its name, links, file count, unknown files),
    and the names of files that must not be read (ALL_FILES: none may)."""
    problems, blocked = [], set()
    if text_name(package.path.name) != package.path.name:
        return [
            package.problem("", "folder name is not valid UTF-8", NOT_UTF8_HINT, value=package.report_id)
        ], ALL_FILES
    if not REPORT_ID_RE.match(package.report_id):
        problems.append(
            package.problem(
                REPORT_FILE,
                "folder name must be lowercase letters, digits and '-'",
                "rename the folder, e.g. 2024-05-idc-china-cloud",
                column="report_id",
                value=package.report_id,
            )
        )
    root = raw_dir.resolve()
    if not package.path.resolve().is_relative_to(root):
        return [
            *problems,
            package.problem(
                "",
                "symlink points outside raw/",
                "copy the package into raw/ instead of linking it",
                value=str(package.path.resolve()),
            ),
        ], ALL_FILES
    files = sorted(package.path.iterdir())
    for path in files:
        problem = _file_problem(package, path, root)
        if problem:
            problems.append(problem)
            blocked.add(path.name)
    if len(files) > MAX_FILES:
        return [
            *problems,
            package.problem(
                "",
                f"package holds {len(files)} files; at most {MAX_FILES} are allowed",
                "keep only report.yaml, the tables and notes in the folder",
            ),
        ], ALL_FILES
    if not (package.path / REPORT_FILE).is_file():
        problems.append(
            package.problem(
                REPORT_FILE, "report.yaml is missing", "every package needs report.yaml (docs/raw-format.md#reportyaml)"
            )
        )
    return problems, frozenset(blocked)


def _file_problem(package: Package, path: Path, root: Path) -> Problem | None:
    """What stops one file from being read: where it leads, what it is, its name, its size."""
    if text_name(path.name) != path.name:
        return package.problem(
            text_name(path.name), "file name is not valid UTF-8", NOT_UTF8_HINT, value=text_name(path.name)
        )
    if path.is_symlink() and not path.resolve().is_relative_to(root):
        return package.problem(
            path.name, "symlink points outside raw/", "copy the file into the package", value=str(path.resolve())
        )
    known = (
        path.name in (REPORT_FILE, SOURCE_FILE)
        or path.suffix == NOTE_SUFFIX
        or (path.suffix == ".csv" and path.stem in TABLES_BY_NAME)
    )
    if not known:
        return package.problem(
            path.name,
            "not a known table file",
            f"expected report.yaml, source.txt, *.md notes or one of: "
            f"{', '.join(f'{name}.csv' for name in sorted(TABLES_BY_NAME))}",
            value=path.name,
        )
    if not path.is_file():  # a folder, FIFO, socket or dangling link: never opened
        return package.problem(path.name, "not a regular file", "replace it with the file itself")
    size = path.stat().st_size
    limit = MAX_META_BYTES if path.name == REPORT_FILE else MAX_FILE_BYTES
    if size > limit:
        return package.problem(
            path.name, f"file is {_size(size)}; the limit is {_size(limit)}", "split the table across reports"
        )
    return None


def _size(n: int) -> str:
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{n / 2**10:.0f} KB"


def read_meta(package: Package) -> list[Problem]:
    """Load report.yaml into package.meta and return its problems."""
    text, _, problems = read_text(package.file(REPORT_FILE))
    if text is None:
        return problems
    try:
        meta = yaml.load(text, Loader=yaml.BaseLoader) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        rule = f"YAML syntax error: {getattr(error, 'problem', None) or error}"
        return [
            package.problem(
                REPORT_FILE,
                rule,
                "check indentation and quote values containing ': '",
                line=mark.line + 1 if mark else 0,
            )
        ]
    if not isinstance(meta, dict):
        return [
            package.problem(REPORT_FILE, "must be a mapping of key: value", "see docs/raw-format.md#reportyaml", line=1)
        ]
    lines = {key: n for n, raw in enumerate(text.splitlines(), 1) for key in ALLOWED_META if raw.startswith(f"{key}:")}
    package.meta_lines = lines
    for key, value in meta.items():
        if key not in ALLOWED_META:
            problems.append(
                package.problem(
                    REPORT_FILE, "unknown key", f"allowed keys: {', '.join(ALLOWED_META)}", column=str(key)[:40]
                )
            )
        elif key == NO_FACT_LINES:
            try:
                package.no_fact_lines = read_no_fact_lines(value)
            except Rejected as error:
                problems.append(
                    package.problem(
                        REPORT_FILE, error.rule, error.hint, line=lines.get(key, 0), column=key, value=error.value
                    )
                )
        elif not isinstance(value, str):
            problems.append(
                package.problem(
                    REPORT_FILE,
                    "must be plain text",
                    "write the value on one line or as a >- block",
                    line=lines.get(key, 0),
                    column=key,
                )
            )
    meta = {k: v for k, v in meta.items() if isinstance(v, str)}
    for key in REQUIRED_META:
        if is_empty(meta.get(key)):
            problems.append(
                package.problem(
                    REPORT_FILE,
                    "required key is missing or empty",
                    f"add `{key}:` (docs/raw-format.md#reportyaml)",
                    column=key,
                )
            )
    published = meta.get("published", "")
    if published and not PUBLISHED_RE.match(published):
        problems.append(
            package.problem(
                REPORT_FILE,
                "must be YYYY-MM-DD or YYYY-MM",
                "e.g. published: 2024-05-17",
                line=lines.get("published", 0),
                column="published",
                value=published,
            )
        )
    accessed = meta.get("accessed", "")
    if accessed:
        try:
            check_accessed(accessed)
        except Rejected as error:
            problems.append(
                package.problem(
                    REPORT_FILE,
                    error.rule,
                    error.hint,
                    line=lines.get("accessed", 0),
                    column="accessed",
                    value=accessed,
                )
            )
    stated = meta.get("report_id")
    if stated is not None and stated != package.report_id:
        problems.append(
            package.problem(
                REPORT_FILE,
                f"report_id does not match the folder name {package.report_id!r}",
                "rename the folder or fix report_id",
                line=lines.get("report_id", 0),
                column="report_id",
                value=stated,
            )
        )
    package.meta = {key: meta.get(key) for key in (*REQUIRED_META, *OPTIONAL_META)}
    return problems
