{{ stg_fact_table('vendor_financials', entity='company') }}
