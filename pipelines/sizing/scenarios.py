"""Which models size a scenario, and the problems a scenario would cause them (run by the package rules).

Data decisions:
- Inputs arrive in base units (FLOP, FLOP/s, s, count, percent), so a scenario may
  state them in any unit of the vocabulary.
- A scenario is sized by a model exactly when it has every parameter the model
  requires (SizingModel.sizes); a scenario with none of a model's own parameters
  (vocabulary.OWN_PARAMETERS) is simply not sized by it: a scenario of only
  time_per_word and gpus_per_server sizes token_inference and is no inference problem.
- A scenario with some of a model's own parameters but not every required one is an
  error, not a gap: a forgotten or misspelt row must not silently drop a sizing
  ("scenario 'base' lacks gpu_throughput for training sizing").
- A stated parameter that feeds no model the scenario is about (e.g. gpu_throughput
  without gpus_per_server) is an error too, naming the model it comes closest to.
- Parameters have domains (vocabulary.PARAMETER_DOMAINS: utilization in (0, 100],
  divisors above 0) and scenario models' results must be finite and at most
  MAX_RESULT; check_scenario applies both before the build, so a scenario that would
  break a sizing step quarantines its package instead. Fact-joined models are
  checked for their parameters' presence and domains; their results depend on facts.
"""

from __future__ import annotations

from pipelines.sizing.registry import MODELS
from pipelines.sizing.spec import IncompleteScenario, SizingModel
from pipelines.sizing.vocabulary import OWN_PARAMETERS, PARAMETER_DOMAINS, SIZING_PARAMETERS

MAX_RESULT = 1e15  # GPUs, servers or GPU-hours beyond this are a slipped exponent, not a plan


def _domain_rule(name: str, value: float) -> str | None:
    low, inclusive, high = PARAMETER_DOMAINS.get(name, (None, True, None))
    if value != value or value in (float("inf"), float("-inf")):
        return "must be a finite number"
    if low is not None and (value < low or (value == low and not inclusive)):
        return f"must be {'at least' if inclusive else 'more than'} {low}" + (f" and at most {high}" if high else "")
    if high is not None and value > high:
        return f"must be at most {high}"
    return None


def _result_problems(model: SizingModel, scenario: str, params: dict[str, float]) -> list[tuple[str, str]]:
    used = {p: v for p, v in params.items() if p in model.parameter_names}
    try:
        result = model.compute(scenario, used)
    except IncompleteScenario as error:
        return [("", str(error))]
    except (ArithmeticError, ValueError) as error:
        return [("", f"{model.label} sizing fails: {error or type(error).__name__}")]
    big = [k for k in model.results if k in result and not abs(result[k]) <= MAX_RESULT]
    return [("", f"{model.label} sizing gives {big[0]} = {result[big[0]]:.3g}, beyond {MAX_RESULT:.0e}")] if big else []


def _stray(scenario: str, parameter: str, params: dict[str, float]) -> tuple[str, str]:
    closest = min((m for m in MODELS if parameter in m.parameter_names), key=lambda m: len(m.missing(params)))
    return parameter, (
        f"sizes nothing in scenario {scenario!r}: {closest.label} sizing also needs "
        f"{', '.join(closest.missing(params))}"
    )


def check_scenario(scenario: str, params: dict[str, float]) -> list[tuple[str, str]]:
    """(parameter, rule) for each way the scenario would break a sizing model; [] when it sizes cleanly."""
    found = [(name, rule) for name, value in params.items() if (rule := _domain_rule(name, value))]
    if found:
        return found
    about = []  # the models this scenario sizes or was meant to
    for model in MODELS:
        if model.sizes(params):
            about.append(model)
            found += _result_problems(model, scenario, params) if model.fact is None else []
        elif set(OWN_PARAMETERS[model.name]) & set(params):
            about.append(model)
            missing = ", ".join(model.missing(params))
            found.append(("", f"scenario {scenario!r} lacks {missing} for {model.label} sizing"))
    fed = {p for model in about for p in model.parameter_names}
    # a name outside the vocabulary is the schema's problem, already reported
    found += [_stray(scenario, p, params) for p in params if p not in fed and p in SIZING_PARAMETERS]
    return found
