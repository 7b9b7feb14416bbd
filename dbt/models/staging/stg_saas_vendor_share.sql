with

source as (

    select * from {{ source('raw', 'saas_vendor_share') }}

),

renamed as (

    select
        report_id,
        market,
        period,
        vendor,
        cast(share_pct as double) as share_pct,
        cast(share_pct_precision as double) as share_pct_precision,
        cast(rank as integer) as rank,
        credited_source,
        ref,
        note,
        cast(line as integer) as source_line

    from source

)

select * from renamed
