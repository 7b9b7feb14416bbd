"""The three files a warehouse is made of, resolved once and passed as arguments.

Data decisions:
- `published` is the DuckDB file users query (CLOUDFACTS_WAREHOUSE, default
  warehouse/cloudfacts.duckdb in the project); `raw_dir` holds the report
  packages (CLOUDFACTS_RAW_DIR, default raw/).
- Builds go to `working`, a file of the same name in a `.build/` folder beside
  the published file: DuckDB names its catalog after the file stem, so both
  share one catalog name. This is the only place that path is derived; dbt is
  told it as the `working_file` var (dbt/profiles.yml).
- dbt's staging views and intermediate tables go to `models`, a second file
  beside the working file (`<stem>.models.duckdb`, the `models_file` var, attached
  as `models`): the working file holds only what is published, so publishing
  copies no intermediate rows.
- The environment is read once, at the edge (the CLI, the Dagster code
  location) by `Paths.resolve`; nothing below it reads or writes os.environ.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pipelines.project import PROJECT_ROOT

WAREHOUSE_ENV = "CLOUDFACTS_WAREHOUSE"
RAW_DIR_ENV = "CLOUDFACTS_RAW_DIR"
DEFAULT_PUBLISHED = PROJECT_ROOT / "warehouse" / "cloudfacts.duckdb"
DEFAULT_RAW_DIR = PROJECT_ROOT / "raw"
BUILD_DIR_NAME = ".build"
DBT_WORKING_FILE_VAR = "working_file"
DBT_MODELS_FILE_VAR = "models_file"
MODELS_SUFFIX = ".models"
MODELS_DATABASE = "models"  # the models file's alias in dbt/profiles.yml and dbt_project.yml


@dataclass(frozen=True)
class Paths:
    published: Path
    raw_dir: Path

    @classmethod
    def resolve(
        cls,
        published: str | Path | None = None,
        raw_dir: str | Path | None = None,
        environ: Mapping[str, str] = os.environ,
    ) -> Paths:
        """Arguments first, then the environment, then the project's defaults; always absolute."""
        published = published or environ.get(WAREHOUSE_ENV) or DEFAULT_PUBLISHED
        raw_dir = raw_dir or environ.get(RAW_DIR_ENV) or DEFAULT_RAW_DIR
        return cls(Path(published).expanduser().resolve(), Path(raw_dir).expanduser().resolve())

    @property
    def build_dir(self) -> Path:
        return self.published.parent / BUILD_DIR_NAME

    @property
    def working(self) -> Path:
        return self.build_dir / self.published.name

    @property
    def models(self) -> Path:
        return self.build_dir / f"{self.published.stem}{MODELS_SUFFIX}{self.published.suffix}"

    def dbt_vars(self) -> str:
        """dbt's --vars argument: where dbt/profiles.yml points dbt."""
        return json.dumps({DBT_WORKING_FILE_VAR: str(self.working), DBT_MODELS_FILE_VAR: str(self.models)})


if __name__ == "__main__":  # `python -m pipelines.warehouse.paths`: the --vars for running dbt by hand
    print(Paths.resolve().dbt_vars())
