{{ config(materialized='incremental', incremental_strategy='append', pre_hook="{{ delete_touched_reports() }}") }}
-- Facts derived from the stated ones, per report: recomputed growth, implied prior
-- periods, shares of a parent total, CAGR between the first and last stated
-- years, and market concentration (CRn). Each derivation names the same columns.
{%- set derived_columns = [
    'report_id', 'derivation', 'metric', 'entity', 'market', 'period', 'value', 'unit', 'method', 'input_refs'
] %}
with

facts as (
    select * from {{ ref('int_facts_normalised') }}
    where {{ for_touched_reports() }}
),

pairs as (
    select * from {{ ref('int_fact_pairs') }}
    where {{ for_touched_reports() }}
),

entities as (select * from {{ ref('dim_entity') }}),

metrics as (select * from {{ ref('dim_metric') }}),

growth as (

    select
        report_id,
        'yoy_growth_recomputed' as derivation,
        metric,
        entity,
        market,
        period,
        (value_base / prior_value_base - 1) * 100 as value,
        'percent' as unit,
        'value ' || period || ' / value ' || prior_period || ' - 1' as method,
        ref || ' | ' || prior_ref as input_refs

    from pairs
    where prior_value_base is not null and prior_value_base <> 0

),

implied_prior as (

    select
        report_id,
        'prior_period_implied' as derivation,
        metric,
        entity,
        market,
        prior_period as period,
        value_base / (1 + stated_yoy_pct / 100) as value,
        base_unit as unit,
        'value ' || period || ' / (1 + stated growth ' || stated_yoy_pct || ' %)' as method,
        ref as input_refs

    from pairs
    where prior_value_base is null and stated_yoy_pct is not null

),

shares as (

    select
        child.report_id,
        'share_of_parent' as derivation,
        child.metric,
        child.entity,
        child.market,
        child.period,
        child.value_base / parent.value_base * 100 as value,
        'percent' as unit,
        'value of ' || child.entity || ' / value of ' || parent.entity as method,
        child.ref || ' | ' || parent.ref as input_refs

    from facts as child
    inner join entities on child.entity = entities.entity_id
    inner join metrics on child.metric = metrics.metric_id and metrics.is_additive
    inner join facts as parent
        on
            child.report_id = parent.report_id
            and child.metric = parent.metric
            and entities.parent_id = parent.entity
            and child.period is not distinct from parent.period
            and child.market is not distinct from parent.market
            and child.base_unit = parent.base_unit
    where parent.value_base <> 0

),

yearly as (

    select
        *,
        year(period_start) as year,
        row_number() over (partition by report_id, metric, entity, market order by period_start) as first_rank,
        row_number() over (partition by report_id, metric, entity, market order by period_start desc) as last_rank

    from facts
    where granularity = 'year' and is_level and value_base > 0

),

cagr as (

    select
        first.report_id,
        'cagr' as derivation,
        first.metric,
        first.entity,
        first.market,
        first.period || '/' || last.period as period,
        (power(last.value_base / first.value_base, 1.0 / (last.year - first.year)) - 1) * 100 as value,
        'percent' as unit,
        '(value ' || last.period || ' / value ' || first.period || ')^(1/' || (last.year - first.year) || ') - 1'
            as method,
        first.ref || ' | ' || last.ref as input_refs

    from yearly as first
    inner join yearly as last
        on
            first.report_id = last.report_id
            and first.metric = last.metric
            and first.entity = last.entity
            and first.market is not distinct from last.market
    where first.first_rank = 1 and last.last_rank = 1 and last.year > first.year

),

vendors as (

    select entity_id
    from entities
    where kind in ('company', 'telecom_operator', 'company_segment')

),

vendor_shares as (

    select
        *,
        row_number() over (partition by report_id, market, period order by value desc, entity asc) as vendor_rank

    from facts
    where
        metric = 'market_share'
        and market is not null
        and entity in (select vendors.entity_id from vendors)

),

concentration as (

    select
        report_id,
        'concentration_cr' || vendor_rank as derivation,
        metric,
        market as entity,
        market,
        period,
        sum(value) over (partition by report_id, market, period order by vendor_rank) as value,
        'percent' as unit,
        'sum of the ' || vendor_rank || ' largest vendor shares' as method,
        ref as input_refs

    from vendor_shares

),

unioned as (

    {% for part in ['growth', 'implied_prior', 'shares', 'cagr', 'concentration'] -%}
        select {{ derived_columns | join(', ') }} from {{ part }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        report_id,
        derivation,
        metric,
        entity,
        market,
        period,
        round(value, 6) as value,
        unit,
        method,
        input_refs

    from unioned

)

select * from final
