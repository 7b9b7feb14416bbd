{{ config(materialized='incremental', incremental_strategy='append', pre_hook="{{ delete_touched_reports() }}") }}
-- depends_on: {{ ref('int_touched_figures') }}
with

facts as (

    select * from {{ ref('int_facts_normalised') }}
    where {{ for_touched_reports() }}

),

-- The status of each row's figure; its stated growth has a row of its own in source_verification.
checks as (

    select * from {{ ref('stg_source_verification') }}
    where is_value and {{ for_touched_reports() }}

),

final as (

    select
        facts.report_id,
        facts.metric,
        facts.entity,
        facts.period,
        facts.period_start,
        facts.period_end,
        facts.granularity,
        facts.value,
        facts.unit,
        facts.qualifier,
        facts.value_base,
        facts.base_unit,
        facts.value_usd,
        facts.status,
        facts.credited_source,
        facts.ref,
        facts.market,
        facts.stated_yoy_pct,
        facts.fx_year,
        facts.value_precision,
        facts.note,
        facts.source_table,
        facts.source_line,
        checks.source_check

    from facts
    left join checks
        on
            facts.report_id = checks.report_id
            and facts.source_table = checks.source_table
            and facts.source_line = checks.source_line

)

select * from final
