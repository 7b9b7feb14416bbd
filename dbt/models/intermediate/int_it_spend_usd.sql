-- IT spend converted to USD million through the unit vocabulary.
with

spend as (

    select * from {{ ref('stg_it_spend_by_segment') }}

),

units as (

    select * from {{ ref('stg_units') }}

),

converted as (

    select
        spend.*,
        spend.spend * units.factor / 1e6 as spend_usd_m,
        spend.spend_precision * units.factor / 1e6 as spend_usd_m_precision

    from spend
    inner join units on units.spelling = spend.unit
    where units.base_unit = 'USD'

)

select * from converted
