with

source as (

    select * from {{ source('raw', 'source_lines') }}

),

renamed as (

    select
        report_id,
        cast(line as integer) as line,
        text,
        no_fact_reason

    from source

)

select * from renamed
