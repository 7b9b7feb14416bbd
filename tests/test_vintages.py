"""Two reports stating one figure: both kept, the latest wins, a forecast replaced by an actual is a revision."""

import shutil

import duckdb
import pytest

from pipelines.warehouse.paths import DEFAULT_RAW_DIR
from tests.conftest import run_job
from tests.helpers import SWSC, seed_value

LATER = "2024-04-example-actuals"


@pytest.fixture(scope="module")
def with_later_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("vintages")
    raw = root / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    folder = raw / LATER
    folder.mkdir()
    (folder / "report.yaml").write_text("title: Actuals\npublisher: Example\npublished: 2024-04-15\nlanguage: en\n")
    (folder / "it_spend_by_segment.csv").write_text(
        "segment,year,spend,unit,stated_growth_pct,status,credited_source,ref\nsoftware,2023,0.91,USD trillion,,actual,Gartner,p2\n"
    )
    warehouse = root / "cf.duckdb"
    assert run_job(raw, warehouse).success
    return warehouse


def test_latest_vintage_wins_and_revision_is_recorded(with_later_report):
    forecast = seed_value("it_spend_by_segment", "spend", segment="software", year="2023") * 1e6
    with duckdb.connect(str(with_later_report), read_only=True) as con:
        both = con.execute(
            "select count(*) from marts.fct_metric where metric = 'it_spend' and entity = 'software' "
            "and period = '2023'"
        ).fetchone()
        latest = con.execute(
            "select report_id, value_base, vintages from marts.fct_metric_latest where metric = 'it_spend' "
            "and entity = 'software' and period = '2023'"
        ).fetchone()
        revision = con.execute(
            "select old_report_id, old_value_base, new_report_id, new_value_base, revision_kind "
            "from marts.fct_metric_revision where entity = 'software'"
        ).fetchall()
    assert both == (2,)
    assert latest == (LATER, pytest.approx(0.91e12), 2)
    assert revision == [(SWSC, pytest.approx(forecast), LATER, pytest.approx(0.91e12), "forecast_to_actual")]
