with

source as (

    select * from {{ source('raw', 'source_verification') }}

),

renamed as (

    select
        report_id,
        source_table,
        cast(source_line as integer) as source_line,
        column_name,
        value_as_written,
        ref,
        source_check,
        matched_text,
        cast(matched_line as integer) as matched_line,
        hint,
        is_value

    from source

)

select * from renamed
