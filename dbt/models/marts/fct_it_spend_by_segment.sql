{{ config(materialized='incremental', incremental_strategy='append', pre_hook="{{ delete_touched_reports() }}") }}
-- IT spend per segment and year in USD million, from the one conversion path
-- (int_facts_normalised): the typed view of the it_spend_by_segment facts.
with

facts as (

    select * from {{ ref('int_facts_normalised') }}
    where {{ for_touched_reports() }}

),

spend as (

    select
        report_id,
        entity as segment,
        cast(period as integer) as year,
        value_usd / 1e6 as spend_usd_m,
        stated_yoy_pct as stated_growth_pct,
        status,
        value as spend,
        unit,
        credited_source,
        ref,
        source_line

    from facts
    where
        source_table = 'it_spend_by_segment'
        and base_unit = 'USD'

),

with_prior_and_total as (

    select
        spend.*,
        prior_year.spend_usd_m as prior_year_spend_usd_m,
        total.spend_usd_m as total_spend_usd_m

    from spend
    left join spend as prior_year
        on
            spend.report_id = prior_year.report_id
            and spend.segment = prior_year.segment
            and spend.year - 1 = prior_year.year
    left join spend as total
        on
            spend.report_id = total.report_id
            and spend.year = total.year
            and total.segment = 'total'

),

final as (

    select
        report_id,
        segment,
        year,
        spend_usd_m,
        round((spend_usd_m / nullif(prior_year_spend_usd_m, 0) - 1) * 100, 6) as yoy_growth_pct,
        stated_growth_pct,
        round(stated_growth_pct - (spend_usd_m / nullif(prior_year_spend_usd_m, 0) - 1) * 100, 6) as growth_gap_pp,
        round(spend_usd_m / nullif(total_spend_usd_m, 0) * 100, 6) as share_of_total_pct,
        status,
        spend as spend_as_printed,
        unit as unit_as_printed,
        credited_source,
        ref,
        source_line

    from with_prior_and_total

)

select * from final
