-- Each fact beside the same figure a year earlier in the same report: the basis of
-- recomputed growth, implied prior periods and the stated-growth reconciliation.
with

facts as (

    select * from {{ ref('int_facts_normalised') }}

),

paired as (

    select
        facts.*,
        {{ shift_period_years('facts.period', -1) }} as prior_period,
        prior.value_base as prior_value_base,
        prior.value_base_precision as prior_value_base_precision,
        prior.ref as prior_ref

    from facts
    left join facts as prior
        on prior.report_id = facts.report_id
        and prior.metric = facts.metric
        and prior.entity = facts.entity
        and prior.market is not distinct from facts.market
        and prior.period = {{ shift_period_years('facts.period', -1) }}
        and prior.base_unit = facts.base_unit
    where facts.period is not null
        and facts.is_level

)

select * from paired
