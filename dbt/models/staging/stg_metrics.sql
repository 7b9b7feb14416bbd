{{ stg_fact_table('metrics', entity='entity') }}
