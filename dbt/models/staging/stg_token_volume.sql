{{ stg_fact_table('token_volume', entity='entity') }}
