{{ config(materialized='incremental', incremental_strategy='append', pre_hook="{{ delete_touched_reports() }}") }}
-- Is everything the report prints here? One row per number printed in a package's source.txt,
-- computed when the package was loaded (pipelines/intake/coverage.py).
-- untranscribed rows are a to-do list for the package, never a reason to block the publish.
with

coverage as (

    select * from {{ ref('stg_source_coverage') }}
    where {{ for_touched_reports() }}

),

final as (

    select
        report_id,
        line,
        number_as_printed,
        line_text,
        status,
        skip_reason,
        position

    from coverage

)

select * from final
