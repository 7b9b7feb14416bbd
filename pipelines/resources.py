"""The warehouse resource: one DuckDB file that raw and sizing assets write into.

Data decisions:
- Assets always write the working file (settings.working_path); only the
  publish asset touches the published file, after every upstream step passed.
"""

from __future__ import annotations

from contextlib import contextmanager

import dagster as dg
import duckdb

from pipelines import settings


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB working file; the path comes from CLOUDFACTS_WAREHOUSE at run time."""

    @contextmanager
    def connect(self):
        path = settings.working_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = duckdb.connect(str(path))
        try:
            yield connection
        finally:
            connection.close()
