"""Token inference sizing: GPUs and servers to generate a day of a company's stated token volume.

Data decisions:
- Facts are tokens_processed_daily (marts.fct_metric_latest, in tokens), sized at the
  time_per_word of each scenario's latest vintage, reading one generated word as one
  token (the source sizes ChatGPT in words); GPUs run 24 h a day; rounding half up at
  each step.
"""

from __future__ import annotations

from pipelines.sizing.arithmetic import HOURS_PER_DAY, SECONDS_PER_HOUR, half_up
from pipelines.sizing.shared_parameters import GPUS_PER_SERVER, TIME_PER_WORD
from pipelines.sizing.spec import FactInput, SizingModel


def token_inference(rows) -> dict:
    gpu_hours = half_up(rows.fact_value_base * rows.per_gpu / SECONDS_PER_HOUR)
    gpus = half_up(gpu_hours / HOURS_PER_DAY)
    return {
        "seconds_per_token": rows.per_gpu,
        "gpu_hours_per_day": gpu_hours,
        "gpus": gpus,
        "servers": half_up(gpus / rows.gpus_per_server),
    }


TOKEN_INFERENCE = SizingModel(
    name="token_inference",
    description="GPUs and servers to generate a day of a company's stated token volume",
    parameters=(TIME_PER_WORD, GPUS_PER_SERVER),
    required=(TIME_PER_WORD.name, GPUS_PER_SERVER.name),
    compute=token_inference,
    output={"seconds_per_token": "float64", "gpu_hours_per_day": "int64", "gpus": "int64", "servers": "int64"},
    fact=FactInput("tokens_processed_daily", "tokens", TIME_PER_WORD.name),
)
