-- Every figure of every report in one long shape. The typed tables of the first
-- release map in here too, so fct_metric holds every fact exactly once. Each
-- part of the union selects the same named columns in the same order.
{%- set fact_columns = [
    'report_id', 'source_table', 'metric', 'entity', 'market', 'period', 'value', 'value_precision', 'unit',
    'qualifier', 'status', 'stated_yoy_pct', 'stated_yoy_pct_precision', 'credited_source', 'ref', 'note',
    'source_line'
] %}
-- The long fact tables come from long_fact_tables() (generated from pipelines/intake/tables.py).
{%- set parts = long_fact_tables() + [
    'it_spend_facts', 'operator_revenue_facts', 'saas_share_facts', 'sizing_facts'
] %}
with

{% for table in long_fact_tables() %}
    {{ table }} as (select * from {{ ref('stg_' ~ table) }}),
{% endfor %}

it_spend as (select * from {{ ref('stg_it_spend_by_segment') }}),

operator_revenue as (select * from {{ ref('stg_operator_cloud_revenue') }}),

saas_share as (select * from {{ ref('stg_saas_vendor_share') }}),

sizing as (select * from {{ ref('stg_sizing_assumptions') }}),

it_spend_facts as (

    select
        report_id,
        'it_spend_by_segment' as source_table,
        'it_spend' as metric,
        segment as entity,
        null as market,
        cast(year as varchar) as period,
        spend as value,
        spend_precision as value_precision,
        unit,
        'exact' as qualifier,
        status,
        stated_growth_pct as stated_yoy_pct,
        stated_growth_pct_precision as stated_yoy_pct_precision,
        credited_source,
        ref,
        note,
        source_line

    from it_spend

),

-- The operator table has no status column: company results are actuals.
operator_revenue_facts as (

    select
        report_id,
        'operator_cloud_revenue' as source_table,
        'cloud_revenue' as metric,
        operator as entity,
        null as market,
        period,
        revenue as value,
        revenue_precision as value_precision,
        unit,
        'exact' as qualifier,
        'actual' as status,
        stated_yoy_pct,
        stated_yoy_pct_precision,
        credited_source,
        ref,
        note,
        source_line

    from operator_revenue

),

saas_share_facts as (

    select
        report_id,
        'saas_vendor_share' as source_table,
        'market_share' as metric,
        vendor as entity,
        market,
        period,
        share_pct as value,
        share_pct_precision as value_precision,
        'percent' as unit,
        'exact' as qualifier,
        'actual' as status,
        null as stated_yoy_pct,
        null as stated_yoy_pct_precision,
        credited_source,
        ref,
        note,
        source_line

    from saas_share

),

-- Sizing assumptions are figures of the report too; their entity is the scenario.
sizing_facts as (

    select
        report_id,
        'sizing_assumptions' as source_table,
        'sizing_' || parameter as metric,
        scenario as entity,
        null as market,
        null as period,
        value,
        null as value_precision,
        unit,
        'exact' as qualifier,
        'actual' as status,
        null as stated_yoy_pct,
        null as stated_yoy_pct_precision,
        null as credited_source,
        ref,
        note,
        source_line

    from sizing

),

unioned as (

    {% for part in parts -%}
        select {{ fact_columns | join(', ') }} from {{ part }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from unioned
