"""Chinese numerals and scale words as reports print them: 四年, 一年半, 两座, 第三, 千亿级, 1300万亿.

Data decisions:
- Digits 〇零一二两三四五六七八九, small units 十百千, big units 万亿; 两 is 2.
- A run of numerals ending in big units is read as its numeral and a scale:
  千亿 is 1000 at scale 1e8 (the transcriber writes 1000 with unit 亿, or
  1e11 with a bare unit), so both readings are offered. A run that starts
  with a big unit (万一, 亿万) holds no numeral.
- A run of digits without units is positional (二〇二三 = 2023).
- 半 after a numeral and one counter (一年半, 两个半) adds one half.
- Words that use numerals but name no number (一直, 统一, 百度, 十分, ...) are
  NOT_NUMBERS and are never read.
- SCALES is the one table of scale words and their factors; a unit such as
  亿元 or 万亿tokens carries its scale as its leading word (unit_scale).
"""

from __future__ import annotations

import re

DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10**4, "亿": 10**8}
SCALES = {
    "十": 10,
    "百": 100,
    "千": 10**3,
    "万": 10**4,
    "十万": 10**5,
    "百万": 10**6,
    "千万": 10**7,
    "亿": 10**8,
    "十亿": 10**9,
    "百亿": 10**10,
    "千亿": 10**11,
    "万亿": 10**12,
    "亿亿": 10**16,
}
SCALES_LONGEST_FIRST = sorted(SCALES, key=len, reverse=True)
COUNTERS = "年个月天日周倍次款座栋家位名"
HALF = "半"
NOT_NUMBERS = (
    "一直",
    "一些",
    "一系列",
    "一起",
    "一定",
    "一体",
    "一般",
    "一致",
    "一样",
    "一方面",
    "一旦",
    "一步",
    "一站式",
    "一蹴而就",
    "统一",
    "唯一",
    "万一",
    "万物",
    "百度",
    "十分",
    "千万",
    "两者",
    "三星",
    "之一",
    "不一",
)
NUMERAL = re.compile(f"[{''.join(DIGITS)}{''.join(SMALL_UNITS)}{''.join(BIG_UNITS)}]+")
_STOP = re.compile("|".join(sorted(NOT_NUMBERS, key=len, reverse=True)))


def unit_scale(unit: str) -> int:
    """The factor of the scale word a unit starts with (亿元 -> 1e8, 百万美元 -> 1e6), else 1."""
    return next((SCALES[word] for word in SCALES_LONGEST_FIRST if unit.startswith(word)), 1)


def read_numeral(text: str) -> int | None:
    """The value of a numeral without trailing big units (三千 -> 3000, 二〇二三 -> 2023); None if it holds none."""
    if not text or text[0] in BIG_UNITS:
        return None
    if all(c in DIGITS for c in text):
        return int("".join(str(DIGITS[c]) for c in text))
    total, section, digit = 0, 0, None
    for c in text:
        if c in DIGITS:
            digit = DIGITS[c]
        elif c in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[c]
            digit = None
        else:  # a big unit inside the numeral: 一万二千
            total = (total + section + (digit or 0)) * BIG_UNITS[c]
            section, digit = 0, None
    return total + section + (digit or 0)


def split_scale(run: str) -> tuple[str, int]:
    """A run of numerals as its numeral part and the scale of its trailing big units: 千亿 -> (千, 1e8)."""
    end = len(run)
    while end > 0 and run[end - 1] in BIG_UNITS:
        end -= 1
    scale = 1
    for c in run[end:]:
        scale *= BIG_UNITS[c]
    return run[:end], scale


def numeral_spans(line: str) -> list[tuple[int, int, float, int]]:
    """Every Chinese numeral of a line: (start, end, value, scale); end covers a counted half (一年半)."""
    stopped = [False] * (len(line) + 1)
    for match in _STOP.finditer(line):
        for i in range(match.start(), match.end()):
            stopped[i] = True
    found = []
    for match in NUMERAL.finditer(line):
        start, run = match.start(), match.group()
        while run and stopped[start]:  # 一直增长十倍: drop the numerals of a word that is no number
            start, run = start + 1, run[1:]
        run = run[: next((i for i, _ in enumerate(run) if stopped[start + i]), len(run))]
        if line[:start].rstrip()[-1:].isdigit():  # 3千, 1300 万亿: a scale word of digits, not a numeral
            continue
        numeral, scale = split_scale(run)
        value = read_numeral(numeral)
        if value is None:
            continue
        end = start + len(run)
        counter = line[end : end + 1]
        if scale == 1 and counter and counter in COUNTERS and line[end + 1 : end + 2] == HALF:
            found.append((start, end + 2, value + 0.5, 1))
        else:
            found.append((start, end, float(value), scale))
    return found
