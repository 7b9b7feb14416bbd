with

rates as (

    select * from {{ ref('fx_rates') }}

),

renamed as (

    select
        cast(year as integer) as year,
        cast(cny_per_usd as double) as cny_per_usd,
        source as fx_source,
        source_url as fx_source_url

    from rates

)

select * from renamed
