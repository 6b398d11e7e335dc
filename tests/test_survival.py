"""Our survival statistics (scipy-based) held to lifelines and to a textbook on the same data.

The Freireich leukaemia trial (remission times in weeks, 6-MP against placebo, 21 patients
each; lifelines' ``load_leukemia``, Kleinbaum and Klein's "anderson" data) and lifelines'
Waltons data (163 flies, two groups). One definitional difference, documented here and in
``analysis.stats.kaplan_meier``: after the last subject has the event (S = 0) lifelines'
log(-log) band collapses to [0, 0], ours carries the last defined bounds forward (a band of
zero width would claim certainty that one more run could break).
"""

import numpy as np
import pytest

from analysis.stats import kaplan_meier, logrank

lifelines = pytest.importorskip("lifelines")  # the dev extra: pip install -e '.[dev]'
from lifelines import KaplanMeierFitter  # noqa: E402
from lifelines.datasets import load_leukemia, load_waltons  # noqa: E402
from lifelines.statistics import logrank_test  # noqa: E402
from lifelines.utils import restricted_mean_survival_time  # noqa: E402

# lifelines 0.30.0 (the newest that installs beside pandas 3) calls pandas in ways pandas 4
# will drop; its warnings are not ours
pytestmark = pytest.mark.filterwarnings("ignore:::lifelines")


def groups(name: str):
    if name == "leukemia":
        d = load_leukemia()
        return [(g["t"].to_numpy(float), g["status"].to_numpy(bool)) for _, g in d.groupby("Rx")]
    d = load_waltons()
    return [(g["T"].to_numpy(float), g["E"].to_numpy(bool)) for _, g in d.groupby("group")]


@pytest.mark.parametrize("data", ["leukemia", "waltons"])
def test_kaplan_meier_band_median_and_rmst_agree_with_lifelines(data):
    for t, e in groups(data):
        ours = kaplan_meier(t, e)
        fit = KaplanMeierFitter().fit(t, e)  # default: exponential Greenwood (log(-log)) band
        theirs = fit.survival_function_.iloc[:, 0].loc[ours.times].to_numpy()
        band = fit.confidence_interval_.loc[ours.times].to_numpy()
        assert ours.survival == pytest.approx(theirs, abs=1e-9)
        alive = ours.survival > 0  # where S = 0 the definitions part (module docstring)
        assert alive.sum() >= 10
        assert ours.ci_low[alive] == pytest.approx(band[alive, 0], abs=1e-6)
        assert ours.ci_high[alive] == pytest.approx(band[alive, 1], abs=1e-6)
        assert ours.median == fit.median_survival_time_
        horizon = float(t.max())
        assert ours.rmst(horizon) == pytest.approx(
            restricted_mean_survival_time(fit, t=horizon), abs=1e-6
        )
        assert ours.rmst(horizon / 2) == pytest.approx(
            restricted_mean_survival_time(fit, t=horizon / 2), abs=1e-6
        )


@pytest.mark.parametrize("data", ["leukemia", "waltons"])
def test_logrank_agrees_with_lifelines(data):
    (ta, ea), (tb, eb) = groups(data)
    ours = logrank(ta, ea, tb, eb)
    theirs = logrank_test(ta, tb, ea, eb)
    assert ours.statistic == pytest.approx(theirs.test_statistic, rel=1e-9)
    assert ours.pvalue == pytest.approx(theirs.p_value, rel=1e-6)


def test_the_leukaemia_trial_as_the_textbook_reports_it():
    """Kleinbaum and Klein, Survival Analysis (3rd ed., 2012), chapter 2: log-rank
    chi-square 16.79 (1 df), median remission 23 weeks on 6-MP and 8 on placebo, and the
    6-MP Kaplan-Meier column 0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448."""
    (t6, e6), (tp, ep) = groups("leukemia")  # Rx = 0: 6-MP, Rx = 1: placebo
    assert logrank(t6, e6, tp, ep).statistic == pytest.approx(16.79, abs=0.005)
    six_mp = kaplan_meier(t6, e6)
    assert (six_mp.median, kaplan_meier(tp, ep).median) == (23.0, 8.0)
    weeks = [6, 7, 10, 13, 16, 22, 23]
    assert [round(six_mp.at(w), 3) for w in weeks] == [
        0.857,
        0.807,
        0.753,
        0.690,
        0.627,
        0.538,
        0.448,
    ]
    placebo = kaplan_meier(tp, ep)
    assert placebo.at(23) == 0 and 0 < placebo.ci_high[-1] < 1  # band carried, not [0, 0]
    assert np.isfinite(placebo.ci_low).all()
