"""The package layout and import rules that the import-linter contracts (pyproject.toml) cannot see.

Data decisions:
- The CLI imports Dagster only inside the commands that need it (refresh, ui, status's run cleanup).
  import-linter counts imports inside functions too, so this is checked by importing the CLI in a
  fresh interpreter and reading sys.modules.
- The code location (`pipelines.definitions`) imports no pandas, numpy or Pandera: they cost about
  0.5 s of P6 (docs/performance.md), and only runs need them, inside the asset functions.
- Every folder of pipelines/ is a regular package (an __init__.py), tracked by git: a namespace
  folder is left out of a built wheel by setuptools' find, and is invisible to import-linter.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from setuptools import find_packages

ROOT = Path(__file__).resolve().parent.parent
PIPELINES = ROOT / "pipelines"
DAGSTER_MODULES = ("dagster", "dagster_dbt", "dagster_webserver", "dagster_graphql", "dagster_pipes", "dagster_shared")
# The CLI entry module and the command modules that need no Dagster when imported.
CLI_LIGHT_MODULES = ("pipelines.cli.main", "pipelines.cli.status", "pipelines.cli.query", "pipelines.cli.check")


DATA_MODULES = ("pandas", "numpy", "pandera")


def _loaded_after_import(module: str, roots: tuple[str, ...] = DAGSTER_MODULES) -> list[str]:
    code = f"import sys, {module}\nprint('\\n'.join(sorted(m for m in sys.modules if m.split('.')[0] in sys.argv[1:])))"
    done = subprocess.run([sys.executable, "-c", code, *roots], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize("module", CLI_LIGHT_MODULES)
def test_starting_the_cli_imports_no_dagster(module):
    assert _loaded_after_import(module) == []


def test_the_check_reads_dagster_imports_when_they_happen():
    # The probe itself works: the definitions module does load Dagster.
    assert "dagster" in _loaded_after_import("pipelines.definitions")


def test_loading_the_code_location_imports_no_pandas():
    assert _loaded_after_import("pipelines.definitions", DATA_MODULES) == []
    assert "pandas" in _loaded_after_import("pipelines.intake.validation", DATA_MODULES)  # the probe sees it


def _package_dirs() -> list[Path]:
    return sorted({path.parent for path in PIPELINES.rglob("*.py") if "__pycache__" not in path.parts})


def test_every_folder_of_pipelines_is_a_regular_package():
    missing = [str(folder.relative_to(ROOT)) for folder in _package_dirs() if not (folder / "__init__.py").is_file()]
    assert missing == []


def test_a_built_wheel_holds_every_folder_of_pipelines():
    # The same find as [tool.setuptools.packages.find] in pyproject.toml.
    found = set(find_packages(where=str(ROOT), include=["pipelines*"]))
    expected = {".".join(folder.relative_to(ROOT).parts) for folder in _package_dirs()}
    assert expected - found == set()


def test_no_source_file_is_ignored_by_git():
    sources = [str(path.relative_to(ROOT)) for path in PIPELINES.rglob("*.py") if "__pycache__" not in path.parts]
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", *sources], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert ignored.stdout.split() == []
