"""The code location users and docs name: `pipelines.definitions:defs`.

Dagster calls `defs` when it loads the code location; the paths come from
CLOUDFACTS_WAREHOUSE and CLOUDFACTS_RAW_DIR then (pipelines.warehouse.paths),
not at import. Code that has its paths calls build_definitions(paths).
"""

import dagster as dg

from pipelines.defs.definitions import build_definitions
from pipelines.warehouse.paths import Paths


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(Paths.resolve())
