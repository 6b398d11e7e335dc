"""Sobol indices held to the Ishigami function through our own pipeline.

The only part swapped is the model (``experiments.runner.ReformModel``): the design comes from
the experiment's DesignConfig, each chunk is run and written by ``run_point`` as a sweep job,
``aggregate`` gathers the job folders, ``load_sweep`` reads them back and ``sobol_indices``
computes the indices, exactly as ``reform-sim -m`` and ``reform-analyze`` do.
"""

import dataclasses
import operator
import shutil
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis.load import AnalysisError, load_sweep
from analysis.sensitivity import check_complete, convergence, design_problem, sobol_indices
from experiments import runner
from experiments.aggregate import aggregate
from experiments.config import compose_run_config
from experiments.design import DesignConfig, chunk_rows, sample

# Three float scenario parameters, each mapped linearly onto Ishigami's [-pi, pi] (indices do
# not change under an affine map of an input).
BOUNDS = {
    "leadership.reform_commitment": [0.5, 0.95],
    "groups.contagion": [0.2, 0.6],
    "policy.enactment_cost": [0.2, 0.8],
}
# Ishigami with a = 7, b = 0.1 (Saltelli et al. 2008, section 3.2): exact indices
S1_TRUE = {"leadership.reform_commitment": 0.3139, "groups.contagion": 0.4424}
S1_TRUE["policy.enactment_cost"] = 0.0
ST_TRUE = {"leadership.reform_commitment": 0.5576, "groups.contagion": 0.4424}
ST_TRUE["policy.enactment_cost"] = 0.2437
CHUNKS, REPS, NOISE = 7, 2, 0.5  # 7 chunks cut through the Saltelli blocks of 5 rows


def ishigami(u: np.ndarray) -> float:
    return float(np.sin(u[0]) + 7 * np.sin(u[1]) ** 2 + 0.1 * u[2] ** 4 * np.sin(u[0]))


class IshigamiModel:
    """Stands in for ReformModel: reads the design point from the scenario the runner built,
    returns Ishigami plus noise (seeded by the run's seed and the point) as max_drawdown."""

    def __init__(self, params, rng: int) -> None:
        values = [operator.attrgetter(p)(params.scenario) for p in BOUNDS]
        self.u = np.array(
            [
                (v - lo) / (hi - lo) * 2 * np.pi - np.pi
                for v, (lo, hi) in zip(values, BOUNDS.values(), strict=True)
            ]
        )
        self.seed = rng

    def run(self):
        key = [self.seed, *np.round((self.u + 4) * 1e9).astype(np.int64)]
        y = ishigami(self.u) + NOISE * np.random.default_rng(key).normal()
        outcomes = {
            "rollback": 0,
            "time_to_rollback": 156,
            "max_drawdown": y,
            "final_liberalization": 0.0,
            "final_codified": 0.0,
        }
        return SimpleNamespace(outcomes=outcomes, timeseries=None)


@pytest.fixture(scope="module")
def ishigami_sweep(tmp_path_factory):
    """A 7-chunk sweep at the publication preset's N and design seed (N = 2048: 10,240
    points, 2 replications each), run job by job."""
    patch = pytest.MonkeyPatch()
    patch.setattr(runner, "ReformModel", IshigamiModel)
    base = compose_run_config(["experiment=sensitivity_cluster", "strategy=case_focus"])
    design = dataclasses.replace(base.design, chunks=CHUNKS, parameters=BOUNDS)
    cfg = dataclasses.replace(base, design=design, replications=REPS, checkpoint_every=10**6)
    sweep = tmp_path_factory.mktemp("ishigami")
    for k in range(CHUNKS):
        job = dataclasses.replace(cfg, design=dataclasses.replace(design, chunk=k))
        runner.run_point(job, sweep / f"design.chunk={k}")
    patch.undo()
    aggregate(sweep)
    return sweep


def _errors(indices: pd.DataFrame) -> tuple[float, float]:
    got = indices.set_index("parameter")
    s1 = max(abs(got.loc[p, "S1"] - v) for p, v in S1_TRUE.items())
    st = max(abs(got.loc[p, "ST"] - v) for p, v in ST_TRUE.items())
    return s1, st


@pytest.mark.slow
def test_ishigami_through_the_pipeline_recovers_the_analytic_indices(ishigami_sweep):
    sweep = load_sweep(ishigami_sweep, with_series=False)
    problem = design_problem(sweep.job_config)
    assert problem["n_base"] >= 1024 and problem["replications"] == REPS
    assert problem["names"] == list(BOUNDS)  # the design's order, not metadata's sorted one
    assert len(sweep.outcomes) == problem["n_points"] * REPS
    indices = sobol_indices(sweep.outcomes, problem, outcomes=("max_drawdown",))
    s1, st = _errors(indices)
    assert s1 < 0.03 and st < 0.03, indices
    # the intervals are there and cover the truth
    got = indices.set_index("parameter")
    assert all(got.loc[p, "ST_ci_low"] < v < got.loc[p, "ST_ci_high"] for p, v in ST_TRUE.items())
    # chunks written under each other's design points (two equal-size chunks swapped) would
    # break the A/AB/B blocks; the recorded parameter values give them away
    rows = chunk_rows(problem["n_points"], CHUNKS)
    swap = dict(zip(rows[0], rows[1], strict=True)) | dict(zip(rows[1], rows[0], strict=True))
    swapped = sweep.outcomes.assign(
        design_point=sweep.outcomes["design_point"].map(lambda p: swap.get(p, p))
    )
    with pytest.raises(AnalysisError, match="not the design's"):
        sobol_indices(swapped, problem, outcomes=("max_drawdown",))
    # and the parameters named in another order than the design's columns
    renamed = problem | {"names": sorted(problem["names"])}
    with pytest.raises(AnalysisError, match="not the design's"):
        sobol_indices(sweep.outcomes, renamed, outcomes=("max_drawdown",))


@pytest.mark.slow
def test_a_dropped_chunk_is_named_and_nothing_is_computed(ishigami_sweep, tmp_path):
    copy = tmp_path / "sweep"
    shutil.copytree(ishigami_sweep, copy)
    shutil.rmtree(copy / "design.chunk=5")
    aggregate(copy)
    sweep = load_sweep(copy, with_series=False)
    problem = design_problem(sweep.job_config)
    with pytest.raises(AnalysisError, match=r"in chunks 5 of 0-6 \(rerun with design.chunk=5"):
        sobol_indices(sweep.outcomes, problem, outcomes=("max_drawdown",))
    with pytest.raises(AnalysisError, match="incomplete"):
        convergence(sweep.outcomes, problem, outcomes=("max_drawdown",))


def test_a_point_short_of_replications_or_outside_the_design_is_refused():
    problem = {"n_points": 10, "chunks": 2, "n_base": 2, "step": 5, "second_order": False}
    problem["replications"] = 2
    full = pd.DataFrame(
        {"strategy": "s", "design_point": np.repeat(np.arange(10), 2), "replication": [0, 1] * 10}
    )
    check_complete(full, problem)  # complete: no error
    with pytest.raises(AnalysisError, match=r"1 of 10 points missing or short .* chunks 1 of"):
        check_complete(full.drop(index=[15]), problem)  # point 7 has one replication
    extra = pd.concat([full, full.head(1).assign(design_point=12)])
    with pytest.raises(AnalysisError, match=r"design points \[12\] outside 0-9"):
        check_complete(extra, problem)


def test_the_first_blocks_of_a_saltelli_design_are_the_design_of_a_smaller_n():
    """What the convergence figure relies on: SALib draws the base points from one scrambled
    Sobol sequence and writes each one's D + 2 rows together, so the first M blocks of the
    N design are the design of M, with the same seed."""
    design = DesignConfig(kind="sobol", n_base=64, seed=2026, parameters=BOUNDS)
    full = sample(design)
    for m in (8, 16, 32):
        small = sample(dataclasses.replace(design, n_base=m))
        assert np.array_equal(full[: m * 5], small)
    assert not np.array_equal(full[5:45], sample(dataclasses.replace(design, n_base=8)))
