"""Printing a query result as a table, CSV or JSON, chunk by chunk, at most a given number of rows.

Data decisions:
- Rows are fetched from DuckDB's streaming result in chunks, never as one
  DataFrame, so memory holds one chunk whatever the result size. With a row
  limit N, CSV and JSON fetch at most N + 1 rows (the one extra says whether
  rows were cut); the table fetches whole DuckDB vectors of 2,048 rows, at
  most N + 2,048, and prints the first N with pandas as before.
- CSV is safe to open in a spreadsheet (OWASP CSV injection): a text cell or
  header starting with `=`, `+`, `-`, `@`, tab or carriage return gets a
  leading `'`, so Excel shows it as text instead of running it as a formula.
  Numbers (integer, float, decimal columns) are never altered, and neither is
  a text cell that is a plain number (`-3.5`, `+2`, `1e-3`): a spreadsheet
  reads it as that number, not as a formula. Dates, lists and other
  non-numeric values are treated as text.
- CSV follows RFC 4180 with "\n" line ends: a cell holding a comma, quote,
  CR or LF is quoted (the csv module leaves a lone CR unquoted, which readers
  take for a line break).
- NULL is an empty CSV cell and JSON null; the float values NaN, inf and -inf
  are written as the strings "NaN", "inf" and "-inf" in both, so they stay
  distinct from NULL (JSON has no literal for them).
- JSON is an array with one object per line; decimals become JSON numbers,
  dates and times ISO 8601 text, other values their text.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from decimal import Decimal

CHUNK_ROWS = 2048  # one DuckDB vector
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
QUOTE, CSV_SPECIAL = '"', (",", '"', "\r", "\n")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
SPECIAL_FLOATS = {math.inf: "inf", -math.inf: "-inf"}
NUMBER_TYPES = (int, float, Decimal)  # bool is an int
JSON_ROW = json.JSONEncoder(ensure_ascii=False, allow_nan=False)


class Limited:
    """Chunks of at most `limit` rows in all (0: no limit); `cut` says whether more rows were left."""

    def __init__(self, fetch, limit: int):
        self.fetch, self.limit, self.taken, self.cut = fetch, limit, 0, False

    def __iter__(self):
        while not self.limit or self.taken <= self.limit:
            chunk = self.fetch(CHUNK_ROWS if not self.limit else min(CHUNK_ROWS, self.limit + 1 - self.taken))
            if not len(chunk):
                return
            if self.limit and self.taken + len(chunk) > self.limit:
                self.cut = True
                chunk = chunk[: self.limit - self.taken]
            self.taken += len(chunk)
            if len(chunk):
                yield chunk
            if self.cut:
                return


def special_float(value: float) -> str | None:
    if math.isnan(value):
        return "NaN"
    return SPECIAL_FLOATS.get(value)


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return special_float(value) or repr(value)
    if isinstance(value, NUMBER_TYPES):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        text = "'" + text
    return f'"{text.replace(QUOTE, QUOTE * 2)}"' if any(c in text for c in CSV_SPECIAL) else text


def csv_line(row) -> str:
    cells = [csv_cell(value) for value in row]
    return (",".join(cells) if cells != [""] else '""') + "\n"  # a lone empty cell is not a blank line


def json_value(value):
    if isinstance(value, float):
        return special_float(value) or value
    if value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return str(value)


def _names(connection) -> list[str]:
    return [column[0] for column in connection.description]


def write_table(connection, out, limit: int) -> bool:
    import pandas as pd  # only the table needs it

    rows = Limited(lambda n: connection.fetch_df_chunk(max(1, -(-n // CHUNK_ROWS))), limit)
    frames = list(rows)
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=_names(connection))
    print(frame.to_string(index=False) if len(frame) else "(no rows)", file=out)
    return rows.cut


def write_csv(connection, out, limit: int) -> bool:
    out.write(csv_line(_names(connection)))
    rows = Limited(connection.fetchmany, limit)
    for chunk in rows:
        out.write("".join(map(csv_line, chunk)))
    return rows.cut


def write_json(connection, out, limit: int) -> bool:
    names = _names(connection)
    rows = Limited(connection.fetchmany, limit)
    out.write("[")
    separator = "\n"
    for chunk in rows:
        for row in chunk:
            out.write(separator + JSON_ROW.encode(dict(zip(names, map(json_value, row), strict=True))))
            separator = ",\n"
    out.write("\n]\n")
    return rows.cut


WRITERS = {"table": write_table, "csv": write_csv, "json": write_json}
