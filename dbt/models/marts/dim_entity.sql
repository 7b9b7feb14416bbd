with

entities as (

    select * from {{ ref('stg_entities') }}

),

final as (

    select
        entity_id as id,
        name_en,
        name_zh,
        kind,
        parent_id as parent

    from entities

)

select * from final
