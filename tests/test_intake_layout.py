"""The modules of pipelines/intake import one way: package -> file -> table -> cell -> number.

Every import counts, including those inside functions: a function-local import
is still a dependency, only a hidden one.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

INTAKE = Path(__file__).resolve().parents[1] / "pipelines" / "intake"
PACKAGE = "pipelines.intake"
# Top to bottom; a module imports only modules of lower layers, never its own layer or one above.
LAYERS = (
    ("fingerprint", "validation"),  # what changed in raw/; every problem of a batch of packages
    ("package_rules", "schemas", "source_check", "coverage"),  # rules over whole tables; source lines, coverage
    ("packages",),  # discovery, the package's files as a whole, report.yaml
    ("csvfiles",),  # one file: bytes -> text -> rows of cells by CSV line
    ("cells", "verification", "origin"),  # typed cells of a table; one cell against its source; report.yaml origins
    ("normalise", "printed_numbers", "line_refs"),  # one cell or source line: numbers, years, periods, line refs
    ("encodings", "periods", "chinese_numerals"),  # a file's text; the period grammar and year bounds; 三千, 千亿
    ("problems", "tables", "vocabulary", "column_docs"),  # leaves: problems, table specs, vocabularies, column docs
)
LAYER_OF = {module: depth for depth, modules in enumerate(LAYERS) for module in modules}


def intake_imports(path: Path) -> set[str]:
    """The intake modules a file imports, wherever the import statement stands."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = PACKAGE if node.level else node.module or ""
            if node.level and node.module:
                base = f"{PACKAGE}.{node.module}"
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            if name.startswith(f"{PACKAGE}."):
                module = name.removeprefix(f"{PACKAGE}.").split(".")[0]
                if module in LAYER_OF or (INTAKE / f"{module}.py").exists():
                    found.add(module)
    return found - {path.stem}


def test_every_intake_module_has_a_layer():
    modules = {p.stem for p in INTAKE.glob("*.py") if p.stem != "__init__"}
    assert modules == set(LAYER_OF)


def test_intake_imports_one_way():
    upward = [
        f"{path.stem} ({LAYER_OF.get(path.stem)}) imports {module} ({LAYER_OF.get(module)})"
        for path in sorted(INTAKE.glob("*.py"))
        if path.stem in LAYER_OF
        for module in sorted(intake_imports(path))
        if LAYER_OF.get(module, -1) <= LAYER_OF[path.stem]
    ]
    assert upward == []


def test_the_import_reader_sees_imports_inside_functions(tmp_path):
    source = tmp_path / "cells.py"
    source.write_text(
        "def f():\n    from pipelines.intake.csvfiles import Table\n"
        "from pipelines.intake import vocabulary, problems\n",
        encoding="utf-8",
    )
    assert intake_imports(source) == {"csvfiles", "vocabulary", "problems"}


ROOT = INTAKE.parents[1]
YEAR_BOUND = re.compile(r"(?<![0-9])(1990|2100)(?![0-9])")


def files_saying(pattern: re.Pattern, *globs: str) -> list[str]:
    return sorted(
        str(p.relative_to(ROOT))
        for g in globs
        for p in ROOT.glob(g)
        if p.is_file() and pattern.search(p.read_text(encoding="utf-8"))
    )


def test_the_year_bounds_have_one_definition():
    assert files_saying(
        YEAR_BOUND, "pipelines/**/*.py", "dbt/models/**/*", "dbt/macros/**/*", "dbt/tests/**/*", "dbt/dbt_project.yml"
    ) == ["pipelines/intake/periods.py"]


def test_the_empty_cell_rule_has_one_definition():
    assert files_saying(re.compile("must not be empty"), "pipelines/**/*.py") == ["pipelines/intake/problems.py"]
