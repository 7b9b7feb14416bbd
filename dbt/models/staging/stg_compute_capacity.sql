{{ stg_fact_table('compute_capacity', entity='entity') }}
