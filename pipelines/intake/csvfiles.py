"""Reading one table of a package: decoded text to rows of cells, indexed by CSV line.

Data decisions:
- CRLF and LF line ends, a BOM, blank lines and spaces around cells are accepted
  and recorded as normalisations of the file; so are full-width forms in
  every column except free text (credited_source, ref, note), where Chinese
  punctuation is meant.
- Every documented column must be in the header (`note` may be left out);
  extra columns are allowed and not loaded.
- A row with the wrong number of fields is one problem and is left out, so the
  rest of the file is still checked. A file without data rows is an error, and
  so is broken quoting or a repeated header column.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from pipelines.intake.normalise import fold_width
from pipelines.intake.packages import Package, read_text
from pipelines.intake.problems import HEADER, Problem
from pipelines.intake.tables import OMITTABLE_COLUMNS, TableSpec

FREE_TEXT = ("credited_source", "ref", "note")
QUOTING_HINT = "quote cells that contain commas, quotes or line breaks, and double quotes inside them"


@dataclass
class Table:
    spec: TableSpec
    file: str
    encoding: str
    columns: list[str]
    rows: list[list[str | None]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    notes: Counter = field(default_factory=Counter)

    def describe_notes(self) -> str:
        return "; ".join(f"{name} x{n}" if n > 1 else name for name, n in sorted(self.notes.items()))


def read_table(package: Package, spec: TableSpec) -> tuple[Table | None, list[Problem]]:
    if not (package.path / spec.file_name).exists():
        return None, []
    text, encoding, problems = read_text(package, spec.file_name)
    if text is None:
        return None, problems
    file = package.rel(spec.file_name)
    table = Table(spec, file, encoding, list(spec.columns))
    if encoding != "utf-8":
        table.notes[f"encoding {encoding}"] += 1
    if "\r\n" in text:
        table.notes["CRLF line ends"] += 1
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = list(reader)
    except csv.Error as error:
        return None, problems + [package.problem(spec.file_name, f"malformed CSV: {error}", QUOTING_HINT,
                                                 line=reader.line_num, check=HEADER)]
    header = [h.strip() for h in records[0]] if records else []
    missing = [c for c in spec.columns if c not in header and c not in OMITTABLE_COLUMNS]
    problems += [package.problem(spec.file_name, "required column is missing from the header",
                                 f"the header needs: {','.join(spec.columns)}", line=1, column=c, check=HEADER)
                 for c in missing]
    problems += [package.problem(spec.file_name, "column appears more than once in the header", "keep one of them",
                                 line=1, column=c, check=HEADER)
                 for c in sorted({c for c in header if c and header.count(c) > 1})]
    if missing or len(set(header)) < len(header):
        return None, problems
    positions = [header.index(c) if c in header else None for c in spec.columns]
    folded = {i for i, c in enumerate(spec.columns) if c not in FREE_TEXT}
    for line, row in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in row):
            table.notes["blank lines"] += 1
            continue
        if len(row) != len(header):
            problems.append(package.problem(spec.file_name, f"row has {len(row)} fields but the header has {len(header)}",
                                            QUOTING_HINT, line=line, value=",".join(row)[:200],
                                            check=HEADER))
            continue
        table.rows.append([_cell(row[p], i in folded, table.notes) if p is not None else None
                           for i, p in enumerate(positions)])
        table.lines.append(line)
    if not table.rows and not problems:
        problems.append(package.problem(spec.file_name, "table is empty", "add rows or delete the file", line=1,
                                        check=HEADER))
    return (table if table.rows else None), problems


def _cell(text: str, fold: bool, notes: Counter) -> str | None:
    cell = text.strip()
    if cell != text:
        notes["spaces trimmed"] += 1
    if fold and not cell.isascii():
        wide = fold_width(cell)
        if wide != cell:
            notes["full-width forms"] += 1
            cell = wide.strip()
    return cell or None
