{{ config(materialized='incremental', incremental_strategy='append', pre_hook="{{ delete_touched_reports() }}") }}
-- Each report's printed arithmetic checked against itself. Mismatches are
-- findings to show, not failures: the warehouse surfaces a report's errors and
-- never fixes them. Tolerance follows the printed precision of the inputs: half
-- a unit of the last printed digit of each input, carried through the formula.
-- Each rule names the same columns.
{%- set rule_columns = ['report_id', 'rule', 'subject', 'stated_value', 'computed_value', 'tolerance'] %}
with

facts as (

    select * from {{ ref('int_facts_normalised') }}
    where is_checkable and {{ for_touched_reports() }}

),

pairs as (

    select * from {{ ref('int_fact_pairs') }}
    where is_checkable and {{ for_touched_reports() }}

),

entities as (select * from {{ ref('dim_entity') }}),

metrics as (select * from {{ ref('dim_metric') }}),

-- Ratios a report may state beside their parts (margin = profit / revenue).
ratio_definitions as (

    select
        'operating_margin' as ratio_metric,
        'operating_profit' as numerator_metric,
        'revenue' as denominator_metric

),

stated_growth as (

    select
        report_id,
        'stated_growth_vs_values' as rule,
        metric || ' ' || entity || coalesce(' in ' || market, '') || ' ' || prior_period || '->' || period as subject,
        stated_yoy_pct as stated_value,
        (value_base / prior_value_base - 1) * 100 as computed_value,
        coalesce(stated_yoy_pct_precision, 0) / 2
        + 100 * (
            coalesce(value_base_precision, 0) / 2 / prior_value_base
            + coalesce(prior_value_base_precision, 0) / 2 * value_base / prior_value_base ^ 2
        ) as tolerance

    from pairs
    where stated_yoy_pct is not null and prior_value_base > 0

),

known as (

    select
        parent_id,
        count(*) as children_known

    from entities
    where parent_id is not null
    group by parent_id

),

children as (

    select
        child.report_id,
        child.metric,
        child.market,
        child.period,
        entities.parent_id as parent_entity,
        sum(child.value_base) as children_sum,
        sum(coalesce(child.value_base_precision, 0) / 2) as children_tolerance,
        count(*) as children_stated,
        any_value(known.children_known) as children_known

    from facts as child
    inner join entities on child.entity = entities.entity_id and entities.parent_id is not null
    inner join metrics on child.metric = metrics.metric_id and metrics.is_additive
    inner join known on entities.parent_id = known.parent_id
    group by child.report_id, child.metric, child.market, child.period, entities.parent_id

),

components as (

    select
        children.report_id,
        case
            when children.children_stated = children.children_known then 'components_vs_total'
            else 'components_within_total'
        end as rule,
        children.metric || ' ' || children.parent_entity || ' ' || coalesce(children.period, '(no period)')
        || ' = sum of ' || children.children_stated || ' of ' || children.children_known || ' components' as subject,
        total.value_base as stated_value,
        children.children_sum as computed_value,
        children.children_tolerance + coalesce(total.value_base_precision, 0) / 2 as tolerance

    from children
    inner join facts as total
        on
            children.report_id = total.report_id
            and children.metric = total.metric
            and children.parent_entity = total.entity
            and children.period is not distinct from total.period
            and children.market is not distinct from total.market
    where children.children_stated >= 2

),

ratios as (

    select
        ratio.report_id,
        'stated_ratio_vs_parts' as rule,
        ratio.metric || ' ' || ratio.entity || ' ' || coalesce(ratio.period, '') || ' = '
        || definitions.numerator_metric || ' / ' || definitions.denominator_metric as subject,
        ratio.value as stated_value,
        numerator.value_base / denominator.value_base * 100 as computed_value,
        coalesce(ratio.value_precision, 0) / 2
        + 100 * (
            coalesce(numerator.value_base_precision, 0) / 2 / abs(denominator.value_base)
            + coalesce(denominator.value_base_precision, 0) / 2 * abs(numerator.value_base) / denominator.value_base ^ 2
        ) as tolerance

    from facts as ratio
    inner join ratio_definitions as definitions on ratio.metric = definitions.ratio_metric
    inner join facts as numerator
        on
            ratio.report_id = numerator.report_id
            and ratio.entity = numerator.entity
            and definitions.numerator_metric = numerator.metric
            and ratio.period is not distinct from numerator.period
    inner join facts as denominator
        on
            ratio.report_id = denominator.report_id
            and ratio.entity = denominator.entity
            and definitions.denominator_metric = denominator.metric
            and ratio.period is not distinct from denominator.period
            and numerator.base_unit = denominator.base_unit
    where denominator.value_base <> 0

),

stated_shares as (

    select
        share.report_id,
        'stated_share_vs_parts' as rule,
        'share of ' || share.entity || ' in ' || parent.entity_id || ' ' || share.period as subject,
        share.value as stated_value,
        part.value_base / whole.value_base * 100 as computed_value,
        coalesce(share.value_precision, 0) / 2
        + 100 * (
            coalesce(part.value_base_precision, 0) / 2 / whole.value_base
            + coalesce(whole.value_base_precision, 0) / 2 * part.value_base / whole.value_base ^ 2
        ) as tolerance

    from facts as share
    inner join entities as child on share.entity = child.entity_id
    inner join entities as parent on child.parent_id = parent.entity_id
    inner join facts as part
        on
            share.report_id = part.report_id
            and share.entity = part.entity
            and share.period = part.period
            and part.metric = 'market_size'
    inner join facts as whole
        on
            share.report_id = whole.report_id
            and parent.entity_id = whole.entity
            and share.period = whole.period
            and whole.metric = 'market_size'
            and part.base_unit = whole.base_unit
    where share.metric = 'share_of_parent' and whole.value_base > 0

),

cagr_endpoints as (

    select
        cagr.report_id,
        'stated_cagr_vs_endpoints' as rule,
        'cagr ' || cagr.entity || ' ' || cagr.period || ' from ' || first.metric as subject,
        cagr.value as stated_value,
        (power(last.value_base / first.value_base, 1.0 / (year(last.period_end) - year(first.period_end))) - 1)
        * 100 as computed_value,
        coalesce(cagr.value_precision, 0) / 2
        + 100 * power(last.value_base / first.value_base, 1.0 / (year(last.period_end) - year(first.period_end)))
        / (year(last.period_end) - year(first.period_end))
        * (
            coalesce(last.value_base_precision, 0) / 2 / last.value_base
            + coalesce(first.value_base_precision, 0) / 2 / first.value_base
        ) as tolerance

    from facts as cagr
    inner join facts as first
        on
            cagr.report_id = first.report_id
            and cagr.entity = first.entity
            and split_part(cagr.period, '/', 1) = first.period
            and first.is_level
    inner join facts as last
        on
            cagr.report_id = last.report_id
            and cagr.entity = last.entity
            and first.metric = last.metric
            and split_part(cagr.period, '/', 2) = last.period
    where cagr.metric = 'cagr' and cagr.period like '%/%' and first.value_base > 0

),

pp_changes as (

    select
        change.report_id,
        'stated_pp_change_vs_levels' as rule,
        change.metric || ' ' || change.entity || ' ' || change.period as subject,
        change.value as stated_value,
        last.value - first.value as computed_value,
        coalesce(change.value_precision, 0) / 2 + coalesce(first.value_precision, 0) / 2
        + coalesce(last.value_precision, 0) / 2 as tolerance

    from facts as change
    inner join facts as first
        on
            change.report_id = first.report_id
            and change.entity = first.entity
            and regexp_replace(change.metric, '_change$', '') = first.metric
            and split_part(change.period, '/', 1) = first.period
    inner join facts as last
        on
            change.report_id = last.report_id
            and change.entity = last.entity
            and first.metric = last.metric
            and split_part(change.period, '/', 2) = last.period
    where change.metric like '%\_change' escape '\' and change.base_unit = 'pp'

),

unioned as (

    {% for part in ['stated_growth', 'components', 'ratios', 'stated_shares', 'cagr_endpoints', 'pp_changes'] -%}
        select {{ rule_columns | join(', ') }} from {{ part }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

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
