"""Releases and emigration: what practice lets happen each week (memo ¶4, ODD 5.8).

Each open prisoner case is released with a weekly hazard proportional to the release practice,
each refusenik leaves with one proportional to the emigration practice, and emigration at large
is a Poisson draw scaled by the emigration practice.
"""

import numpy as np

from sim.cases import PRISONER_CATEGORIES, CaseRegistry
from sim.params import DIMENSIONS, ReleaseParams

_RELEASE = DIMENSIONS.index("prisoner_release")
_EMIGRATION = DIMENSIONS.index("emigration")


def release_and_emigrate(
    practice: np.ndarray, cases: CaseRegistry, s: ReleaseParams, rng: np.random.Generator, week: int
) -> int:
    """Release prisoners and refuseniks by hazard; return this week's emigrants."""
    pris = np.isin(cases.category[: cases.n], PRISONER_CATEGORIES)
    cases.release_by_hazard(pris, s.release_hazard * practice[_RELEASE], rng, week)
    cases.release_by_hazard(~pris, s.refusenik_hazard * practice[_EMIGRATION], rng, week)
    lam = s.emigration_full_monthly * practice[_EMIGRATION] * 12.0 / 52.0
    return int(rng.poisson(lam))
