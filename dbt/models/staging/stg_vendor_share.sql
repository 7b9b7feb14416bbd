{# Generated from pipelines/intake/tables.py by `python -m pipelines.warehouse.dbt_files`; edit the specs, not this file. #}
{{ stg_fact_table('vendor_share', entity='vendor', metric='market_share', market='market') }}
