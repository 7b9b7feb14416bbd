-- Operator cloud revenue converted to CNY 100 million (亿元) through the unit vocabulary.
with

revenue as (

    select * from {{ ref('stg_operator_cloud_revenue') }}

),

units as (

    select * from {{ ref('stg_units') }}

),

converted as (

    select
        revenue.*,
        revenue.revenue * units.factor / 1e8 as revenue_cny_100m

    from revenue
    inner join units on units.spelling = revenue.unit
    where units.base_unit = 'CNY'

)

select * from converted
