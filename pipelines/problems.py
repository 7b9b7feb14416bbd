"""One problem found in a report package, named the way users fix it."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: str
    value: str
    rule: str
    report_id: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        column = f" column {self.column}" if self.column else ""
        value = f" value {self.value!r}" if self.value != "" else " (empty)" if self.column else ""
        return f"{where}: [{self.report_id}]{column}{value}: {self.rule}"

    def as_dict(self) -> dict:
        return asdict(self)


class ValidationFailed(Exception):
    """Raised with every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in report packages:\n{lines}")
