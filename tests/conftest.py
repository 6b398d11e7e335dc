"""Shared helpers: configs are composed with Hydra's compose API, exactly as the CLI does."""

from functools import cache

import pandas as pd
import pytest

from experiments.config import RunConfig, compose_run_config
from experiments.runner import run_replications


@cache
def _compose(overrides: tuple[str, ...]) -> RunConfig:
    return compose_run_config(list(overrides))


def config(*overrides: str) -> RunConfig:
    """A validated run config from command-line style overrides."""
    return _compose(tuple(overrides))


@cache
def _outcomes(overrides: tuple[str, ...]) -> pd.DataFrame:
    return run_replications(_compose(overrides))[0]


def outcomes(*overrides: str, reps: int = 12, steps: int = 104) -> pd.DataFrame:
    """Outcomes of `reps` paired replications (seeds depend only on root seed and r)."""
    return _outcomes((*overrides, f"replications={reps}", f"steps={steps}"))


@pytest.fixture
def compose():
    return config
