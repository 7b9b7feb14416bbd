"""Compute-equivalent sizing: the accelerators and servers a stated compute capacity amounts to.

Data decisions:
- Facts are intelligent_compute_capacity (marts.fct_metric_latest, in FLOP/s), converted
  at the gpu_throughput of each scenario's latest vintage at full utilisation: an
  equivalence, not a deployment estimate. Rounding half up at each step.
"""

from __future__ import annotations

from pipelines.sizing.arithmetic import half_up
from pipelines.sizing.shared_parameters import GPU_THROUGHPUT, GPUS_PER_SERVER
from pipelines.sizing.spec import FactInput, SizingModel


def compute_equivalent(rows) -> dict:
    accelerators = half_up(rows.fact_value_base / rows.per_gpu)
    return {
        "flops_per_accelerator": rows.per_gpu,
        "accelerators": accelerators,
        "servers": half_up(accelerators / rows.gpus_per_server),
    }


COMPUTE_EQUIVALENT_GPUS = SizingModel(
    name="compute_equivalent_gpus",
    description="Accelerators equivalent to a stated compute capacity",
    parameters=(GPU_THROUGHPUT, GPUS_PER_SERVER),
    required=(GPU_THROUGHPUT.name, GPUS_PER_SERVER.name),
    compute=compute_equivalent,
    output={"flops_per_accelerator": "float64", "accelerators": "int64", "servers": "int64"},
    fact=FactInput("intelligent_compute_capacity", "FLOP/s", GPU_THROUGHPUT.name),
)
