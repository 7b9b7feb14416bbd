-- Segments of a report and year sum to its stated total, within the rounding the
-- printed figures allow: half a printed unit per figure added.
with

facts as (

    select * from {{ ref('int_facts_normalised') }}

),

spend as (

    select
        report_id,
        entity as segment,
        period as year,
        value_usd / 1e6 as spend_usd_m,
        value_base_precision / 1e6 as spend_usd_m_precision

    from facts
    where
        source_table = 'it_spend_by_segment'
        and base_unit = 'USD'

),

sums as (

    select
        report_id,
        year,
        sum(spend_usd_m) filter (where segment <> 'total') as segments_usd_m,
        max(spend_usd_m) filter (where segment = 'total') as total_usd_m,
        sum(spend_usd_m_precision) / 2 as tolerance_usd_m,
        count(*) filter (where segment <> 'total') as segments

    from spend
    group by report_id, year

),

final as (

    select * from sums
    where
        total_usd_m is not null
        and segments = 5
        and abs(segments_usd_m - total_usd_m) > tolerance_usd_m

)

select * from final
