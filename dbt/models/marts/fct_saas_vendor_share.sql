{{ config(materialized='incremental', incremental_strategy='append', pre_hook="{{ delete_touched_reports() }}") }}
with

shares as (

    select * from {{ ref('stg_saas_vendor_share') }}
    where {{ for_touched_reports() }}

),

final as (

    select
        report_id,
        market,
        period,
        vendor,
        share_pct,
        rank,
        round(sum(share_pct) over (
            partition by report_id, market, period
            order by rank nulls last, source_line
            rows between unbounded preceding and current row
        ), 6) as cumulative_share_pct,
        credited_source,
        ref,
        source_line

    from shares

)

select * from final
