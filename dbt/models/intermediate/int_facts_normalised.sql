{{ config(materialized='incremental', incremental_strategy='append', pre_hook="{{ delete_touched_reports() }}") }}
-- Base units through the unit vocabulary (with the is_level and is_checkable flags), calendar bounds of periods (fiscal
-- periods through the entity's fiscal year end), USD through annual FX rates.
with

facts as (
    select * from {{ ref('int_facts_unioned') }}
    where {{ for_touched_reports() }}
),

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
    left join units on facts.unit = units.spelling
    left join entities on facts.entity = entities.entity_id

),

fx_latest as (

    select
        currency,
        max(year) as latest_year

    from fx
    group by currency

),

-- Money in a currency of the FX table converts at the average rate of the
-- period's last year (the report's year when no period is stated); a year
-- beyond the FX table uses the currency's latest year, and fx_year says which
-- rate was used.
with_fx_year as (

    select
        with_units_and_periods.*,
        case
            when fx_latest.currency is not null
                then least(
                    coalesce(year(with_units_and_periods.period_end), year(reports.published_date)),
                    fx_latest.latest_year
                )
        end as fx_year

    from with_units_and_periods
    left join reports on with_units_and_periods.report_id = reports.report_id
    left join fx_latest on with_units_and_periods.base_unit = fx_latest.currency

),

final as (

    select
        with_fx_year.*,
        case
            when with_fx_year.base_unit = 'USD' then with_fx_year.value_base
            else with_fx_year.value_base / fx.per_usd
        end as value_usd

    from with_fx_year
    left join fx
        on
            with_fx_year.base_unit = fx.currency
            and with_fx_year.fx_year = fx.year

)

select * from final
