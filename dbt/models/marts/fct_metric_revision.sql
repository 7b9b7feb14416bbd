{{ config(materialized='incremental', incremental_strategy='append', pre_hook="{{ delete_touched_figures() }}") }}
-- depends_on: {{ ref('int_touched_figures') }}
-- Where a later report restates a figure the previous report gave: old and new value,
-- both reports. A forecast replaced by an actual is a revision of kind forecast_to_actual.
with

facts as (

    select * from {{ ref('fct_metric') }} as facts
    where {{ for_touched_figures('facts') }}

),

reports as (

    select * from {{ ref('dim_report') }}

),

dated as (

    select
        facts.*,
        reports.published_date

    from facts
    inner join reports on facts.report_id = reports.report_id

),

-- Each vintage against the one before it (by publication date), so n reports
-- of one figure give n - 1 revisions, not n^2 / 2 pairs.
ordered as (

    select
        *,
        lag(report_id) over vintages as old_report_id,
        lag(value_base) over vintages as old_value_base,
        lag(status) over vintages as old_status,
        lag(ref) over vintages as old_ref,
        lag(published_date) over vintages as old_published_date

    from dated
    window vintages as (partition by metric, entity, market, period order by published_date, report_id)

),

final as (

    select
        metric,
        entity,
        market,
        period,
        old_report_id,
        old_value_base,
        old_status,
        report_id as new_report_id,
        value_base as new_value_base,
        status as new_status,
        base_unit,
        round((value_base / nullif(old_value_base, 0) - 1) * 100, 6) as change_pct,
        case
            when old_status = 'forecast' and status = 'actual' then 'forecast_to_actual'
            when old_status = status and old_status = 'forecast' then 'forecast_revised'
            else 'restated'
        end as revision_kind,
        old_ref,
        ref as new_ref

    from ordered
    where old_published_date < published_date

)

select * from final
