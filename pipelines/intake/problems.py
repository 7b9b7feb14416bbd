"""One problem found in a report package, named the way users fix it.

Data decisions:
- A problem prints as one line: file:line, report, column, the value as written,
  the rule broken and, where one helps, a hint on how to fix it.
- `check` names the asset check it belongs to, chosen where the problem is found.
- A cell or value is empty when nothing but whitespace is left (is_empty; any
  Unicode space, U+3000 too): the one rule csvfiles, normalise and report.yaml
  apply, and Pandera sees such a cell as missing.
- Rejected is how a reader of one value (encodings, normalise) says no; the
  caller turns it into a Problem where it knows file, line and column.
- Names from raw/ (folders, files, cells) are printed through `printable`: a
  control character (ESC, CR, newline, DEL, C1, bidi overrides, a lone
  surrogate from a non-UTF-8 name) is shown as its Python escape (\\x1b), so a
  folder name cannot move the cursor, recolour or rewrite the terminal, and a
  problem stays one line.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# The asset check a problem belongs to (see pipelines/defs/assets/raw.py).
HEADER = "header_complete"
VALUES = "values_valid"
KEYS = "keys_unique"
PACKAGE = "packages_valid"
EMPTY_RULE = "must not be empty"


def is_empty(text: str | None) -> bool:
    return text is None or not text.strip()


class Rejected(ValueError):
    """A value that cannot be read unambiguously."""

    def __init__(self, rule: str, hint: str = "", value: str = ""):
        super().__init__(f"{rule}: {value!r}" if value else rule)
        self.rule, self.hint, self.value = rule, hint, value

    def __reduce__(self):  # keep rule, hint and value when pickled across processes
        return type(self), (self.rule, self.hint, self.value)


def printable(text: str) -> str:
    """text with every non-printable character escaped, as repr() would; plain text is returned as is."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: str
    value: str
    rule: str
    report_id: str = ""
    check: str = field(default=VALUES, compare=False)
    hint: str = field(default="", compare=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        column = f" column {self.column}" if self.column else ""
        value = f" value {self.value!r}" if self.value != "" else " (empty)" if self.rule == EMPTY_RULE else ""
        hint = f" (hint: {self.hint})" if self.hint else ""
        return printable(f"{where}: [{self.report_id}]{column}{value}: {self.rule}{hint}")

    def as_dict(self) -> dict:
        return asdict(self)
