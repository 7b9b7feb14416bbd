-- Each report's printed arithmetic checked against itself. Mismatches are
-- findings to show, not failures: the warehouse surfaces a report's errors and
-- never fixes them. Tolerance follows the printed precision of the inputs: half
-- a unit of the last printed digit of each input, carried through the formula.
with

facts as (select * from {{ ref('int_facts_normalised') }} where is_checkable),
pairs as (select * from {{ ref('int_fact_pairs') }} where is_checkable),
entities as (select * from {{ ref('dim_entity') }}),
metrics as (select * from {{ ref('dim_metric') }}),

-- Ratios a report may state beside their parts (margin = profit / revenue).
ratio_definitions as (

    select * from (values
        ('operating_margin', 'operating_profit', 'revenue')
    ) as t(ratio_metric, numerator_metric, denominator_metric)

),

stated_growth as (

    select
        report_id, 'stated_growth_vs_values' as rule,
        metric || ' ' || entity || coalesce(' in ' || market, '') || ' ' || prior_period || '->' || period as subject,
        stated_yoy_pct as stated_value,
        (value_base / prior_value_base - 1) * 100 as computed_value,
        coalesce(stated_yoy_pct_precision, 0) / 2
            + 100 * (coalesce(value_base_precision, 0) / 2 / prior_value_base
                     + coalesce(prior_value_base_precision, 0) / 2 * value_base / prior_value_base ^ 2) as tolerance
    from pairs
    where stated_yoy_pct is not null and prior_value_base > 0

),

known as (

    select parent, count(*) as children_known
    from entities
    where parent is not null
    group by parent

),

children as (

    select
        child.report_id, child.metric, child.market, child.period, entities.parent as parent_entity,
        sum(child.value_base) as children_sum,
        sum(coalesce(child.value_base_precision, 0) / 2) as children_tolerance,
        count(*) as children_stated,
        any_value(known.children_known) as children_known
    from facts as child
    inner join entities on entities.id = child.entity and entities.parent is not null
    inner join metrics on metrics.id = child.metric and metrics.is_additive
    inner join known on known.parent = entities.parent
    group by child.report_id, child.metric, child.market, child.period, entities.parent

),

components as (

    select
        children.report_id,
        case when children_stated = children_known then 'components_vs_total' else 'components_within_total' end,
        children.metric || ' ' || parent_entity || ' ' || coalesce(children.period, '(no period)')
            || ' = sum of ' || children_stated || ' of ' || children_known || ' components',
        total.value_base,
        children_sum,
        children_tolerance + coalesce(total.value_base_precision, 0) / 2
    from children
    inner join facts as total
        on total.report_id = children.report_id
        and total.metric = children.metric
        and total.entity = children.parent_entity
        and total.period is not distinct from children.period
        and total.market is not distinct from children.market
    where children_stated >= 2

),

ratios as (

    select
        ratio.report_id, 'stated_ratio_vs_parts',
        ratio.metric || ' ' || ratio.entity || ' ' || coalesce(ratio.period, '') || ' = '
            || definitions.numerator_metric || ' / ' || definitions.denominator_metric,
        ratio.value,
        numerator.value_base / denominator.value_base * 100,
        coalesce(ratio.value_precision, 0) / 2
            + 100 * (coalesce(numerator.value_base_precision, 0) / 2 / abs(denominator.value_base)
                     + coalesce(denominator.value_base_precision, 0) / 2 * abs(numerator.value_base) / denominator.value_base ^ 2)
    from facts as ratio
    inner join ratio_definitions as definitions on definitions.ratio_metric = ratio.metric
    inner join facts as numerator
        on numerator.report_id = ratio.report_id and numerator.entity = ratio.entity
        and numerator.metric = definitions.numerator_metric and numerator.period is not distinct from ratio.period
    inner join facts as denominator
        on denominator.report_id = ratio.report_id and denominator.entity = ratio.entity
        and denominator.metric = definitions.denominator_metric and denominator.period is not distinct from ratio.period
        and denominator.base_unit = numerator.base_unit
    where denominator.value_base <> 0

),

stated_shares as (

    select
        share.report_id, 'stated_share_vs_parts',
        'share of ' || share.entity || ' in ' || parent.id || ' ' || share.period,
        share.value,
        part.value_base / whole.value_base * 100,
        coalesce(share.value_precision, 0) / 2
            + 100 * (coalesce(part.value_base_precision, 0) / 2 / whole.value_base
                     + coalesce(whole.value_base_precision, 0) / 2 * part.value_base / whole.value_base ^ 2)
    from facts as share
    inner join entities as parent on parent.id = (select e.parent from entities as e where e.id = share.entity)
    inner join facts as part
        on part.report_id = share.report_id and part.entity = share.entity and part.period = share.period
        and part.metric = 'market_size'
    inner join facts as whole
        on whole.report_id = share.report_id and whole.entity = parent.id and whole.period = share.period
        and whole.metric = 'market_size' and whole.base_unit = part.base_unit
    where share.metric = 'share_of_parent' and whole.value_base > 0

),

cagr_endpoints as (

    select
        cagr.report_id, 'stated_cagr_vs_endpoints',
        'cagr ' || cagr.entity || ' ' || cagr.period || ' from ' || first.metric,
        cagr.value,
        (power(last.value_base / first.value_base, 1.0 / (year(last.period_end) - year(first.period_end))) - 1) * 100,
        coalesce(cagr.value_precision, 0) / 2
            + 100 * power(last.value_base / first.value_base, 1.0 / (year(last.period_end) - year(first.period_end)))
                / (year(last.period_end) - year(first.period_end))
                * (coalesce(last.value_base_precision, 0) / 2 / last.value_base
                   + coalesce(first.value_base_precision, 0) / 2 / first.value_base)
    from facts as cagr
    inner join facts as first
        on first.report_id = cagr.report_id and first.entity = cagr.entity
        and first.period = split_part(cagr.period, '/', 1) and first.is_level
    inner join facts as last
        on last.report_id = cagr.report_id and last.entity = cagr.entity and last.metric = first.metric
        and last.period = split_part(cagr.period, '/', 2)
    where cagr.metric = 'cagr' and cagr.period like '%/%' and first.value_base > 0

),

pp_changes as (

    select
        change.report_id, 'stated_pp_change_vs_levels',
        change.metric || ' ' || change.entity || ' ' || change.period,
        change.value,
        last.value - first.value,
        coalesce(change.value_precision, 0) / 2 + coalesce(first.value_precision, 0) / 2
            + coalesce(last.value_precision, 0) / 2
    from facts as change
    inner join facts as first
        on first.report_id = change.report_id and first.entity = change.entity
        and first.metric = regexp_replace(change.metric, '_change$', '')
        and first.period = split_part(change.period, '/', 1)
    inner join facts as last
        on last.report_id = change.report_id and last.entity = change.entity and last.metric = first.metric
        and last.period = split_part(change.period, '/', 2)
    where change.metric like '%\_change' escape '\' and change.base_unit = 'pp'

),

unioned as (

    select * from stated_growth
    union all select * from components
    union all select * from ratios
    union all select * from stated_shares
    union all select * from cagr_endpoints
    union all select * from pp_changes

),

final as (

    select
        report_id,
        rule,
        subject,
        round(stated_value, 6) as stated_value,
        round(computed_value, 6) as computed_value,
        round(stated_value - computed_value, 6) as gap,
        round(tolerance, 6) as tolerance,
        case
            -- With components missing, the stated ones may only fall short of the total.
            when rule = 'components_within_total' and computed_value <= stated_value + tolerance + 1e-9 then 'ok'
            when abs(stated_value - computed_value) <= tolerance + 1e-9 then 'ok'
            else 'mismatch'
        end as status

    from unioned

)

select * from final
