with

metrics as (

    select * from {{ ref('stg_metric_dictionary') }}

),

final as (

    select
        metric_id as id,
        description,
        unit_hint as unit,
        is_additive,
        -- The staging key name, so joins read the same from staging to marts.
        metric_id

    from metrics

)

select * from final
