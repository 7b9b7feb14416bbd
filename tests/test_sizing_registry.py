"""The sizing registry: the parameter vocabulary, the raw schema and both asset factories derive from its one list.

The last test adds two models the way docs/sizing-models.md says (a model definition and a registry line, here
inline in a fresh interpreter) and runs a real refresh: nothing else needs to change for them to be published.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace

import duckdb
import pandas as pd
import pytest

from pipelines.defs.assets.sizing import publish_sizing_table, scenario_lineage, size_scenarios
from pipelines.intake.schemas import SCHEMAS
from pipelines.sizing.gpu_inference import GPU_INFERENCE
from pipelines.sizing.gpu_training import GPU_TRAINING
from pipelines.sizing.registry import MODELS
from pipelines.sizing.spec import Parameter
from pipelines.sizing.vocabulary import SIZING_PARAMETERS, collect_parameters
from pipelines.warehouse.paths import DEFAULT_RAW_DIR
from tests.helpers import SWSC

# The vocabulary as it stood before the registry (pipelines/sizing/models.py, TRAINING_ and INFERENCE_PARAMETERS).
PARAMETER_UNITS = {
    "model_params": "count",
    "training_compute": "FLOP",
    "gpu_throughput": "FLOP/s",
    "utilization": "percent",
    "training_duration": "s",
    "gpus_per_server": "count",
    "monthly_active_users": "count",
    "questions_per_user_per_day": "count",
    "answers_per_day": "count",
    "words_per_answer": "count",
    "time_per_word": "s",
}


def test_vocabulary_and_schema_are_the_registered_models_parameters():
    assert SIZING_PARAMETERS == PARAMETER_UNITS
    assert {p.name: p.base_unit for m in MODELS for p in m.parameters} == PARAMETER_UNITS
    [check] = SCHEMAS["sizing_assumptions"].columns["parameter"].checks
    assert check.error == f"must be a sizing parameter: {', '.join(sorted(PARAMETER_UNITS))}"


def test_models_that_disagree_on_a_shared_parameter_fail_naming_the_model():
    slower = replace(
        GPU_INFERENCE,
        name="slow_inference",
        parameters=(Parameter("time_per_word", "ms"), *GPU_INFERENCE.parameters[1:]),
    )
    with pytest.raises(ValueError, match=r"^sizing model slow_inference declares Parameter\(name='time_per_word'"):
        collect_parameters([*MODELS, slower])


def test_a_column_null_in_every_row_keeps_its_type():
    """model_params is informational; when no scenario states it, gpu_training.model_params is still DOUBLE."""
    params = {
        "training_compute": 3.14e23,
        "gpu_throughput": 19.5e12,
        "utilization": 40,
        "training_duration": 2592000,
        "gpus_per_server": 8,
    }
    assumptions = pd.DataFrame(
        {
            "report_id": "r",
            "scenario": "base",
            "parameter": list(params),
            "value_base": list(params.values()),
            "ref": "p. 1",
        }
    )
    with duckdb.connect() as connection:
        result = size_scenarios(assumptions, GPU_TRAINING)
        published = publish_sizing_table(connection, "gpu_training", result, "nothing", scenario_lineage(GPU_TRAINING))
        [(kind,)] = connection.execute(
            "select data_type from information_schema.columns "
            "where table_name = 'gpu_training' and column_name = 'model_params'"
        ).fetchall()
        [(model_params, gpus)] = connection.execute("select model_params, gpus from sizing.gpu_training").fetchall()
    assert (kind, model_params, gpus) == ("DOUBLE", None, 15531)
    schema = published.metadata["dagster/column_schema"].columns
    assert ("model_params", "DOUBLE") in [(c.name, c.type) for c in schema]
    assert published.metadata["dagster/row_count"] == 1


NEW_MODELS = """
import sys

from pipelines.sizing import registry
from pipelines.sizing.shared_parameters import GPUS_PER_SERVER
from pipelines.sizing.spec import FactInput, Parameter, SizingModel


def doubled(scenario, params):
    return {"toy_gpus": params["toy_gpus"], "doubled": round(params["toy_gpus"] * 2)}


def token_seconds(row):
    return {"seconds_per_token": row.per_gpu, "gpu_seconds": round(row.fact_value_base * row.per_gpu)}


TOY_SECONDS = Parameter("toy_seconds_per_token", "s", (0, False, None))
registry.MODELS.extend([
    SizingModel("toy_doubled", "Twice the toy GPUs", (Parameter("toy_gpus", "count"),), ("toy_gpus",), doubled,
                {"toy_gpus": "float64", "doubled": "int64"}),
    SizingModel("toy_token_seconds", "GPU-seconds of a day of tokens", (TOY_SECONDS, GPUS_PER_SERVER),
                (TOY_SECONDS.name, GPUS_PER_SERVER.name), token_seconds,
                {"seconds_per_token": "float64", "gpu_seconds": "int64"},
                FactInput("tokens_processed_daily", "tokens", TOY_SECONDS.name)),
])

from pipelines.cli.main import main  # noqa: E402  (after the registry line, as a module import would be)

sys.exit(main(sys.argv[1:]))
"""


def test_a_new_model_is_a_definition_and_a_registry_line(tmp_path):
    raw, warehouse = tmp_path / "raw", tmp_path / "wh" / "cf.duckdb"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    with open(raw / SWSC / "sizing_assumptions.csv", "a", encoding="utf-8") as handle:
        handle.write(
            "toy,toy_gpus,21,count,p. 1,\ntoy,toy_seconds_per_token,2,ms,p. 1,\ntoy,gpus_per_server,8,count,p. 1,\n"
        )
    run = subprocess.run(
        [sys.executable, "-c", NEW_MODELS, "refresh", "--raw-dir", str(raw), "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr  # 0: the toy scenario passed the schema and package rules
    assert f"  {'sizing.toy_doubled':<40} {1:>7} rows" in run.stdout
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        doubled = connection.execute("select report_id, scenario, toy_gpus, doubled from sizing.toy_doubled").fetchall()
        [(entity, scenario, per_token, fact, gpu_seconds)] = connection.execute(
            "select entity, scenario, seconds_per_token, fact_value_base, gpu_seconds from sizing.toy_token_seconds"
        ).fetchall()
        # the toy scenario states gpus_per_server, which every model reads, yet only the toy models size it
        others = connection.execute(
            "select count(*) from sizing.gpu_training where scenario = 'toy' union all "
            "select count(*) from sizing.token_inference where scenario = 'toy'"
        ).fetchall()
    assert doubled == [(SWSC, "toy", 21.0, 42)]
    assert (entity, scenario, per_token) == ("google", "toy", 0.002)
    assert gpu_seconds == round(fact * 0.002) and gpu_seconds > 0
    assert others == [(0,), (0,)]
