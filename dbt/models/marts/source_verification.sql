-- Is each copied number printed where its ref says? One row per numeric cell of
-- every package, computed when the package was loaded (pipelines/intake/verification.py).
-- not_found is a finding to fix in the package, never a reason to block the publish.
with

verification as (

    select * from {{ ref('stg_source_verification') }}

),

final as (

    select
        report_id,
        source_table,
        source_line,
        column_name,
        value_as_written,
        ref,
        source_check,
        matched_text,
        source_excerpt

    from verification

)

select * from final
