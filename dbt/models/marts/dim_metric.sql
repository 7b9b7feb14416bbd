with

metrics as (

    select * from {{ ref('stg_metric_dictionary') }}

),

final as (

    select
        metric_id as id,
        description,
        unit_hint as unit,
        is_additive

    from metrics

)

select * from final
