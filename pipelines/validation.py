"""Validating report packages: every problem collected, each naming file, line,
column, value and rule.

Data decisions:
- Numbers are parsed first; a non-empty cell that is not a plain number
  (thousands separators included) is one problem, and the schema then treats it
  as missing so it is not reported twice.
- The Pandera schema runs lazily, per file, so a report's keys are unique
  within the report and every failing row of every file is listed.
- Nothing is loaded when any problem exists: no partial data is published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from pipelines.packages import Package, discover, read_meta, read_table, unknown_files
from pipelines.problems import HEADER, KEYS, VALUES, Problem
from pipelines.schemas import ROW_CHECK_COLUMNS, SCHEMAS, SchemaErrors
from pipelines.tables import RAW_TABLES, TableSpec

NUMBER_RULE = "must be a plain number (e.g. 1234.5, -2.4, 3.14e11; no thousands separators)"
INTEGER_RULE = "must be a whole number"
CHECK_RULES = {  # Pandera's built-in check names, in words
    "not_nullable": "must not be empty",
    "multiple_fields_uniqueness": "duplicates another row's key within this report",
    "column_in_dataframe": "required column is missing from the header",
}
CHECK_FAMILIES = {"multiple_fields_uniqueness": KEYS, "column_in_dataframe": HEADER}


@dataclass
class Loaded:
    packages: list[Package] = field(default_factory=list)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: dict[str, list[Problem]] = field(default_factory=dict)

    @property
    def all_problems(self) -> list[Problem]:
        return sorted(p for group in self.problems.values() for p in group)


def _parse_numbers(frame: pd.DataFrame, spec: TableSpec, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    problems = []
    for column in (*spec.numbers, *spec.integers):
        text = frame[column]
        parsed = pd.to_numeric(text, errors="coerce")
        rule = NUMBER_RULE
        if column in spec.integers:
            fractional = parsed.notna() & (parsed % 1 != 0)
            parsed = parsed.mask(fractional)
            rule = INTEGER_RULE
        for line in text.index[text.notna() & parsed.isna()]:
            problems.append(Problem(file, int(line), column, str(text[line]), rule, frame.at[line, "report_id"]))
        if column in spec.numbers:
            frame[f"{column}_precision"] = text.where(parsed.notna()).map(printed_precision)
        frame[column] = parsed.astype("Int64") if column in spec.integers else parsed.astype(float)
    return frame, problems


def printed_precision(text) -> float:
    """The resolution a number was printed with: "280.8" -> 0.1, "3.14e11" -> 1e9."""
    if not isinstance(text, str):
        return float("nan")
    return float(Decimal(1).scaleb(Decimal(text).as_tuple().exponent))


def _from_failures(failures: pd.DataFrame, file: str, report_id: str, skip: set) -> list[Problem]:
    """One problem per line and Pandera check; a check over several columns names them all."""
    problems = []
    failures = failures.assign(check=failures["check"].astype(str))
    for (line, check), group in failures.groupby(["index", "check"], dropna=False, sort=False):
        keep = ROW_CHECK_COLUMNS.get(check)
        group = group[group["column"].isin(keep)] if keep else group[group["column"] != "report_id"]
        columns = [str(c) for c in group["column"] if isinstance(c, str)]
        values = ["" if pd.isna(v) else str(v) for v in group["failure_case"]]
        line_no = 1 if pd.isna(line) else int(line)
        if check == "column_in_dataframe":  # Pandera puts the missing column's name in failure_case
            columns, values = values, [""]
        if check == "not_nullable" and (line_no, columns[0]) in skip:
            continue
        problems.append(Problem(file, line_no, "+".join(columns), " / ".join(values), CHECK_RULES.get(check, check),
                                report_id, CHECK_FAMILIES.get(check, VALUES)))
    return problems


def validate_table(package: Package, spec: TableSpec) -> tuple[pd.DataFrame | None, list[Problem]]:
    frame, problems = read_table(package, spec)
    if frame is None:
        return None, problems
    file = package.rel(spec.file_name)
    frame, parse_problems = _parse_numbers(frame, spec, file)
    problems += parse_problems
    skip = {(p.line, p.column) for p in problems}
    try:
        frame = SCHEMAS[spec.name].validate(frame, lazy=True)
    except SchemaErrors as errors:
        problems += _from_failures(errors.failure_cases, file, package.report_id, skip)
    return (None if problems else frame), problems


def collect_table(packages: list[Package], spec: TableSpec) -> tuple[pd.DataFrame, list[Problem]]:
    """One raw table from every package, and every problem found in it."""
    frames, problems = [], []
    for package in packages:
        frame, found = validate_table(package, spec)
        problems += found
        if frame is not None:
            frames.append(frame.reset_index())
    columns = list(spec.loaded_columns)
    frame = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    return frame, problems


def collect_reports(packages: list[Package]) -> tuple[pd.DataFrame, list[Problem]]:
    """One row per package from report.yaml, and the problems of the packages themselves."""
    problems = [p for package in packages for p in read_meta(package) + unknown_files(package)]
    frame = pd.DataFrame([{"report_id": p.report_id, **p.meta} for p in packages]).astype("object")
    return frame, problems


def load(raw_dir: Path, tables: tuple[TableSpec, ...] = RAW_TABLES) -> Loaded:
    """Read and validate every package under raw_dir."""
    loaded = Loaded(packages=discover(raw_dir))
    loaded.frames["reports"], loaded.problems["reports"] = collect_reports(loaded.packages)
    for spec in tables:
        loaded.frames[spec.name], loaded.problems[spec.name] = collect_table(loaded.packages, spec)
    return loaded
