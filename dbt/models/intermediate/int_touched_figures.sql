-- The figures (metric, entity, market, period) that the reports of meta.pending_reports state now or
-- stated at the last build: what fct_metric_latest and fct_metric_revision recompute in an incremental
-- run. The figures stated before come from marts.fct_metric as it was, so this model runs before it
-- (fct_metric depends on it). Rows accumulate until a build succeeds and the dbt asset empties the
-- table, so a build that fails half-way forgets no figure. Empty outside an incremental run.
{{ config(materialized='incremental', incremental_strategy='append') }}
with

facts as (

    select * from {{ ref('int_facts_normalised') }}
    where {{ for_touched_reports() if is_incremental() else 'false' }}

),

stated_now as (

    select distinct
        metric,
        entity,
        market,
        period

    from facts

),

stated_before as (

    {{ figures_stated_before('marts', 'fct_metric') }}

),

final as (

    select
        metric,
        entity,
        market,
        period
    from stated_now
    union
    select
        metric,
        entity,
        market,
        period
    from stated_before

)

select * from final
