"""The calendar of fora and what happens at a meeting (memo ¶9, ¶12-22).

At each forum the leadership first claims time for counter-charges (M6); the outside government
spends the rest by its strategy on institutions, cases and cooperation, scaled by coordination
(M8), allied cohesion at the multilateral meeting, and NGO pressure (M10). The leadership answers
institutional pressure partly with cheap case resolutions (M3) and partly by moving reform items
(M2); lists are reviewed with fatigue and false replies (M4); category statements press for
category reform (M5); public accusation breeds reactance (M7); cooperation moves factions but can
cost cohesion and multiply documents (M9).
"""

from __future__ import annotations

import math
from enum import Enum
from typing import TYPE_CHECKING

import numpy as np

from sim.agents import BureaucracyFaction
from sim.policy import REFORM_ITEMS, ItemState

if TYPE_CHECKING:
    from sim.model import ReformModel


class Forum(Enum):
    SUMMIT = "summit"
    REVIEW_COMMISSION = "review_commission"
    CASE_REVIEW = "case_review"
    CSCE = "csce"


MULTILATERAL = {Forum.CSCE}  # pressure there is only as strong as the allies' cohesion (¶22)
REVIEWS_LISTS = {Forum.SUMMIT, Forum.REVIEW_COMMISSION, Forum.CASE_REVIEW}  # bilateral (¶9, ¶18)


def forum_intervals(model: ReformModel) -> dict[Forum, int]:
    s = model.params.scenario
    return {
        Forum.SUMMIT: s.summit_interval,
        Forum.REVIEW_COMMISSION: s.review_commission_interval,
        Forum.CASE_REVIEW: s.case_review_interval,
        Forum.CSCE: s.csce_interval,
    }


def due(intervals: dict[Forum, int], week: int) -> list[Forum]:
    """Fora meeting this week; each first meets half an interval into the run."""
    return [
        f for f, k in intervals.items() if k > 0 and week >= k // 2 and (week - k // 2) % k == 0
    ]


def coordination_multiplier(coordination: float, gain: float) -> float:
    """Consistent signals keep full force; inconsistent ones dilute it (memo ¶17)."""
    return (1.0 + gain * coordination) / (1.0 + gain)


def effective_lists(model: ReformModel) -> float:
    """Uncoordinated fora each bring their own copies of the lists (memo ¶17, ¶19)."""
    st, s = model.params.strategy, model.params.scenario
    active = sum(1 for k in model.intervals.values() if k > 0)
    extra = s.list_duplication * (1.0 - st.coordination) * max(0, active - 1) / max(1, active)
    return st.n_lists * (1.0 + extra)


def receptivity_target(model: ReformModel) -> float:
    """Few, small, accurate, prioritised lists keep the leadership receptive (memo ¶19)."""
    st, s = model.params.strategy, model.params.scenario
    n_eff = effective_lists(model)
    entries = n_eff * st.list_size * (1.0 - model.statement_share())
    loss = (
        s.list_fatigue_count * max(0.0, n_eff - 1.0)
        + s.list_fatigue_size * entries / 1000.0
        + s.inaccuracy_penalty * (1.0 - st.list_accuracy)
    )
    bonus = 1.1 if st.prioritized else 1.0
    return min(1.0, s.receptivity_initial * math.exp(-loss) * bonus)


def hold_forum(model: ReformModel, forum: Forum) -> None:
    """One meeting: counter-charges, then institutions, cases and cooperation."""
    st, s = model.params.strategy, model.params.scenario
    gov, lead = model.outside, model.leadership
    if st.pressure <= 0:
        return
    counter = lead.counterattack_share * (1.0 - st.sidetrack_resistance)
    model.weekly["counterattack_time"] += counter
    weight = s.forum_weights[forum.value]
    publicity = gov.publicity()
    m = weight * gov.pressure_multiplier() * (1.0 - counter)
    m *= coordination_multiplier(st.coordination, s.coordination_gain)
    m *= 1.0 + s.publicity_salience * publicity
    if forum in MULTILATERAL:
        m *= gov.cohesion
    inst, cases, coop = (m * st.share_institutions, m * st.share_cases, m * st.share_cooperation)
    lead.reactance = min(
        1.0, lead.reactance + s.reactance_sensitivity * publicity * (inst + cases) / 10
    )
    lead.approval = min(
        1.0, lead.approval + s.approval_gain * weight * st.pressure * (1 - publicity)
    )
    statement_pressure = cases * s.statement_transfer if st.category_statements else 0.0
    answer_institutional_pressure(model, inst, statement_pressure)
    if forum in REVIEWS_LISTS and st.n_lists > 0 and st.list_size > 0:
        review_lists(model, cases - statement_pressure)
    if coop > 0:
        cooperate(model, coop)


def answer_institutional_pressure(model: ReformModel, inst: float, statement: float) -> None:
    """Cheap concessions first (M3), then reform items move stage by stage (M2, M5, M7)."""
    s = model.params.scenario
    rng = model.rng
    deflect = s.cheap_concession_bias * inst
    if deflect > 0:
        n = int(rng.poisson(deflect * s.concession_cases))
        model.resolve_concession_cases(n)
    press = inst - deflect
    policy = model.policy
    open_items = np.flatnonzero(policy.items < ItemState.ENACTED)
    if len(open_items) == 0 or press + statement <= 0:
        return
    # Pressure goes first to the items furthest along: "solid grounds to press for action" (¶16).
    w = 3.0 ** policy.items[open_items].astype(float)
    share = press * w / w.sum()
    cat = np.array([bool(REFORM_ITEMS[i].resolves) for i in open_items])
    if cat.any():
        share = share + statement * cat / cat.sum()
    support_ok = model.faction_support() >= s.enactment_support_threshold
    lead = model.leadership
    for k, i in enumerate(open_items):
        state = policy.items[i]
        if state == ItemState.NONE:
            rate = s.promise_rate
        elif state == ItemState.PROMISED:
            rate = s.draft_rate
        else:
            rate = s.enact_rate * (1 - s.enactment_cost) * (1 - lead.reactance) * support_ok
        if rng.random() < 1.0 - math.exp(-rate * share[k]):
            model.advance_item(int(i))


def review_lists(model: ReformModel, cases: float) -> None:
    """Case review: receptivity moves toward its target; listed cases resolve (memo ¶18-19)."""
    st, s = model.params.strategy, model.params.scenario
    model.receptivity += s.receptivity_adjust * (receptivity_target(model) - model.receptivity)
    n_eff = effective_lists(model)
    slots = round(st.list_accuracy * st.n_lists * st.list_size)
    phantom = round((1.0 - st.list_accuracy) * n_eff * st.list_size)
    model.cases.refresh_lists(slots, st.prioritized, model.statement_mask(), model.rng)
    q = s.case_resolution_rate * model.receptivity * (1.0 - math.exp(-max(cases, 0.0)))
    true, reported = model.cases.review_lists(q, s.reply_falsity, phantom, model.rng, model.week)
    model.record_list_results(true, reported)


def cooperate(model: ReformModel, coop: float) -> None:
    """Cooperation dissolves opposition, unless it turns into documents or a separate deal (¶22)."""
    st, s = model.params.strategy, model.params.scenario
    implement = coop * (1.0 - st.document_emphasis)
    for faction in model.agents_by_type[BureaucracyFaction]:
        if faction.name != "reformers":
            faction.cooperate(s.cooperation_effect * implement)
    model.outside.cohesion = max(
        0.0, model.outside.cohesion - s.cohesion_cost * coop * (1.0 - st.multilateral_framing)
    )
    model.weekly["documents"] += coop * st.document_emphasis
