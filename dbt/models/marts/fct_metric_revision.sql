-- Where a later report restates a figure an earlier one gave: old and new value,
-- both reports. A forecast replaced by an actual is a revision of kind forecast_to_actual.
with

facts as (

    select * from {{ ref('fct_metric') }}

),

reports as (

    select * from {{ ref('dim_report') }}

),

dated as (

    select facts.*, reports.published_date
    from facts
    inner join reports using (report_id)

),

pairs as (

    select
        old.metric,
        old.entity,
        old.market,
        old.period,
        old.report_id as old_report_id,
        old.value_base as old_value_base,
        old.status as old_status,
        old.ref as old_ref,
        new.report_id as new_report_id,
        new.value_base as new_value_base,
        new.status as new_status,
        new.ref as new_ref,
        old.base_unit

    from dated as old
    inner join dated as new
        on new.metric = old.metric
        and new.entity = old.entity
        and new.market is not distinct from old.market
        and new.period = old.period
        and new.published_date > old.published_date

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
        new_report_id,
        new_value_base,
        new_status,
        base_unit,
        round((new_value_base / nullif(old_value_base, 0) - 1) * 100, 6) as change_pct,
        case
            when old_status = 'forecast' and new_status = 'actual' then 'forecast_to_actual'
            when old_status = new_status and old_status = 'forecast' then 'forecast_revised'
            else 'restated'
        end as revision_kind,
        old_ref,
        new_ref

    from pairs

)

select * from final
