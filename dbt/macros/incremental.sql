{#
Incremental builds keyed by report (docs/scaling.md, "Incremental builds").

meta.pending_reports lists every report loaded, changed or removed since the last
successful build; the loader writes it in the transaction that changes raw, and
the dbt asset empties it after a build succeeds. A model whose rows belong to one
report deletes those reports' rows (pre-hook) and inserts them again from its
inputs filtered to them; a removed report's rows are deleted and nothing comes
back. Cross-report marts do the same per figure (intermediate.int_touched_figures).
Outside an incremental run (first build, --full-refresh) every filter is `true`.
#}

-- noqa: disable=LT02
-- (sqlfluff cannot lay out jinja branches inside macros; the rendered SQL is linted in the models)

{% macro touched_reports() -%}
{%- if not execute -%}{{ return([]) }}{%- endif -%}
{%- set rows = run_query('select distinct report_id from meta.pending_reports order by 1') -%}
{{ return(rows.columns[0].values() | list) }}
{%- endmacro %}

{% macro quoted_list(values) -%}
{%- for value in values -%}
'{{ value | replace("'", "''") }}'{{ ', ' if not loop.last }}
{%- endfor -%}
{%- endmacro %}

{# A predicate on the report key: the touched reports in an incremental run, every report otherwise. #}
{% macro for_touched_reports(column='report_id') -%}
{%- if not is_incremental() -%}
true
{%- elif touched_reports() -%}
{{ column }} in ({{ quoted_list(touched_reports()) }})
{%- else -%}
false
{%- endif -%}
{%- endmacro %}

{% macro delete_touched_reports(column='report_id') -%}
{%- if is_incremental() -%}
delete from {{ this }} where {{ for_touched_reports(column) }}
{%- else -%}
select 1
{%- endif -%}
{%- endmacro %}

{# The figures the touched reports stated at the last build, read from the mart as it still is. #}
{% macro figures_stated_before(schema, identifier) -%}
{%- set before = none -%}
{%- if execute and is_incremental() -%}
{%- set before = adapter.get_relation(target.database, schema, identifier) -%}
{%- endif -%}
{%- if before -%}
select distinct metric, entity, market, period from {{ before }} where {{ for_touched_reports() }}
{%- else -%}
select metric, entity, market, period from facts where false
{%- endif -%}
{%- endmacro %}

{# The figure key of fct_metric: (metric, entity, market, period), nulls matching nulls. Models that call it
   also say `-- depends_on: {{ ref('int_touched_figures') }}`, since the ref is rendered only in incremental runs. #}
{% macro for_touched_figures(relation) -%}
{%- if is_incremental() -%}
exists (
    select 1 from {{ ref('int_touched_figures') }} as touched
    where
        touched.metric is not distinct from {{ relation }}.metric
        and touched.entity is not distinct from {{ relation }}.entity
        and touched.market is not distinct from {{ relation }}.market
        and touched.period is not distinct from {{ relation }}.period
)
{%- else -%}
true
{%- endif -%}
{%- endmacro %}

{% macro delete_touched_figures() -%}
{%- if is_incremental() -%}
delete from {{ this }} as target where {{ for_touched_figures('target') }}
{%- else -%}
select 1
{%- endif -%}
{%- endmacro %}
