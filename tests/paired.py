"""Direction tests on paired seeds: one lever per arm, a stated effect size, a sign test.

Replication r has the same seed in both arms, so the per-seed differences isolate the lever.
A direction holds when the mean difference reaches the stated effect, more of the seeds that
changed move the stated way than the other, the two-sided sign test on them rejects at ``ALPHA``,
and the median difference has the same sign.
"""

import numpy as np
from scipy import stats

from conftest import outcomes

ALPHA = 0.01
REPS = 30


def paired(
    base: tuple[str, ...],
    a: str | tuple[str, ...],
    b: str | tuple[str, ...],
    column: str,
    steps: int = 104,
    reps: int = REPS,
) -> np.ndarray:
    """Per-seed differences (arm b minus arm a) of one outcome; an arm is one override, or a
    tuple of them where one lever needs two (attention shares that must sum to 1)."""
    arm = lambda x: (x,) if isinstance(x, str) else x
    lo = outcomes(*base, *arm(a), reps=reps, steps=steps)
    hi = outcomes(*base, *arm(b), reps=reps, steps=steps)
    assert (lo["seed"].to_numpy() == hi["seed"].to_numpy()).all()  # paired on the same worlds
    return hi[column].astype(float).to_numpy() - lo[column].astype(float).to_numpy()


def sign_test(d: np.ndarray) -> float:
    nz = d[d != 0]
    assert len(nz) > 0, "no run changed: the lever does nothing"
    return stats.binomtest(int((nz > 0).sum()), len(nz)).pvalue


def assert_direction(d: np.ndarray, direction: int, min_effect: float) -> None:
    """The stated direction: a mean effect at least ``min_effect``, and among the seeds that
    changed, significantly more moving that way than the other (the two-sided sign test alone
    would also reject for a lever that moves most seeds the wrong way)."""
    assert direction * d.mean() >= min_effect, f"mean paired difference {d.mean():+.4f}"
    nz = d[d != 0]
    with_claim, against = int((direction * nz > 0).sum()), int((direction * nz < 0).sum())
    assert with_claim > against, f"{with_claim} seeds moved as claimed, {against} against"
    assert sign_test(d) < ALPHA
    assert direction * np.median(d) >= 0
