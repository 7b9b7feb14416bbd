"""`cloudfacts coverage REPORT_ID`: how much of a report's source the warehouse holds, and what it left out.

Data decisions:
- Reads the published warehouse read-only (pipelines.cli.query's config), so it
  shows what analysts query: marts.dim_report for the counts and share,
  marts.source_coverage for the untranscribed numbers.
- Prints the summary first, then each line with untranscribed numbers, in line
  order: the numbers as printed, then the line's text.
- Exit codes: 0 ok; 1 unknown report id (one line naming it) or a SQL error;
  2 no warehouse. A report without source.txt prints that its coverage is unknown.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb

from pipelines.cli.query import EXIT_ERROR, EXIT_OK, READ_ONLY_CONFIG, cannot_read, err, first_line

SUMMARY_SQL = """
select numbers_transcribed, numbers_untranscribed, numbers_skipped, coverage_share
from marts.dim_report where report_id = ?
"""
UNTRANSCRIBED_SQL = """
select line, string_agg(number_as_printed, '  ' order by position), any_value(line_text)
from marts.source_coverage where report_id = ? and status = 'untranscribed'
group by line order by line
"""


def run_coverage(warehouse: Path, report_id: str) -> int:
    if (code := cannot_read(warehouse)) is not None:
        return code
    try:
        with duckdb.connect(str(warehouse), read_only=True, config=READ_ONLY_CONFIG) as connection:
            summary = connection.execute(SUMMARY_SQL, [report_id]).fetchone()
            lines = connection.execute(UNTRANSCRIBED_SQL, [report_id]).fetchall() if summary else []
    except duckdb.Error as error:
        err(f"error: {first_line(error)}")
        return EXIT_ERROR
    if summary is None:
        err(f"error: no report {report_id!r} in {warehouse}; `cloudfacts status` lists the loaded reports")
        return EXIT_ERROR
    try:
        print("\n".join(summary_lines(report_id, *summary)))
        for line, numbers, text in lines:
            print(f"L{line}  {numbers}\n    {text}")
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left (`| head`): stop quietly, and let exit not flush into the pipe
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK


def summary_lines(report_id: str, transcribed, untranscribed, skipped, share) -> list[str]:
    if transcribed is None:
        return [f"{report_id}: no source.txt, so its coverage is unknown"]
    content = transcribed + untranscribed
    return [
        f"{report_id}: {transcribed} of {content} content numbers transcribed ({share:.1%}); "
        f"{untranscribed} untranscribed; {skipped} skipped (years, dates, labels, no-fact lines)",
        *(["untranscribed, by source line:"] if untranscribed else []),
    ]
