"""The sizing registry: every sizing model, in the order the warehouse builds and checks them.

A new model is its own file in pipelines/sizing/ and one line here (docs/sizing-models.md).
Everything else derives from this list: the parameter vocabulary and the raw schema
(sizing/vocabulary.py), the package rules (sizing/scenarios.py) and both sizing asset
factories (defs/assets/sizing.py for scenario models, sizing_facts.py for fact-joined ones).

Data decisions:
- The order is the order of problems a scenario gets and of the assets in the sizing group;
  it decides nothing about the results.
"""

from pipelines.sizing.compute_equivalent_gpus import COMPUTE_EQUIVALENT_GPUS
from pipelines.sizing.gpu_inference import GPU_INFERENCE
from pipelines.sizing.gpu_training import GPU_TRAINING
from pipelines.sizing.spec import SizingModel
from pipelines.sizing.token_inference import TOKEN_INFERENCE

MODELS: list[SizingModel] = [
    GPU_TRAINING,
    GPU_INFERENCE,
    TOKEN_INFERENCE,
    COMPUTE_EQUIVALENT_GPUS,
]
