-- Every figure of every report in one long shape. The typed tables of the first
-- release map in here too, so fct_metric holds every fact exactly once.
with

metrics as (select * from {{ ref('stg_metrics') }}),
market_size as (select * from {{ ref('stg_market_size') }}),
vendor_share as (select * from {{ ref('stg_vendor_share') }}),
vendor_financials as (select * from {{ ref('stg_vendor_financials') }}),
compute_capacity as (select * from {{ ref('stg_compute_capacity') }}),
token_volume as (select * from {{ ref('stg_token_volume') }}),
model_facts as (select * from {{ ref('stg_model_facts') }}),
datacenter_projects as (select * from {{ ref('stg_datacenter_projects') }}),
it_spend as (select * from {{ ref('stg_it_spend_by_segment') }}),
operator_revenue as (select * from {{ ref('stg_operator_cloud_revenue') }}),
saas_share as (select * from {{ ref('stg_saas_vendor_share') }}),
sizing as (select * from {{ ref('stg_sizing_assumptions') }}),

typed_first_release as (

    select
        report_id, 'it_spend_by_segment' as source_table, 'it_spend' as metric, segment as entity,
        null as market, cast(year as varchar) as period, spend as value, spend_precision as value_precision,
        unit, 'exact' as qualifier, status, stated_growth_pct as stated_yoy_pct,
        stated_growth_pct_precision as stated_yoy_pct_precision, credited_source, ref, note, source_line
    from it_spend

    union all

    -- The operator table has no status column: company results are actuals.
    select
        report_id, 'operator_cloud_revenue', 'cloud_revenue', operator, null, period, revenue, revenue_precision,
        unit, 'exact', 'actual', stated_yoy_pct, stated_yoy_pct_precision, credited_source, ref, note, source_line
    from operator_revenue

    union all

    select
        report_id, 'saas_vendor_share', 'market_share', vendor, market, period, share_pct, share_pct_precision,
        'percent', 'exact', 'actual', null, null, credited_source, ref, note, source_line
    from saas_share

    union all

    -- Sizing assumptions are figures of the report too; their entity is the scenario.
    select
        report_id, 'sizing_assumptions', 'sizing_' || parameter, scenario, null, null, value, null,
        unit, 'exact', 'actual', null, null, null, ref, note, source_line
    from sizing

),

unioned as (

    select * from metrics
    union all by name select * from market_size
    union all by name select * from vendor_share
    union all by name select * from vendor_financials
    union all by name select * from compute_capacity
    union all by name select * from token_volume
    union all by name select * from model_facts
    union all by name select * from datacenter_projects
    union all by name select * from typed_first_release

)

select * from unioned
