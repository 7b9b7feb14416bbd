{{ config(materialized='incremental', incremental_strategy='append', pre_hook="{{ delete_touched_figures() }}") }}
-- depends_on: {{ ref('int_touched_figures') }}
-- One row per (metric, entity, market, period): the figure of the most recently
-- published report that states it. Older vintages stay in fct_metric.
with

facts as (

    select * from {{ ref('fct_metric') }} as facts
    where {{ for_touched_figures('facts') }}

),

reports as (

    select * from {{ ref('dim_report') }}

),

ranked as (

    select
        facts.*,
        reports.published_date,
        count(*) over (partition by facts.metric, facts.entity, facts.market, facts.period) as vintages,
        row_number() over (
            partition by facts.metric, facts.entity, facts.market, facts.period
            order by reports.published_date desc, facts.report_id desc
        ) as vintage_rank

    from facts
    inner join reports on facts.report_id = reports.report_id

),

final as (

    select * exclude (vintage_rank)
    from ranked
    where vintage_rank = 1

)

select * from final
