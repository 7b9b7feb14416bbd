with

reports as (

    select * from {{ ref('stg_reports') }}

),

-- Content numbers are the printed numbers no skip rule set aside; the share is of those.
coverage as (

    select
        report_id,
        count(*) filter (where status = 'transcribed') as numbers_transcribed,
        count(*) filter (where status = 'untranscribed') as numbers_untranscribed,
        count(*) filter (where status = 'skipped') as numbers_skipped

    from {{ ref('stg_source_coverage') }}
    group by report_id

),

final as (

    select
        reports.report_id,
        reports.title,
        reports.publisher,
        reports.published,
        reports.language,
        reports.title_en,
        reports.publisher_en,
        reports.published_date,
        reports.source_file,
        reports.url,
        reports.notes,
        reports.accessed,
        reports.citation,
        reports.license,
        reports.package_hash,
        reports.loaded_at,
        coverage.numbers_transcribed,
        coverage.numbers_untranscribed,
        coverage.numbers_skipped,
        round(
            coverage.numbers_transcribed
            / nullif(coverage.numbers_transcribed + coverage.numbers_untranscribed, 0),
            4
        ) as coverage_share

    from reports
    left join coverage on reports.report_id = coverage.report_id

)

select * from final
