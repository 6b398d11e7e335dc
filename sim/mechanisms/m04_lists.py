"""M4 List fatigue, accuracy and false replies (memo ¶18-19).

"We must be careful ... to control the lists so as not to undermine our own credibility or wear
out the new-found Soviet receptivity to them ... keep the number of lists to a minimum, keep them
at a manageable size, be sure they are accurate" (¶19). "The information they provide is
frequently out-of-date or simply false" (¶18).

Receptivity moves at each review toward a target that falls with the number of lists in play,
their total size and their share of bad entries, and that prioritised lists keep higher; listed
cases resolve in proportion to receptivity; replies report false resolutions of unresolved and
phantom entries at ``reply_falsity`` times the true rate.

Off (``mechanisms.M4=false``): the target is the initial receptivity whatever the lists, and
every reply is true (reported resolutions equal true ones).
"""

import math

from sim.params import CaseParams, StrategyParams


def receptivity_target(
    lists_in_play: float, statement_share: float, st: StrategyParams, s: CaseParams, on: bool
) -> float:
    """Few, small, accurate, prioritised lists keep the leadership receptive."""
    if not on:
        return s.receptivity_initial
    entries = lists_in_play * st.list_size * (1.0 - statement_share)
    loss = (
        s.list_fatigue_count * max(0.0, lists_in_play - 1.0)
        + s.list_fatigue_size * entries / 1000.0
        + s.inaccuracy_penalty * (1.0 - st.list_accuracy)
    )
    bonus = s.priority_receptivity_factor if st.prioritized else 1.0
    return min(1.0, s.receptivity_initial * math.exp(-loss) * bonus)


def list_entries(lists_in_play: float, st: StrategyParams) -> tuple[int, int]:
    """(true cases on the lists, phantom entries): inaccurate entries name nobody real."""
    slots = round(st.list_accuracy * st.n_lists * st.list_size)
    phantom = round((1.0 - st.list_accuracy) * lists_in_play * st.list_size)
    return slots, phantom


def resolution_chance(receptivity: float, case_time: float, s: CaseParams) -> float:
    """Chance a listed case resolves at this review: receptivity times time spent on cases."""
    return s.case_resolution_rate * receptivity * (1.0 - math.exp(-max(case_time, 0.0)))


def falsity(s: CaseParams, on: bool) -> float:
    """False 'resolved' replies per true one."""
    return s.reply_falsity if on else 0.0
