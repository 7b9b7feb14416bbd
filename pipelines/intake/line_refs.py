"""Line refs: where in a package's source.txt a figure stands (docs/raw-format.md#line-refs).

Data decisions:
- A ref is parts separated by `;`. A part is a line ref, `L65` or `L311-312`
  (also `L311-L312`), optionally after a document prefix, `S2 L983-985`; the
  prefix names the document the package was transcribed from (the seed
  reports are S1 and S2). A package has one source.txt, so every line ref of
  the package points into it, whatever its prefix.
- Any other part is free text (`p. 12`, `Table 1 row 3`): valid, not a line.
- A part that starts like a line ref (an optional prefix, then L and a digit,
  a space or a dash) but does not follow the grammar is rejected, never read
  as free text: `L65-`, `L 65`, `L0`, `L12-5`.
- Lines count from 1; a range ends on or after its first line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.intake.problems import Rejected

SEPARATOR = ";"
LINE_REF = re.compile(r"(?:(S\d+) )?L([1-9]\d*)(?:[-–]L?([1-9]\d*))?", re.ASCII)
LOOKS_LIKE = re.compile(r"(?:S\d+\s*)?L[\d\s\-–]", re.ASCII | re.IGNORECASE)
RULE = "a line ref must be L<line> or L<first>-<last>, lines counted from 1"
HINT = "e.g. L65, L311-312 or S2 L983-985; other refs (p. 12) must not start with L and a digit"
ORDER_RULE = "a line range must not end before it starts"


@dataclass(frozen=True, slots=True)
class LineSpan:
    first: int
    last: int
    prefix: str = ""

    def __str__(self) -> str:
        lines = f"L{self.first}" if self.first == self.last else f"L{self.first}-{self.last}"
        return f"{self.prefix} {lines}" if self.prefix else lines

    @property
    def lines(self) -> range:
        return range(self.first, self.last + 1)


def parse_ref(ref: str | None) -> tuple[LineSpan, ...]:
    """The line spans a ref names, in order; () when it names none (free text). Rejected when a part looks
    like a line ref but breaks the grammar."""
    spans = []
    for part in (ref or "").split(SEPARATOR):
        part = part.strip()
        if not LOOKS_LIKE.match(part):
            continue
        match = LINE_REF.fullmatch(part)
        if not match:
            raise Rejected(RULE, HINT, part)
        prefix, first, last = match.group(1) or "", int(match.group(2)), int(match.group(3) or match.group(2))
        if last < first:
            raise Rejected(ORDER_RULE, f"write L{last}-{first}", part)
        spans.append(LineSpan(first, last, prefix))
    return tuple(spans)


def referenced_lines(spans: tuple[LineSpan, ...]) -> list[int]:
    """The lines of the spans, each once, in the order the ref names them."""
    return list(dict.fromkeys(line for span in spans for line in span.lines))
