{{ config(materialized='incremental', incremental_strategy='append', pre_hook="{{ delete_touched_reports() }}") }}
-- Each fact beside the same figure a year earlier in the same report: the basis of
-- recomputed growth, implied prior periods and the stated-growth reconciliation.
with

facts as (

    select * from {{ ref('int_facts_normalised') }}
    where {{ for_touched_reports() }}

),

paired as (

    select
        facts.*,
        {{ shift_period_years('facts.period', -1) }} as prior_period,
        prior_facts.value_base as prior_value_base,
        prior_facts.value_base_precision as prior_value_base_precision,
        prior_facts.ref as prior_ref

    from facts
    left join facts as prior_facts
        on
            facts.report_id = prior_facts.report_id
            and facts.metric = prior_facts.metric
            and facts.entity = prior_facts.entity
            and facts.market is not distinct from prior_facts.market
            and {{ shift_period_years('facts.period', -1) }} = prior_facts.period
            and facts.base_unit = prior_facts.base_unit
    where
        facts.period is not null
        and facts.is_level

)

select * from paired
