"""Reading the files of a package: bytes to text, and one table's text to rows of cells by CSV line.

Data decisions:
- A file is read whole and decoded by pipelines.intake.encodings (UTF-8, UTF-8
  with a BOM or GB18030); a file it cannot decode is one problem and is not parsed.
- A problem names the file as <report_id>/<file name> (PackageFile.label).
- CRLF and LF line ends, a BOM, blank lines and spaces around cells are accepted
  and recorded as normalisations of the file; so are full-width forms in
  every column except free text (credited_source, ref, note), where Chinese
  punctuation is meant.
- Every documented column must be in the header (`note` and `derived` may be left out);
  extra columns are allowed and not loaded.
- A row with the wrong number of fields is one problem and is left out, so the
  rest of the file is still checked. A file without data rows is an error, and
  so is broken quoting or a repeated header column.
- The index of every table is the CSV line number, so each problem names its
  line. Blank lines are skipped but still counted.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipelines.intake.encodings import decode
from pipelines.intake.normalise import fold_width
from pipelines.intake.problems import HEADER, PACKAGE, Problem, Rejected, is_empty
from pipelines.intake.tables import OMITTABLE_COLUMNS, Table, TableSpec

FREE_TEXT = ("credited_source", "ref", "note", "derived")
QUOTING_HINT = "quote cells that contain commas, quotes or line breaks, and double quotes inside them"


@dataclass(frozen=True)
class PackageFile:
    """One file of a report package: where it is, and how problems name it."""

    folder: Path
    report_id: str
    name: str

    @property
    def path(self) -> Path:
        return self.folder / self.name

    @property
    def label(self) -> str:
        return f"{self.report_id}/{self.name}"

    def problem(
        self, rule: str, hint: str = "", *, line: int = 0, column: str = "", value: str = "", check: str = PACKAGE
    ) -> Problem:
        return Problem(self.label, line, column, value, rule, self.report_id, check, hint)


def read_text(file: PackageFile) -> tuple[str | None, str, list[Problem]]:
    """A file's text and encoding, or the problem that stops it being read.
    pipelines.intake.packages.check_files has vetted the file (regular, inside raw/, within its size limit)."""
    try:
        text, encoding = decode(file.path.read_bytes())
    except Rejected as error:
        return None, "", [file.problem(error.rule, error.hint, value=error.value)]
    return text, encoding, []


def read_table(file: PackageFile, spec: TableSpec) -> tuple[Table | None, list[Problem]]:
    if not file.path.exists():
        return None, []
    text, encoding, problems = read_text(file)
    if text is None:
        return None, problems
    table = Table(spec, file.label, encoding, list(spec.columns))
    if encoding != "utf-8":
        table.notes[f"encoding {encoding}"] += 1
    if "\r\n" in text:
        table.notes["CRLF line ends"] += 1
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = list(reader)
    except csv.Error as error:
        return None, [
            *problems,
            file.problem(f"malformed CSV: {error}", QUOTING_HINT, line=reader.line_num, check=HEADER),
        ]
    header = [h.strip() for h in records[0]] if records else []
    missing = [c for c in spec.columns if c not in header and c not in OMITTABLE_COLUMNS]
    problems += [
        file.problem(
            "required column is missing from the header",
            f"the header needs: {','.join(spec.columns)}",
            line=1,
            column=c,
            check=HEADER,
        )
        for c in missing
    ]
    problems += [
        file.problem("column appears more than once in the header", "keep one of them", line=1, column=c, check=HEADER)
        for c in sorted({c for c in header if c and header.count(c) > 1})
    ]
    if missing or len(set(header)) < len(header):
        return None, problems
    positions = [header.index(c) if c in header else None for c in spec.columns]
    folded = {i for i, c in enumerate(spec.columns) if c not in FREE_TEXT}
    for line, row in enumerate(records[1:], start=2):
        if all(is_empty(cell) for cell in row):
            table.notes["blank lines"] += 1
            continue
        if len(row) != len(header):
            problems.append(
                file.problem(
                    f"row has {len(row)} fields but the header has {len(header)}",
                    QUOTING_HINT,
                    line=line,
                    value=",".join(row)[:200],
                    check=HEADER,
                )
            )
            continue
        table.rows.append(
            [_cell(row[p], i in folded, table.notes) if p is not None else None for i, p in enumerate(positions)]
        )
        table.lines.append(line)
    if not table.rows and not problems:
        problems.append(file.problem("table is empty", "add rows or delete the file", line=1, check=HEADER))
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
    return None if is_empty(cell) else cell
