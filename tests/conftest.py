"""Shared helpers: configs are composed with Hydra's compose API, exactly as the CLI does."""

import dataclasses
from functools import cache

import pandas as pd
import pytest

from experiments.calibration.posterior import resolve_scenario
from experiments.config import RunConfig, compose_run_config
from experiments.runner import run_replications
from sim.model import ReformModel
from sim.params import ModelParams


@cache
def _compose(overrides: tuple[str, ...]) -> RunConfig:
    return compose_run_config(list(overrides))


def config(*overrides: str) -> RunConfig:
    """A validated run config from command-line style overrides."""
    return _compose(tuple(overrides))


def model_of(params: ModelParams, rng: int, **kwargs) -> ReformModel:
    """A model built as a replication run builds it: a calibrated scenario first takes the
    posterior draw of this seed."""
    scenario, _ = resolve_scenario(params.scenario, rng)
    return ReformModel(dataclasses.replace(params, scenario=scenario), rng=rng, **kwargs)


@cache
def _outcomes(overrides: tuple[str, ...]) -> pd.DataFrame:
    return run_replications(_compose(overrides))[0]


def outcomes(*overrides: str, reps: int = 12, steps: int = 104) -> pd.DataFrame:
    """Outcomes of `reps` paired replications (seeds depend only on root seed and r)."""
    return _outcomes((*overrides, f"replications={reps}", f"steps={steps}"))


@pytest.fixture
def compose():
    return config
