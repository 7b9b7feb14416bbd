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
        nullif(parent, '') as parent_id,
        fiscal_year_end_month

    from entities

)

select * from renamed
