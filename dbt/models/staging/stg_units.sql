-- One row per accepted spelling of a unit: its canonical name and its aliases.
with

units as (

    select * from {{ ref('units') }}

),

spellings as (

    select
        unit as spelling,
        unit,
        base_unit,
        factor,
        dimension

    from units

    union all

    select
        trim(unnested.alias) as spelling,
        units.unit,
        units.base_unit,
        units.factor,
        units.dimension

    from units
    cross join unnest(string_split(coalesce(units.aliases, ''), '|')) as unnested (alias)
    where trim(unnested.alias) <> ''

)

select * from spellings
