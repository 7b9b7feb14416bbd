"""Reading the bytes of a package file as text.

Data decisions:
- Accepted: UTF-8, UTF-8 with a BOM, and GB18030 (what Excel and WPS write on a
  Chinese Windows). UTF-8 is tried first: real GB18030 text is almost never
  valid UTF-8, while the reverse guess would garble correct files.
- GB18030 decodes most byte soup, so it is never chosen from one byte or one
  character: the whole file must decode strictly, every non-ASCII character
  must be plausible (a CJK ideograph or full-width form, or a character of the
  GB2312 repertoire: Chinese punctuation, ≈, ×, ①), there must be at least
  GB18030_MIN_CHARS of them, and at least half of them must be GB2312
  characters. Latin-1 read as GB18030 gives rare ideographs ("Zürich" ->
  "Z黵ich"), never common ones, so such a file is rejected, not misread.
- Rejected: NUL bytes and control characters other than tab, CR and LF
  (binary data, or UTF-16, which gets its own hint); anything else that is
  not unambiguously one of the accepted encodings. Nothing is ever decoded
  with errors="replace": a replaced character would silently change a figure.
"""

from __future__ import annotations

import re
from collections import Counter

from pipelines.intake.problems import Rejected

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
GB18030_MIN_CHARS = 2
GB2312_MIN_SHARE = 0.5
# Lead bytes of GB2312's symbol rows (A1-A9) and hanzi rows (B0-F7); both bytes are >= A1.
GB2312_LEAD_BYTES = frozenset(range(0xA1, 0xAA)) | frozenset(range(0xB0, 0xF8))
PLAUSIBLE_GB18030_RANGES = (
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3400, 0x4DBF),  # CJK unified ideographs extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF00, 0xFFEF),  # half-width and full-width forms
)

BINARY_RULE = "is not text: it holds NUL bytes or control characters"
BINARY_HINT = "save the table as a CSV file (UTF-8)"
UTF16_RULE = "is UTF-16 text, which is not accepted"
ENCODING_RULE = "is neither UTF-8 nor unambiguous GB18030 text"
BOM_RULE = "starts with a UTF-8 BOM but is not valid UTF-8"
SAVE_AS_UTF8 = "save the file as UTF-8 (in Excel: Save As > CSV UTF-8)"

_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never inside a UTF-8 or GB18030 sequence
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0, DEL and C1
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _where(data: bytes, position: int) -> str:
    """Line and bytes of a bad spot, for the problem's value."""
    line = data.count(b"\n", 0, position) + 1
    return f"line {line}: bytes {data[position : position + 4].hex(' ')}"


def _in_gb2312(char: str) -> bool:
    encoded = char.encode("gb18030")
    return (
        len(encoded) == 2
        and encoded[0] in GB2312_LEAD_BYTES
        and encoded[1] >= 0xA1
        and not (0xE000 <= ord(char) <= 0xF8FF)
    )  # GB18030 maps some unassigned GB2312 cells to private use


def _plausible_gb18030(text: str) -> bool:
    counts = Counter(_NON_ASCII.findall(text))
    total = sum(counts.values())
    if total < GB18030_MIN_CHARS:
        return False
    common = 0
    for char, count in counts.items():
        if _in_gb2312(char):
            common += count
        elif not any(lo <= ord(char) <= hi for lo, hi in PLAUSIBLE_GB18030_RANGES):
            return False
    return common >= GB2312_MIN_SHARE * total


def decode(data: bytes) -> tuple[str, str]:
    """Text of a file and the encoding it was read with: 'utf-8', 'utf-8-sig' or 'gb18030'."""
    if data.startswith(UTF16_BOMS):
        raise Rejected(UTF16_RULE, SAVE_AS_UTF8, _where(data, 0))
    bad = _CONTROL_BYTES.search(data)
    if bad:
        raise Rejected(BINARY_RULE, BINARY_HINT, _where(data, bad.start()))
    if data.startswith(UTF8_BOM):
        try:
            text, encoding = data[len(UTF8_BOM) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise Rejected(BOM_RULE, SAVE_AS_UTF8, _where(data, len(UTF8_BOM) + error.start)) from None
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as error:
            first_bad = error.start
            try:
                text, encoding = data.decode("gb18030"), "gb18030"
            except UnicodeDecodeError:
                text = None
            if text is None or not _plausible_gb18030(text):
                raise Rejected(ENCODING_RULE, SAVE_AS_UTF8, _where(data, first_bad)) from None
    bad_char = _CONTROL_CHARS.search(text)
    if bad_char:
        line = text.count("\n", 0, bad_char.start()) + 1
        raise Rejected(BINARY_RULE, BINARY_HINT, f"line {line}: U+{ord(bad_char.group()):04X}")
    return text, encoding
