{{ config(materialized='incremental', incremental_strategy='append', pre_hook="{{ delete_touched_reports() }}") }}
-- Is each copied number printed where its ref says? One row per numeric cell of
-- every package, computed when the package was loaded (pipelines/intake/verification.py).
-- not_found is a finding to fix in the package, never a reason to block the publish.
with

verification as (

    select * from {{ ref('stg_source_verification') }}
    where {{ for_touched_reports() }}

),

-- The excerpt is the line the value was found on, or for not_found the referenced line with the closest number.
source_lines as (

    select * from {{ ref('stg_source_lines') }}
    where {{ for_touched_reports() }}

),

final as (

    select
        verification.report_id,
        verification.source_table,
        verification.source_line,
        verification.column_name,
        verification.value_as_written,
        verification.ref,
        verification.source_check,
        verification.matched_text,
        trim(source_lines.text) as source_excerpt

    from verification
    left join source_lines
        on
            verification.report_id = source_lines.report_id
            and verification.matched_line = source_lines.line

)

select * from final
