-- The typed marts of the first release and fct_metric hold the same figures.
with

typed as (

    select report_id, 'it_spend' as metric, segment as entity, cast(year as varchar) as period, spend_usd_m * 1e6 as value_base
    from {{ ref('fct_it_spend_by_segment') }}
    union all
    select report_id, 'cloud_revenue', operator, period, revenue_cny_100m * 1e8
    from {{ ref('fct_operator_cloud_revenue') }}

),

facts as (

    select * from {{ ref('fct_metric') }}

)

select typed.*, facts.value_base as fact_value_base
from typed
left join facts using (report_id, metric, entity, period)
where facts.value_base is null or abs(facts.value_base - typed.value_base) > 1e-6 * abs(typed.value_base)
