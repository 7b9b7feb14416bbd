"""Every `sql` block of the README runs against a freshly built warehouse and returns rows."""

import re

import pytest

from pipelines.project import PROJECT_ROOT

BLOCKS = re.findall(r"```sql\n(.*?)```", (PROJECT_ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_readme_has_questions():
    assert len(BLOCKS) >= 5


@pytest.mark.parametrize("sql", BLOCKS)
def test_readme_query_runs(query, sql):
    assert query(sql), sql
