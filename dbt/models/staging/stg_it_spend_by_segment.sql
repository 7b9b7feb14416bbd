with

source as (

    select * from {{ source('raw', 'it_spend_by_segment') }}

),

renamed as (

    select
        report_id,
        segment,
        cast(year as integer) as year,
        cast(spend as double) as spend,
        cast(spend_precision as double) as spend_precision,
        trim(unit) as unit,
        cast(stated_growth_pct as double) as stated_growth_pct,
        cast(stated_growth_pct_precision as double) as stated_growth_pct_precision,
        status,
        credited_source,
        ref,
        note,
        cast(line as integer) as source_line

    from source

)

select * from renamed
