-- The latest vintage of each sizing scenario: for each scenario name, every parameter
-- of the most recently published report that states it (ties: the larger report_id,
-- the order fct_metric_latest uses). A vintage is taken whole: a parameter the latest
-- vintage does not state is not borrowed from an older one, so no row mixes reports.
-- The fact-joined sizing assets read this; older vintages stay in fct_sizing_assumption.
with

assumptions as (

    select * from {{ ref('fct_sizing_assumption') }}

),

reports as (

    select * from {{ ref('dim_report') }}

),

vintages as (

    select distinct
        assumptions.scenario,
        assumptions.report_id,
        reports.published_date

    from assumptions
    inner join reports on assumptions.report_id = reports.report_id

),

ranked as (

    select
        scenario,
        report_id,
        published_date,
        count(*) over (partition by scenario) as vintages,
        row_number() over (
            partition by scenario
            order by published_date desc, report_id desc
        ) as vintage_rank

    from vintages

),

final as (

    select
        assumptions.scenario,
        assumptions.parameter,
        assumptions.report_id,
        ranked.published_date,
        assumptions.value,
        assumptions.unit,
        assumptions.value_base,
        assumptions.base_unit,
        assumptions.ref,
        assumptions.note,
        assumptions.source_line,
        ranked.vintages

    from assumptions
    inner join ranked
        on
            assumptions.scenario = ranked.scenario
            and assumptions.report_id = ranked.report_id
    where ranked.vintage_rank = 1

)

select * from final
