"""Fact-joined sizing uses the latest vintage of each scenario name: rows are facts x scenario names.

A real refresh of the seeds plus four small packages restating scenarios: `base` three times (the seed,
an older report whose id sorts last, a newer one stating fewer parameters) and `fast` twice on one date.
Expected values are derived from the packages written here, the seeds and the warehouse's facts.
"""

from __future__ import annotations

import re
import shutil
from types import SimpleNamespace

import duckdb
import pytest
import yaml

from pipelines.project import PROJECT_ROOT
from pipelines.sizing.compute_equivalent_gpus import COMPUTE_EQUIVALENT_GPUS
from pipelines.sizing.token_inference import TOKEN_INFERENCE
from pipelines.warehouse.paths import DEFAULT_RAW_DIR
from tests.conftest import run_job
from tests.helpers import SWSC, seed_rows

HEADER = "scenario,parameter,value,unit,ref,note\n"
# report_id -> (published, sizing_assumptions rows): (scenario, parameter, value, unit)
RESTATED = {
    # older than the seed although its id sorts after every other: the date decides, not the id
    "zz-example-old-base": (
        "2020-01-15",
        [
            ("base", "time_per_word", "900", "ms"),
            ("base", "gpu_throughput", "9", "TFLOPS"),
            ("base", "gpus_per_server", "2", "count"),
        ],
    ),
    # the newest base, without gpu_throughput: compute equivalents get no base (a vintage is taken whole)
    "2024-05-example-base": (
        "2024-05-15",
        [("base", "time_per_word", "100", "ms"), ("base", "gpus_per_server", "4", "count")],
    ),
    # fast twice on one date: the larger report_id wins, as in fct_metric_latest
    "2025-01-a-example-fast": (
        "2025-01-10",
        [
            ("fast", "time_per_word", "50", "ms"),
            ("fast", "gpu_throughput", "312", "TFLOPS"),
            ("fast", "gpus_per_server", "8", "count"),
        ],
    ),
    "2025-01-b-example-fast": (
        "2025-01-10",
        [
            ("fast", "time_per_word", "40", "ms"),
            ("fast", "gpu_throughput", "989", "TFLOPS"),
            ("fast", "gpus_per_server", "16", "count"),
        ],
    ),
}


def vintages() -> dict[str, list[tuple[str, str]]]:
    """scenario name -> (published, report_id) of every report stating it, the seed's included."""
    found: dict[str, list[tuple[str, str]]] = {}
    swsc_published = str(yaml.safe_load((DEFAULT_RAW_DIR / SWSC / "report.yaml").read_text())["published"])
    for row in seed_rows("sizing_assumptions"):
        found.setdefault(row["scenario"], []).append((swsc_published, SWSC))
    for report_id, (published, rows) in RESTATED.items():
        for scenario, *_ in rows:
            found.setdefault(scenario, []).append((published, report_id))
    return {name: sorted(set(v)) for name, v in found.items()}


# the latest vintage of each name: the latest published, then the larger report_id ("2023-03" sorts as a date)
LATEST = {name: max(v)[1] for name, v in vintages().items()}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("sizing-vintages")
    raw = root / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    for report_id, (published, rows) in RESTATED.items():
        (raw / report_id).mkdir()
        (raw / report_id / "report.yaml").write_text(
            f"title: Sizing {report_id}\npublisher: Example\npublished: {published}\nlanguage: en\n"
        )
        lines = "".join(f"{s},{p},{v},{u},p. 1,\n" for s, p, v, u in rows)
        (raw / report_id / "sizing_assumptions.csv").write_text(HEADER + lines)
    path = root / "cf.duckdb"
    result = run_job(raw, path)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    with duckdb.connect(str(path), read_only=True) as connection:
        yield connection


def test_the_latest_vintage_of_each_scenario_name_is_chosen(warehouse):
    assert LATEST == {"base": "2024-05-example-base", "fast": "2025-01-b-example-fast"}  # the cases above hold
    chosen = warehouse.execute(
        "select scenario, parameter, report_id, vintages from marts.fct_sizing_scenario_latest"
    ).fetchall()
    stated = {(s, p, report_id) for report_id, (_, rows) in RESTATED.items() for s, p, *_ in rows}
    assert sorted(chosen) == sorted(
        (s, p, report_id, len(vintages()[s])) for s, p, report_id in stated if LATEST[s] == report_id
    )


def expected(warehouse, model) -> list[tuple]:
    """Each fact of the model with the latest vintage of each scenario name that states its parameters."""
    facts = warehouse.execute(
        "select report_id, entity, period, value_base from marts.fct_metric_latest where metric = ? and base_unit = ?",
        [model.fact.metric, model.fact.base_unit],
    ).fetchall()
    params = warehouse.execute(
        "select report_id, scenario, parameter, value_base from marts.fct_sizing_assumption"
    ).fetchall()
    by_vintage = {(r, s, p): v for r, s, p, v in params}
    rows = []
    for scenario, report_id in LATEST.items():
        per_gpu = by_vintage.get((report_id, scenario, model.fact.parameter))
        per_server = by_vintage.get((report_id, scenario, "gpus_per_server"))
        if per_gpu is None:
            continue
        for fact_report, entity, period, value in facts:
            # one row at a time, as the asset computed before it worked on whole columns
            result = model.compute(SimpleNamespace(fact_value_base=value, per_gpu=per_gpu, gpus_per_server=per_server))
            rows.append((fact_report, entity, period, report_id, scenario, *(result[c] for c in model.output)))
    return sorted(rows)


@pytest.mark.parametrize("model", [TOKEN_INFERENCE, COMPUTE_EQUIVALENT_GPUS], ids=lambda m: m.name)
def test_facts_are_sized_with_the_latest_vintage_only(warehouse, model):
    columns = ", ".join(model.output)
    found = warehouse.execute(
        f"select fact_report_id, entity, period, scenario_report_id, scenario, {columns} from sizing.{model.name}"
    ).fetchall()
    assert sorted(found) == expected(warehouse, model)


def test_rows_are_facts_times_scenario_names(warehouse):
    [(facts,)] = warehouse.execute(
        "select count(*) from marts.fct_metric_latest where metric = 'tokens_processed_daily'"
    ).fetchall()
    [(rows, names)] = warehouse.execute(
        "select count(*), count(distinct scenario) from sizing.token_inference"
    ).fetchall()
    stating = {(r, s) for r, (_, rows) in RESTATED.items() for s, p, *_ in rows if p == "time_per_word"}
    stating |= {(SWSC, r["scenario"]) for r in seed_rows("sizing_assumptions") if r["parameter"] == "time_per_word"}
    assert facts >= 1 and names == len({s for _, s in stating}) == 2
    assert rows == facts * names < facts * len(stating)  # the cross product: every vintage stating time_per_word
    # base's newest vintage states no gpu_throughput; the seed's older base is not borrowed
    assert warehouse.execute("select distinct scenario from sizing.compute_equivalent_gpus").fetchall() == [("fast",)]


def test_the_documented_query_sizes_with_an_older_vintage(warehouse):
    """docs/sizing-models.md's query on the seed's base, here older than 2024-05-example-base: the model's results."""
    [sql] = re.findall(r"```sql\n(.*?)```", (PROJECT_ROOT / "docs" / "sizing-models.md").read_text(), re.S)
    assert f"where report_id = '{SWSC}'" in sql and LATEST["base"] != SWSC
    facts = warehouse.execute(
        "select entity, period, value_base from marts.fct_metric_latest where metric = 'tokens_processed_daily'"
    ).fetchall()
    params = {r["parameter"]: r for r in seed_rows("sizing_assumptions")}
    [(per_token,)] = warehouse.execute(
        "select value_base from marts.fct_sizing_assumption where report_id = ? and parameter = 'time_per_word'", [SWSC]
    ).fetchall()
    assert params["time_per_word"]["unit"] == "ms" and per_token == pytest.approx(
        float(params["time_per_word"]["value"]) / 1000
    )
    per_server = float(params["gpus_per_server"]["value"])
    expected = []
    for entity, period, value in facts:
        result = TOKEN_INFERENCE.compute(
            SimpleNamespace(fact_value_base=value, per_gpu=per_token, gpus_per_server=per_server)
        )
        expected.append((entity, period, "base", per_token, result["gpus"], result["servers"]))
    assert warehouse.execute(sql).fetchall() == sorted(expected)
