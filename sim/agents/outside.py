"""The outside government (the memo's United States): carries its strategy to the fora (¶12-22).

At each meeting due this week the leadership first claims time for counter-charges (M6); the
outside government spends the rest by its attention shares, scaled by the consistency of its
signals (M8), by its publicity and its NGOs' disappointment (M10), and at the multilateral
meeting by allied cohesion (¶22); the leadership hears the demand; then cooperation time works
on the factions and on cohesion (M9).
"""

from __future__ import annotations

import mesa

from sim.agents.factions import Bureaucracy
from sim.agents.leadership import Demand, Leadership
from sim.agents.ngos import WesternNGO, mean_disappointment
from sim.calendar import Calendar, Forum, forum_agenda
from sim.mechanisms import (
    m08_coordination,
    m09_cooperation,
    m13_repression_price,
    m16_moscow_conference,
)
from sim.mechanisms import m10_expectations as m10
from sim.params import StrategyParams
from sim.world import World


class OutsideGovernment(mesa.Agent):
    """Holds the strategy, the calendar of fora and allied cohesion."""

    def __init__(self, model: World, leadership: Leadership, bureaucracy: Bureaucracy) -> None:
        super().__init__(model)  # type: ignore[arg-type]
        self.leadership = leadership  # its counterpart at every table
        self.bureaucracy = bureaucracy  # what cooperation projects work on
        self.planned = model.params.strategy
        # Before the strategy's start week the 1987 status quo is in force (the defaults).
        self.strategy = self.planned if self.planned.start_week <= 0 else StrategyParams()
        self.calendar = Calendar(model.params.scenario.fora)
        self.cohesion = model.params.scenario.outside.cohesion_initial
        self.conference_week = -1  # the week the allies consented to the Moscow conference (M16)

    def _disappointment(self) -> float:
        return mean_disappointment(self.model.agents_by_type.get(WesternNGO))

    def pressure_multiplier(self) -> float:
        """Disappointed NGOs push their government to press harder (M10)."""
        s = self.model.params.scenario.ngos
        return m10.pressure_multiplier(self.strategy.pressure, self._disappointment(), s)

    def publicity(self) -> float:
        return m10.publicity(
            self.strategy.publicity, self._disappointment(), self.model.params.scenario.ngos
        )

    def hold_fora(self) -> None:
        """The strategy in force signals its posture; every forum due this week meets."""
        if self.strategy is not self.planned and self.model.week >= self.planned.start_week:
            self.strategy = self.planned
        m = self.model
        link = m13_repression_price.signal(self.strategy, m.params.mechanisms.M13)
        prize = m16_moscow_conference.stake(
            self._conference_pending(),
            self.strategy,
            m.params.scenario.leadership,
            m.params.mechanisms.M16,
        )
        self.leadership.read_signals(link, self.strategy.asks, prize)
        for forum in self.calendar.due(m.week):
            self.hold_forum(forum)
            if forum.multilateral:
                self._decide_conference()

    def _conference_pending(self) -> bool:
        """The Moscow conference is on the table and the allies have not consented (M16)."""
        return self.model.params.scenario.fora.conference_decision_week > 0 and (
            self.conference_week < 0
        )

    def _decide_conference(self) -> None:
        """At a CSCE meeting from the decision week on, the allies judge the record (M16)."""
        m = self.model
        if not (m.params.mechanisms.M16 and self._conference_pending()):
            return
        if m.week < m.params.scenario.fora.conference_decision_week:
            return
        record = m16_moscow_conference.record(*self.leadership.record(), self.strategy)
        if m16_moscow_conference.consents(record, self.strategy, m.rng.random()):
            self.conference_week = m.week
            self.leadership.conference_granted()

    def hold_forum(self, forum: Forum) -> None:
        st, m = self.strategy, self.model
        s, on = m.params.scenario, m.params.mechanisms
        if st.pressure <= 0:
            return
        counter = self.leadership.claim_time(st.sidetrack_resistance)
        weight = s.fora.forum_weights[forum.value]
        publicity = self.publicity()
        p = weight * self.pressure_multiplier() * (1.0 - counter)
        p *= m08_coordination.multiplier(st.coordination, s.fora.coordination_gain, on.M8)
        p *= 1.0 + s.fora.publicity_salience * publicity
        if forum.multilateral:
            p *= self.cohesion
        inst, cases, coop = (
            p * st.share_institutions,
            p * st.share_cases,
            p * st.share_cooperation,
        )
        inst, cases = forum_agenda(forum, inst, cases, st.agenda_focus)  # ¶14
        lists = m08_coordination.lists_in_play(st, s.fora, self.calendar.active_count, on.M8)
        self.leadership.hear(Demand(forum, weight, publicity, inst, cases, st, lists))
        if coop > 0:
            self._cooperate(coop)

    def _cooperate(self, coop: float) -> None:
        """Cooperation dissolves opposition, unless it turns into documents or a separate deal."""
        m = self.model
        s = m.params.scenario
        fx = m09_cooperation.effects(
            coop, self.strategy, s.factions, s.outside, m.params.mechanisms.M9
        )
        self.bureaucracy.cooperate(fx.faction_pull)
        self.cohesion = max(0.0, self.cohesion - fx.cohesion_loss)
        m.log.documents(fx.documents)

    def step(self) -> None:
        """Allied cohesion recovers (¶22)."""
        s = self.model.params.scenario.outside
        self.cohesion = min(1.0, self.cohesion + s.cohesion_recovery * (1.0 - self.cohesion))
