"""The sizing parameter vocabulary, derived from the registry: names, base units, domains, who owns what.

Data decisions:
- SIZING_PARAMETERS (parameter -> base unit) is every parameter of every registered model;
  the raw schema accepts exactly these in sizing_assumptions.csv.
- Two models that read one parameter must declare the same Parameter (unit and domain);
  a registry that breaks this, repeats a table name, or has a fact-joined model whose
  per-GPU parameter or gpus_per_server is not required fails at import, naming the model.
- A model's own parameters are those no other registered model reads; they are what
  makes a scenario "about" that model (scenarios.py).
"""

from __future__ import annotations

from pipelines.sizing.registry import MODELS
from pipelines.sizing.spec import Parameter, SizingModel

FACT_SERVER_PARAMETER = "gpus_per_server"  # the fact-joined asset joins it beside the per-GPU parameter


def collect_parameters(models: list[SizingModel]) -> dict[str, Parameter]:
    """Each parameter name with its one declaration; ValueError naming the model when the registry disagrees."""
    found: dict[str, Parameter] = {}
    for model in models:
        for parameter in model.parameters:
            if found.setdefault(parameter.name, parameter) != parameter:
                raise ValueError(
                    f"sizing model {model.name} declares {parameter} but another model declares "
                    f"{found[parameter.name]}; share one Parameter (sizing/shared_parameters.py)"
                )
        unknown = set(model.required) - set(model.parameter_names)
        if unknown:
            raise ValueError(
                f"sizing model {model.name} requires {', '.join(sorted(unknown))}, which are not among its parameters"
            )
        if model.fact and not {model.fact.parameter, FACT_SERVER_PARAMETER} <= set(model.required):
            raise ValueError(
                f"fact-joined sizing model {model.name} must require {model.fact.parameter} and {FACT_SERVER_PARAMETER}"
            )
    names = [m.name for m in models]
    if len(set(names)) != len(names):
        raise ValueError(f"sizing model names repeat: {names}")
    return found


PARAMETERS = collect_parameters(MODELS)
SIZING_PARAMETERS = {name: p.base_unit for name, p in PARAMETERS.items()}
PARAMETER_DOMAINS = {name: p.domain for name, p in PARAMETERS.items()}
OWN_PARAMETERS = {
    m.name: tuple(p for p in m.parameter_names if not any(p in o.parameter_names for o in MODELS if o is not m))
    for m in MODELS
}
SCENARIO_MODELS = [m for m in MODELS if m.fact is None]
FACT_MODELS = [m for m in MODELS if m.fact is not None]
