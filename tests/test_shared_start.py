"""One world under several strategies, the weeks before they start run once (sim.shared_start):
every run must be the run its strategy gives alone, bit for bit, or the saving is a different
model."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from conftest import config
from experiments.config import presets
from experiments.runner import model_params
from experiments.seeds import replication_seed
from sim.agents.outside import OutsideGovernment
from sim.model import ReformModel
from sim.shared_start import StrategyReadEarlyError, run_strategies, shared_weeks

PRESETS = presets("strategy")


def strategy_preset(name):
    return config(f"strategy={name}").strategy


def _same_run(a, b) -> None:
    pd.testing.assert_frame_equal(a.timeseries, b.timeseries)
    assert a.outcomes.keys() == b.outcomes.keys()
    for k, x in a.outcomes.items():
        y = b.outcomes[k]
        both_nan = isinstance(x, float) and np.isnan(x) and np.isnan(y)
        assert x == y or both_nan, (k, x, y)


def _alone(params, strategies, seed):
    return [ReformModel(dataclasses.replace(params, strategy=s), seed).run() for s in strategies]


@pytest.mark.parametrize("scenario", ["baseline_1987", "hardline_shock", "mobilization_wave"])
def test_each_strategy_gives_the_run_it_gives_alone(scenario):
    """Every preset, on a posterior draw, a shock and a wave: series and outcomes identical to
    the run alone. A copy that lost state (the recorder's rows are views into its table, which
    a pickle would break), or a strategy that acted before its start, would differ."""
    cfg = config(f"scenario={scenario}")
    seed = replication_seed(cfg.seed, 1)
    params, _ = model_params(cfg, {}, seed)
    strategies = [strategy_preset(n) for n in PRESETS]
    assert shared_weeks(strategies, params.steps) == 49  # the memo's start: week 50
    for shared, alone in zip(
        run_strategies(params, strategies, seed), _alone(params, strategies, seed), strict=True
    ):
        _same_run(shared, alone)


def test_strategies_that_start_at_different_weeks_share_the_weeks_before_the_first():
    cfg = config("steps=80")
    seed = replication_seed(cfg.seed, 0)
    params, _ = model_params(cfg, {}, seed)
    early = dataclasses.replace(strategy_preset("case_focus"), start_week=30)
    late = strategy_preset("institutionalization")
    assert shared_weeks([late, early], params.steps) == 29
    assert shared_weeks([late, dataclasses.replace(early, start_week=0)], params.steps) == 0
    assert shared_weeks([late], params.steps) == 0  # nothing to share with
    both = [late, early]
    for shared, alone in zip(
        run_strategies(params, both, seed), _alone(params, both, seed), strict=True
    ):
        _same_run(shared, alone)


def test_a_model_that_reads_the_strategy_before_it_starts_is_stopped(monkeypatch):
    """If a change let the strategy act before its start week, sharing those weeks would give
    every strategy the same early weeks; the shared part must refuse instead."""
    hold = OutsideGovernment.hold_fora

    def reads_early(self):
        _ = self.planned.pressure  # the planned strategy, read before its start
        hold(self)

    monkeypatch.setattr(OutsideGovernment, "hold_fora", reads_early)
    cfg = config("steps=60")
    seed = replication_seed(cfg.seed, 0)
    params, _ = model_params(cfg, {}, seed)
    strategies = [strategy_preset("case_focus"), strategy_preset("no_pressure")]
    with pytest.raises(StrategyReadEarlyError, match=r"strategy\.pressure before"):
        run_strategies(params, strategies, seed)
