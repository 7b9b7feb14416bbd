with

entities as (

    select * from {{ ref('entities') }}

),

renamed as (

    select
        id as entity_id,
        name_en,
        name_zh,
        kind,
        nullif(parent, '') as parent_id

    from entities

)

select * from renamed
