"""Informal groups (memo ¶4): environmentalists, preservationists, refuseniks, nationalists,
cultural clubs, religious believers. Their weekly rule is M11 (``sim.mechanisms.m11_mobilization``).
"""

from __future__ import annotations

from typing import Literal

import mesa
import numpy as np

from sim.groups import Activity, LeaderStatus
from sim.mechanisms import m11_mobilization as m11
from sim.params import DIMENSIONS, GROUP_KINDS
from sim.world import World

GroupRules = Literal["vectorized", "reference"]
GROUP_RULES: tuple[str, ...] = ("vectorized", "reference")
_EXPRESSION = DIMENSIONS.index("expression")
_PROTEST = DIMENSIONS.index("protest_tolerance")
_ASSOCIATION = DIMENSIONS.index("association")


class InformalGroup(mesa.Agent):
    """One informal group; its state is a row of the model's ``GroupArrays``."""

    def __init__(self, model: World, index: int) -> None:
        super().__init__(model)  # type: ignore[arg-type]
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

    def decide(self, env: m11.GroupEnvironment, u: np.ndarray, snap: m11.Snapshot) -> None:
        """Per-agent reference of the weekly rule (the model normally runs the vectorized one)."""
        m11.decide_one(self.model.groups, self.index, env, float(u[self.index]), snap)

    @classmethod
    def act(cls, model: World, rules: GroupRules) -> None:
        """One week of every group: leaders return, grievances move, groups meet or demonstrate.

        Open media name taboo problems, so baseline grievances grow with expression (¶4);
        now and then a shock (an anniversary, a disaster, a nationalist cause) angers one kind.
        """
        g, s, rng = model.groups, model.params.scenario.groups, model.rng
        if not model.params.mechanisms.M11:
            g.activity[:] = Activity.DORMANT
            return
        g.free_released_leaders(model.cases.open)
        g.deterrence *= s.deterrence_retention
        practice = model.policy.practice
        np.minimum(
            g.baseline_grievance + s.glasnost_grievance * practice[_EXPRESSION],
            1.0,
            out=g.baseline_grievance,
        )
        if rng.random() < s.shock_rate:
            kind = rng.integers(len(GROUP_KINDS))
            hit = g.kind == kind
            g.grievance[hit] = np.minimum(g.grievance[hit] + s.shock_size, 1.0)
        env = m11.environment(
            s, float(practice[_PROTEST]), float(practice[_ASSOCIATION]), g.deterrence
        )
        u = rng.random(g.n)
        if rules == "vectorized":
            m11.step_vectorized(g, env, u)
        else:
            snap = m11.Snapshot(g)
            model.agents_by_type[cls].do("decide", env, u, snap)
            g.activity = np.array(snap.new_activity, dtype=np.int8)
