"""M11's rule: Granovetter's published result, and the fast path equals the per-agent reference."""

import numpy as np
import pytest
from scipy import sparse

from conftest import config, model_of
from sim.groups import GroupArrays
from sim.mechanisms.m11_mobilization import (
    GroupEnvironment,
    granovetter_equilibrium,
    step_reference,
    step_vectorized,
)


def participation(sd: float, seeds=range(8), n: int = 2000) -> float:
    return float(
        np.median(
            [granovetter_equilibrium(np.random.default_rng(s).normal(0.25, sd, n)) for s in seeds]
        )
    )


def test_granovetter_jump_as_threshold_spread_passes_about_0_12():
    """Granovetter (1978): thresholds N(0.25, sd), ties to everyone, no risk."""
    assert participation(0.08) < 0.05
    assert participation(0.10) < 0.05
    assert participation(0.14) > 0.95
    assert participation(0.16) > 0.95
    spreads = np.round(np.arange(0.09, 0.16, 0.005), 3)
    levels = [participation(sd) for sd in spreads]
    jump = spreads[int(np.argmax(np.diff(levels))) + 1]
    assert 0.11 <= jump <= 0.135


def random_world(seed: int, n: int, complete: bool):
    rng = np.random.default_rng(seed)
    if complete:
        adj = None
    else:
        a = sparse.random(n, n, density=6 / n, random_state=seed, format="csr")
        a = ((a + a.T) > 0).astype(float)
        a.setdiag(0)
        adj = sparse.csr_array(a)
        adj.eliminate_zeros()
    g = GroupArrays(n, adj)
    g.baseline_grievance = rng.random(n)
    g.grievance = rng.random(n)
    g.risk_aversion = rng.random(n)
    g.threshold = rng.normal(0.4, 0.2, n)
    g.visible = rng.random(n) < 0.3
    g.leader = rng.integers(0, 3, n).astype(np.int8)
    g.activity = rng.integers(0, 3, n).astype(np.int8)
    return g, rng


@pytest.mark.parametrize("complete", [False, True])
@pytest.mark.parametrize("seed", range(5))
def test_vectorized_rule_equals_per_agent_reference(seed, complete):
    a, rng = random_world(seed, 400, complete)
    b, _ = random_world(seed, 400, complete)
    for _ in range(6):
        env = GroupEnvironment(*rng.random(10))
        u = rng.random(a.n)
        step_vectorized(a, env, u)
        step_reference(b, env, u)
        assert np.array_equal(a.activity, b.activity)
        assert np.array_equal(a.leader, b.leader)
        assert np.array_equal(a.grievance, b.grievance)


def test_whole_model_identical_with_reference_agents():
    cfg = config("scenario.groups.n_groups=300", "steps=60", "strategy=balanced")
    fast = model_of(cfg, rng=9).run()
    slow = model_of(cfg, rng=9, group_rules="reference").run()
    assert fast.timeseries.equals(slow.timeseries)
    assert fast.outcomes == slow.outcomes
    assert fast.timeseries["crackdown"].sum() > 0  # the comparison covers crackdown weeks
