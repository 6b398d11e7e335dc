"""M14 Codification as the leadership's choice (memo ¶5, ¶8, ¶16).

"They have repeatedly promised institutional reforms" (¶5); "many of the suggestions are based on
Soviet trends and promises" (¶8); "the Soviets have been promising us these reforms for several
months" (¶16). Codification is the leadership's own programme as much as an outside demand.

Its own programme presses its promised and drafted items every calm week with
``domestic_drive x commitment x implementation``, faster with outside approval
(``approval_incentive``) and while the Moscow conference is at stake (M16), so law moves even
without outside pressure. Answering outside institutional pressure (category statements
included) with case releases instead of law is a choice by relative cost: law costs
``enactment_cost (1 - S)``, releases cost ``case_release_cost / (share of known cases still
held)``; the share deflected is ``cheap_concession_bias x 2 c_law / (c_law + c_case)``, the
fixed bias when the two cost the same.

Off (``mechanisms.M14=false``): items move only under outside pressure, a fixed share
``cheap_concession_bias`` of it is deflected, and statements escape deflection, as in 0.2.
(Which items the outside side presses, ``strategy.asks``, applies either way.)
"""

from sim.params import LeadershipParams, PolicyParams


def deflection_share(
    support: float, known_held_share: float, s: LeadershipParams, p: PolicyParams, on: bool
) -> float:
    """Share of institutional pressure answered with case releases instead of law."""
    if not on:
        return s.cheap_concession_bias
    law = p.enactment_cost * (1.0 - support)
    cases = s.case_release_cost / max(0.05, known_held_share)
    if law + cases <= 0:
        return 0.0
    return min(1.0, s.cheap_concession_bias * 2.0 * law / (law + cases))


def own_programme(
    commitment: float,
    implementation: float,
    approval: float,
    p: PolicyParams,
    on: bool,
    prize: float = 0.0,
) -> float:
    """This week's pressure of the leadership's own programme on its pending items; a prize
    still to be won abroad (the Moscow conference, M16) spurs it by ``1 + prize``."""
    if not on:
        return 0.0
    drive = p.domestic_drive * commitment * implementation
    return drive * (1.0 + p.approval_incentive * approval) * (1.0 + prize)
