"""M17 Emigration with a demand side (memo ¶4, ¶7).

The memo counts emigration in people who leave ("a plateau of 700-900 per month", ¶4) and asks
for rules on who may leave: "a repeal of the requirement of all applicants to receive permission
of all relatives, and a liberalization and codification of the laws and regulations governing
refusals on grounds of secrecy" (¶7). What policy controls is the refusal, not the wish to leave.

Applicants expect an approval rate ``e`` that follows the emigration practice with speed
``expectation_speed``. New applications arrive at ``application_rate x (e / e0)^elasticity x
(1 + rules_confidence x F_emigration)``, with ``e0`` the starting practice: more when approval is
expected and when rules are codified. Refuseniks apply again at ``reapply_rate`` times the same
expectation factor. Each week a share ``decision_rate`` of pending applications is decided; the
emigration practice is the share approved, the rest are refused and join the refusenik stock,
and a share ``refusal_visibility`` of the new refusals become refusenik cases known abroad, so
refusals fill the outside government's lists (¶18).

Off (``mechanisms.M17=false``): emigration is supply only, a Poisson draw of
``emigration_full_monthly x practice`` a month, as in 0.2.
"""

import numpy as np

from sim.params import ReleaseParams

# People willing to apply grow at most a hundredfold over the start, so a starting practice
# near 0 cannot turn a small rise into an unbounded flood of applications.
MAX_DEMAND = 100.0


def expected_approval(expected: float, practice: float, s: ReleaseParams) -> float:
    """Applicants learn the approval rate from what they see."""
    return expected + s.expectation_speed * (practice - expected)


def demand_factor(expected: float, start: float, s: ReleaseParams) -> float:
    """How much more (or less) willing people are to apply than at the start."""
    if start <= 0:
        return 1.0
    return min(MAX_DEMAND, (max(expected, 0.0) / start) ** s.application_elasticity)


def new_applications(
    factor: float, floor: float, s: ReleaseParams, rng: np.random.Generator
) -> int:
    lam = s.application_rate * factor * (1.0 + s.rules_confidence * floor)
    return int(rng.poisson(lam))


def reapplications(
    refuseniks: int, factor: float, s: ReleaseParams, rng: np.random.Generator
) -> int:
    return int(rng.binomial(refuseniks, min(1.0, s.reapply_rate * factor)))


def decide(
    pending: int, approval: float, s: ReleaseParams, rng: np.random.Generator
) -> tuple[int, int]:
    """Decide a share of the pending applications: (granted, refused)."""
    decided = int(rng.binomial(pending, s.decision_rate))
    granted = int(rng.binomial(decided, min(1.0, max(0.0, approval))))
    return granted, decided - granted
