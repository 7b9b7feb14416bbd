"""A package's source text: reading source.txt, the line refs that point into it, and the status of every numeric cell.

Data decisions:
- source.txt is read like every package file (pipelines.intake.encodings) and
  split on line feeds only, so its lines are numbered as editors, `sed -n` and
  `grep -n` number them; a CR before the line feed is dropped, and a final
  line feed ends the last line rather than starting an empty one.
- A package without source.txt is valid: its cells get `no_source`. An empty
  source.txt is a problem, as are a line ref that breaks the grammar
  (pipelines.intake.line_refs) and a line ref or no_fact_lines span past the
  end of source.txt: each quarantines the package like any other problem.
- Every numeric cell with a value (TableSpec.numbers) gets one row of
  raw.source_verification; integers (year, rank) are keys, not figures.
  `is_value` marks the row's figure (the first number column: value, spend,
  revenue, share_pct) as against its stated growth; fct_metric.source_check
  is the status of the figure.
- `derived` holds why a value is not printed as is; it exempts the row's
  figure, or another number column when it starts with that column's name
  and a colon (`stated_yoy_pct: computed from ...`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.intake.csvfiles import read_text
from pipelines.intake.encodings import BINARY_RULE
from pipelines.intake.line_refs import LineSpan, parse_ref
from pipelines.intake.origin import NO_FACT_LINES
from pipelines.intake.packages import REPORT_FILE, REPORT_ID_RE, SOURCE_FILE, Package, discover
from pipelines.intake.problems import VALUES, Problem, Rejected
from pipelines.intake.tables import RAW_TABLES, TableSpec
from pipelines.intake.verification import (
    CLOSEST_PREFIX,
    DERIVED_COLUMN,
    DERIVED_PREFIX,
    EXEMPT,
    NO_SOURCE,
    NOT_FOUND,
    CellCheck,
    SourceLines,
    check_cell,
)

if TYPE_CHECKING:  # pandas is imported where frames are built, not with the code location
    import pandas as pd

SOURCE_LINE_COLUMNS = ("report_id", "line", "text", "no_fact_reason")
VERIFICATION_COLUMNS = (
    "report_id",
    "source_table",
    "source_line",
    "column_name",
    "value_as_written",
    "ref",
    "source_check",
    "matched_text",
    "matched_line",
    "hint",
    "is_value",
)  # Validated.verification also holds source_excerpt, the line's text, for `cloudfacts check`
SOURCE_TABLES = {  # the raw tables computed from a package's source.txt, and what they hold
    "source_lines": "Every line of every package's source.txt, and why it holds no facts when report.yaml says so.",
    "source_verification": "Every numeric cell of every package with its source_check status against the line(s) its ref names.",
    "source_coverage": "Every number printed in every package's source.txt, transcribed by a row, untranscribed, or skipped with a reason.",
}
CONTROL_HINT = "save the extraction as plain UTF-8 text without form feeds (pdftotext -nopgbrk)"
NO_SOURCE_CHECK = CellCheck(NO_SOURCE)
SOURCE_CHECK = "source_verified"  # the check family of a not_found finding (pipelines.defs.source_checks)
EXCERPT_CHARS = 80
PAST_END_HINT = "compare the line numbers with source.txt (grep -n)"


def packages_with_source(raw_dir: Path) -> list[str]:
    """The report ids of raw_dir's packages that carry a source.txt and a valid name, in name order."""
    if not raw_dir.is_dir():
        return []
    found = [p for p in discover(raw_dir) if REPORT_ID_RE.match(p.report_id)]
    return [p.report_id for p in found if (p.path / SOURCE_FILE).is_file()]


def read_source(package: Package) -> tuple[SourceLines | None, list[Problem]]:
    """The lines of the package's source.txt (None when it has none), and the problems reading it."""
    file = package.file(SOURCE_FILE)
    if not file.path.is_file():
        return None, []
    text, _, problems = read_text(file)
    if text is None:
        return None, [Problem(p.file, p.line, p.column, p.value, p.rule, p.report_id, p.check,
                              CONTROL_HINT if p.rule == BINARY_RULE else p.hint) for p in problems]  # fmt: skip
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if text.endswith("\n"):
        lines.pop()
    if not text.strip():
        return None, [file.problem("source.txt is empty", "copy the report's text into it, or delete the file")]
    problems = [
        package.problem(
            REPORT_FILE,
            f"L{span.last} is past the end of source.txt ({len(lines)} lines)",
            PAST_END_HINT,
            line=package.meta_lines.get(NO_FACT_LINES, 0),
            column=NO_FACT_LINES,
            value=f"L{span.first}-{span.last}",
        )
        for span in package.no_fact_lines
        if span.last > len(lines)
    ]
    source = SourceLines(lines)
    problems += [
        package.problem(
            REPORT_FILE,
            f"{number} is not a number printed on {LineSpan(span.first, span.last)} of source.txt",
            "write the number as printed (cloudfacts coverage lists them), e.g. numbers: ['365']",
            line=package.meta_lines.get(NO_FACT_LINES, 0),
            column=NO_FACT_LINES,
            value=number,
        )
        for span in package.no_fact_lines
        if span.numbers and span.last <= len(lines)
        for number in span.numbers
        if not any(n.text == number for line in range(span.first, span.last + 1) for n in source.numbers(line))
    ]
    return source, problems


def ref_problems(file: str, report_id: str, rows: list[dict], source: SourceLines | None) -> list[Problem]:
    """Line refs that break the grammar, or point past the end of source.txt."""
    problems = []
    for row in rows:
        try:
            spans = parse_ref(row.get("ref"))
        except Rejected as error:
            problems.append(Problem(file, row["line"], "ref", error.value, error.rule, report_id, VALUES, error.hint))
            continue
        for span in spans:
            if source is not None and span.last > len(source):
                rule = f"L{span.last} is past the end of source.txt ({len(source)} lines)"
                problems.append(Problem(file, row["line"], "ref", str(span), rule, report_id, VALUES, PAST_END_HINT))
    return problems


def source_lines_frame(packages: list[Package], sources: dict[str, SourceLines | None]) -> pd.DataFrame:
    """raw.source_lines: every line of every source, and the reason it holds no facts, if declared."""
    import pandas as pd

    records = []
    for package in packages:
        source = sources.get(package.report_id)
        if source is None:
            continue
        reasons: dict[int, str] = {}
        for span in package.no_fact_lines:
            for line in range(span.first, span.last + 1) if not span.numbers else ():
                reasons.setdefault(line, span.reason)
        records += [(package.report_id, n, text, reasons.get(n)) for n, text in enumerate(source.lines, 1)]
    return pd.DataFrame(records, columns=list(SOURCE_LINE_COLUMNS))


def verification_frame(frames: dict[str, pd.DataFrame], sources: dict[str, SourceLines | None]) -> pd.DataFrame:
    """raw.source_verification: one row per numeric cell with a value, in the tables' frames."""
    import pandas as pd

    parts = [_table_rows(spec, frames[spec.name], sources) for spec in RAW_TABLES if len(frames[spec.name])]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(VERIFICATION_COLUMNS))


def _table_rows(spec: TableSpec, frame: pd.DataFrame, sources: dict[str, SourceLines | None]) -> pd.DataFrame:
    import pandas as pd

    parts = []
    units = frame["unit"] if "unit" in frame else pd.Series(None, index=frame.index, dtype="object")
    for column in spec.numbers:
        cells = frame[frame[f"{column}_text"].notna()]
        checks = []
        for report_id, value, unit, ref, derived in zip(
            cells["report_id"], cells[column], units[cells.index], cells["ref"], cells[DERIVED_COLUMN], strict=True
        ):
            reason = _derived_reason(derived, column, spec)
            source = sources.get(report_id)
            if source is None:  # no source.txt: no ref is read, so no_source costs no parsing
                checks.append(CellCheck(EXEMPT, DERIVED_PREFIX + reason) if reason else NO_SOURCE_CHECK)
            else:
                checks.append(check_cell(float(value), unit, parse_ref(ref), source, reason))
        parts.append(
            pd.DataFrame(
                {
                    "report_id": cells["report_id"],
                    "source_table": spec.name,
                    "source_line": cells["line"],
                    "column_name": column,
                    "value_as_written": cells[f"{column}_text"],
                    "ref": cells["ref"],
                    "source_check": [c.status for c in checks],
                    "matched_text": [c.matched_text for c in checks],
                    "matched_line": pd.array([c.matched_line for c in checks], dtype="Int64"),
                    "source_excerpt": [c.excerpt for c in checks],
                    "hint": [c.hint for c in checks],
                    "is_value": column == spec.numbers[0],
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _derived_reason(text: object, column: str, spec: TableSpec) -> str | None:
    """The reason `derived` gives for this column's value, if it exempts it."""
    if not isinstance(text, str) or not text.strip():
        return None
    named, colon, reason = text.partition(":")
    if colon and named.strip() in spec.numbers:
        return reason.strip() if named.strip() == column else None
    return text.strip() if column == spec.numbers[0] else None


def not_found_findings(verification: pd.DataFrame) -> list[Problem]:
    """Each cell not found on its source line, as one printable line with the line's text and a hint."""
    missing = verification[verification["source_check"] == NOT_FOUND]
    return sorted(
        Problem(
            f"{row.report_id}/{row.source_table}.csv",
            int(row.source_line),
            row.column_name,
            row.value_as_written,
            f"not printed on the source line its ref names ({row.ref}); L{row.matched_line}: "
            + _around(row.source_excerpt or "", row.hint),
            row.report_id,
            SOURCE_CHECK,
            row.hint,
        )
        for row in missing.itertuples()
    )


def _around(text: str, hint: str) -> str:
    """The line's text, cut to EXCERPT_CHARS around the number the hint names."""
    if len(text) <= EXCERPT_CHARS:
        return text
    named = hint.removeprefix(CLOSEST_PREFIX).split(";")[0] if hint.startswith(CLOSEST_PREFIX) else ""
    middle = max(text.find(named), 0) if named else 0
    start = min(max(middle - EXCERPT_CHARS // 2, 0), len(text) - EXCERPT_CHARS)
    end = start + EXCERPT_CHARS
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
