"""M15 Reversal (memo ¶2, ¶6, ¶15).

Progress "has hit a plateau and in some areas even rolled back" (¶2); institutional changes
"will help ensure that any progress made will be more difficult to reverse" (¶15): more
difficult, not impossible. Permanency is measured, not assumed.

In each crackdown every enacted item may be repealed (its floors fall; practice is not lifted
back) with chance ``repeal_hazard x H x exp(-age / entrenchment_weeks) x (1 - signal x asked)``:
likelier the stronger the hardliners (H), less likely the older the law and the more credibly
the outside side, which asked for it, ties its reversal to the relationship (M13's signal).
A repeal costs ``repeal_cost x signal`` of approval. In calm weeks of reform, the limits the
leadership learned by cracking down recover toward 1 by ``limit_recovery`` of the gap.

Off (``mechanisms.M15=false``): enacted law is never repealed and learned limits never recover.
"""

import math

import numpy as np

from sim.params import LeadershipParams, PolicyParams


def repeal_chance(age: float, hardline: float, asked: bool, link: float, p: PolicyParams) -> float:
    """Chance an enacted item is repealed in this crackdown."""
    vulnerability = math.exp(-max(age, 0.0) / p.entrenchment_weeks)  # 1 when new, -> 0 with age
    return p.repeal_hazard * hardline * vulnerability * (1.0 - link * asked)


def recovered_limits(limits: np.ndarray, s: LeadershipParams, on: bool) -> np.ndarray:
    """Learned limits after a calm week of reform."""
    if not on:
        return limits
    return limits + s.limit_recovery * (1.0 - limits)
