"""Bad report packages, one defect each, and the exact problem line each must produce;
then every form that is accepted and normalised, with its value and its recorded normalisation.

Static cases live in tests/bad_packages/<case>/ (a raw directory plus expected.txt). Cases that
cannot be static files (binary bytes, Latin-1, symlinks, a 200 MB file, 10,000 files, a YAML alias
bomb) are built in tmp_path from BASE.

Messages are asserted exactly as printed: the value as written (never the parsed float), the
rule, and a hint on how to fix it. The cases at the end guard against earlier bugs: huge files,
overflowing numbers, over-long cells, folders and dangling links named like tables, and symlinks
in a package with too many files.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from pipelines.intake.validation import validate_raw_dir

CORPUS = Path(__file__).parent / "bad_packages"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
R = "2024-05-test-report"

REPORT_YAML = "title: 测试报告\npublisher: 测试证券\npublished: 2024-05\nlanguage: zh\n"
OP_HEADER = "operator,period,revenue,unit,stated_yoy_pct,credited_source,ref,note\n"
OP_ROW = "china_mobile,2022H1,234,亿元,103.6,公司公告,p. 1,\n"
M_HEADER = "metric,entity,period,value,unit,qualifier,status,stated_yoy_pct,credited_source,ref,note\n"
M_ROW = "market_cap,emcloud_index,2021-11,2.7,万亿美元,exact,actual,,wind,p. 2,\n"
BASE = {"report.yaml": REPORT_YAML, "operator_cloud_revenue.csv": OP_HEADER + OP_ROW, "metrics.csv": M_HEADER + M_ROW}

BINARY_RULE = "is not text: it holds NUL bytes or control characters (hint: save the table as a CSV file (UTF-8))"
SAVE_AS_UTF8 = "(hint: save the file as UTF-8 (in Excel: Save As > CSV UTF-8))"


def make_raw(tmp_path: Path, **files: str | bytes | None) -> tuple[Path, Path]:
    """A raw directory with the base package, `files` replacing (or, when None, removing) its files."""
    raw = tmp_path / "raw"
    package = raw / R
    package.mkdir(parents=True)
    for name, content in {**BASE, **files}.items():
        if content is not None:
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            (package / name).write_bytes(data)
    return raw, package


def problems(raw: Path) -> list[str]:
    return [str(p) for p in validate_raw_dir(raw).all_problems]


def test_base_package_is_valid(tmp_path):
    raw, _ = make_raw(tmp_path)
    loaded = validate_raw_dir(raw)
    assert loaded.all_problems == []
    assert loaded.frames["operator_cloud_revenue"]["revenue"].tolist() == [234.0]
    assert loaded.frames["metrics"]["value"].tolist() == [2.7]


# Static corpus: tests/bad_packages/<case>/


@pytest.mark.parametrize("case", CASES)
def test_bad_package(case, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(CORPUS / case, raw, ignore=shutil.ignore_patterns("expected.txt"))
    expected = (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert expected, f"{case}/expected.txt is empty"
    loaded = validate_raw_dir(raw)
    assert [str(p) for p in loaded.all_problems] == expected
    # quarantined as a whole: nothing of the package is loaded
    assert all(frame.empty for frame in loaded.frames.values())


def test_corpus_has_the_documented_cases():
    assert len(CASES) >= 24
    for case in CASES:
        assert (CORPUS / case / "expected.txt").is_file(), case
        assert len([p for p in (CORPUS / case).iterdir() if p.is_dir()]) == 1, case


# Generated cases


def test_binary_file_named_like_a_table(tmp_path):
    # an Excel workbook renamed to .csv: a zip, with NUL bytes
    raw, _ = make_raw(tmp_path, **{"metrics.csv": b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"})
    assert problems(raw) == [f"{R}/metrics.csv: [{R}] value 'line 1: bytes 03 04 14 00': {BINARY_RULE}"]


def test_latin1_file_with_one_non_ascii_byte(tmp_path):
    data = (OP_HEADER + "china_mobile,2022H1,234,CNY 100 million,103.6,Zürich office,p. 1,\n").encode("latin-1")
    raw, _ = make_raw(tmp_path, **{"operator_cloud_revenue.csv": data})
    assert problems(raw) == [
        f"{R}/operator_cloud_revenue.csv: [{R}] value 'line 2: bytes fc 72 69 63': "
        f"is neither UTF-8 nor unambiguous GB18030 text {SAVE_AS_UTF8}"
    ]


def test_symlinked_file_pointing_outside_raw(tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text(M_HEADER + M_ROW, encoding="utf-8")
    raw, package = make_raw(tmp_path, **{"metrics.csv": None})
    (package / "metrics.csv").symlink_to(outside)
    assert problems(raw) == [
        f"{R}/metrics.csv: [{R}] value '{outside.resolve()}': symlink points outside raw/ "
        "(hint: copy the file into the package)"
    ]


def test_symlinked_package_folder_pointing_outside_raw(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    raw, package = make_raw(elsewhere)
    shutil.move(str(package), str(elsewhere / "package"))
    (raw / R).symlink_to(elsewhere / "package", target_is_directory=True)
    assert problems(raw) == [
        f"{R}/: [{R}] value '{(elsewhere / 'package').resolve()}': symlink points outside raw/ "
        "(hint: copy the package into raw/ instead of linking it)"
    ]


HUGE_LINE = f"{R}/metrics.csv: [{R}]: file is 200 MB; the limit is 50 MB (hint: split the table across reports)"


@pytest.fixture(scope="module")
def huge(tmp_path_factory):
    """A package whose metrics.csv is 200 MB (sparse: nothing on disk), loaded once: (seconds, Checked)."""
    raw, package = make_raw(tmp_path_factory.mktemp("huge"))
    with open(package / "metrics.csv", "r+b") as handle:
        handle.seek(200 * 2**20)
        handle.write(b"\n")
    started = time.perf_counter()
    loaded = validate_raw_dir(raw)
    return time.perf_counter() - started, loaded


def test_huge_file_is_rejected_by_size(huge):
    seconds, loaded = huge
    assert seconds < 5
    assert HUGE_LINE in [str(p) for p in loaded.all_problems]
    assert loaded.frames["reports"].empty


def test_huge_file_gives_one_problem_and_is_not_read(huge):
    assert [str(p) for p in huge[1].all_problems] == [HUGE_LINE]


def test_ten_thousand_files(tmp_path):
    raw, package = make_raw(tmp_path)
    for i in range(10_000 - len(BASE)):
        (package / f"note{i:05d}.md").write_bytes(b"x")
    assert problems(raw) == [
        f"{R}/: [{R}]: package holds 10000 files; at most 64 are allowed "
        "(hint: keep only report.yaml, the tables and notes in the folder)"
    ]


def test_yaml_alias_bomb_is_rejected_quickly(tmp_path):
    lines = [REPORT_YAML.rstrip("\n"), "notes:", '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, key in zip("abcdefgh", "bcdefghi", strict=True):  # 9**9 = 387,420,489 strings if expanded
        lines.append(f"  {key}: &{key} [" + ",".join([f"*{previous}"] * 9) + "]")
    raw, _ = make_raw(tmp_path, **{"report.yaml": "\n".join(lines) + "\n"})
    started = time.perf_counter()
    found = problems(raw)
    assert time.perf_counter() - started < 2
    assert found == [
        f"{R}/report.yaml:5: [{R}] column notes: must be plain text "
        "(hint: write the value on one line or as a >- block)"
    ]


# Accepted and normalised: the value loads and the normalisation is recorded per file.

OP = "operator_cloud_revenue"


def op_row(period="2022H1", revenue="234", yoy="103.6") -> str:
    return f"china_mobile,{period},{revenue},亿元,{yoy},公司公告,p. 1,\n"


def m_row(value: str, unit: str, qualifier: str = "exact") -> str:
    return f"market_cap,emcloud_index,2021-11,{value},{unit},{qualifier},actual,,wind,p. 2,\n"


ACCEPTED = {
    "gb18030": (
        OP,
        (OP_HEADER + op_row()).encode("gb18030"),
        {"revenue": 234.0, "unit": "亿元", "credited_source": "公司公告"},
        "encoding gb18030",
    ),
    "utf8_bom": (
        OP,
        b"\xef\xbb\xbf" + (OP_HEADER + op_row()).encode(),
        {"operator": "china_mobile", "revenue": 234.0},
        "encoding utf-8-sig",
    ),
    "crlf": (OP, (OP_HEADER + op_row()).replace("\n", "\r\n"), {"revenue": 234.0, "note": None}, "CRLF line ends"),
    "trailing_blank_lines": (OP, OP_HEADER + op_row() + "\n\n", {"revenue": 234.0, "line": 2}, "blank lines x2"),
    "full_width_digits": (
        OP,
        OP_HEADER + op_row(period="２０２２Ｈ１", revenue="１２３．５"),
        {"revenue": 123.5, "revenue_precision": 0.1, "period": "2022H1"},
        "full-width forms x2",
    ),
    "thousands_separators": (
        OP,
        OP_HEADER + op_row(revenue='"1,234.5"'),
        {"revenue": 1234.5, "revenue_precision": 0.1},
        "thousands-separator",
    ),
    "percent_sign_in_pct_column": (OP, OP_HEADER + op_row(yoy="9.3%"), {"stated_yoy_pct": 9.3}, "percent-sign"),
    "percent_sign_with_unit_percent": (
        "metrics",
        M_HEADER + m_row("9.3%", "percent"),
        {"value": 9.3, "unit": "percent"},
        "percent-sign",
    ),
    "scale_word_repeated_by_unit": (
        "metrics",
        M_HEADER + m_row("1.2万亿", "万亿元"),
        {"value": 1.2, "unit": "万亿元"},
        "scale-word:万亿",
    ),
    "qualifier_prefix_approx": (
        "metrics",
        M_HEADER + m_row("约3000", "亿元", qualifier=""),
        {"value": 3000.0, "qualifier": "approx"},
        "qualifier-word:约",
    ),
    "qualifier_suffix_lower_bound": (
        "metrics",
        M_HEADER + m_row("3000余", "亿元", qualifier=""),
        {"value": 3000.0, "qualifier": "lower_bound"},
        "qualifier-word:余",
    ),
    "surrounding_spaces": (
        OP,
        OP_HEADER + op_row(period=" 2022H1 ", revenue=" 234 "),
        {"period": "2022H1", "revenue": 234.0},
        "spaces trimmed x2",
    ),
}


@pytest.mark.parametrize("form", ACCEPTED)
def test_accepted_and_normalised(form, tmp_path):
    table, content, expected, normalisations = ACCEPTED[form]
    raw, _ = make_raw(tmp_path, **{f"{table}.csv": content})
    loaded = validate_raw_dir(raw)
    assert [str(p) for p in loaded.all_problems] == []
    row = loaded.frames[table].iloc[0].to_dict()
    assert {column: None if pd.isna(row[column]) else row[column] for column in expected} == expected
    files = {f["file"]: f for f in loaded.validated.files}
    assert files[f"{table}.csv"]["normalisations"] == normalisations
    untouched = "metrics.csv" if table == OP else "operator_cloud_revenue.csv"
    assert files[untouched]["normalisations"] == ""


# Known bugs (see the report that came with this file); strict, so a fix makes them fail until unmarked.


def test_overflowing_number_is_rejected(tmp_path):
    raw, _ = make_raw(tmp_path, **{"metrics.csv": M_HEADER + m_row("1e999", "万亿美元")})
    assert problems(raw) == [
        f"{R}/metrics.csv:2: [{R}] column value value '1e999': must be a number "
        "(e.g. 1234.5, -2.4, 3.14e11) (hint: the number is out of range for a float)"
    ]


def test_cell_over_the_csv_field_limit_is_a_problem(tmp_path):
    raw, _ = make_raw(
        tmp_path, **{"metrics.csv": M_HEADER + m_row("2.7", "万亿美元").rstrip("\n") + "x" * 200_000 + "\n"}
    )
    found = problems(raw)
    assert found and all(line.startswith(f"{R}/metrics.csv") for line in found)


def test_folder_named_like_a_table(tmp_path):
    raw, package = make_raw(tmp_path, **{"metrics.csv": None})
    (package / "metrics.csv").mkdir()
    assert [line.split(":")[0] for line in problems(raw)] == [f"{R}/metrics.csv"]


def test_dangling_symlink_named_like_a_table(tmp_path):
    raw, package = make_raw(tmp_path, **{"metrics.csv": None})
    (package / "metrics.csv").symlink_to(package / "gone.csv")
    assert [line.split(":")[0] for line in problems(raw)] == [f"{R}/metrics.csv"]


def test_symlink_outside_raw_is_caught_in_a_package_with_too_many_files(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text(M_HEADER + "root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    raw, package = make_raw(tmp_path, **{"metrics.csv": None})
    (package / "metrics.csv").symlink_to(outside)
    for i in range(70):
        (package / f"note{i:02d}.md").write_bytes(b"x")
    found = problems(raw)
    assert not any("root:x" in line for line in found)
    assert any("symlink points outside raw/" in line for line in found)


def test_qualifier_word_outside_the_value_column(tmp_path):
    row = "market_cap,emcloud_index,2021-11,2.7,万亿美元,exact,actual,约5,wind,p. 2,\n"
    raw, _ = make_raw(tmp_path, **{"metrics.csv": M_HEADER + row})
    assert problems(raw) == [
        f"{R}/metrics.csv:2: [{R}] column stated_yoy_pct value '约5': a qualifier word is only read "
        "in a value column beside a qualifier column (hint: write the bare number and say 'approx' "
        "in the note)"
    ]


def test_repeated_header_column_and_broken_quoting(tmp_path):
    raw, _ = make_raw(tmp_path, **{"metrics.csv": M_HEADER.rstrip("\n") + ",ref\n" + M_ROW.rstrip("\n") + ",x\n"})
    assert problems(raw) == [
        f"{R}/metrics.csv:1: [{R}] column ref: column appears more than once in the header (hint: keep one of them)"
    ]
    raw2, _ = make_raw(tmp_path / "q", **{"metrics.csv": M_HEADER + 'market_cap,"emcloud_index,2021-11\n'})
    [line] = problems(raw2)
    assert line.startswith(f"{R}/metrics.csv:2: [{R}]: malformed CSV:") and "quote cells" in line
