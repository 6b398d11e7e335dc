"""The calibrated baseline reproduces the memo's 1987 patterns (¶4-6; ODD section 1).

30 replications of 1987 under the status quo, each with its own posterior draw (scenario
baseline_1987): every pattern statistic, over the 30 runs, lies in its target band. These bands
were the calibration's targets, so this checks the calibration, not an independent validation;
the model's 1988-1989 forecasts are the part to hold against history.
"""

import pytest

from conftest import config
from experiments.calibration.patterns import PATTERNS, statistics
from experiments.runner import run_replications


@pytest.fixture(scope="module")
def year_1987():
    cfg = config(
        "scenario=baseline_1987",
        "strategy=status_quo_1987",
        "steps=52",
        "replications=30",
        "record_timeseries=true",
    )
    out, ts = run_replications(cfg)
    assert out["posterior_draw"].nunique() >= 15  # the runs span the posterior
    return statistics(out, ts)


@pytest.mark.slow
@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.name)
def test_each_1987_pattern_lies_in_its_band_over_posterior_draws(year_1987, pattern):
    value = year_1987[pattern.name]
    assert pattern.miss(value) == 0, (
        f"{pattern.statement}: {value:.3g} outside [{pattern.lo}, {pattern.hi}]"
    )
