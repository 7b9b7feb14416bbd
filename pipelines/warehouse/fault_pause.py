"""Test hook: hold a refresh at a named stage, so fault-injection tests can signal it exactly there.

Data decisions:
- Only tests set FAULT_PAUSE_ENV, as `<stage>:<marker path>`. pause_at(<stage>)
  then creates the marker and waits while it exists (at most MAX_SECONDS); the
  test signals the refresh, then deletes the marker to let it go on. Unset, as
  everywhere outside tests, pause_at returns at once.
- Stages (STAGES): `raw` in the raw load with the working file open, `dbt`
  with `dbt build` running, `publish` inside the publish guard just before the
  published file is replaced.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

FAULT_PAUSE_ENV = "CLOUDFACTS_FAULT_PAUSE"
STAGES = ("raw", "dbt", "publish")
MAX_SECONDS = 120.0


def pause_at(stage: str) -> None:
    wanted, _, marker = os.environ.get(FAULT_PAUSE_ENV, "").partition(":")
    if wanted != stage or not marker:
        return
    path = Path(marker)
    path.write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + MAX_SECONDS
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
