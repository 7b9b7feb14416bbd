-- Sizing inputs in base units (FLOP, FLOP/s, s, count, percent), read by the sizing assets.
with

assumptions as (

    select * from {{ ref('stg_sizing_assumptions') }}

),

units as (

    select * from {{ ref('stg_units') }}

),

final as (

    select
        assumptions.report_id,
        assumptions.scenario,
        assumptions.parameter,
        assumptions.value,
        assumptions.unit,
        assumptions.value * units.factor as value_base,
        units.base_unit,
        assumptions.ref,
        assumptions.note,
        assumptions.source_line

    from assumptions
    inner join units on units.spelling = assumptions.unit

)

select * from final
