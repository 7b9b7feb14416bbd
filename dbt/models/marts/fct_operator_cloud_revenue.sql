{{ config(materialized='incremental', incremental_strategy='append', pre_hook="{{ delete_touched_reports() }}") }}
-- Operator cloud revenue in CNY 100 million (亿元), from the one conversion path
-- (int_facts_normalised): the typed view of the operator_cloud_revenue facts.
with

facts as (

    select * from {{ ref('int_facts_normalised') }}
    where {{ for_touched_reports() }}

),

revenue as (

    select
        report_id,
        entity as operator,
        period,
        value_base / 1e8 as revenue_cny_100m,
        stated_yoy_pct,
        value as revenue,
        unit,
        credited_source,
        ref,
        source_line

    from facts
    where
        source_table = 'operator_cloud_revenue'
        and base_unit = 'CNY'

),

with_prior as (

    select
        revenue.*,
        {{ shift_period_years('revenue.period', -1) }} as prior_period,
        prior_revenue.revenue_cny_100m as reported_prior_cny_100m

    from revenue
    left join revenue as prior_revenue
        on
            revenue.report_id = prior_revenue.report_id
            and revenue.operator = prior_revenue.operator
            and {{ shift_period_years('revenue.period', -1) }} = prior_revenue.period

),

final as (

    select
        report_id,
        operator,
        period,
        revenue_cny_100m,
        stated_yoy_pct,
        round(coalesce(reported_prior_cny_100m, revenue_cny_100m / (1 + stated_yoy_pct / 100)), 6)
            as prior_period_revenue_cny_100m,
        round(revenue_cny_100m / sum(revenue_cny_100m) over (partition by report_id, period) * 100, 6)
            as share_of_operators_pct,
        prior_period,
        case
            when reported_prior_cny_100m is not null then 'reported'
            when stated_yoy_pct is not null then 'implied_from_stated_yoy'
        end as prior_period_basis,
        revenue as revenue_as_printed,
        unit as unit_as_printed,
        credited_source,
        ref,
        source_line

    from with_prior

)

select * from final
