"""The party leadership (memo ¶6, ¶9-13): experiments with reform up to the limits it tolerates,
cracks down when groups go too far, and answers the outside government at the fora."""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np

from sim.agents.factions import Bureaucracy
from sim.calendar import Forum
from sim.cases import CaseCategory
from sim.groups import Activity
from sim.mechanisms import (
    codification,
    m01_experimentation,
    m02_ratchet,
    m03_cheap_concessions,
    m04_lists,
    m05_categories,
    m06_counterattacks,
    m07_reactance,
    m11_mobilization,
    m12_factions,
    m13_repression_price,
    m14_codification_choice,
    m15_reversal,
)
from sim.params import DIMENSIONS, GROUP_KINDS, StrategyParams
from sim.params.vocabulary import ITEM_KEYS
from sim.policy import REFORM_ITEMS, ItemState
from sim.world import World

_RELIGIOUS = GROUP_KINDS.index("religious_believers")
_DORMANT, _DEMONSTRATING = int(Activity.DORMANT), int(Activity.DEMONSTRATING)


@dataclass(frozen=True)
class Demand:
    """What the outside government brings to one meeting, after its own multipliers."""

    forum: Forum
    weight: float
    publicity: float
    institutions: float  # pressure on law and procedure
    cases: float  # time on case lists
    strategy: StrategyParams  # the lists presented and how
    lists_in_play: float  # effective number of lists, duplicates included (M8)


class Leadership(mesa.Agent):
    """Commitment, tolerated mobilization, outside approval, reactance and learned limits."""

    def __init__(self, model: World, bureaucracy: Bureaucracy) -> None:
        super().__init__(model)  # type: ignore[arg-type]
        self.bureaucracy = bureaucracy
        s = model.params.scenario
        self.commitment = s.leadership.reform_commitment
        self.tolerance = s.leadership.mobilization_tolerance
        self.approval = 0.0  # outside approval, [0, 1]
        self.reactance = 0.0  # resistance to public accusation (memo ¶10), [0, 1]
        self.threat = 0.0  # smoothed perceived mobilization
        self.campaign_until = 0  # week a crackdown campaign ends
        self.reformed = False  # whether it reformed this week (calm)
        self.receptivity = s.cases.receptivity_initial  # to the outside lists (M4)
        # Limits of the freedoms, learned by cracking down when groups advance too far (¶6).
        self.limits = np.ones(len(DIMENSIONS))
        self._held = m01_experimentation.tested(model.policy.sensitivity, s.leadership)
        # What the outside side signals: how credibly repression costs the relationship (M13),
        # and which items it asked for (their repeal would be seen, M15).
        self.linkage = 0.0
        self.prize = 0.0  # the Moscow conference while consent is outstanding (M16)
        self.asked = np.ones(len(ITEM_KEYS), dtype=bool)
        self._asks: tuple[str, ...] = ITEM_KEYS
        self._cases_at_start = model.cases.n  # the pool of known cases it can trade (M14)

    def read_signals(self, linkage: float, asks: tuple[str, ...], prize: float = 0.0) -> None:
        """The outside government's posture this week (from its strategy in force)."""
        self.linkage = linkage
        self.prize = prize
        if asks != self._asks:  # the asks change only when a new strategy takes effect
            self._asks = asks
            self.asked = np.array([key in asks for key in ITEM_KEYS])

    def conference_granted(self) -> None:
        """The allies consent to the Moscow conference: the prize is won (M16)."""
        value = self.model.params.scenario.leadership.conference_value
        self.approval = min(1.0, self.approval + value)
        self.prize = 0.0

    def shock(self, commitment_drop: float) -> None:
        """A leadership shock: commitment to reform falls (scenario.shock)."""
        self.commitment = max(0.0, self.commitment - commitment_drop)

    # ---- what others read
    @property
    def effective_tolerance(self) -> float:
        """Security organs push the leadership to tolerate less, far less once hardliners
        dominate (memo ¶6, M12)."""
        m = self.model
        f = m.params.scenario.factions
        security, hardline = self.bureaucracy.security_and_hardline()
        pushed = self.tolerance * (1.0 - f.security_push * security)
        return m12_factions.dominant_tolerance(pushed, hardline, f, m.params.mechanisms.M12)

    def tolerated_unrest(self) -> float:
        """The unrest it tolerates before a crackdown: more when repression costs abroad (M13)."""
        return m13_repression_price.tolerated_unrest(
            self.effective_tolerance,
            self.linkage,
            self.approval,
            self.model.params.scenario.leadership,
            self.prize,
        )

    @property
    def in_campaign(self) -> bool:
        return self.model.week < self.campaign_until

    # ---- the weekly decision (ODD 3, steps 3-4)
    def step(self) -> None:
        self._decide()
        m = self.model
        dominant = m12_factions.hardline_dominant(
            self.bureaucracy.hardline_share(), m.params.scenario.factions
        )
        m02_ratchet.reassert_law(m.policy, m.params.scenario.policy.floor_restoration, dominant)

    def _decide(self) -> None:
        m = self.model
        s, on = m.params.scenario.leadership, m.params.mechanisms
        self.approval *= s.approval_retention
        self.reactance *= s.reactance_retention
        self.reformed = False
        if self.watch():
            return
        self._routine_arrests()
        tolerance = self.tolerated_unrest()
        ceiling = m01_experimentation.reform_ceiling(
            self.commitment,
            self.bureaucracy.support(),
            self.limits,
            self.threat > s.reform_caution * tolerance,
            self._held,
            m.policy.practice,
            s,
            on.M1,
        )
        step = (
            s.reform_step
            * self.bureaucracy.implementation()
            * (1.0 + s.approval_sensitivity * self.approval)
        )
        m.policy.reform(step, ceiling)
        self.reformed = True
        self.limits = m15_reversal.recovered_limits(self.limits, s, on.M15)
        self._own_programme()

    def _own_programme(self) -> None:
        """Its own promised reforms move in calm weeks, faster with outside approval (M14)."""
        m = self.model
        sc = m.params.scenario
        press = m14_codification_choice.own_programme(
            self.commitment,
            self.bureaucracy.implementation(),
            self.approval,
            sc.policy,
            m.params.mechanisms.M14,
            self.prize,
        )
        if press > 0:
            self._move_items(press, 0.0, m.policy.pending_mask())

    def _cracked_down_at_limit(self) -> bool:
        """Crack down when the threat crosses what is tolerated (M1); then pause reform."""
        m = self.model
        s = m.params.scenario.leadership
        if not m01_experimentation.crosses_limit(
            self.threat, self.tolerated_unrest(), m.params.mechanisms.M1
        ):
            return False
        self.limits = m01_experimentation.learned_limits(
            self.limits, m.policy.practice, m.policy.sensitivity, self._held, s
        )
        self.crack_down()
        self.campaign_until = m.week + s.crackdown_pause_weeks
        return True

    def watch(self) -> bool:
        """Read the groups' threat and crack down at the limit; whether reform is off this week
        (a campaign, or a crackdown now). Alone, this is the leadership of the spin-up before
        1987 (ODD 5.1)."""
        m = self.model
        self.threat = m01_experimentation.perceived_threat(
            self.threat,
            m.groups.share(Activity.DEMONSTRATING),
            m.groups.share(Activity.MEETING),
            m.params.scenario.leadership,
        )
        return self.in_campaign or self._cracked_down_at_limit()

    def crack_down(self) -> None:
        """Cut practice, arrest and harass group leaders (memo ¶6; M1, M11 backlash, M12)."""
        m = self.model
        sc, rng, g = m.params.scenario, m.rng, m.groups
        s = sc.leadership
        hardline = self.bureaucracy.hardline_share()
        breach = m12_factions.breach_share(hardline, sc.factions, m.params.mechanisms.M12)
        depth = m01_experimentation.crackdown_depth(
            hardline, self.threat, self.tolerated_unrest(), s
        )
        before = m.policy.liberalization
        if m.policy.crack_down(depth, breach) > 0:
            self.approval = max(0.0, self.approval - s.floor_breach_cost)
        arrest, harass = m01_experimentation.crackdown_targets(
            g.activity == _DEMONSTRATING,
            g.activity != _DORMANT,
            g.visible,
            rng,
            s.arrest_rate,
            s.harass_rate,
            sc.groups.visibility_protection,
        )
        g.harass(harass)
        arrested, known_arrests = self._arrest(arrest)
        m11_mobilization.backlash(g, arrest | harass, sc.groups)
        m.log.crackdown(arrested, known_arrests, m.week, before - m.policy.liberalization)
        self.approval = m13_repression_price.approval_after_arrests(
            self.approval, known_arrests, self.linkage, s
        )
        if m.params.mechanisms.M15:
            self._repeal_laws(hardline)

    def _routine_arrests(self) -> None:
        """Outside crackdowns, dominant hardliners arrest leaders of acting groups week by week
        (¶6: "stepped up harassment of leaders of informal groups"; M12)."""
        m = self.model
        sc, g = m.params.scenario, m.groups
        arrest = m12_factions.routine_arrests(
            g.activity != _DORMANT,
            g.visible,
            self.bureaucracy.hardline_share(),
            m.rng,
            sc.factions,
            sc.groups.visibility_protection,
            m.params.mechanisms.M12,
        )
        if arrest is None or not arrest.any():
            return
        arrested, known_arrests = self._arrest(arrest)
        m11_mobilization.backlash(g, arrest, sc.groups, deters=False)
        m.log.routine_arrests(arrested, known_arrests)
        self.approval = m13_repression_price.approval_after_arrests(
            self.approval, known_arrests, self.linkage, sc.leadership
        )

    def _arrest(self, arrest: np.ndarray) -> tuple[int, int]:
        """Arrest the leaders of the marked groups; each opens a case (known abroad if the
        group is visible, or by chance). Returns (arrests, known arrests)."""
        m = self.model
        sc, rng, g = m.params.scenario, m.rng, m.groups
        idx = np.flatnonzero(arrest)
        if not len(idx):
            return 0, 0
        religious = g.kind[idx] == _RELIGIOUS
        cat = np.where(religious, CaseCategory.RELIGIOUS, CaseCategory.POLITICAL).astype(np.int8)
        known = g.visible[idx] | (rng.random(len(idx)) < sc.leadership.arrest_known_share)
        prio = known & (rng.random(len(idx)) < sc.cases.priority_share)
        g.arrest(idx, m.cases.add(cat, known, prio, m.week))
        return len(idx), int(known.sum())

    def _repeal_laws(self, hardline: float) -> None:
        """In a crackdown, hardliners may repeal or hollow out enacted law (M15)."""
        m = self.model
        p = m.params.scenario.policy
        for i in np.flatnonzero(m.policy.items == ItemState.ENACTED):
            age = m.week - int(m.policy.enacted_week[i])
            chance = m15_reversal.repeal_chance(age, hardline, bool(self.asked[i]), self.linkage, p)
            if m.rng.random() < chance:
                m.policy.repeal(int(i))
                self.approval = max(0.0, self.approval - p.repeal_cost * self.linkage)
                m.log.repeal()

    # ---- at the fora (ODD 3, step 1)
    def claim_time(self, sidetrack_resistance: float) -> float:
        """Counter-charges: the share of the meeting lost to human rights (M6)."""
        m = self.model
        claimed = m06_counterattacks.claimed_share(
            self.reactance, m.params.scenario.leadership, m.params.mechanisms.M6
        )
        lost = m06_counterattacks.time_lost(claimed, sidetrack_resistance)
        m.log.counterattack(lost)
        return lost

    def hear(self, d: Demand) -> None:
        """Resentment and approval, then institutional pressure, then the lists."""
        m = self.model
        s, on = m.params.scenario, m.params.mechanisms
        self.reactance = m07_reactance.after_meeting(
            self.reactance, d.publicity, d.institutions + d.cases, s.leadership, on.M7
        )
        self.approval = min(
            1.0,
            self.approval
            + s.leadership.approval_gain * d.weight * d.strategy.pressure * (1 - d.publicity),
        )
        statement = m05_categories.statement_pressure(d.cases, d.strategy, s.fora, on.M5)
        self._answer_institutions(d.institutions, statement)
        st = d.strategy
        if d.forum.reviews_lists and st.n_lists > 0 and st.list_size > 0:
            self._review_lists(d, d.cases - statement)

    def _answer_institutions(self, institutional: float, statement: float) -> None:
        """Cheap concessions first (M3, a choice by relative cost under M14), then the asked
        reform items move stage by stage."""
        m = self.model
        s, on = m.params.scenario, m.params.mechanisms
        held = self._known_held_share() if on.M14 else 1.0  # read only where it matters
        share = m14_codification_choice.deflection_share(
            self.bureaucracy.support(), held, s.leadership, s.policy, on.M14
        )
        if on.M14:  # statements are institutional asks too, answered the same way
            asked = institutional + statement
            deflect = m03_cheap_concessions.deflected(asked, share, on.M3)
            kept = 1.0 - deflect / asked if asked > 0 else 1.0
            institutional, statement = institutional * kept, statement * kept
        else:
            deflect = m03_cheap_concessions.deflected(institutional, share, on.M3)
            institutional -= deflect
        if deflect > 0:
            released, listed = m03_cheap_concessions.concede(
                m.cases, deflect, s.leadership.concession_cases, m.rng, m.week
            )
            m.log.concessions(released, listed)
        self._move_items(institutional, statement, self.asked)

    def record(self) -> tuple[float | None, float | None]:
        """What it has delivered on the asks: the share of asked items enacted since the start,
        and the share of the cases known at the start resolved (M16's record); None where there
        was nothing to deliver."""
        pol = self.model.policy
        open_asks = self.asked & ~pol.in_force_at_start
        n = int(open_asks.sum())
        enacted = int((open_asks & (pol.items == ItemState.ENACTED)).sum())
        cases = 1.0 - self._known_held_share() if self.model.initial_known_cases > 0 else None
        return (enacted / n if n else None), cases

    def _known_held_share(self) -> float:
        """Share of the cases known at the start that the state still holds open."""
        c, n0 = self.model.cases, self._cases_at_start
        held = int(np.count_nonzero(c.open[:n0] & c.known[:n0]))
        return held / max(1, self.model.initial_known_cases)

    def _move_items(self, press: float, statement: float, eligible: np.ndarray) -> None:
        """Each eligible open item moves a stage with a hazard proportional to its pressure."""
        m = self.model
        s, rng = m.params.scenario, m.rng
        items, pressure = codification.pressure_on_items(
            m.policy, press, statement, s.policy, eligible
        )
        if len(items) == 0:
            return
        support_ok = self.bureaucracy.support() >= s.policy.enactment_support_threshold
        # Each item's rate depends only on its stage, and an item changes stage only at its own
        # turn: the three rates and the stages are read once, as Python numbers.
        rates = [
            codification.stage_rate(state, self.reactance, support_ok, s.policy)
            for state in range(ItemState.ENACTED)
        ]
        stages = m.policy.items.tolist()
        draw, moves = rng.random, codification.moves
        for i, p in zip(items.tolist(), pressure.tolist(), strict=True):
            if moves(rates[stages[i]], p, draw()):
                self._advance(i)

    def _advance(self, index: int) -> None:
        m = self.model
        state = m.policy.advance(index, m.week)
        if state == ItemState.PROMISED:
            m.log.promise()
        if state == ItemState.ENACTED:
            resolved = m05_categories.resolve_categories(
                m.cases, REFORM_ITEMS[index].resolves, m.rng, m.week, m.params.mechanisms.M5
            )
            m.log.enactment(resolved)

    def _review_lists(self, d: Demand, case_time: float) -> None:
        """Case review: receptivity moves toward its target; listed cases resolve (M4, M5)."""
        m = self.model
        s, on, st = m.params.scenario.cases, m.params.mechanisms, d.strategy
        share = m05_categories.statement_share(st, s, on.M5)
        target = m04_lists.receptivity_target(d.lists_in_play, share, st, s, on.M4)
        self.receptivity += s.receptivity_adjust * (target - self.receptivity)
        slots, phantom = m04_lists.list_entries(d.lists_in_play, st)
        mask = m05_categories.statement_mask(m.cases, st, on.M5)
        m.cases.refresh_lists(slots, st.prioritized, mask, m.rng)
        q = m04_lists.resolution_chance(self.receptivity, case_time, s)
        true, reported = m.cases.review_lists(
            q, m04_lists.falsity(s, on.M4), phantom, m.rng, m.week
        )
        m.log.list_results(true, reported)
