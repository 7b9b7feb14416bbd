-- One row per year and currency: a second currency is a row, not a column.
with

rates as (

    select * from {{ ref('fx_rates') }}

),

renamed as (

    select
        cast(year as integer) as year,
        currency,
        cast(per_usd as double) as per_usd,
        source as fx_source,
        source_url as fx_source_url

    from rates

)

select * from renamed
