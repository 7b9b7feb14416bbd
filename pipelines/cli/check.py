"""`cloudfacts check [DIR ...]`: validate report packages without loading them, and without writing anything.

Data decisions:
- Each DIR is either one package or a raw directory of packages, decided by
  what it holds, in this order: report.yaml -> one package; package folders
  (names not starting with `.` or `_`) -> a raw directory; *.csv files -> one
  package (whose report.yaml is missing, which is reported). Anything else
  (an empty folder, one holding only notes or drafts) is an error, never a
  pass: "no report packages".
- A package named directly is checked as a refresh would see it in its parent
  folder: under its folder name, with the parent as raw/. Its path is made
  absolute but not resolved, so a package that is a symlink leading outside
  the parent is reported as such. A draft (`_name`) named directly is checked
  too; its folder name is reported as invalid, as it would be in raw/.
- check only reads: it saves no hash cache and needs no warehouse folder.
- Each number of a valid package that is not printed on the source line its
  ref names is printed too, as one line with the line's text and a hint
  (pipelines.intake.source_check); it is a finding to fix, not a problem,
  and does not change the exit code, as it does not stop a refresh.
- Exit codes: 0 no problems; 1 problems found; 2 a DIR is missing, not a
  folder or holds no report packages (nothing is checked then).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pipelines.intake.packages import REPORT_FILE, Package, discover, is_package_dir
from pipelines.intake.problems import printable

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2
NO_PACKAGES = (
    "no report packages here (a package folder holds report.yaml and CSV tables; a raw directory holds package folders)"
)


class NotCheckable(ValueError):
    pass


def target(arg: str) -> tuple[Path, Path, list[Package]]:
    """DIR as an absolute path, the raw directory it belongs to, and the packages it names."""
    path = Path(os.path.abspath(Path(arg).expanduser()))
    if not path.is_dir():
        raise NotCheckable(f"{path}: {'not a folder' if path.exists() else 'no such folder'}")
    entries = list(os.scandir(path))
    names = {entry.name for entry in entries}
    has_packages = any(is_package_dir(entry) for entry in entries)
    if REPORT_FILE in names or (not has_packages and any(name.endswith(".csv") for name in names)):
        parent = path.parent.resolve()
        return path, parent, [Package(path.name, parent / path.name)]
    if has_packages:
        raw_dir = path.resolve()
        return path, raw_dir, discover(raw_dir)
    raise NotCheckable(f"{path}: {NO_PACKAGES}")


def run_check(args: list[str], default_raw_dir: Path) -> int:
    try:
        targets = [target(arg) for arg in args or [str(default_raw_dir)]]
    except (NotCheckable, OSError) as error:
        print(printable(f"error: {error}"), file=sys.stderr)
        return EXIT_UNUSABLE
    from pipelines.intake.source_check import not_found_findings
    from pipelines.intake.validation import Checked, validate_packages  # Pandera loads only once the targets are known

    total = 0
    for path, raw_dir, packages in targets:
        checked = Checked(packages, validate_packages(packages, raw_dir))
        problems = checked.all_problems
        total += len(problems)
        rows = sum(len(f) for name, f in checked.frames.items() if name != "reports")
        bad = sorted(r for r, found in checked.validated.problems.items() if found)
        findings = not_found_findings(checked.validated.verification)
        for problem in problems + findings:
            print(problem)
        print(
            printable(
                f"{path}: {len(packages)} report(s), {rows} valid row(s), "
                f"{len(problems)} problem(s)"
                + (f", {len(findings)} number(s) not found in the source" if findings else "")
                + (f"; a refresh would quarantine: {', '.join(bad)}" if bad else "")
            ),
            file=sys.stderr,
        )
    return EXIT_PROBLEMS if total else EXIT_OK
