"""The working-file resource: the DuckDB file that raw, dbt and sizing assets write into.

Data decisions:
- Its config is the resolved paths (published file and raw directory), so a
  run's launchpad shows which warehouse it builds; nothing below reads the
  environment. Assets only write the working file; the publish asset alone
  replaces the published file, after every upstream step passed.
- A run holds the writer lock (pipelines.warehouse.writer_lock) from start to
  end, so a sensor run and a CLI refresh never write the working file at once;
  the later one waits. The Dagster pool WRITER_POOL (limit 1) queues runs too.
- A full disk or an unwritable folder, in Python, DuckDB or dbt, fails the
  step with one line naming the file (failing_in_one_line).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt.errors import DagsterDbtCliRuntimeError

from pipelines.warehouse.file_errors import explain
from pipelines.warehouse.paths import Paths
from pipelines.warehouse.working_file import prepare_working_file
from pipelines.warehouse.writer_lock import writer_lock


class WorkingFileResource(dg.ConfigurableResource):
    """The working file of the published warehouse `published`, built from the packages in `raw_dir`."""

    published: str
    raw_dir: str
    lock_wait_seconds: float = 1800.0

    @classmethod
    def of(cls, paths: Paths) -> WorkingFileResource:
        return cls(published=str(paths.published), raw_dir=str(paths.raw_dir))

    @property
    def paths(self) -> Paths:
        return Paths(Path(self.published), Path(self.raw_dir))

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext):
        log = context.log.info if context.log else None
        with writer_lock(self.paths.working, self.lock_wait_seconds, on_wait=log):
            yield self

    @contextmanager
    def connect(self):
        # Prepared here, in a step, not when the resource starts: a failure there
        # fails the run before any step, and its reason would not reach the summary.
        paths = self.paths
        with failing_in_one_line(paths.published, writing_a_copy_of=paths.published):
            prepare_working_file(paths)
        with failing_in_one_line(paths.published):
            connection = duckdb.connect(str(paths.working))
            try:
                yield connection
            finally:
                connection.close()


@contextmanager
def failing_in_one_line(published: Path, writing_a_copy_of: Path | None = None):
    """Turn a full disk or an unwritable folder (in Python, DuckDB or dbt) into a step failure of one line.

    `writing_a_copy_of` names the file being copied, to say how much space the copy needs.
    """
    try:
        yield
    except (OSError, duckdb.Error, DagsterDbtCliRuntimeError) as error:
        source = writing_a_copy_of
        line = explain(error, needed=source.stat().st_size if source and source.exists() else None)
        if line is None:
            raise
        raise dg.Failure(description=f"{line}; nothing was published ({published} is unchanged)") from None
