-- Base units through the unit vocabulary (with the is_level and is_checkable flags), calendar bounds of periods (fiscal
-- periods through the entity's fiscal year end), USD through annual FX rates.
with

facts as (select * from {{ ref('int_facts_unioned') }}),
units as (select * from {{ ref('stg_units') }}),
entities as (select * from {{ ref('stg_entities') }}),
fx as (select * from {{ ref('stg_fx_rates') }}),
reports as (select * from {{ ref('stg_reports') }}),

with_units_and_periods as (

    select
        facts.*,
        facts.value * units.factor as value_base,
        facts.value_precision * units.factor as value_base_precision,
        units.base_unit,
        -- Levels (money, counts, compute, ...) can grow, sum and compound; ratios, ranks and years cannot.
        units.dimension not in ('ratio', 'ordinal', 'calendar_year') as is_level,
        -- Bounds and orders of magnitude (超过, 以内, 千亿级) cannot be checked as equalities.
        facts.qualifier in ('exact', 'approx') as is_checkable,
        {{ period_start('facts.period', 'entities.fiscal_year_end_month') }} as period_start,
        {{ period_end('facts.period', 'entities.fiscal_year_end_month') }} as period_end,
        {{ period_granularity('facts.period') }} as granularity

    from facts
    left join units on units.spelling = facts.unit
    left join entities on entities.entity_id = facts.entity

),

-- Money converts at the average rate of the period's last year (the report's
-- year when no period is stated); a year beyond the FX table uses its latest
-- year, and fx_year says which rate was used.
with_fx_year as (

    select
        with_units_and_periods.*,
        case when base_unit = 'CNY' then
            least(coalesce(year(period_end), year(reports.published_date)), (select max(year) from fx))
        end as fx_year

    from with_units_and_periods
    left join reports using (report_id)

),

final as (

    select
        with_fx_year.*,
        case
            when base_unit = 'USD' then value_base
            when base_unit = 'CNY' then value_base / fx.cny_per_usd
        end as value_usd

    from with_fx_year
    left join fx on fx.year = with_fx_year.fx_year

)

select * from final
