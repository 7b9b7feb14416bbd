"""GPU inference sizing: the GPU-hours, GPUs and servers a day of answers needs (sizing.gpu_inference).

Data decisions:
- answers_per_day, when absent, is monthly_active_users x questions_per_user_per_day
  (answers_per_day_basis says which); a scenario with neither is incomplete.
- GPU-hours a day = answers x words per answer x time per word, in hours; GPUs =
  GPU-hours / 24; servers = GPUs / GPUs per server; each rounded half up.
"""

from __future__ import annotations

from pipelines.sizing.arithmetic import HOURS_PER_DAY, SECONDS_PER_HOUR, half_up
from pipelines.sizing.shared_parameters import GPUS_PER_SERVER, TIME_PER_WORD
from pipelines.sizing.spec import Parameter, SizingModel, require

REQUIRED = ("words_per_answer", "time_per_word", "gpus_per_server")
ANSWERS_FROM = ("monthly_active_users", "questions_per_user_per_day")


def inference(scenario: str, params: dict[str, float]) -> dict:
    require(scenario, params, REQUIRED, "inference")
    answers = params.get("answers_per_day")
    basis = "stated"
    if answers is None:
        require(scenario, params, ANSWERS_FROM, "inference")
        answers = params["monthly_active_users"] * params["questions_per_user_per_day"]
        basis = "monthly_active_users_x_questions"
    seconds = answers * params["words_per_answer"] * params["time_per_word"]
    gpu_hours = half_up(seconds / SECONDS_PER_HOUR)
    gpus = half_up(gpu_hours / HOURS_PER_DAY)
    return {
        "monthly_active_users": params.get("monthly_active_users"),
        "questions_per_user_per_day": params.get("questions_per_user_per_day"),
        "answers_per_day": answers,
        "answers_per_day_basis": basis,
        "words_per_answer": params["words_per_answer"],
        "time_per_word_ms": params["time_per_word"] * 1000,
        "gpus_per_server": params["gpus_per_server"],
        "gpu_hours_per_day": gpu_hours,
        "gpus": gpus,
        "servers": half_up(gpus / params["gpus_per_server"]),
    }


GPU_INFERENCE = SizingModel(
    name="gpu_inference",
    description="GPUs and servers a day of inference needs",
    parameters=(
        Parameter("monthly_active_users", "count"),
        Parameter("questions_per_user_per_day", "count"),
        Parameter("answers_per_day", "count"),
        Parameter("words_per_answer", "count"),
        TIME_PER_WORD,
        GPUS_PER_SERVER,
    ),
    required=REQUIRED,
    compute=inference,
    output={
        "monthly_active_users": "float64",
        "questions_per_user_per_day": "float64",
        "answers_per_day": "float64",
        "answers_per_day_basis": "string",
        "words_per_answer": "float64",
        "time_per_word_ms": "float64",
        "gpus_per_server": "float64",
        "gpu_hours_per_day": "int64",
        "gpus": "int64",
        "servers": "int64",
    },
)
