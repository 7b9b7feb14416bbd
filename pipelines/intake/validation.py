"""Validating report packages: every problem collected, each naming report, file,
line, column, value, rule and a hint.

Data decisions:
- Cells are read and typed per file (pipelines.intake.cells); then one Pandera pass
  per table kind checks the rows of all packages at once, lazily, so every
  failing row is listed and 10,000 packages cost 12 schema runs, not 120,000.
- Keys are unique within a report (the schemas key on report_id too).
- A package with any problem is left out as a whole: no partial report is
  ever loaded. Other packages are not affected.
- Package rules (pipelines.intake.package_rules: dates, segment totals, shares,
  magnitudes, sizing domains) run on packages whose rows passed the schemas,
  so they see well-typed values; a package's schema problems come first.
- A package's source.txt and line refs are checked with its files
  (pipelines.intake.source_check); every numeric cell of a valid package is then
  looked up in its source (Validated.verification), and the lines of its source
  kept (Validated.source_lines), and every number printed in it given a coverage
  status (Validated.coverage, pipelines.intake.coverage). None is a problem: a value
  not found, or a number not transcribed, is a finding.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipelines.intake.cells import parse_cells
from pipelines.intake.coverage import coverage_frame
from pipelines.intake.csvfiles import read_table
from pipelines.intake.package_rules import check_packages
from pipelines.intake.packages import (
    ALL_FILES,
    REPORT_COLUMNS,
    REPORT_FILE,
    SOURCE_FILE,
    Package,
    check_files,
    discover,
    read_meta,
)
from pipelines.intake.problems import EMPTY_RULE, HEADER, KEYS, VALUES, Problem
from pipelines.intake.schemas import ROW_CHECK_COLUMNS, SCHEMAS, SchemaErrors, rule_hint, rule_name
from pipelines.intake.source_check import read_source, ref_problems, source_lines_frame, verification_frame
from pipelines.intake.tables import RAW_TABLES, TABLES_BY_NAME

CHECK_RULES = {  # Pandera's built-in check names, in words
    "not_nullable": EMPTY_RULE,
    "multiple_fields_uniqueness": "duplicates another row's key within this report",
    "column_in_dataframe": "required column is missing from the header",
}
CHECK_HINTS = {
    "not_nullable": "fill in the cell (docs/raw-format.md)",
    "multiple_fields_uniqueness": "keep one row per key, or mark revisions in another report",
}
CHECK_FAMILIES = {"multiple_fields_uniqueness": KEYS, "column_in_dataframe": HEADER}


@dataclass
class Validated:
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: dict[str, list[Problem]] = field(default_factory=dict)
    files: list[dict] = field(default_factory=list)
    verification: pd.DataFrame = field(default_factory=pd.DataFrame)
    source_lines: pd.DataFrame = field(default_factory=pd.DataFrame)
    coverage: pd.DataFrame = field(default_factory=pd.DataFrame)


def validate_packages(packages: list[Package], raw_dir: Path) -> Validated:
    """Read and check packages; frames hold only the rows of packages without problems."""
    problems: dict[str, list[Problem]] = defaultdict(list)
    records: dict[str, list[dict]] = defaultdict(list)
    result = Validated()
    sources = {}
    for package in packages:
        found, blocked = check_files(package, raw_dir)
        if blocked != ALL_FILES:
            if REPORT_FILE not in blocked and (package.path / REPORT_FILE).is_file():
                found += read_meta(package)
            source = None
            if SOURCE_FILE not in blocked:
                source, source_problems = read_source(package)
                found += source_problems
            sources[package.report_id] = source
            for spec in RAW_TABLES:
                if spec.file_name in blocked:
                    continue
                table, read_problems = read_table(package.file(spec.file_name), spec)
                found += read_problems
                if table is None:
                    continue
                rows, cell_problems = parse_cells(table, package.report_id)
                found += cell_problems + ref_problems(table.file, package.report_id, rows, source)
                records[spec.name] += [{"report_id": package.report_id, **row} for row in rows]
                result.files.append(
                    {
                        "report_id": package.report_id,
                        "file": spec.file_name,
                        "encoding": table.encoding,
                        "rows": len(rows),
                        "normalisations": table.describe_notes(),
                    }
                )
        problems[package.report_id] += found
    skip = {(p.report_id, p.line, p.column) for found in problems.values() for p in found}
    for spec in RAW_TABLES:
        frame = pd.DataFrame(
            records[spec.name],
            columns=["report_id", *spec.columns, "line"]
            + [f"{c}_{suffix}" for c in spec.numbers for suffix in ("precision", "text")],
        )
        for problem in _schema_problems(frame, spec, skip):
            problems[problem.report_id].append(problem)
        result.frames[spec.name] = frame
    clean = {p.report_id: p.meta for p in packages if not problems[p.report_id]}
    rows = {name: frame[frame["report_id"].isin(list(clean))] for name, frame in result.frames.items()}
    for problem in check_packages(clean, rows, TABLES_BY_NAME):
        problems[problem.report_id].append(problem)
    result.problems = {p.report_id: sorted(problems[p.report_id]) for p in packages}
    good = {r for r, found in result.problems.items() if not found}
    mine = {r: sources.get(r) for r in good}
    result.verification = verification_frame(
        {name: frame[frame["report_id"].isin(good)] for name, frame in result.frames.items()}, mine
    )
    result.source_lines = source_lines_frame([p for p in packages if p.report_id in good], mine)
    result.coverage = coverage_frame(
        [p for p in packages if p.report_id in good],
        mine,
        result.verification,
        {name: frame[frame["report_id"].isin(good)] for name, frame in result.frames.items()},
    )
    for name, frame in result.frames.items():
        result.frames[name] = frame[frame["report_id"].isin(good)][list(TABLES_BY_NAME[name].loaded_columns)]
    result.frames["reports"] = pd.DataFrame(
        [{"report_id": p.report_id, **p.meta} for p in packages if p.report_id in good],
        columns=list(REPORT_COLUMNS),
        dtype="object",
    )
    return result


def _schema_problems(frame: pd.DataFrame, spec, skip: set) -> list[Problem]:
    if frame.empty:
        return []
    typed = frame.astype({c: "object" for c in spec.columns if c not in (*spec.numbers, *spec.integers)})
    typed = typed.astype(dict.fromkeys(spec.numbers, float) | dict.fromkeys(spec.integers, "Int64"))
    try:
        SCHEMAS[spec.name].validate(typed[["report_id", *spec.columns]], lazy=True)
    except SchemaErrors as errors:
        return _from_failures(errors.failure_cases, frame, spec, skip)
    return []


def _from_failures(failures: pd.DataFrame, frame: pd.DataFrame, spec, skip: set) -> list[Problem]:
    """One problem per row and Pandera check; a check over several columns names them all.
    Cells already reported as unreadable (now missing) are not reported again as empty."""
    problems = []
    failures = failures.assign(check=failures["check"].astype(str))
    for (index, check), group in failures.groupby(["index", "check"], dropna=False, sort=False):
        first = group.iloc[0]
        rule = rule_name(spec.name, first["schema_context"], first["column"], first["check_number"])
        keep = ROW_CHECK_COLUMNS.get(rule)
        group = group[group["column"].isin(keep)] if keep else group[group["column"] != "report_id"]
        columns = [str(c) for c in group["column"] if isinstance(c, str)]
        if pd.isna(index):
            continue  # frame-level failures are reported per row by the checks above
        report_id, line = frame.at[index, "report_id"], int(frame.at[index, "line"])
        # The value as written: numbers by their cell text, not the parsed float.
        values = [
            str(frame.at[index, f"{c}_text"]) if f"{c}_text" in frame.columns else "" if pd.isna(v) else str(v)
            for c, v in zip(group["column"], group["failure_case"], strict=True)
        ]
        if check == "not_nullable" and (report_id, line, columns[0]) in skip:
            continue
        problems.append(
            Problem(
                f"{report_id}/{spec.file_name}",
                line,
                "+".join(columns),
                " / ".join(values),
                CHECK_RULES.get(check, check),
                report_id,
                CHECK_FAMILIES.get(check, VALUES),
                CHECK_HINTS.get(check) or rule_hint(rule),
            )
        )
    return problems


@dataclass
class Checked:
    """Packages and what validating them found (for `cloudfacts check` and tests); nothing is loaded."""

    packages: list[Package]
    validated: Validated

    @property
    def all_problems(self) -> list[Problem]:
        return sorted(p for group in self.validated.problems.values() for p in group)

    @property
    def frames(self) -> dict[str, pd.DataFrame]:
        return self.validated.frames


def validate_raw_dir(raw_dir: Path) -> Checked:
    """Validate every package of raw_dir, as `cloudfacts check` does; nothing is written."""
    packages = discover(raw_dir)
    return Checked(packages, validate_packages(packages, raw_dir))
