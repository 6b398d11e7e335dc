"""The Mesa agents: leadership, bureaucratic factions, informal groups, NGOs, outside government.

Informal groups are many, so their state lives in ``GroupArrays`` and their weekly rule runs as
numpy operations over the whole population (``sim.mobilisation``); each group is still a Mesa
agent for identity and inspection, and carries the per-agent reference rule tests compare against.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.mobilisation import Activity, GroupEnvironment, LeaderStatus, Snapshot, decide_one
from sim.params import DIMENSIONS, GROUP_KINDS

if TYPE_CHECKING:
    from sim.model import ReformModel


class Leadership(mesa.Agent):
    """The party leadership: experiments with reform up to the limits it tolerates (memo ¶6)."""

    def __init__(self, model: ReformModel) -> None:
        super().__init__(model)
        s = model.params.scenario
        self.commitment = s.reform_commitment
        self.tolerance = s.mobilization_tolerance
        self.approval = 0.0  # outside approval, [0, 1]
        self.reactance = 0.0  # resistance to public accusation (memo ¶10), [0, 1]
        self.threat = 0.0  # smoothed perceived mobilisation
        self.campaign_until = 0  # week a crackdown campaign ends
        self.reformed = False  # whether it reformed this week (calm)
        # Limits of the freedoms, learned by cracking down when groups advance too far (¶6).
        self.limits = np.ones(len(DIMENSIONS))

    @property
    def effective_tolerance(self) -> float:
        """Security organs push the leadership to tolerate less (memo ¶6, M12)."""
        push = self.model.params.scenario.security_push * self.model.security_pressure()
        return self.tolerance * (1.0 - push)

    @property
    def counterattack_share(self) -> float:
        """Share of forum time the leadership claims for counter-charges (memo ¶9, ¶13)."""
        s = self.model.params.scenario
        return min(0.8, s.counterattack_appetite * (1.0 + self.reactance))

    def step(self) -> None:
        s = self.model.params.scenario
        m = self.model
        self.approval *= s.approval_retention
        self.reactance *= s.reactance_retention
        raw = m.demonstrating_share + s.threat_meeting_weight * m.meeting_share
        self.threat = s.threat_smoothing * self.threat + (1 - s.threat_smoothing) * raw
        self.reformed = False
        if m.week < self.campaign_until:
            return
        if self.threat > self.effective_tolerance:
            self.learn_limits()
            m.crack_down()
            self.campaign_until = m.week + s.crackdown_pause_weeks
            return
        # A small step of reform, faster with outside approval, bounded by commitment (memo ¶6).
        ceiling = np.minimum(self.commitment * (0.5 + m.faction_support()), self.limits)
        if self.threat > s.reform_caution * self.effective_tolerance:
            # Close to the limit: hold the freedoms that feed mobilisation where they are.
            tested = m.policy.sensitivity >= 0.5
            ceiling = np.where(tested, np.minimum(ceiling, m.policy.practice), ceiling)
        step = s.reform_step * m.implementation() * (1.0 + s.approval_sensitivity * self.approval)
        m.policy.reform(step, np.minimum(ceiling, 1.0))
        self.reformed = True

    def learn_limits(self) -> None:
        """The level that provoked a crackdown becomes the limit of that freedom (memo ¶6)."""
        s = self.model.params.scenario
        policy = self.model.policy
        tested = policy.sensitivity >= 0.5
        limit = policy.practice - s.limit_learning * s.crackdown_depth * policy.sensitivity
        self.limits = np.where(tested, np.minimum(self.limits, limit), self.limits)


class BureaucracyFaction(mesa.Agent):
    """A bureaucratic faction with a position on reform and an influence weight (memo ¶22)."""

    def __init__(self, model: ReformModel, name: str) -> None:
        super().__init__(model)
        s = model.params.scenario
        self.name = name
        self.position = s.faction_position[name]
        self.influence = s.faction_influence[name]
        self.fidelity = s.faction_fidelity[name]

    def step(self) -> None:
        """Unrest shifts influence to opponents of reform; calm reform to its friends (M12)."""
        s = self.model.params.scenario
        lead = self.model.leadership
        campaign = self.model.week < lead.campaign_until
        if campaign or lead.threat > lead.effective_tolerance:
            self.influence *= 1.0 + s.influence_shift * (1.0 - self.position)
        elif lead.reformed:
            self.influence *= 1.0 + s.influence_shift * self.position

    def cooperate(self, amount: float) -> None:
        """Cooperation projects pull opposed factions toward reform (memo ¶22)."""
        self.position += amount * (1.0 - self.position)


class InformalGroup(mesa.Agent):
    """An informal group (memo ¶4); its state is a row of the model's ``GroupArrays``."""

    def __init__(self, model: ReformModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def kind(self) -> str:
        return GROUP_KINDS[self.model.groups.kind[self.index]]

    @property
    def grievance(self) -> float:
        return float(self.model.groups.grievance[self.index])

    @property
    def activity(self) -> Activity:
        return Activity(int(self.model.groups.activity[self.index]))

    @property
    def leader(self) -> LeaderStatus:
        return LeaderStatus(int(self.model.groups.leader[self.index]))

    @property
    def visible(self) -> bool:
        return bool(self.model.groups.visible[self.index])

    def decide(self, env: GroupEnvironment, u, snap: Snapshot) -> None:
        """Per-agent reference of the weekly rule (the model normally runs the vectorised one)."""
        decide_one(self.model.groups, self.index, env, float(u[self.index]), snap)


class NGOFocus(IntEnum):
    CASES = 0
    INSTITUTIONS = 1


class WesternNGO(mesa.Agent):
    """A human-rights NGO: documents promises, expects them kept, presses when let down (¶11).

    Expectations rise with each documented promise and run ahead of early gains
    (``expectation_extrapolation`` > 1); disappointment is the part of expectations that
    observed progress does not meet. Public diplomacy narrows the gap only by explaining (¶23).
    """

    def __init__(self, model: ReformModel, focus: NGOFocus) -> None:
        super().__init__(model)
        self.focus = focus
        self.progress = self.observe()
        pending = model.policy.pending_count()
        self.expectation = self.progress + model.params.scenario.expectation_gain * pending
        self.disappointment = self.expectation - self.progress

    def observe(self) -> float:
        """Progress as this NGO sees it: practice gains and its own focus (reported cases, law)."""
        m = self.model
        gain = max(0.0, m.policy.liberalization - m.initial_liberalization) / max(
            1e-9, 1.0 - m.initial_liberalization
        )
        if self.focus is NGOFocus.CASES:
            own = m.totals["listed_reported"] / max(1, m.initial_known_cases)
        else:
            enacted = m.policy.enacted_count() - m.policy.enacted_at_start
            own = enacted / max(1, enacted + m.policy.pending_count())
        return 0.5 * gain + 0.5 * min(1.0, own)

    def step(self) -> None:
        s = self.model.params.scenario
        st = self.model.params.strategy
        w = self.model.weekly
        before = self.progress
        self.progress = self.observe()
        gain = max(0.0, self.progress - before)
        self.expectation += (
            s.expectation_gain * w["promises"]
            + s.expectation_extrapolation * gain
            + s.document_expectation * w["documents"]
        )
        gap = max(0.0, self.expectation - self.progress)
        self.expectation -= s.public_diplomacy_effect * st.public_diplomacy * st.pressure * gap
        self.expectation = min(1.0, self.expectation)
        self.disappointment = max(0.0, self.expectation - self.progress)


class OutsideGovernment(mesa.Agent):
    """The outside government (the memo's United States): carries the strategy to the fora."""

    def __init__(self, model: ReformModel) -> None:
        super().__init__(model)
        self.strategy = model.params.strategy
        self.cohesion = model.params.scenario.cohesion_initial

    def pressure_multiplier(self) -> float:
        """Disappointed NGOs push their government to press harder (memo ¶11)."""
        s = self.model.params.scenario
        return self.strategy.pressure * (
            1.0 + s.disappointment_pressure * self.model.disappointment
        )

    def publicity(self) -> float:
        s = self.model.params.scenario
        return min(1.0, self.strategy.publicity + s.ngo_publicity_push * self.model.disappointment)

    def step(self) -> None:
        s = self.model.params.scenario
        self.cohesion = min(1.0, self.cohesion + s.cohesion_recovery * (1.0 - self.cohesion))
