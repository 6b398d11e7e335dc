"""Runs of 1987 for a parameter set, as the frames the pattern statistics read."""

from collections.abc import Sequence

import pandas as pd

from experiments.calibration.patterns import WEEKS, statistics
from sim.model import ReformModel
from sim.params import ModelParams


def run_set(
    params: Sequence[ModelParams], seeds: Sequence[int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run i uses params[i] and seeds[i]: (one row per run, one row per run and week)."""
    rows, frames = [], []
    for r, (p, seed) in enumerate(zip(params, seeds, strict=True)):
        if p.steps < WEEKS:
            raise ValueError(f"steps = {p.steps}: the 1987 patterns need at least {WEEKS} weeks")
        result = ReformModel(p, rng=int(seed)).run()
        rows.append({"replication": r, **result.outcomes})
        ts = result.timeseries
        ts.insert(0, "replication", r)
        frames.append(ts)
    return pd.DataFrame(rows), pd.concat(frames, ignore_index=True)


def pattern_statistics(params: Sequence[ModelParams], seeds: Sequence[int]) -> dict[str, float]:
    return statistics(*run_set(params, seeds))
