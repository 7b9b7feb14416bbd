{# Staging for the long fact tables of docs/raw-format.md: rename to the shared fact shape. #}
{% macro stg_fact_table(table, entity, metric=none, market='null') -%}
with

source as (

    select * from {{ source('raw', table) }}

),

renamed as (

    select
        report_id,
        '{{ table }}' as source_table,
        {{ "'" ~ metric ~ "'" if metric else 'metric' }} as metric,
        {{ entity }} as entity,
        {{ market }} as market,
        period,
        cast(value as double) as value,
        cast(value_precision as double) as value_precision,
        trim(unit) as unit,
        qualifier,
        status,
        cast(stated_yoy_pct as double) as stated_yoy_pct,
        cast(stated_yoy_pct_precision as double) as stated_yoy_pct_precision,
        credited_source,
        ref,
        note,
        cast(line as integer) as source_line

    from source

)

select * from renamed
{%- endmacro %}
