{{ stg_fact_table('market_size', entity='market') }}
