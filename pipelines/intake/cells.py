"""Typed cells of a table: numbers, whole numbers and periods read as analysts write them.

Data decisions:
- Plain ASCII numbers take a fast path; anything else goes through
  pipelines.intake.normalise.parse_number, which accepts only unambiguous forms
  (full-width, thousands separators, % in a percent column, a scale word
  the unit repeats, a qualifier word) and records each normalisation.
- A column is a percent column when its name ends in `_pct` or, for `value`,
  when the row's unit is `percent`.
- A qualifier word (约, 超过, 以上, 余) fills an empty qualifier cell; it must
  not contradict one that is filled in.
- The printed precision ("280.8" -> 0.1) is kept beside each number, so
  reconciliation knows how exactly the source printed it.
- A decimal comma is refused in a file that also uses thousands separators.
- A rejected cell becomes missing, so the schema does not report it twice.
"""

from __future__ import annotations

import re
from decimal import Decimal

from pipelines.intake import vocabulary
from pipelines.intake.normalise import check_decimal_marks, check_year, parse_number, parse_period
from pipelines.intake.problems import Problem, Rejected
from pipelines.intake.tables import Table

# The fast path: short, exponent-free ASCII decimals, which float() reads exactly and cannot overflow.
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]*)?")
PLAIN_MAX = 20
QUALIFIER_COLUMN, VALUE_COLUMN = "qualifier", "value"
DECIMAL_HINT = "use '.' as the decimal mark when the file uses ',' between thousands"


def printed_precision(text: str) -> float:
    """The resolution a number was printed with: "280.8" -> 0.1, "3.14e11" -> 1e9."""
    return float(Decimal(1).scaleb(Decimal(text).as_tuple().exponent))


def _is_percent(column: str, unit: str | None) -> bool:
    if column.endswith("_pct"):
        return True
    found = vocabulary.units().get((unit or "").strip())
    return column == "value" and found is not None and found.unit == "percent"


def parse_cells(table: Table, report_id: str) -> tuple[list[dict], list[Problem]]:
    """Rows as dicts of typed values (plus <number>_precision and line), and the problems found."""
    spec, problems, parsed = table.spec, [], []
    comma_cells = []

    def reject(line, column, value, error: Rejected):
        problems.append(Problem(table.file, line, column, value, error.rule, report_id, hint=error.hint))

    for row, line in zip(table.rows, table.lines, strict=True):
        record = dict(zip(table.columns, row, strict=True))
        for column in spec.numbers:
            text = record[column]
            record[f"{column}_precision"], record[f"{column}_text"] = None, text
            if text is None:
                continue
            if len(text) <= PLAIN_MAX and PLAIN_NUMBER.fullmatch(text):
                record[column], record[f"{column}_precision"] = float(text), printed_precision(text)
                continue
            try:
                number = parse_number(text, unit=record.get("unit"), percent=_is_percent(column, record.get("unit")))
            except Rejected as error:
                reject(line, column, text, error)
                record[column] = None
                continue
            table.notes.update(number.notes)
            record[column], record[f"{column}_precision"] = number.value, printed_precision(number.text)
            if number.decimal_comma or number.thousands:
                comma_cells.append((line, column, text, number))
            if number.qualifier:
                _move_qualifier(record, number.qualifier, line, column, text, table, report_id, problems)
        for column in spec.integers:
            _parse_integer(record, column, line, table, reject)
        if record.get("period"):
            try:
                record["period"] = parse_period(record["period"])
            except Rejected as error:
                reject(line, "period", record["period"], error)
                record["period"] = None
        record["line"] = line
        parsed.append(record)
    rule = check_decimal_marks([n for *_, n in comma_cells])
    if rule:
        for line, column, text, number in comma_cells:
            if number.decimal_comma:
                problems.append(Problem(table.file, line, column, text, rule, report_id, hint=DECIMAL_HINT))
    return parsed, problems


def _parse_integer(record: dict, column: str, line: int, table: Table, reject) -> None:
    text = record[column]
    if text is None:
        return
    try:
        number = float(text) if len(text) <= PLAIN_MAX and PLAIN_NUMBER.fullmatch(text) else parse_number(text).value
        if number % 1:
            raise Rejected("must be a whole number", "write it without decimals", text)
        if column == "year":
            check_year(int(number))
        record[column] = int(number)
    except Rejected as error:
        reject(line, column, text, error)
        record[column] = None


def _move_qualifier(record, qualifier, line, column, text, table, report_id, problems) -> None:
    if QUALIFIER_COLUMN not in record or column != VALUE_COLUMN:
        problems.append(
            Problem(
                table.file,
                line,
                column,
                text,
                "a qualifier word is only read in a value column beside a qualifier column",
                report_id,
                hint="write the bare number and say 'approx' in the note",
            )
        )
        record[column] = None
    elif record[QUALIFIER_COLUMN] in (None, qualifier):
        record[QUALIFIER_COLUMN] = qualifier
    else:
        problems.append(
            Problem(
                table.file,
                line,
                column,
                text,
                f"the qualifier word means {qualifier} but the qualifier column says {record[QUALIFIER_COLUMN]}",
                report_id,
                hint=f"remove the word or set qualifier to {qualifier}",
            )
        )
        record[column] = None
