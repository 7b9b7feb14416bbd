"""GPU sizing: how many GPUs and servers a training run or a day of inference needs.

Data decisions:
- Inputs arrive in base units (FLOP, FLOP/s, s, count, percent) from
  marts.fct_sizing_assumption, so a scenario may state them in any unit of the
  vocabulary.
- The source (S2 L781-805) rounds half up to a whole number at every step and
  carries the rounded figure into the next: 11,182,336 h -> 15,531 GPUs ->
  1,941 servers; 1,458,333 h -> 60,764 GPUs -> 7,596 servers. We do the same,
  so the base case reproduces its printed results.
- answers_per_day, when absent, is monthly_active_users x questions_per_user_per_day.
- A scenario with some but not all parameters of a model is an error, not a gap.
- Parameters have domains (PARAMETER_DOMAINS: utilization in (0, 100], divisors
  above 0) and results must be finite and at most MAX_RESULT; check_scenario
  applies both before the build, so a scenario that would break a sizing step
  quarantines its package instead.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# Sizing parameters and the base unit each must convert to.
TRAINING_PARAMETERS = {
    "model_params": "count",
    "training_compute": "FLOP",
    "gpu_throughput": "FLOP/s",
    "utilization": "percent",
    "training_duration": "s",
    "gpus_per_server": "count",
}
INFERENCE_PARAMETERS = {
    "monthly_active_users": "count",
    "questions_per_user_per_day": "count",
    "answers_per_day": "count",
    "words_per_answer": "count",
    "time_per_word": "s",
    "gpus_per_server": "count",
}
SIZING_PARAMETERS = {**TRAINING_PARAMETERS, **INFERENCE_PARAMETERS}

# What each model adds to a row, with pandas dtypes, so a model with nothing to size still
# publishes its table with every column.
TRAINING_OUTPUT = {
    "model_params": "float64", "training_compute_flop": "float64", "gpu_throughput_flops": "float64",
    "utilization_pct": "float64", "training_duration_days": "float64", "gpus_per_server": "float64",
    "gpu_hours": "int64", "gpus": "int64", "servers": "int64",
}
INFERENCE_OUTPUT = {
    "monthly_active_users": "float64", "questions_per_user_per_day": "float64", "answers_per_day": "float64",
    "answers_per_day_basis": "object", "words_per_answer": "float64", "time_per_word_ms": "float64",
    "gpus_per_server": "float64", "gpu_hours_per_day": "int64", "gpus": "int64", "servers": "int64",
}

SECONDS_PER_HOUR = 3600
HOURS_PER_DAY = 24
TRAINING_REQUIRED = ("training_compute", "gpu_throughput", "utilization", "training_duration", "gpus_per_server")
INFERENCE_REQUIRED = ("words_per_answer", "time_per_word", "gpus_per_server")


# (lowest, lowest allowed itself, highest): divisors must be above 0; utilization is a percent of peak.
PARAMETER_DOMAINS = {
    "utilization": (0, False, 100),
    "gpu_throughput": (0, False, None),
    "training_duration": (0, False, None),
    "gpus_per_server": (1, True, None),
    "time_per_word": (0, False, None),
}
RESULTS = ("gpu_hours", "gpu_hours_per_day", "gpus", "servers")  # what the models compute, not echo
MAX_RESULT = 1e15  # GPUs, servers or GPU-hours beyond this are a slipped exponent, not a plan


class IncompleteScenario(ValueError):
    pass


def half_up(value: float) -> int:
    return int(Decimal(repr(value)).to_integral_value(rounding=ROUND_HALF_UP))


def applies(params: dict[str, float], specific: tuple[str, ...]) -> bool:
    return any(name in params for name in specific)


def _require(scenario: str, params: dict[str, float], names: tuple[str, ...], model: str) -> None:
    missing = [n for n in names if n not in params]
    if missing:
        raise IncompleteScenario(f"scenario {scenario!r} lacks {', '.join(missing)} for {model} sizing")


def training(scenario: str, params: dict[str, float]) -> dict:
    _require(scenario, params, TRAINING_REQUIRED, "training")
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


def inference(scenario: str, params: dict[str, float]) -> dict:
    _require(scenario, params, INFERENCE_REQUIRED, "inference")
    answers = params.get("answers_per_day")
    basis = "stated"
    if answers is None:
        _require(scenario, params, ("monthly_active_users", "questions_per_user_per_day"), "inference")
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


def _domain_rule(name: str, value: float) -> str | None:
    low, inclusive, high = PARAMETER_DOMAINS.get(name, (None, True, None))
    if value != value or value in (float("inf"), float("-inf")):
        return "must be a finite number"
    if low is not None and (value < low or (value == low and not inclusive)):
        return f"must be {'at least' if inclusive else 'more than'} {low}" + (f" and at most {high}" if high else "")
    if high is not None and value > high:
        return f"must be at most {high}"
    return None


def check_scenario(scenario: str, params: dict[str, float]) -> list[tuple[str, str]]:
    """(parameter, rule) for each way the scenario would break a sizing model; [] when it sizes cleanly."""
    found = [(name, rule) for name, value in params.items() if (rule := _domain_rule(name, value))]
    if found:
        return found
    for model, parameters in ((training, TRAINING_PARAMETERS), (inference, INFERENCE_PARAMETERS)):
        used = {p: v for p, v in params.items() if p in parameters}
        if not applies(used, tuple(p for p in parameters if p != "gpus_per_server")):
            continue
        try:
            result = model(scenario, used)
        except IncompleteScenario as error:
            found.append(("", str(error)))
            continue
        except (ArithmeticError, ValueError) as error:
            found.append(("", f"{model.__name__} sizing fails: {error or type(error).__name__}"))
            continue
        big = [k for k in RESULTS if k in result and not abs(result[k]) <= MAX_RESULT]
        if big:
            found.append(("", f"{model.__name__} sizing gives {big[0]} = {result[big[0]]:.3g}, beyond {MAX_RESULT:.0e}"))
    return found
