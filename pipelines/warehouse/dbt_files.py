"""The dbt files that follow from the raw table specs (pipelines.intake.tables), written by

    python -m pipelines.warehouse.dbt_files

Data decisions:
- pipelines/intake/tables.py is the one list of raw tables. From it come the dbt
  sources of every raw table, and for each long fact table its staging model
  (macro stg_fact_table), that model's description, and its place in
  int_facts_unioned (macro long_fact_tables). Adding a long table is an edit of
  tables.py and a run of this module.
- The files are committed, so the dbt project stays complete on its own (`make
  dbt-build`, dbt docs); tests/test_dbt_files.py fails while one is out of date.
  Each starts with GENERATED, so a file of a table removed from the specs is found
  and deleted.
- A long table's entity column is the entity; its `market` column, when it has one
  that is not the entity, is the market; its fixed metric, if any, is the metric.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pipelines.intake.tables import FACT_TABLES, RAW_TABLES, TableSpec
from pipelines.warehouse.settings import DBT_PROJECT_DIR

GENERATED = "Generated from pipelines/intake/tables.py by `python -m pipelines.warehouse.dbt_files`; edit the specs, not this file."
SOURCES = Path("models/staging/_raw__sources.yml")
LONG_MODELS = Path("models/staging/_long_facts__models.yml")
LONG_TABLES_MACRO = Path("macros/long_fact_tables.sql")
REPORTS_SOURCE = ("reports", "One row per report package (report.yaml).")
MARKET_COLUMN = "market"
# The columns of macro stg_fact_table, the shared fact shape of every long table.
FACT_COLUMNS = """\
      - {name: report_id, description: "{{ doc('report_id') }}"}
      - {name: source_table, description: "{{ doc('source_table') }}"}
      - {name: metric, description: "{{ doc('metric') }}"}
      - name: entity
        description: Entity id (dim_entity) the figure is about - the table's entity, market, company, vendor, model or project column.
      - {name: market, description: "{{ doc('market') }}"}
      - {name: period, description: "{{ doc('period') }}"}
      - {name: value, description: "{{ doc('value') }}"}
      - {name: value_precision, description: "{{ doc('value_precision') }}"}
      - {name: unit, description: "{{ doc('unit') }}"}
      - {name: qualifier, description: "{{ doc('qualifier') }}"}
      - {name: status, description: "{{ doc('status') }}"}
      - {name: stated_yoy_pct, description: "{{ doc('stated_yoy_pct') }}"}
      - {name: stated_yoy_pct_precision, description: "{{ doc('stated_yoy_pct_precision') }}"}
      - {name: credited_source, description: "{{ doc('credited_source') }}"}
      - {name: ref, description: "{{ doc('ref') }}"}
      - {name: note, description: "{{ doc('note') }}"}
      - {name: source_line, description: "{{ doc('source_line') }}"}
"""


def _sources() -> str:
    tables = [REPORTS_SOURCE] + [(s.name, f"{s.file_name} of every package: {s.description}") for s in RAW_TABLES]
    entries = "".join(f"      - name: {name}\n        description: {json.dumps(text, ensure_ascii=False)}\n"
                      f"        meta: {{dagster: {{asset_key: [\"raw\", \"{name}\"]}}}}\n" for name, text in tables)
    return (f"version: 2\n\n# {GENERATED}\n# Written by the Dagster raw assets (pipelines/defs/assets/raw.py); "
            "meta.dagster.asset_key\n# links each source to its asset so lineage is one graph.\n"
            "sources:\n  - name: raw\n    schema: raw\n"
            "    description: Validated rows of the report packages in raw/, one table per package table.\n"
            f"    tables:\n{entries}")


def _market(spec: TableSpec) -> str | None:
    lead = spec.key[:-1]
    return MARKET_COLUMN if MARKET_COLUMN in lead and spec.entity_column != MARKET_COLUMN else None


def _staging_model(spec: TableSpec) -> str:
    arguments = [repr(spec.name), f"entity={spec.entity_column!r}"]
    arguments += [f"metric={spec.metric!r}"] if spec.metric else []
    arguments += [f"market={_market(spec)!r}"] if _market(spec) else []
    return f"{{# {GENERATED} #}}\n{{{{ stg_fact_table({', '.join(arguments)}) }}}}\n"


def _model_description(spec: TableSpec) -> str:
    fixed = f", metric is {spec.metric}" if spec.metric else ""
    market = f", market is its {_market(spec)} column" if _market(spec) else ""
    return (f"{spec.description.rstrip('.')} ({spec.file_name}) in the shared fact shape; "
            f"entity is its {spec.entity_column} column{market}{fixed}.")


def _long_models() -> str:
    models = "".join(f"\n  - name: stg_{spec.name}\n    description: {json.dumps(_model_description(spec), ensure_ascii=False)}\n"
                     + (f"    columns: &fact_columns\n{FACT_COLUMNS}" if n == 0 else "    columns: *fact_columns\n")
                     for n, spec in enumerate(FACT_TABLES))
    return (f"version: 2\n\n# {GENERATED}\n# The long fact tables share one shape (macro stg_fact_table), "
            f"so they share one column list.\nmodels:{models}")


def _long_tables_macro() -> str:
    names = ", ".join(repr(spec.name) for spec in FACT_TABLES)
    return (f"{{# {GENERATED} #}}\n{{# The long fact tables, each staged as stg_<name>; int_facts_unioned reads them all. #}}\n"
            f"{{% macro long_fact_tables() -%}}\n{{{{ return([{names}]) }}}}\n{{%- endmacro %}}\n")


def render() -> dict[Path, str]:
    """Every generated file, by its path in the dbt project."""
    files = {SOURCES: _sources(), LONG_MODELS: _long_models(), LONG_TABLES_MACRO: _long_tables_macro()}
    return files | {Path(f"models/staging/stg_{spec.name}.sql"): _staging_model(spec) for spec in FACT_TABLES}


def _generated_on_disk(root: Path) -> set[Path]:
    return {p.relative_to(root) for d in ("models", "macros") for p in (root / d).rglob("*")
            if p.is_file() and GENERATED in p.read_text(encoding="utf-8")}


def stale(root: Path = DBT_PROJECT_DIR) -> list[str]:
    """Generated files that are missing, out of date, or left from a table the specs no longer hold."""
    files = render()
    changed = [p for p, text in files.items() if not (root / p).is_file() or (root / p).read_text(encoding="utf-8") != text]
    return sorted(str(p) for p in changed + sorted(_generated_on_disk(root) - set(files)))


def write(root: Path = DBT_PROJECT_DIR) -> list[str]:
    """Bring the generated files up to date; the paths written or removed."""
    done = stale(root)
    files = render()
    for path in map(Path, done):
        if path in files:
            (root / path).write_text(files[path], encoding="utf-8")
        else:
            (root / path).unlink()
    return done


if __name__ == "__main__":
    written = write()
    print("\n".join(f"dbt/{p}" for p in written) or "dbt files up to date", file=sys.stderr)
