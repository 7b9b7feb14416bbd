with

metrics as (

    select * from {{ ref('metrics') }}

),

renamed as (

    select
        id as metric_id,
        description,
        unit_hint,
        cast(additive as boolean) as is_additive

    from metrics

)

select * from renamed
