"""Names the Dagster definitions, the CLI and the instance share.

Data decisions:
- WRITER_POOL keeps its historical value: a Dagster instance stores the pool's
  limit under this name, and renaming it would drop a limit a user has set.
"""

JOB_NAME = "refresh"
WRITER_POOL = "cloudfacts_warehouse"
WORKING_FILE_RESOURCE = "working_file"
DBT_RESOURCE = "dbt"
# A run tagged with it rebuilds every dbt model (`cloudfacts refresh --full-refresh`).
FULL_REFRESH_TAG = "cloudfacts/full_refresh"
