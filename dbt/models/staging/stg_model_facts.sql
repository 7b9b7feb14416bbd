{{ stg_fact_table('model_facts', entity='model') }}
