"""GPU training sizing: the GPU-hours, GPUs and servers a training run needs (sizing.gpu_training).

Data decisions:
- GPU-hours = training compute / (throughput x utilization), in hours; GPUs = GPU-hours
  / run length in hours; servers = GPUs / GPUs per server; each rounded half up.
- model_params is informational (the source prints it; the formula does not use it).
- utilization is a percent of peak, in (0, 100].
"""

from __future__ import annotations

from pipelines.sizing.arithmetic import HOURS_PER_DAY, SECONDS_PER_HOUR, half_up
from pipelines.sizing.shared_parameters import GPU_THROUGHPUT, GPUS_PER_SERVER
from pipelines.sizing.spec import Parameter, SizingModel, require

REQUIRED = ("training_compute", "gpu_throughput", "utilization", "training_duration", "gpus_per_server")


def training(scenario: str, params: dict[str, float]) -> dict:
    require(scenario, params, REQUIRED, "training")
    effective_flops = params["gpu_throughput"] * params["utilization"] / 100
    gpu_hours = half_up(params["training_compute"] / effective_flops / SECONDS_PER_HOUR)
    gpus = half_up(gpu_hours / (params["training_duration"] / SECONDS_PER_HOUR))
    return {
        "model_params": params.get("model_params"),
        "training_compute_flop": params["training_compute"],
        "gpu_throughput_flops": params["gpu_throughput"],
        "utilization_pct": params["utilization"],
        "training_duration_days": params["training_duration"] / SECONDS_PER_HOUR / HOURS_PER_DAY,
        "gpus_per_server": params["gpus_per_server"],
        "gpu_hours": gpu_hours,
        "gpus": gpus,
        "servers": half_up(gpus / params["gpus_per_server"]),
    }


GPU_TRAINING = SizingModel(
    name="gpu_training",
    description="GPUs and servers a training run needs",
    parameters=(
        Parameter("model_params", "count"),
        Parameter("training_compute", "FLOP"),
        GPU_THROUGHPUT,
        Parameter("utilization", "percent", (0, False, 100)),
        Parameter("training_duration", "s", (0, False, None)),
        GPUS_PER_SERVER,
    ),
    required=REQUIRED,
    compute=training,
    output={
        "model_params": "float64",
        "training_compute_flop": "float64",
        "gpu_throughput_flops": "float64",
        "utilization_pct": "float64",
        "training_duration_days": "float64",
        "gpus_per_server": "float64",
        "gpu_hours": "int64",
        "gpus": "int64",
        "servers": "int64",
    },
)
