"""The parameters of a job's runs, built without the model.

The plan check builds every job's parameters in the sweep's parent before any job starts; kept
apart from ``experiments.runner`` so that the parent does not import Mesa and the model (about
0.5 s on the plan check's path), which only the workers run.
"""

import dataclasses
from typing import Any

from experiments.calibration.posterior import resolve_scenario
from experiments.config import RunConfig, config_hash
from experiments.design import design_points
from experiments.seeds import replication_seed
from sim.params import ModelParams


def model_params(
    cfg: RunConfig, values: dict[str, float], seed: int
) -> tuple[ModelParams, int | None]:
    """The parameters of one run: the job's, with the scenario resolved for this run's seed
    (its posterior draw and shifts) and a design point's values set; and the draw taken."""
    own = {f.name: getattr(cfg, f.name) for f in dataclasses.fields(ModelParams)}
    scenario, draw = resolve_scenario(cfg.scenario, seed, values)
    if cfg.knockout != "none":
        own["mechanisms"] = dataclasses.replace(cfg.mechanisms, **{cfg.knockout: False})
    return ModelParams(**own | {"scenario": scenario}), draw


def check_job(cfg: RunConfig, presets: dict[str, Any] | None = None) -> None:
    """Build, without running, what the job's runs will build: its identity (which reads the
    calendar and posterior files) and the parameters of every design point, at the first
    replication's posterior draw. Raises the ParameterError a run would raise, so a sweep can
    refuse a bad point before any job starts. A design point's values lie inside their
    parameters' ranges (``check_parameters``); the other replications differ only by the
    posterior particle they draw. ``presets``: the job's strategies if the caller has read
    them (``job_strategies``)."""
    config_hash(cfg, presets)
    seed = replication_seed(cfg.seed, 0)
    for _, values in design_points(cfg.design):
        model_params(cfg, values, seed)
