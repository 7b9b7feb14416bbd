{# Period helpers for the grammar in docs/raw-format.md
   (YYYY, YYYYH1, YYYYQ1, YYYY-MM, YYYY-MM-DD, START/END, FY prefix). #}

{% macro shift_period_years(period, years) -%}
    case
        when {{ period }} like '%/%' then
            {{ _shift_single("split_part(" ~ period ~ ", '/', 1)", years) }}
            || '/' || {{ _shift_single("split_part(" ~ period ~ ", '/', 2)", years) }}
        else {{ _shift_single(period, years) }}
    end
{%- endmacro %}

{% macro _shift_single(single, years) -%}
    regexp_replace({{ single }}, '\d{4}', cast(cast(regexp_extract({{ single }}, '\d{4}') as integer) + {{ years }} as varchar))
{%- endmacro %}

{# Calendar bounds of one period without a range (FY prefix stripped by the caller). #}
{% macro _single_start(p) -%}
    case
        when {{ p }} ~ '^\d{4}$' then make_date(cast(left({{ p }}, 4) as integer), 1, 1)
        when {{ p }} ~ '^\d{4}H[12]$' then make_date(cast(left({{ p }}, 4) as integer), 6 * cast(right({{ p }}, 1) as integer) - 5, 1)
        when {{ p }} ~ '^\d{4}Q[1-4]$' then make_date(cast(left({{ p }}, 4) as integer), 3 * cast(right({{ p }}, 1) as integer) - 2, 1)
        when {{ p }} ~ '^\d{4}-\d{2}$' then cast({{ p }} || '-01' as date)
        when {{ p }} ~ '^\d{4}-\d{2}-\d{2}$' then cast({{ p }} as date)
    end
{%- endmacro %}

{% macro _single_end(p) -%}
    case
        when {{ p }} ~ '^\d{4}$' then make_date(cast(left({{ p }}, 4) as integer), 12, 31)
        when {{ p }} ~ '^\d{4}H[12]$' then last_day(make_date(cast(left({{ p }}, 4) as integer), 6 * cast(right({{ p }}, 1) as integer), 1))
        when {{ p }} ~ '^\d{4}Q[1-4]$' then last_day(make_date(cast(left({{ p }}, 4) as integer), 3 * cast(right({{ p }}, 1) as integer), 1))
        when {{ p }} ~ '^\d{4}-\d{2}$' then last_day(cast({{ p }} || '-01' as date))
        when {{ p }} ~ '^\d{4}-\d{2}-\d{2}$' then cast({{ p }} as date)
    end
{%- endmacro %}

{# A fiscal period (FY prefix) moves back by the months between the fiscal and the calendar year end. #}
{% macro _fiscal_shift(p, fiscal_year_end_month) -%}
    (case when {{ p }} like 'FY%' then 12 - coalesce({{ fiscal_year_end_month }}, 12) else 0 end)
{%- endmacro %}

{% macro period_start(period, fiscal_year_end_month='null') -%}
    cast({{ _single_start("replace(split_part(" ~ period ~ ", '/', 1), 'FY', '')") }}
        - to_months({{ _fiscal_shift(period, fiscal_year_end_month) }}) as date)
{%- endmacro %}

{# A shifted month end may fall before the month's last day (2023-06-30 - 6 months = 2022-12-30), so it moves to
   the month's end; a day is its own end. #}
{% macro period_end(period, fiscal_year_end_month='null') -%}
    {%- set last = "split_part(" ~ period ~ ", '/', -1)" -%}
    {%- set shifted = "cast(" ~ _single_end("replace(" ~ last ~ ", 'FY', '')") ~ " - to_months("
        ~ _fiscal_shift(period, fiscal_year_end_month) ~ ") as date)" -%}
    case when {{ last }} ~ '^(FY)?\d{4}-\d{2}-\d{2}$' then {{ shifted }} else last_day({{ shifted }}) end
{%- endmacro %}

{% macro period_granularity(period) -%}
    case
        when {{ period }} like '%/%' then 'range'
        when {{ period }} ~ '^(FY)?\d{4}$' then 'year'
        when {{ period }} ~ '^(FY)?\d{4}H[12]$' then 'half'
        when {{ period }} ~ '^(FY)?\d{4}Q[1-4]$' then 'quarter'
        when {{ period }} ~ '^(FY)?\d{4}-\d{2}$' then 'month'
        when {{ period }} ~ '^(FY)?\d{4}-\d{2}-\d{2}$' then 'day'
    end || case when {{ period }} like 'FY%' then '_fiscal' else '' end
{%- endmacro %}
