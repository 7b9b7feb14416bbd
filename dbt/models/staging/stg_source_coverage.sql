with

source as (

    select * from {{ source('raw', 'source_coverage') }}

),

renamed as (

    select
        report_id,
        cast(line as integer) as line,
        number_as_printed,
        line_text,
        status,
        skip_reason,
        cast(position as integer) as position

    from source

)

select * from renamed
