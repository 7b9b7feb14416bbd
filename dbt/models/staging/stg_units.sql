-- One row per accepted spelling of a unit: its canonical name and its aliases.
with

units as (

    select * from {{ ref('units') }}

),

spellings as (

    select unit as spelling, unit, base_unit, factor, dimension from units
    union all
    select trim(alias) as spelling, unit, base_unit, factor, dimension
    from units, unnest(string_split(coalesce(aliases, ''), '|')) as t(alias)
    where trim(alias) <> ''

)

select * from spellings
