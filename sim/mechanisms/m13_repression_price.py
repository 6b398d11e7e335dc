"""M13 The price of repression (memo ¶9, ¶11, ¶23; the spiral model of Risse, Ropp and Sikkink).

The Soviets wanted something from the relationship: the summits, "a CSCE humanitarian conference
to be held in Moscow" (¶9), trade. Human-rights issues "form an integral part of the bilateral
relationship. They will not go away" (¶23). Repression has a price abroad only if the outside
government makes it credible that repression costs that relationship.

The outside government signals ``linkage x pressure``. Before cracking down, the leadership
weighs the expected loss, ``signal x (approval + standing_stake)`` plus the Moscow conference
still at stake (M16), and tolerates that much more unrest: its limit is
``tolerance (1 + repression_price x expected loss)``. Arrests of people
known abroad are seen: they cost approval in proportion to the signal, and they raise the NGOs'
expectations (outrage), which presses the outside government harder (M10).

Off (``mechanisms.M13=false``): crackdowns cost nothing abroad: no deterrent, no loss of
approval, no outrage. The signal is then 0 everywhere it is read, so M15 loses the protection
of asked-for laws and the approval cost of a repeal too. Outrage also needs M10 (expectations).
"""

from sim.params import LeadershipParams, NGOParams, StrategyParams


def signal(st: StrategyParams, on: bool) -> float:
    """How credibly the strategy in force ties repression to losses abroad."""
    return st.linkage * st.pressure if on else 0.0


def tolerated_unrest(
    tolerance: float, link: float, approval: float, s: LeadershipParams, prize: float = 0.0
) -> float:
    """The unrest the leadership tolerates before a crackdown, given what it stands to lose:
    the relationship, and the Moscow conference while consent is outstanding (``prize``, M16)."""
    if link <= 0 and prize <= 0:
        return tolerance
    return tolerance * (1.0 + s.repression_price * (link * (approval + s.standing_stake) + prize))


def approval_after_arrests(
    approval: float, known_arrests: int, link: float, s: LeadershipParams
) -> float:
    """Arrests of people known abroad are seen there and cost approval."""
    seen = min(1.0, known_arrests / s.known_arrest_scale)
    return max(0.0, approval - s.arrest_approval_cost * link * seen)


def outrage(known_arrests: int, s: NGOParams, scale: float, on: bool) -> float:
    """Rise of an NGO's expectations after known people were arrested this week."""
    return s.arrest_outrage * known_arrests / scale if on else 0.0
