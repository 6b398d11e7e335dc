"""Releases and emigration: what practice lets happen each week (memo ¶4, ¶7; ODD 5.8).

Each open prisoner case is released with a weekly hazard proportional to the release practice,
and each known refusenik case leaves with one proportional to the emigration practice.
Emigration at large comes from the exit queue (M17: applicants, decisions, refusals and the
refusenik stock), or, with M17 off, from a Poisson draw scaled by the emigration practice.
"""

from dataclasses import dataclass

import numpy as np

from sim.cases import CaseCategory, CaseRegistry
from sim.mechanisms import m17_emigration_demand as m17
from sim.params import DIMENSIONS, ReleaseParams
from sim.policy import PolicyState

_RELEASE = DIMENSIONS.index("prisoner_release")
_EMIGRATION = DIMENSIONS.index("emigration")


@dataclass
class ExitQueue:
    """Who wants to leave: pending applications, the refusenik stock, the approval expected."""

    pending: int
    refuseniks: int
    expected: float  # the approval rate applicants expect
    start: float  # the emigration practice at week 0 (the expectation's reference)
    priority_share: float  # of new known cases, those of particular interest abroad
    applications: int = 0  # this week's new applications and reapplications
    refusals: int = 0  # this week's refusals
    arrived: int = 0  # first applications since the start
    left: int = 0  # emigrants since the start

    @classmethod
    def at_start(cls, practice: np.ndarray, s: ReleaseParams, priority_share: float) -> "ExitQueue":
        p0 = float(practice[_EMIGRATION])
        return cls(s.applicants_initial, s.refuseniks_initial, p0, p0, priority_share)

    def step(
        self,
        practice: np.ndarray,
        floor: np.ndarray,
        cases: CaseRegistry,
        s: ReleaseParams,
        rng: np.random.Generator,
        week: int,
    ) -> int:
        """One week of applying, deciding and refusing; return the emigrants."""
        approval = float(practice[_EMIGRATION])
        self.expected = m17.expected_approval(self.expected, approval, s)
        factor = m17.demand_factor(self.expected, self.start, s)
        new = m17.new_applications(factor, float(floor[_EMIGRATION]), s, rng)
        again = m17.reapplications(self.refuseniks, factor, s, rng)
        self.refuseniks -= again
        self.arrived += new
        self.applications = new + again
        self.pending += self.applications
        granted, refused = m17.decide(self.pending, approval, s, rng)
        self.pending -= granted + refused
        self.refuseniks += refused
        self.refusals = refused
        seen = int(rng.binomial(refused, s.refusal_visibility))
        if seen:
            cat = np.full(seen, CaseCategory.REFUSENIK, dtype=np.int8)
            prio = rng.random(seen) < self.priority_share
            cases.add(cat, np.ones(seen, dtype=bool), prio, week)
        self.left += granted
        return granted


def release_and_emigrate(
    policy: PolicyState,
    cases: CaseRegistry,
    s: ReleaseParams,
    rng: np.random.Generator,
    week: int,
    exits: ExitQueue | None,
) -> int:
    """Release prisoners and known refuseniks by hazard; return this week's emigrants (from
    the exit queue under M17, else supply only)."""
    practice = policy.practice
    pris = cases.prisoner_mask()
    cases.release_by_hazard(pris, s.release_hazard * practice[_RELEASE], rng, week)
    cases.release_by_hazard(~pris, s.refusenik_hazard * practice[_EMIGRATION], rng, week)
    if exits is not None:
        return exits.step(practice, policy.floor, cases, s, rng, week)
    lam = s.emigration_full_monthly * practice[_EMIGRATION] * 12.0 / 52.0
    return int(rng.poisson(lam))
