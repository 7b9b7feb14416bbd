"""Parameters more than one sizing model reads; a parameter only one model reads lives in its file.

Data decisions:
- Divisors must be above 0 and a server holds at least one GPU, so no model divides by zero.
"""

from pipelines.sizing.spec import Parameter

GPUS_PER_SERVER = Parameter("gpus_per_server", "count", (1, True, None))
GPU_THROUGHPUT = Parameter("gpu_throughput", "FLOP/s", (0, False, None))
TIME_PER_WORD = Parameter("time_per_word", "s", (0, False, None))
