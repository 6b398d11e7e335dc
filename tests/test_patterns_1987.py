"""The baseline reproduces the memo's 1987 figures (¶4-6) over 30 seeds (MODEL.md section 1)."""

import numpy as np
import pytest

from conftest import config
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
    return run_replications(cfg)


def per_run(ts, column, weeks):
    sel = ts[ts["step"].between(*weeks)]
    return sel.groupby("replication")[column]


@pytest.mark.slow
def test_emigration_rises_from_a_low_level_to_700_900_a_month(year_1987):
    _, ts = year_1987
    early = per_run(ts, "emigration", (1, 8)).mean() * 52 / 12
    late = per_run(ts, "emigration", (40, 52)).mean() * 52 / 12
    assert np.median(early) < 400
    assert 700 <= np.median(late) <= 900


@pytest.mark.slow
def test_over_250_prisoners_released_yet_hundreds_known_and_thousands_remain(year_1987):
    out, _ = year_1987
    assert np.median(out["prisoners_released"]) > 250
    assert 100 <= np.median(out["known_prisoners_remaining"]) < 1000
    assert np.median(out["prisoners_remaining"]) >= 1000


@pytest.mark.slow
def test_summer_demonstrations_are_followed_by_an_autumn_crackdown(year_1987):
    out, ts = year_1987
    autumn = per_run(ts, "crackdown", (27, 52)).sum() > 0
    assert autumn.mean() > 0.5
    summer_demos = per_run(ts, "demonstrations", (18, 26)).mean()
    assert np.median(summer_demos) >= 20
    assert np.median(out["first_crackdown_week"].where(out["first_crackdown_week"] > 0, 99)) > 26


@pytest.mark.slow
def test_few_promised_reforms_are_enacted(year_1987):
    out, _ = year_1987
    assert np.median(out["items_enacted"]) <= 2
    assert (out["items_enacted"] <= 2).mean() >= 0.8


@pytest.mark.slow
def test_thousands_of_informal_groups_and_tactical_concessions(year_1987):
    _, ts = year_1987
    assert config().scenario.groups.n_groups >= 1000
    final = ts[ts["step"] == 52]
    assert (final["phase"] == 2).mean() > 0.5  # tactical concessions (spiral model)
