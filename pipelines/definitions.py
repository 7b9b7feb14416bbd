"""The code location users and docs name: `pipelines.definitions:defs` (built in pipelines.defs)."""

from pipelines.defs.definitions import defs

__all__ = ["defs"]
