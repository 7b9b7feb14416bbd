{{ config(materialized='incremental', incremental_strategy='append', pre_hook="{{ delete_touched_reports() }}") }}
-- Sizing inputs in base units (FLOP, FLOP/s, s, count, percent), read by the sizing assets:
-- the sizing_assumptions facts of int_facts_normalised, the one conversion path.
with

facts as (

    select * from {{ ref('int_facts_normalised') }}
    where {{ for_touched_reports() }}

),

final as (

    select
        report_id,
        entity as scenario,
        -- int_facts_unioned names a sizing parameter's metric sizing_<parameter>.
        substr(metric, length('sizing_') + 1) as parameter,
        value,
        unit,
        value_base,
        base_unit,
        ref,
        note,
        source_line

    from facts
    where
        source_table = 'sizing_assumptions'
        and base_unit is not null

)

select * from final
