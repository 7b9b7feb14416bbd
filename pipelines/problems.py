"""One problem found in a report package, named the way users fix it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# The asset check a problem belongs to (see pipelines/assets/raw.py).
HEADER = "header_complete"
VALUES = "values_valid"
KEYS = "keys_unique"


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: str
    value: str
    rule: str
    report_id: str = ""
    check: str = field(default=VALUES, compare=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        column = f" column {self.column}" if self.column else ""
        value = f" value {self.value!r}" if self.value != "" else " (empty)" if self.column else ""
        return f"{where}: [{self.report_id}]{column}{value}: {self.rule}"

    def as_dict(self) -> dict:
        return asdict(self)

