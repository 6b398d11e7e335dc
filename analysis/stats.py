"""Statistics for strategy comparisons, returned as small result objects with named fields.

Proportions get Wilson intervals; means and medians bootstrap intervals; paired comparisons
(strategies on the same seeds) an exact McNemar test for rollback and Wilcoxon signed-rank for
continuous outcomes, with a paired bootstrap interval of the difference and Holm's correction;
time to rollback Kaplan-Meier curves and log-rank tests (scipy.stats).
"""

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import stats

CONFIDENCE = 0.95


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
    """A statistic with a bootstrap interval."""

    estimate: float
    ci_low: float
    ci_high: float
    n: int


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
    difference: float  # mean of (A - B)
    ci_low: float
    ci_high: float
    test: str
    statistic: float
    pvalue: float
    effect_size: float  # risk difference (binary) or matched-pairs rank-biserial (continuous)
    effect_name: str
    pvalue_holm: float = float("nan")


@dataclass(frozen=True)
class SurvivalCurve:
    """Kaplan-Meier estimate of the share of runs not yet rolled back."""

    times: np.ndarray
    survival: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    n: int
    events: int


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
    """Percentile bootstrap interval (scipy.stats.bootstrap), seeded for reproducible reports."""
    x = np.asarray(values, dtype=float)
    est = float(statistic(x)) if len(x) else float("nan")
    if len(x) < 2 or np.all(x == x[0]):
        return Estimate(est, est, est, len(x))
    res = stats.bootstrap(
        (x,),
        statistic,
        confidence_level=confidence,
        n_resamples=resamples,
        method="percentile",
        vectorized=True,
        rng=np.random.default_rng(seed),
    )
    ci = res.confidence_interval
    return Estimate(est, float(ci.low), float(ci.high), len(x))


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
    """Compare two strategies on paired runs (same seeds): test, interval and effect size."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    d = a - b
    ci = bootstrap(d, np.mean, seed=seed)
    if binary:
        mc = mcnemar_exact(a.astype(bool), b.astype(bool))
        test, statistic, pvalue = "exact McNemar", float(mc.statistic), mc.pvalue
        effect, effect_name = float(d.mean()), "risk difference"
    else:
        nonzero = d[d != 0]
        if len(nonzero) == 0:
            statistic, pvalue = 0.0, 1.0
        else:
            res = stats.wilcoxon(a, b, zero_method="wilcox")
            statistic, pvalue = float(res.statistic), float(res.pvalue)
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
        float(d.mean()),
        ci.ci_low,
        ci.ci_high,
        test,
        statistic,
        pvalue,
        effect,
        effect_name,
    )


def kaplan_meier(times, rolled_back, confidence: float = CONFIDENCE) -> SurvivalCurve:
    """Survival without rollback; runs that never rolled back are censored at the horizon."""
    t = np.asarray(times, dtype=float)
    event = np.asarray(rolled_back, dtype=bool)
    data = stats.CensoredData.right_censored(t, ~event)
    sf = stats.ecdf(data).sf
    with warnings.catch_warnings():  # undefined where S = 0 or 1: expected, filled below
        warnings.simplefilter("ignore", RuntimeWarning)
        ci = sf.confidence_interval(confidence_level=confidence)
    grid = sf.quantiles
    return SurvivalCurve(
        grid,
        sf.probabilities,
        np.nan_to_num(ci.low.evaluate(grid), nan=0.0),
        np.nan_to_num(ci.high.evaluate(grid), nan=1.0),
        len(t),
        int(event.sum()),
    )


def logrank(times_a, events_a, times_b, events_b) -> LogRankResult:
    """Log-rank test of two survival curves (scipy.stats.logrank)."""
    x = stats.CensoredData.right_censored(np.asarray(times_a, float), ~np.asarray(events_a, bool))
    y = stats.CensoredData.right_censored(np.asarray(times_b, float), ~np.asarray(events_b, bool))
    if not (np.asarray(events_a).any() or np.asarray(events_b).any()):
        return LogRankResult(0.0, 1.0)
    res = stats.logrank(x, y)
    return LogRankResult(float(res.statistic), float(res.pvalue))


@dataclass(frozen=True)
class PairedEffect:
    """A mean of paired differences (one arm minus the other) with its 95% t interval."""

    mean: float
    low: float
    high: float
    n: int

    def __str__(self) -> str:
        if not np.isfinite(self.low):
            return f"{self.mean:+.3f}"
        star = "*" if self.low > 0 or self.high < 0 else ""
        return f"{self.mean:+.3f} [{self.low:+.3f}, {self.high:+.3f}]{star}"


def paired_effect(diff: np.ndarray) -> PairedEffect:
    d = np.asarray(diff, dtype=float)
    n = len(d)
    mean = float(d.mean())
    if n < 2 or float(d.std(ddof=1)) == 0.0:
        return (
            PairedEffect(mean, mean, mean, n) if n >= 2 else PairedEffect(mean, np.nan, np.nan, n)
        )
    half = float(stats.t.ppf(0.975, n - 1) * d.std(ddof=1) / np.sqrt(n))
    return PairedEffect(mean, mean - half, mean + half, n)
