with

source as (

    select * from {{ source('raw', 'reports') }}

),

renamed as (

    select
        report_id,
        title,
        title_en,
        publisher,
        publisher_en,
        published,
        cast(case when length(published) = 7 then published || '-01' else published end as date) as published_date,
        language,
        source_file,
        url,
        cast(accessed as date) as accessed,
        citation,
        license,
        notes,
        package_hash,
        cast(loaded_at as timestamp) as loaded_at

    from source

)

select * from renamed
