{# Period helpers for the grammar in docs/raw-format.md (YYYY, YYYYH1, YYYYQ1, YYYY-MM, YYYY-MM-DD, START/END, FY prefix). #}

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
