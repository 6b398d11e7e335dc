"""Coverage of every interval the report prints, by simulation at the sizes the report uses.

Each test draws many data sets with a known truth (fixed seed) and counts how often the 95%
interval contains it: at least 0.93 (a routine that is too narrow, at the wrong level or
biased fails), and not absurdly conservative (a routine that is needlessly wide fails too).
Wilson is checked exactly, by summing the binomial probabilities of the counts whose interval
covers, which has no Monte Carlo error.
"""

import numpy as np
import pytest
from scipy import stats

from analysis.stats import (
    BOOTSTRAP_MIN_N,
    bca_intervals,
    bootstrap,
    hodges_lehmann,
    kaplan_meier,
    newcombe_from_counts,
    wilson,
)

SIZES = (30, 50, 100)  # replications per cell in the shipped experiments: 100; smaller sweeps


def wilson_coverage(n: int, p: float) -> float:
    k = np.arange(n + 1)
    bounds = np.array([(w.ci_low, w.ci_high) for w in map(wilson, k, [n] * (n + 1))])
    covers = (bounds[:, 0] <= p) & (p <= bounds[:, 1])
    return float(stats.binom.pmf(k, n, p)[covers].sum())


@pytest.mark.parametrize("n", SIZES)
def test_wilson_covers_rare_and_common_shares(n):
    """Rare (0.05, 0.10) and common (0.20-0.50) shares. Below 0.03 Wilson dips to 0.90-0.92
    at some n (a known property of the score interval: Brown, Cai and DasGupta 2001)."""
    for p in (0.05, 0.10, 0.20, 0.35, 0.50):
        assert 0.93 <= wilson_coverage(n, p) <= 0.985, p
    mean = np.mean([wilson_coverage(n, p) for p in np.linspace(0.05, 0.95, 91)])
    assert 0.945 <= mean <= 0.96  # on average at its level, neither liberal nor conservative


def _pair_cells(p1: float, p2: float, rho: float) -> np.ndarray:
    """Probabilities of (both, only a, only b, neither) for correlated 0/1 outcomes."""
    both = p1 * p2 + rho * np.sqrt(p1 * (1 - p1) * p2 * (1 - p2))
    return np.array([both, p1 - both, p2 - both, 1 - p1 - p2 + both])


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize(
    ("p1", "p2", "rho", "upper"),
    # rare: the discreteness of a few events makes any score interval conservative at n = 30
    [(0.10, 0.05, 0.5, 0.998), (0.35, 0.25, 0.5, 0.985), (0.50, 0.50, 0.3, 0.985)],
)
def test_newcombe_paired_interval_covers(n, p1, p2, rho, upper):
    """Paired worlds (correlated outcomes, as on common seeds): 4,000 paired 2x2 tables."""
    rng = np.random.default_rng(7)
    tables = rng.multinomial(n, _pair_cells(p1, p2, rho), size=4000)
    unique, index = np.unique(tables, axis=0, return_inverse=True)
    bounds = np.array([newcombe_from_counts(*map(int, t))[1:] for t in unique])
    covers = (bounds[:, 0] <= p1 - p2) & (p1 - p2 <= bounds[:, 1])
    coverage = covers[index.ravel()].mean()
    assert 0.93 <= coverage <= upper


def test_bca_bootstrap_covers_from_its_stated_minimum():
    """Means of a bounded, skewed outcome (beta(2, 8), like a drawdown or a share) and the
    median of a skewed one (exponential), at the minimum n and at 100; one data set per row,
    through the same BCa engine that ``bootstrap`` calls."""
    rng = np.random.default_rng(11)
    for n, m in ((BOOTSTRAP_MIN_N, 1200), (100, 600)):
        x = rng.beta(2, 8, (m, n))
        low, high = bca_intervals(x, np.mean, resamples=999, seed=n)
        assert 0.93 <= np.mean((low <= 0.2) & (high >= 0.2)) <= 0.975, n
    y = rng.exponential(1.0, (400, BOOTSTRAP_MIN_N))  # medians sort: fewer data sets
    low, high = bca_intervals(y, np.median, resamples=999, seed=1)
    assert 0.93 <= np.mean((low <= np.log(2)) & (np.log(2) <= high)) <= 0.975


def test_bootstrap_states_no_interval_below_its_minimum_or_without_variation():
    rng = np.random.default_rng(0)
    few = bootstrap(rng.normal(size=BOOTSTRAP_MIN_N - 1))
    assert np.isnan(few.ci_low) and np.isnan(few.ci_high) and "too few replications" in str(few)
    one = bootstrap([0.2])  # the old percentile bootstrap said [0.2, 0.2]
    assert one.estimate == 0.2 and np.isnan(one.ci_low) and "too few" in one.note
    flat = bootstrap(np.full(50, 0.2))
    assert flat.note == "no variation" and np.isnan(flat.ci_high) and "[" not in str(flat)
    ok = bootstrap(rng.normal(1.0, 0.1, BOOTSTRAP_MIN_N))
    assert ok.note == "" and ok.ci_low < 1.0 < ok.ci_high
    # BCa, not percentile: on skewed data the two differ, and ours is scipy's BCa, seeded
    skewed = rng.exponential(1.0, 60)
    ref = stats.bootstrap(
        (skewed,), np.mean, method="BCa", n_resamples=2000, rng=np.random.default_rng(0)
    ).confidence_interval
    got = bootstrap(skewed)
    assert (got.ci_low, got.ci_high) == pytest.approx((ref.low, ref.high), rel=1e-12)
    pct = stats.bootstrap(
        (skewed,), np.mean, method="percentile", n_resamples=2000, rng=np.random.default_rng(0)
    ).confidence_interval
    assert abs(got.ci_high - pct.high) > 1e-3


@pytest.mark.parametrize("n", SIZES)
def test_hodges_lehmann_interval_covers(n):
    """A heavy-tailed symmetric paired difference (t with 3 df) centred on 0.03."""
    rng = np.random.default_rng(n)
    d = rng.standard_t(3, (1500, n)) * 0.1 + 0.03
    bounds = np.array([hodges_lehmann(row)[1:3] for row in d])
    coverage = np.mean((bounds[:, 0] <= 0.03) & (bounds[:, 1] >= 0.03))
    assert 0.93 <= coverage <= 0.97


def test_hodges_lehmann_gives_no_interval_where_none_reaches_95_percent():
    est, low, _high, note = hodges_lehmann(np.array([0.1, 0.2, -0.1, 0.3, 0.4]))
    assert est == pytest.approx(0.2) and np.isnan(low) and "6 needed" in note
    assert np.isfinite(hodges_lehmann(np.array([0.1, 0.2, -0.1, 0.3, 0.4, 0.5]))[1])
    assert hodges_lehmann(np.zeros(40))[3] == "no variation"  # never a [0, 0] interval


@pytest.mark.parametrize("n", SIZES)
def test_kaplan_meier_log_log_band_covers_at_one_year(n):
    """Exponential times to the outcome (mean 100 weeks) in whole weeks, random censoring
    and the 156-week horizon; the band at week 52 against the true S(52) = exp(-0.52)."""
    rng = np.random.default_rng(100 + n)
    hits, m = 0, 800
    truth = np.exp(-52 / 100)
    for _ in range(m):
        event = np.ceil(rng.exponential(100.0, n))
        censor = np.minimum(np.ceil(rng.uniform(50, 300, n)), 156)
        km = kaplan_meier(np.minimum(event, censor), event <= censor)
        i = np.searchsorted(km.times, 52, side="right") - 1
        hits += km.ci_low[i] <= truth <= km.ci_high[i]
    assert 0.93 <= hits / m <= 0.975
