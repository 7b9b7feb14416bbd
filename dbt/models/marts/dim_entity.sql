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
        parent_id as parent,
        -- The staging key names, so joins read the same from staging to marts.
        entity_id,
        parent_id

    from entities

)

select * from final
