{# Generated from pipelines/intake/tables.py by `python -m pipelines.warehouse.dbt_files`; edit the specs, not this file. #}
{{ stg_fact_table('metrics', entity='entity') }}
