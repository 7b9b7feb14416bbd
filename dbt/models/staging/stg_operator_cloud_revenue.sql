with

source as (

    select * from {{ source('raw', 'operator_cloud_revenue') }}

),

renamed as (

    select
        report_id,
        operator,
        period,
        cast(revenue as double) as revenue,
        cast(revenue_precision as double) as revenue_precision,
        trim(unit) as unit,
        cast(stated_yoy_pct as double) as stated_yoy_pct,
        cast(stated_yoy_pct_precision as double) as stated_yoy_pct_precision,
        credited_source,
        ref,
        note,
        cast(line as integer) as source_line

    from source

)

select * from renamed
