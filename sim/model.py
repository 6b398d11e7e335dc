"""ReformModel: reform, crackdown and outside pressure in a one-party state (docs/ODD.md).

A pure library: no Hydra, no files. ``ReformModel(params, rng=seed).run()`` returns the weekly
frame and the per-run outcomes.

The model builds the world and schedules the agents in the order of ODD section 3; the agents
act (``sim.agents``) through the mechanism units (``sim.mechanisms``) on the shared state:
``policy`` (practice, floors, items), ``groups`` (the informal groups' rows), ``cases`` (the
case registry) and ``log`` (what happened this week).
"""

import dataclasses
import functools
from dataclasses import dataclass
from typing import Any

import mesa
import pandas as pd

from sim.agents import (
    Bureaucracy,
    BureaucracyFaction,
    InformalGroup,
    Leadership,
    NGOFocus,
    OutsideGovernment,
    WesternNGO,
)
from sim.agents.groups import GROUP_RULES, GroupRules
from sim.agents.ngos import observed
from sim.events import EventLog
from sim.mechanisms import m02_ratchet
from sim.network import as_graph
from sim.params import FACTIONS, GROUP_KINDS, HARDLINE_FACTIONS, ModelParams
from sim.policy import PolicyState
from sim.population import build_cases, build_groups
from sim.recording import Recorder, outcomes
from sim.releases import ExitQueue, release_and_emigrate

NATIONALISTS = GROUP_KINDS.index("nationalists")


@dataclass
class RunResult:
    """One run: the per-run outcomes and the weekly time series."""

    outcomes: dict[str, Any]
    timeseries: pd.DataFrame


class ReformModel(mesa.Model):
    """One state, its leadership and factions, informal groups, NGOs and an outside government."""

    def __init__(
        self,
        params: ModelParams | None = None,
        rng: int | None = None,
        group_rules: GroupRules = "vectorized",
    ) -> None:
        if group_rules not in GROUP_RULES:
            raise ValueError(f"group_rules = {group_rules!r}: expected one of {GROUP_RULES}")
        super().__init__(rng=rng)
        params = params if params is not None else ModelParams()
        if params.scenario.calibration:
            raise ValueError(
                f"scenario.calibration = {params.scenario.calibration!r}: draw this run's "
                "parameters from the posterior first (experiments.calibration.posterior."
                "resolve_scenario), or set it to '' for the values as set"
            )
        if params.scenario.shifts:
            params = dataclasses.replace(params, scenario=params.scenario.with_shifts())
        self.params = params
        self.group_rules = group_rules
        s = self.params.scenario
        increments = m02_ratchet.floor_increments(s.policy, self.params.mechanisms.M2)
        self.policy = PolicyState(s.policy, increments)
        self.groups = build_groups(s.groups, self.rng)
        self.cases = build_cases(s.cases, self.rng)
        self.log = EventLog()
        InformalGroup.create_agents(self, s.groups.n_groups, list(range(s.groups.n_groups)))
        for name in FACTIONS:
            BureaucracyFaction(self, name, s.factions, self.params.mechanisms.M12)
        self.bureaucracy = Bureaucracy(self.agents_by_type[BureaucracyFaction], HARDLINE_FACTIONS)
        self.leadership = Leadership(self, self.bureaucracy)
        self._prehistory = 0
        self.spin_up(self.params.spinup_weeks)
        self.initial_known_cases = self.cases.open_count(self.cases.known[: self.cases.n])
        self.initial_liberalization = self.policy.liberalization
        n_case = round(s.ngos.n_ngos * s.ngos.case_focus_share)
        for i in range(s.ngos.n_ngos):
            WesternNGO(self, NGOFocus.CASES if i < n_case else NGOFocus.INSTITUTIONS)
        self.outside = OutsideGovernment(self, self.leadership, self.bureaucracy)
        self.exits = (  # who wants to leave (M17)
            ExitQueue.at_start(self.policy.practice, s.releases, s.cases.priority_share)
            if self.params.mechanisms.M17
            else None
        )
        self.recorder = Recorder(self.params.steps)
        self.recorder.observe(self, first=True)

    @functools.cached_property
    def network(self) -> Any:
        """The groups' ties as a networkx graph, built on first use (the dashboard draws it);
        None for ties to everyone. The model itself reads only ``groups.neighbours``."""
        adj = self.groups.neighbours
        return None if adj is None else as_graph(adj)

    @property
    def week(self) -> int:
        """Week 1 is 1-7 January 1987; the spin-up's weeks are 0 and below."""
        return self.steps + self._prehistory

    def spin_up(self, weeks: int) -> None:
        """Weeks before 1987 in which the groups act and the leadership watches them, reform
        held at its 1987 practice and no one abroad acting (ODD 5.1): 1987 then starts from a
        state the scenario's own dynamics produce, not from a transient. Its events are not
        counted among the run's."""
        for self._prehistory in range(1 - weeks, 1):
            self.log.new_week()
            InformalGroup.act(self, self.group_rules)
            self.agents_by_type[BureaucracyFaction].shuffle_do("read_unrest", self.leadership)
            self.bureaucracy.keep_finite()
            self.leadership.watch()
        self._prehistory = 0
        self.spinup_crackdowns = self.log.total.crackdowns  # 1986: reported, not counted
        self.log = EventLog()

    # ---- one week, in the order of the ODD process overview
    def step(self) -> None:
        s = self.params.scenario
        self.log.new_week()
        if self.week == s.shock.week:  # a scheduled shock (scenario.shock)
            self.bureaucracy.shock(s.shock.hardline_boost)
            self.leadership.shock(s.shock.commitment_drop)
            self.groups.raise_grievance(
                s.shock.grievance_rise, s.shock.nationalist_grievance_rise, NATIONALISTS
            )
        self.outside.hold_fora()  # 1. fora meet; the leadership answers
        InformalGroup.act(self, self.group_rules)  # 2. groups meet or demonstrate
        self.agents_by_type[BureaucracyFaction].shuffle_do("read_unrest", self.leadership)  # 3.
        self.bureaucracy.keep_finite()
        self.leadership.step()  # 3-4. reform step or crackdown; law reasserts itself
        if WesternNGO in self.agents_by_type:  # 5. NGOs press
            seen = observed(self)  # the same for every NGO this week
            self.agents_by_type[WesternNGO].shuffle_do("step", self.outside.strategy, seen)
        self.outside.step()  # allied cohesion recovers
        emigrants = release_and_emigrate(  # 6. releases and emigration
            self.policy, self.cases, s.releases, self.rng, self.week, self.exits
        )
        self.log.emigration(emigrants)
        self.recorder.observe(self)
        if self.steps >= self.params.steps:
            self.running = False

    # ---- a whole run
    def run(self, steps: int | None = None) -> RunResult:
        """Step to the horizon and return the outcomes and the weekly frame."""
        for _ in range(self.params.steps if steps is None else steps):
            self.step()
        return RunResult(outcomes(self), self.recorder.frame())

    def outcomes(self) -> dict[str, Any]:
        return outcomes(self)
