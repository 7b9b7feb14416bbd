{{ stg_fact_table('vendor_share', entity='vendor', metric='market_share', market='market') }}
