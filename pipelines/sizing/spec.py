"""What a sizing model declares: its parameters, the required ones, its compute function and outputs.

Data decisions:
- A parameter is declared with the base unit its value must convert to and its
  domain (lowest, lowest allowed itself, highest); models that read one parameter
  must declare it equal (shared ones live in shared_parameters.py), else the
  registry fails to load (vocabulary.py), so they cannot disagree on its unit.
- A scenario model computes from one scenario's parameters: compute(scenario, params)
  -> the columns it adds. A fact-joined model computes from facts joined with one
  per-GPU parameter and gpus_per_server of a scenario: compute(rows) gets them as
  columns (rows.fact_value_base, a pandas Series) and returns its columns, so it must
  be arithmetic on whole columns (arithmetic.half_up takes a Series), not branching
  on one value. It also works on one row (a namedtuple), as the tests compare.
- Output dtypes are pandas dtypes; text is "string", so an empty or all-null column
  still reaches DuckDB as VARCHAR. The int64 outputs are the model's results (GPUs,
  servers, GPU-hours): the ones checked against MAX_RESULT.
- Problems name a model by its compute function ("training sizing"), tables by its name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

RESULT_DTYPE = "int64"


class IncompleteScenario(ValueError):
    pass


@dataclass(frozen=True)
class Parameter:
    name: str
    base_unit: str
    domain: tuple[float | None, bool, float | None] = (None, True, None)


@dataclass(frozen=True)
class FactInput:
    """The fact a fact-joined model reads (marts.fct_metric_latest) and the per-GPU parameter it joins."""

    metric: str
    base_unit: str
    parameter: str


@dataclass(frozen=True)
class SizingModel:
    name: str  # the table sizing.<name> and the asset key
    description: str
    parameters: tuple[Parameter, ...]
    required: tuple[str, ...]
    compute: Callable[..., dict]
    output: dict[str, str]  # columns the model adds, in order, with pandas dtypes
    fact: FactInput | None = None

    @property
    def label(self) -> str:
        return self.compute.__name__

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    @property
    def results(self) -> tuple[str, ...]:
        return tuple(c for c, dtype in self.output.items() if dtype == RESULT_DTYPE)

    def sizes(self, params: dict[str, float]) -> bool:
        """A scenario is sized by a model only when it has every parameter the model requires."""
        return all(name in params for name in self.required)

    def missing(self, params: dict[str, float]) -> list[str]:
        return [name for name in self.required if name not in params]


def require(scenario: str, params: dict[str, float], names: tuple[str, ...], model: str) -> None:
    missing = [n for n in names if n not in params]
    if missing:
        raise IncompleteScenario(f"scenario {scenario!r} lacks {', '.join(missing)} for {model} sizing")
