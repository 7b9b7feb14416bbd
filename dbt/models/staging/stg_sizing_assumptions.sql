with

source as (

    select * from {{ source('raw', 'sizing_assumptions') }}

),

renamed as (

    select
        report_id,
        scenario,
        parameter,
        cast(value as double) as value,
        trim(unit) as unit,
        ref,
        note,
        cast(line as integer) as source_line

    from source

)

select * from renamed
