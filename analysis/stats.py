"""Statistics for strategy comparisons, returned as small result objects with named fields.

Proportions get Wilson intervals; means and medians BCa bootstrap intervals (none below
``BOOTSTRAP_MIN_N`` replications or without variation: the result says why); paired comparisons
(strategies on the same seeds) an exact McNemar test with Newcombe's paired interval for
rollback, Wilcoxon signed-rank with the Hodges-Lehmann shift and its interval for continuous
outcomes, and Holm's correction;
time to rollback Kaplan-Meier curves and log-rank tests (scipy.stats).
"""

import functools
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

CONFIDENCE = 0.95
# The fewest replications for which a BCa bootstrap interval is stated. Measured by simulation
# (4,000 data sets per cell, 95% BCa of the mean of normal, exponential, beta(2, 8) and
# zero-inflated exponential values; of the median of normal and exponential ones): coverage
# 0.87-0.94 at n = 10, 0.90-0.94 at n = 20, 0.92-0.95 at n = 30, 0.92-0.95 at n = 40 and
# 0.935-0.95 at n = 50, the first size at which every shape reaches 0.93. Below it the report
# says "too few replications" rather than print an interval that claims 95% and covers 90%
# (tests/test_coverage.py). The shipped experiments run 100 or more replications per cell.
BOOTSTRAP_MIN_N = 50
TOO_FEW = "too few replications"
NO_VARIATION = "no variation"


@dataclass(frozen=True)
class Proportion:
    """A share with its Wilson score interval."""

    estimate: float
    ci_low: float
    ci_high: float
    successes: int
    n: int

    @property
    def half_width(self) -> float:
        return (self.ci_high - self.ci_low) / 2


@dataclass(frozen=True)
class Estimate:
    """A statistic with a bootstrap interval; without one (NaN bounds), ``note`` says why."""

    estimate: float
    ci_low: float
    ci_high: float
    n: int
    note: str = ""

    def __str__(self) -> str:
        if self.note:
            return f"{self.estimate:.3f} ({self.note})"
        return f"{self.estimate:.3f} [{self.ci_low:.3f}, {self.ci_high:.3f}]"


@dataclass(frozen=True)
class McNemarResult:
    """Exact McNemar test on paired binary outcomes (discordant pairs only)."""

    only_a: int  # pairs where only A has the event
    only_b: int
    statistic: int  # the smaller discordant count
    pvalue: float


@dataclass(frozen=True)
class PairedComparison:
    """Strategy A against strategy B on the same seeds, for one outcome."""

    outcome: str
    strategy_a: str
    strategy_b: str
    scenario: str
    n_pairs: int
    mean_a: float
    mean_b: float
    difference: float  # A - B: difference of shares (binary), Hodges-Lehmann (continuous)
    ci_low: float  # Newcombe's paired score interval (binary), Walsh-average interval
    ci_high: float
    test: str
    statistic: float
    pvalue: float
    effect_size: float  # risk difference (binary) or matched-pairs rank-biserial (continuous)
    effect_name: str
    pvalue_holm: float = float("nan")  # Holm within ``family``
    family: str = ""  # "confirmatory" (the headline question) or "exploratory"
    ci_note: str = ""  # why there is no interval (NaN bounds), if there is none


@dataclass(frozen=True)
class SurvivalCurve:
    """Kaplan-Meier estimate of the share of runs not yet rolled back."""

    times: np.ndarray
    survival: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    n: int
    events: int

    def at(self, t: float) -> float:
        """S(t): the share not yet rolled back after week t (1 before the first event)."""
        i = np.searchsorted(self.times, t, side="right") - 1
        return 1.0 if i < 0 else float(self.survival[i])

    @property
    def median(self) -> float:
        """The first week at which S falls to 0.5 or below; NaN if it never does (then the
        median is censored: beyond the horizon)."""
        hit = np.flatnonzero(self.survival <= 0.5)
        return float(self.times[hit[0]]) if len(hit) else float("nan")

    def rmst(self, horizon: float) -> float:
        """Restricted mean survival time: the expected weeks without the outcome up to
        ``horizon`` (the area under the step curve)."""
        edges = np.concatenate([[0.0], self.times[self.times < horizon], [horizon]])
        levels = np.concatenate([[1.0], self.survival[self.times < horizon]])
        return float(np.sum(np.diff(edges) * levels))


@dataclass(frozen=True)
class LogRankResult:
    statistic: float
    pvalue: float


def wilson_sample_size(p: float, half_width: float, confidence: float = CONFIDENCE) -> int:
    """The fewest runs whose Wilson interval at share ``p`` is no wider than +-``half_width``
    (half the interval's width, as the report states it). The normal-approximation formula
    n (hw / target)^2 underestimates at small n (278 against 381 at n = 10, p = 0.5)."""
    if not 0 < half_width < 0.5:
        raise ValueError(f"half_width = {half_width}: expected a value in (0, 0.5)")
    z = stats.norm.ppf(0.5 + confidence / 2)

    def width(n: int) -> float:
        centre_half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        return centre_half

    lo, hi = 1, 2
    while width(hi) > half_width:
        lo, hi = hi, hi * 2
    while lo < hi:  # the half-width falls with n: bisect for the first n that is narrow enough
        mid = (lo + hi) // 2
        lo, hi = (mid + 1, hi) if width(mid) > half_width else (lo, mid)
    return lo


def wilson(successes: int, n: int, confidence: float = CONFIDENCE) -> Proportion:
    """Wilson score interval (Wilson 1927; Newcombe 1998, method 3)."""
    if not 0 <= successes <= n:
        raise ValueError(f"successes = {successes}: expected a count from 0 to n = {n}")
    if n == 0:
        return Proportion(float("nan"), 0.0, 1.0, 0, 0)
    z = stats.norm.ppf(0.5 + confidence / 2)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return Proportion(p, max(0.0, centre - half), min(1.0, centre + half), int(successes), n)


def bootstrap(
    values, statistic=np.mean, confidence: float = CONFIDENCE, resamples: int = 2000, seed: int = 0
) -> Estimate:
    """The statistic with its BCa bootstrap interval (scipy.stats.bootstrap), seeded for
    reproducible reports. No interval (NaN bounds and a ``note``) below ``BOOTSTRAP_MIN_N``
    values or when all values are equal: a percentile interval there was of zero width or
    covered 85% where it claimed 95%."""
    x = np.asarray(values, dtype=float)
    est = float(statistic(x)) if len(x) else float("nan")
    nan = float("nan")
    if len(x) < BOOTSTRAP_MIN_N:
        return Estimate(est, nan, nan, len(x), f"{TOO_FEW}: {len(x)} < {BOOTSTRAP_MIN_N}")
    if np.all(x == x[0]):
        return Estimate(est, nan, nan, len(x), NO_VARIATION)
    low, high = bca_intervals(x[None, :], statistic, confidence, resamples, seed)
    if not (np.isfinite(low[0]) and np.isfinite(high[0])):  # a degenerate bootstrap distribution
        return Estimate(est, nan, nan, len(x), "no interval: the resamples barely vary")
    return Estimate(est, float(low[0]), float(high[0]), len(x))


def bca_intervals(
    samples: np.ndarray,
    statistic=np.mean,
    confidence: float = CONFIDENCE,
    resamples: int = 2000,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """BCa intervals of ``statistic`` for each row of ``samples`` at once (one data set per
    row; ``statistic`` takes ``axis``): the engine of ``bootstrap``, vectorised so that a
    coverage simulation of thousands of data sets takes seconds."""
    with warnings.catch_warnings():  # degenerate rows give NaN bounds; the caller says so
        warnings.simplefilter("ignore", stats.DegenerateDataWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        res = stats.bootstrap(
            (np.asarray(samples, dtype=float),),
            statistic,
            confidence_level=confidence,
            n_resamples=resamples,
            method="BCa",
            vectorized=True,
            axis=-1,
            rng=np.random.default_rng(seed),
        )
    ci = res.confidence_interval
    return np.atleast_1d(ci.low), np.atleast_1d(ci.high)


def mcnemar_exact(a, b) -> McNemarResult:
    """Exact two-sided McNemar test: a binomial test on the discordant pairs."""
    a, b = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    only_a, only_b = int((a & ~b).sum()), int((~a & b).sum())
    n = only_a + only_b
    p = 1.0 if n == 0 else float(stats.binomtest(only_a, n, 0.5).pvalue)
    return McNemarResult(only_a, only_b, min(only_a, only_b), p)


def holm(pvalues) -> np.ndarray:
    """Holm's step-down adjustment (scipy has only Benjamini-Hochberg; this is five lines)."""
    p = np.asarray(pvalues, dtype=float)
    order = np.argsort(p)
    m = len(p)
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    return out


def paired_comparison(
    a, b, outcome: str, strategy_a: str, strategy_b: str, scenario: str, binary: bool, seed: int = 0
) -> PairedComparison:
    """Compare two strategies on paired runs (same seeds): a test, the estimate that goes with
    it and its interval, and an effect size. A 0/1 outcome: exact McNemar, the difference of
    the two shares with Newcombe's paired score interval. A continuous one: Wilcoxon's
    signed-rank test, the Hodges-Lehmann estimate with its distribution-free interval (so
    test and interval cannot contradict each other, as a mean-difference interval could)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    d = a - b
    if binary:
        mc = mcnemar_exact(a.astype(bool), b.astype(bool))
        test, statistic, pvalue = "exact McNemar", float(mc.statistic), mc.pvalue
        estimate, low, high = newcombe_paired(a.astype(bool), b.astype(bool))
        effect, effect_name, note = estimate, "risk difference", ""
    else:
        nonzero = d[d != 0]
        if len(nonzero) == 0:
            statistic, pvalue = 0.0, 1.0
        else:
            res = stats.wilcoxon(a, b, zero_method="wilcox")
            statistic, pvalue = float(res.statistic), float(res.pvalue)
        estimate, low, high, note = hodges_lehmann(d)
        ranks = stats.rankdata(np.abs(nonzero))
        total = ranks.sum()
        effect = (
            float((ranks[nonzero > 0].sum() - ranks[nonzero < 0].sum()) / total) if total else 0.0
        )
        test, effect_name = "Wilcoxon signed-rank", "matched-pairs rank-biserial"
    return PairedComparison(
        outcome,
        strategy_a,
        strategy_b,
        scenario,
        len(d),
        float(a.mean()),
        float(b.mean()),
        estimate,
        low,
        high,
        test,
        statistic,
        pvalue,
        effect,
        effect_name,
        ci_note=note,
    )


def newcombe_paired(
    a: np.ndarray, b: np.ndarray, confidence: float = CONFIDENCE
) -> tuple[float, float, float]:
    """Difference of two paired shares, P(a) - P(b), with Newcombe's (1998) method-10 score
    interval: the two Wilson intervals combined with the correlation of the pairs. Unlike the
    bootstrap it is never of zero width, and it covers near its level at small n."""
    a, b = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    if len(a) != len(b) or not len(a):
        raise ValueError(f"paired outcomes of lengths {len(a)} and {len(b)}: expected equal, > 0")
    counts = (a & b).sum(), (a & ~b).sum(), (~a & b).sum(), (~a & ~b).sum()
    return newcombe_from_counts(*(int(c) for c in counts), confidence=confidence)


def newcombe_from_counts(
    both: int, only_a: int, only_b: int, neither: int, confidence: float = CONFIDENCE
) -> tuple[float, float, float]:
    """``newcombe_paired`` from the four cells of the paired 2x2 table (all it depends on)."""
    n = both + only_a + only_b + neither
    p1, p2 = (both + only_a) / n, (both + only_b) / n
    w1, w2 = wilson(both + only_a, n, confidence), wilson(both + only_b, n, confidence)
    denom = (both + only_a) * (only_b + neither) * (both + only_b) * (only_a + neither)
    cross = both * neither - only_a * only_b
    # Newcombe's continuity-corrected correlation (Altman et al., Statistics with Confidence):
    # positive association counts only beyond n/2, so pairs on common seeds (positively
    # correlated) do not make the interval narrower than the exact McNemar test allows.
    if cross > n / 2:
        cross -= n / 2
    elif cross > 0:
        cross = 0
    phi = cross / np.sqrt(denom) if denom > 0 else 0.0
    l1, u1, l2, u2 = w1.ci_low, w1.ci_high, w2.ci_low, w2.ci_high
    delta = np.sqrt(max(0.0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2))
    eps = np.sqrt(max(0.0, (u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2))
    diff = p1 - p2
    return float(diff), float(max(-1.0, diff - delta)), float(min(1.0, diff + eps))


@functools.cache
def signed_rank_cdf(n: int) -> np.ndarray:
    """P(T <= t) for t = 0..n(n+1)/2, T the Wilcoxon signed-rank statistic of n untied pairs
    under the null (each rank's sign a fair coin): the exact distribution, by convolution."""
    p = np.zeros(n * (n + 1) // 2 + 1)
    p[0] = 1.0
    for r in range(1, n + 1):
        p[r:] = 0.5 * p[r:] + 0.5 * p[:-r].copy()
        p[:r] *= 0.5
    return np.cumsum(p)


def hodges_lehmann(
    d: np.ndarray, confidence: float = CONFIDENCE
) -> tuple[float, float, float, str]:
    """The Hodges-Lehmann estimate of a paired shift (the median of the Walsh averages) with
    the interval that inverts the signed-rank test, from the test's exact null distribution
    (Hollander and Wolfe): [W_(k+1), W_(m-k)] misses with probability 2 P(T <= k). Zero
    differences are dropped, as the test drops them (``zero_method="wilcox"``); with many tied
    differences the interval and the test's tie correction can still disagree near the 5%
    line. Returns (estimate, low, high, note): no interval (NaN, and a note) with fewer than 6
    non-zero differences, where even [min, max] of the Walsh averages misses more than 5%, or
    when every difference is zero."""
    d = np.asarray(d, dtype=float)
    nan = float("nan")
    if not (d != 0).any():
        return 0.0 if len(d) else nan, nan, nan, NO_VARIATION
    d = d[d != 0]
    n = len(d)
    i, j = np.triu_indices(n)
    walsh = np.sort((d[i] + d[j]) / 2)
    estimate = float(np.median(walsh))
    cdf = signed_rank_cdf(n)
    ok = np.flatnonzero(2 * cdf <= 1 - confidence)
    if not len(ok):
        return estimate, nan, nan, f"too few pairs that differ: {n} (6 needed)"
    k = int(ok[-1])
    return estimate, float(walsh[k]), float(walsh[len(walsh) - 1 - k]), ""


def kaplan_meier(times, rolled_back, confidence: float = CONFIDENCE) -> SurvivalCurve:
    """Survival without rollback; runs that never rolled back are censored at the horizon."""
    t = np.asarray(times, dtype=float)
    event = np.asarray(rolled_back, dtype=bool)
    data = stats.CensoredData.right_censored(t, ~event)
    sf = stats.ecdf(data).sf
    with warnings.catch_warnings():  # undefined where S = 0 or 1: expected, filled below
        warnings.simplefilter("ignore", RuntimeWarning)
        ci = sf.confidence_interval(confidence_level=confidence, method="log-log")
    grid = sf.quantiles
    s = sf.probabilities
    low = pd.Series(ci.low.evaluate(grid))
    high = pd.Series(ci.high.evaluate(grid))
    # The log(-log) band is undefined where S is 1 (before any event: the band is [1, 1]) and
    # where S is 0 (after the last run failed): there the last defined bounds carry on rather
    # than the upper bound jumping to 1.
    low = low.where(s < 1, 1.0).ffill().fillna(0.0).to_numpy()
    high = high.where(s < 1, 1.0).ffill().fillna(1.0).to_numpy()
    return SurvivalCurve(grid, s, np.minimum(low, s), np.maximum(high, s), len(t), int(event.sum()))


def logrank(times_a, events_a, times_b, events_b) -> LogRankResult:
    """Log-rank test of two survival curves (scipy.stats.logrank). ``statistic`` is the
    chi-square statistic on one degree of freedom (scipy returns the signed z; its square)."""
    x = stats.CensoredData.right_censored(np.asarray(times_a, float), ~np.asarray(events_a, bool))
    y = stats.CensoredData.right_censored(np.asarray(times_b, float), ~np.asarray(events_b, bool))
    if not (np.asarray(events_a).any() or np.asarray(events_b).any()):
        return LogRankResult(0.0, 1.0)
    res = stats.logrank(x, y)
    return LogRankResult(float(res.statistic) ** 2, float(res.pvalue))


@dataclass(frozen=True)
class PairedEffect:
    """A mean of paired differences (one arm minus the other) with its 95% t interval; NaN
    bounds where there is none (one pair, or every pair differing by the same amount)."""

    mean: float
    low: float
    high: float
    n: int

    def __str__(self) -> str:
        if not np.isfinite(self.low):
            return f"{self.mean:+.3f} ({TOO_FEW if self.n < 2 else NO_VARIATION})"
        star = "*" if self.low > 0 or self.high < 0 else ""
        return f"{self.mean:+.3f} [{self.low:+.3f}, {self.high:+.3f}]{star}"


def paired_effect(diff: np.ndarray) -> PairedEffect:
    """The t interval of paired differences. With no spread among them the t interval would
    be of zero width whatever n is, so none is given (``str`` says "no variation")."""
    d = np.asarray(diff, dtype=float)
    n = len(d)
    mean = float(d.mean()) if n else float("nan")
    if n < 2 or float(d.std(ddof=1)) == 0.0:
        return PairedEffect(mean, np.nan, np.nan, n)
    half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1) * d.std(ddof=1) / np.sqrt(n))
    return PairedEffect(mean, mean - half, mean + half, n)
