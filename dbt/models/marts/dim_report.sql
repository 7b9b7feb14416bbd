with

reports as (

    select * from {{ ref('stg_reports') }}

),

final as (

    select
        report_id,
        title,
        publisher,
        published,
        language,
        title_en,
        publisher_en,
        published_date,
        source_file,
        url,
        notes,
        accessed,
        citation,
        license,
        package_hash,
        loaded_at

    from reports

)

select * from final
