"""What each column of the raw tables holds: the descriptions the raw assets show beside each column's type.

Data decisions:
- A column name means the same in every raw table (`unit`, `ref`, `period` ...), so descriptions are
  keyed by name, not by table; docs/raw-format.md is the long form. The few names that mean something
  else in one table (`line` of source.txt, `status` of a printed number) are in TABLE_COLUMN_DOCS.
- `<number>_precision` columns are described from their number column; they are added by the loader.
- A column without a description here gets none rather than a guess; tests/test_column_metadata.py
  checks that every raw column has one.
"""

from __future__ import annotations

PRECISION_SUFFIX = "_precision"
RAW_COLUMN_DOCS = {
    # every package table
    "report_id": "Report the row comes from: the package folder name under raw/.",
    "unit": "The unit as written in the package (e.g. 亿元, EFLOPS, percent).",
    "status": "actual or forecast (预计, 预测, 有望, 将).",
    "credited_source": "Who the report credits (Gartner, IDC, 公司公告 ...).",
    "ref": "Where the figure stands in the source (document key and line numbers).",
    "note": "The data decision recorded with the row.",
    "derived": "Why the value is not printed as is in the source (source verification exempts it).",
    "line": "Line of the row in raw/<report_id>/<table>.csv.",
    "period": "Period as in the package (2022, 2022H1, 2022Q3, 2025-09, FY2023Q2); empty when none is stated.",
    "stated_yoy_pct": "Year-on-year growth printed beside the figure, in percent.",
    "stated_growth_pct": "Growth over the previous year as printed, in percent.",
    "value": "The value as printed, in the printed scale (the unit carries the scale).",
    "metric": "Metric id (dbt/seeds/metric_dictionary.csv).",
    "entity": "Entity id (dbt/seeds/entities.csv) the figure is about.",
    "qualifier": "exact, approx (约), lower_bound (超过), upper_bound (不到) or order_of_magnitude.",
    "market": "Market id the figure or share is of.",
    "vendor": "Vendor id (an entity of kind company).",
    # typed tables
    "segment": "IT spending segment id (data_center_systems, software, devices, ..., total).",
    "year": "Calendar year.",
    "spend": "IT spend as printed, in unit.",
    "operator": "Telecom operator id (china_mobile, china_telecom, china_unicom).",
    "revenue": "Cloud revenue as printed, in unit.",
    "share_pct": "Vendor share of the market as printed, in percent.",
    "rank": "Rank as the source lists it; tied shares share a rank.",
    "scenario": "Sizing scenario name (the source's own case is base).",
    "parameter": "Sizing parameter (docs/raw-format.md#sizing).",
    "company": "Company id whose financials the row states.",
    "model": "AI model id the fact is about.",
    "project": "Data-centre project id.",
    # raw.reports: report.yaml
    "title": "Title of the report as published.",
    "publisher": "Who published the report (a broker, an institute).",
    "published": "Publication date (YYYY-MM or YYYY-MM-DD).",
    "language": "Language of the source (zh, en).",
    "title_en": "English title, when given.",
    "publisher_en": "English name of the publisher, when given.",
    "source_file": "File name of the source document.",
    "url": "Where the source can be found.",
    "notes": "Notes on the package as a whole.",
    "accessed": "The day the source was retrieved.",
    "citation": "How to cite the source.",
    "license": "The source's license or terms of use.",
    "package_hash": "sha256 of every file name and byte of the package, as loaded (or quarantined).",
    "loaded_at": "When the package's rows were loaded (UTC).",
    # raw.package_files and raw.quarantine
    "file": "File of the package (raw/<report_id>/<file>).",
    "encoding": "Encoding the file was read in.",
    "rows": "Rows read from the file.",
    "normalisations": "What was normalised while reading (docs/raw-format.md#accepted-and-normalised).",
    "column": "Column of the problem.",
    "rule": "The rule broken.",
    "hint": "How to fix it.",
    "check": "The asset check the problem belongs to (header, values, keys, package).",
    # source tables
    "text": "The text of the line of source.txt.",
    "no_fact_reason": "Why the line holds no facts, when report.yaml's no_fact_lines says so.",
    "source_table": "Package table of the checked cell.",
    "source_line": "CSV line of the checked cell.",
    "column_name": "Column of the checked cell.",
    "value_as_written": "The cell as written in the CSV.",
    "source_check": "Status of the cell against the source lines its ref names (found, not_found, exempt ...).",
    "matched_text": "The text of the source the cell matched.",
    "matched_line": "The source line the cell matched.",
    "is_value": "Whether the cell is the row's figure (not a stated growth).",
    "number_as_printed": "A number as printed in source.txt.",
    "line_text": "The source line the number stands on.",
    "skip_reason": "Why the number needs no row (a date, a footnote mark, a no_fact_lines span).",
    "position": "Character offset of the number in its line.",
}
TABLE_COLUMN_DOCS = {  # (table, column): where a name means something else than in RAW_COLUMN_DOCS
    ("source_lines", "line"): "Line number in raw/<report_id>/source.txt.",
    ("source_coverage", "line"): "Line number in raw/<report_id>/source.txt.",
    ("source_coverage", "status"): "transcribed (a row holds it), untranscribed, or skipped (skip_reason says why).",
}


def raw_column_description(table: str, column: str) -> str:
    """The description of a column of raw.<table>, or "" when there is none."""
    if (table, column) in TABLE_COLUMN_DOCS:
        return TABLE_COLUMN_DOCS[table, column]
    if column.endswith(PRECISION_SUFFIX):
        number = column.removesuffix(PRECISION_SUFFIX)
        return f"Resolution of the printed {number} (1 for 234, 0.1 for 280.8)." if number in RAW_COLUMN_DOCS else ""
    return RAW_COLUMN_DOCS.get(column, "")
