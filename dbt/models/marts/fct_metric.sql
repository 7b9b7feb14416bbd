with

facts as (

    select * from {{ ref('int_facts_normalised') }}

),

final as (

    select
        report_id,
        metric,
        entity,
        period,
        period_start,
        period_end,
        granularity,
        value,
        unit,
        qualifier,
        value_base,
        base_unit,
        value_usd,
        status,
        credited_source,
        ref,
        market,
        stated_yoy_pct,
        fx_year,
        value_precision,
        note,
        source_table,
        source_line

    from facts

)

select * from final
