"""Tables shown as Dagster metadata: always capped, so a 10,000-report run stays cheap to record and view."""

from __future__ import annotations

from typing import TYPE_CHECKING

import dagster as dg

if TYPE_CHECKING:  # pandas stays out of the code location's import
    import pandas as pd

PREVIEW_ROWS = 50


def md_table(frame: pd.DataFrame, limit: int = PREVIEW_ROWS) -> dg.MetadataValue:
    if frame.empty:
        return dg.MetadataValue.md("none")
    text = frame.head(limit).to_markdown(index=False)
    if len(frame) > limit:
        text += f"\n\n… and {len(frame) - limit:,} more rows (query the warehouse for all of them)"
    return dg.MetadataValue.md(text)
