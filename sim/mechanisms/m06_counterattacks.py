"""M6 Counter-attacks (memo ¶9, ¶13-14).

The Soviets "have also stepped up their human rights counterpunches" (¶9) and "used them for
hours of discussion on ... the plight of the unemployed and homeless in the United States"
(¶13); such discussions "should be referred to talks between U.S. and Soviet experts" (¶14).

The leadership claims a share of each meeting for counter-charges, more when resentful
(reactance, M7); side-track resistance sends part of it to expert channels; what remains is
time lost to human rights.

Off (``mechanisms.M6=false``): the leadership claims no forum time.
"""

from sim.params import LeadershipParams


def claimed_share(reactance: float, s: LeadershipParams, on: bool) -> float:
    """Share of forum time the leadership claims for counter-charges."""
    if not on:
        return 0.0
    return min(s.counterattack_max, s.counterattack_appetite * (1.0 + reactance))


def time_lost(claimed: float, sidetrack_resistance: float) -> float:
    """The part of the claim not sent to expert channels."""
    return claimed * (1.0 - sidetrack_resistance)
