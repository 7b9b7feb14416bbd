"""Discovering and reading report packages: raw/<report_id>/report.yaml plus CSVs.

Data decisions:
- A package is a folder holding report.yaml; folders starting with `.` or `_`
  are ignored, so drafts can sit beside published packages.
- CSVs are read as text (UTF-8, optional BOM). Empty cells become missing values.
  The index of every frame is the line number in the file, so each problem
  names its line. Blank lines are skipped but still counted.
- Unknown CSV files in a package are reported, so a misspelt table name is
  never silently ignored.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from pipelines.problems import HEADER, Problem
from pipelines.tables import OMITTABLE_COLUMNS, TABLES_BY_NAME, TableSpec

REPORT_FILE = "report.yaml"
REPORT_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED_META = ("title", "publisher", "published", "language")
OPTIONAL_META = ("title_en", "publisher_en", "source_file", "url", "notes")
PUBLISHED_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")


@dataclass
class Package:
    report_id: str
    path: Path
    meta: dict = field(default_factory=dict)

    def rel(self, name: str) -> str:
        return f"{self.report_id}/{name}"


def discover(raw_dir: Path) -> list[Package]:
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw directory {raw_dir} does not exist")
    return [
        Package(p.parent.name, p.parent)
        for p in sorted(raw_dir.glob(f"*/{REPORT_FILE}"))
        if not p.parent.name.startswith((".", "_"))
    ]


def read_meta(package: Package) -> list[Problem]:
    """Load report.yaml into package.meta and return its problems."""
    file = package.rel(REPORT_FILE)
    problems = []
    if not REPORT_ID_RE.match(package.report_id):
        problems.append(Problem(file, 0, "report_id", package.report_id,
                                "folder name must be lowercase letters, digits and '-'", package.report_id))
    try:
        text = (package.path / REPORT_FILE).read_text(encoding="utf-8")
        meta = yaml.load(text, Loader=yaml.BaseLoader) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        line = getattr(getattr(error, "problem_mark", None), "line", -1) + 1
        return problems + [Problem(file, line, "", "", f"not valid UTF-8 YAML: {error}", package.report_id)]
    if not isinstance(meta, dict):
        return problems + [Problem(file, 1, "", "", "must be a mapping of key: value", package.report_id)]
    lines = {key: n for n, raw in enumerate(text.splitlines(), 1) for key in meta if raw.startswith(f"{key}:")}
    for key in REQUIRED_META:
        if not str(meta.get(key) or "").strip():
            problems.append(Problem(file, 0, key, "", "required key is missing or empty", package.report_id))
    published = str(meta.get("published") or "")
    if published and not PUBLISHED_RE.match(published):
        problems.append(Problem(file, lines.get("published", 0), "published", published,
                                "must be YYYY-MM-DD or YYYY-MM", package.report_id))
    package.meta = {key: meta.get(key) for key in (*REQUIRED_META, *OPTIONAL_META)}
    return problems


def unknown_files(package: Package) -> list[Problem]:
    return [
        Problem(package.rel(p.name), 0, "", p.name,
                f"not a known table; expected one of: {', '.join(sorted(TABLES_BY_NAME))}", package.report_id)
        for p in sorted(package.path.glob("*.csv"))
        if p.stem not in TABLES_BY_NAME
    ]


def read_table(package: Package, spec: TableSpec) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read one table of a package as text, indexed by line number.

    Malformed rows are reported and left out so the rest can still be checked."""
    path = package.path / spec.file_name
    if not path.exists():
        return None, []
    file = package.rel(spec.file_name)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except UnicodeDecodeError as error:
        return None, [Problem(file, 0, "", "", f"not UTF-8 text: {error}", package.report_id, HEADER)]
    header = [h.strip() for h in rows[0]] if rows else []
    missing = [c for c in spec.columns if c not in header and c not in OMITTABLE_COLUMNS]
    problems = [Problem(file, 1, c, "", "required column is missing from the header", package.report_id, HEADER)
                for c in missing]
    records, lines = [], []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(file, line, "", ",".join(row),
                                    f"row has {len(row)} fields but the header has {len(header)}", package.report_id, HEADER))
            continue
        records.append([cell.strip() or None for cell in row])
        lines.append(line)
    if missing:
        return None, problems
    frame = pd.DataFrame(records, columns=header, index=pd.Index(lines, name="line"), dtype="object")
    frame = frame.reindex(columns=list(spec.columns)).astype("object")
    frame.insert(0, "report_id", package.report_id)
    return frame, problems
