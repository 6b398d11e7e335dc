"""1987 starts from a state the dynamics produce (the spin-up, ODD 5.1): no scenario has a
transient in its first weeks that no strategy could influence."""

import pytest
from scipy import stats

from conftest import config
from experiments.legacy import SCENARIOS_0_2
from experiments.runner import run_replications

SCENARIOS = (
    "baseline_1987",
    "hardline_surge",
    "committed_reformer",
    "mobilization_wave",
    "hardline_shock",
)
REPS = 30
EXCESS = 0.10  # the first month may crack down at most this much more often than later months


def crackdown_months(*overrides: str) -> tuple[float, float]:
    """Share of runs with a crackdown in weeks 1-4, and the mean of that share over the later
    four-week windows of 1987 (weeks 5-52)."""
    _, ts = run_replications(
        config(
            *overrides,
            "strategy=status_quo_1987",
            "steps=52",
            f"replications={REPS}",
            "record_timeseries=true",
        )
    )
    month = (ts["step"] - 1) // 4  # 0 for weeks 1-4; week 0 is the state before week 1
    hit = ts[ts["step"] >= 1].groupby(["replication", month])["crackdown"].sum().gt(0).unstack()
    return float(hit[0].mean()), float(hit.loc[:, 1:].mean().mean())


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_first_month_cracks_down_no_more_often_than_later_months(scenario):
    first, later = crackdown_months(f"scenario={scenario}")
    assert first <= later + EXCESS, f"first month {first:.0%} against {later:.0%} later"


WAVE_FROM_START = ("scenario=mobilization_wave", *SCENARIOS_0_2["mobilization_wave"])


@pytest.mark.slow
def test_a_wave_present_from_the_start_is_absorbed_by_the_spin_up():
    first, later = crackdown_months(*WAVE_FROM_START)
    assert first <= later + EXCESS, f"first month {first:.0%} against {later:.0%} later"


@pytest.mark.slow
def test_without_the_spin_up_that_wave_starts_with_a_crackdown():
    """The tests above can fail: with no spin-up, 0.2's wave's first month is a transient."""
    first, later = crackdown_months(*WAVE_FROM_START, "spinup_weeks=0")
    assert first >= later + 0.2  # measured: 43% of runs against 14% in a later month
    assert stats.binomtest(round(first * REPS), REPS, later, "greater").pvalue < 0.01


def test_the_spin_up_is_not_counted_among_the_runs_events():
    from sim.model import ReformModel

    cfg = config(*WAVE_FROM_START, "scenario.calibration=", "steps=2")
    model = ReformModel(cfg, rng=3)
    assert model.initial_liberalization < 0.3  # the spin-up cracked down on the wave
    out = model.run().outcomes
    assert out["crackdowns"] == 0 and out["first_crackdown_week"] == -1
    assert model.spinup_crackdowns > 0  # there were crackdowns, and they are not counted
