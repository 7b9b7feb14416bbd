-- Facts derived from the stated ones, per report: recomputed growth, implied prior
-- periods, shares of a parent total, CAGR between the first and last stated
-- years, and market concentration (CRn).
with

facts as (select * from {{ ref('int_facts_normalised') }}),
pairs as (select * from {{ ref('int_fact_pairs') }}),
entities as (select * from {{ ref('dim_entity') }}),
metrics as (select * from {{ ref('dim_metric') }}),

growth as (

    select
        report_id, 'yoy_growth_recomputed' as derivation, metric, entity, market, period,
        (value_base / prior_value_base - 1) * 100 as value, 'percent' as unit,
        'value ' || period || ' / value ' || prior_period || ' - 1' as method,
        ref || ' | ' || prior_ref as input_refs
    from pairs
    where prior_value_base is not null and prior_value_base <> 0

),

implied_prior as (

    select
        report_id, 'prior_period_implied', metric, entity, market, prior_period,
        value_base / (1 + stated_yoy_pct / 100), base_unit,
        'value ' || period || ' / (1 + stated growth ' || stated_yoy_pct || ' %)',
        ref
    from pairs
    where prior_value_base is null and stated_yoy_pct is not null

),

shares as (

    select
        child.report_id, 'share_of_parent', child.metric, child.entity, child.market, child.period,
        child.value_base / parent.value_base * 100, 'percent',
        'value of ' || child.entity || ' / value of ' || parent.entity,
        child.ref || ' | ' || parent.ref
    from facts as child
    inner join entities on entities.id = child.entity
    inner join metrics on metrics.id = child.metric and metrics.is_additive
    inner join facts as parent
        on parent.report_id = child.report_id
        and parent.metric = child.metric
        and parent.entity = entities.parent
        and parent.period is not distinct from child.period
        and parent.market is not distinct from child.market
        and parent.base_unit = child.base_unit
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
        first.report_id, 'cagr', first.metric, first.entity, first.market, first.period || '/' || last.period,
        (power(last.value_base / first.value_base, 1.0 / (last.year - first.year)) - 1) * 100, 'percent',
        '(value ' || last.period || ' / value ' || first.period || ')^(1/' || (last.year - first.year) || ') - 1',
        first.ref || ' | ' || last.ref
    from yearly as first
    inner join yearly as last
        on last.report_id = first.report_id and last.metric = first.metric
        and last.entity = first.entity and last.market is not distinct from first.market
    where first.first_rank = 1 and last.last_rank = 1 and last.year > first.year

),

concentration as (

    select
        report_id, 'concentration_cr' || vendor_rank, 'market_share', market, market, period,
        sum(value) over (partition by report_id, market, period order by vendor_rank), 'percent',
        'sum of the ' || vendor_rank || ' largest vendor shares',
        ref
    from (
        select *, row_number() over (partition by report_id, market, period order by value desc, entity) as vendor_rank
        from facts
        where metric = 'market_share' and market is not null
            and entity in (select id from entities where kind in ('company', 'telecom_operator', 'company_segment'))
    )

),

unioned as (

    select * from growth
    union all select * from implied_prior
    union all select * from shares
    union all select * from cagr
    union all select * from concentration

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
