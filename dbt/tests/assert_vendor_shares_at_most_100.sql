-- Shares of one market and period cannot add up to more than the whole market.
with

shares as (

    select * from {{ ref('fct_saas_vendor_share') }}

),

final as (

    select
        report_id,
        market,
        period,
        sum(share_pct) as total_share_pct

    from shares
    group by report_id, market, period
    having sum(share_pct) > 100

)

select * from final
