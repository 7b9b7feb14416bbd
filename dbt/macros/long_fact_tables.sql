{# Generated from pipelines/intake/tables.py by `python -m pipelines.warehouse.dbt_files`; edit the specs, not this file. #}
{# The long fact tables, each staged as stg_<name>; int_facts_unioned reads them all. #}
{% macro long_fact_tables() -%}
{{ return(['metrics', 'market_size', 'vendor_share', 'vendor_financials', 'compute_capacity', 'token_volume', 'model_facts', 'datacenter_projects']) }}
{%- endmacro %}
