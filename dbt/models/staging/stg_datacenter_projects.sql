{{ stg_fact_table('datacenter_projects', entity='project') }}
