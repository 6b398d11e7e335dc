"""ReformModel: reform, crackdown and outside pressure in a one-party state (docs/ODD.md).

A pure library: no Hydra, no files. ``ReformModel(params, rng=seed).run()`` returns the weekly
frame and the per-run outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import mesa
import numpy as np
import pandas as pd

from sim import fora, mobilisation
from sim.agents import (
    BureaucracyFaction,
    InformalGroup,
    Leadership,
    NGOFocus,
    OutsideGovernment,
    WesternNGO,
)
from sim.cases import PRISONER_CATEGORIES
from sim.metrics import Recorder, drawdown_stats, spiral_phase
from sim.mobilisation import Activity, GroupEnvironment, LeaderStatus
from sim.params import DIMENSIONS, FACTIONS, GROUP_KINDS, HARDLINE_FACTIONS, ModelParams
from sim.policy import DIM_INDEX, REFORM_ITEMS, CaseCategory, ItemState, PolicyState
from sim.population import build_cases, build_groups

WEEKLY_KEYS = (
    "crackdown",
    "arrests",
    "promises",
    "documents",
    "counterattack_time",
    "listed_true",
    "listed_reported",
    "emigration",
)


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
        group_rules: Literal["vectorised", "reference"] = "vectorised",
    ) -> None:
        super().__init__(rng=rng)
        self.params = params if params is not None else ModelParams()
        self.group_rules = group_rules
        s = self.params.scenario
        self.policy = PolicyState(s)
        self.groups, self.network = build_groups(s, self.rng)
        self.cases = build_cases(s, self.rng)
        self.initial_known_cases = self.cases.open_count(self.cases.known[: self.cases.n])
        self.intervals = fora.forum_intervals(self)
        self.receptivity = s.receptivity_initial
        self.deterrence = 0.0
        self.initial_liberalization = self.policy.liberalization
        self.weekly = dict.fromkeys(WEEKLY_KEYS, 0.0)
        self.totals = {
            "crackdowns": 0,
            "arrests": 0,
            "items_enacted": 0,
            "listed_true": 0,
            "listed_reported": 0,
            "emigration": 0,
            "concession_cases": 0,
            "category_resolved": 0,
            "first_crackdown": -1,
        }
        InformalGroup.create_agents(self, s.n_groups, list(range(s.n_groups)))
        for name in FACTIONS:
            BureaucracyFaction(self, name)
        self.leadership = Leadership(self)
        n_case = round(s.n_ngos * s.ngo_case_focus_share)
        for i in range(s.n_ngos):
            WesternNGO(self, NGOFocus.CASES if i < n_case else NGOFocus.INSTITUTIONS)
        self.outside = OutsideGovernment(self)
        self._emigration_window: list[int] = []
        self.recorder = Recorder(self.params.steps)
        self._record()

    # ---- derived quantities read by the agents
    @property
    def week(self) -> int:
        return self.steps

    @property
    def demonstrating_share(self) -> float:
        return (
            float(np.count_nonzero(self.groups.activity == Activity.DEMONSTRATING)) / self.groups.n
        )

    @property
    def meeting_share(self) -> float:
        return float(np.count_nonzero(self.groups.activity == Activity.MEETING)) / self.groups.n

    @property
    def disappointment(self) -> float:
        ngos = self.agents_by_type.get(WesternNGO)
        return float(np.mean([n.disappointment for n in ngos])) if ngos else 0.0

    def _factions(self) -> list[BureaucracyFaction]:
        return list(self.agents_by_type[BureaucracyFaction])

    def _weights(self) -> tuple[list[BureaucracyFaction], np.ndarray]:
        fs = self._factions()
        w = np.array([f.influence for f in fs])
        return fs, w / w.sum() if w.sum() > 0 else np.full(len(fs), 1 / len(fs))

    def faction_support(self) -> float:
        """Influence-weighted position of the bureaucracy on reform (memo ¶22)."""
        fs, w = self._weights()
        return float(w @ np.array([f.position for f in fs]))

    def implementation(self) -> float:
        """Share of a leadership decision the bureaucracy carries out."""
        fs, w = self._weights()
        return float(w @ np.array([f.fidelity for f in fs]))

    def hardline_share(self) -> float:
        fs, w = self._weights()
        return float(sum(wi for f, wi in zip(fs, w, strict=True) if f.name in HARDLINE_FACTIONS))

    def security_pressure(self) -> float:
        fs, w = self._weights()
        return float(
            sum(
                wi * (1 - f.position)
                for f, wi in zip(fs, w, strict=True)
                if f.name == "security_organs"
            )
        )

    def statement_share(self) -> float:
        """Share of list entries replaced by category statements (memo ¶20)."""
        st = self.params.strategy
        return (1.0 - self.params.scenario.priority_share) if st.category_statements else 0.0

    def statement_mask(self) -> np.ndarray:
        """Cases presented as part of a category statement are not read out one by one."""
        if not self.params.strategy.category_statements:
            return np.zeros(self.cases.n, dtype=bool)
        return ~self.cases.priority[: self.cases.n]

    # ---- one week, in the order of the ODD process overview
    def step(self) -> None:
        self.weekly = dict.fromkeys(WEEKLY_KEYS, 0.0)
        for forum in fora.due(self.intervals, self.week):  # 1. fora meet
            fora.hold_forum(self, forum)
        self._groups_decide()  # 2. groups meet or demonstrate
        self.agents_by_type[BureaucracyFaction].shuffle_do("step")  # 3. factions read unrest
        self.leadership.step()  # 3-4. reform step or crackdown
        self._restore_floors()
        if WesternNGO in self.agents_by_type:  # 5. NGOs press
            self.agents_by_type[WesternNGO].shuffle_do("step")
        self.outside.step()
        self._derived()  # 6. emigration, releases
        self._record()

    def _environment(self) -> GroupEnvironment:
        s, p = self.params.scenario, self.policy.practice
        return GroupEnvironment(
            protest_tolerance=float(p[DIM_INDEX["protest_tolerance"]]),
            association=float(p[DIM_INDEX["association"]]),
            deterrence=self.deterrence,
            repression_risk=s.repression_risk,
            visibility_protection=s.visibility_protection,
            contagion=s.contagion,
            meeting_margin=s.meeting_margin,
            harassment_penalty=s.harassment_penalty,
            harassment_end_rate=s.harassment_end_rate,
            grievance_relaxation=s.grievance_relaxation,
        )

    def _groups_decide(self) -> None:
        g = self.groups
        # Leaders come back when their case is resolved.
        arrested = np.flatnonzero(g.leader == LeaderStatus.ARRESTED)
        back = arrested[~self.cases.open[g.case[arrested]]]
        g.leader[back] = LeaderStatus.FREE
        s = self.params.scenario
        self.deterrence *= s.deterrence_retention
        # Open media name taboo problems, so grievances grow with expression (memo ¶4).
        expression = self.policy.practice[DIM_INDEX["expression"]]
        np.minimum(
            g.baseline_grievance + s.glasnost_grievance * expression, 1.0, out=g.baseline_grievance
        )
        if self.rng.random() < s.shock_rate:  # an anniversary, a disaster, a nationalist cause
            kind = self.rng.integers(len(GROUP_KINDS))
            hit = g.kind == kind
            g.grievance[hit] = np.minimum(g.grievance[hit] + s.shock_size, 1.0)
        env = self._environment()
        u = self.rng.random(g.n)
        if self.group_rules == "vectorised":
            mobilisation.step_vectorised(g, env, u)
        else:
            snap = mobilisation.Snapshot(g)
            self.agents_by_type[InformalGroup].do("decide", env, u, snap)
            g.activity = np.array(snap.new_activity, dtype=np.int8)

    def crack_down(self) -> None:
        """Arrest and harass group leaders, raise grievance, cut practice (memo ¶6, M1, M12)."""
        s, g, rng = self.params.scenario, self.groups, self.rng
        hardline = self.hardline_share()
        breach = s.floor_breach_depth if hardline > s.hardline_threshold else 0.0
        # Harder when hardliners weigh more and when groups went further past the limit (¶6, ¶22).
        lead = self.leadership
        overshoot = min(2.0, lead.threat / max(lead.effective_tolerance, 1e-9))
        depth = min(1.0, s.crackdown_depth * (0.5 + hardline) * overshoot)
        if self.policy.crack_down(depth, breach) > 0:
            self.leadership.approval = max(0.0, self.leadership.approval - s.floor_breach_cost)
        protect = 1.0 - s.visibility_protection * g.visible
        demo = g.activity == Activity.DEMONSTRATING
        active = g.activity != Activity.DORMANT
        arrest = demo & (rng.random(g.n) < s.arrest_rate * protect)
        harass = active & ~arrest & (rng.random(g.n) < s.harass_rate)
        g.leader[harass & (g.leader == LeaderStatus.FREE)] = LeaderStatus.HARASSED
        idx = np.flatnonzero(arrest)
        if len(idx):
            religious = g.kind[idx] == GROUP_KINDS.index("religious_believers")
            cat = np.where(religious, CaseCategory.RELIGIOUS, CaseCategory.POLITICAL).astype(
                np.int8
            )
            known = g.visible[idx] | (rng.random(len(idx)) < s.arrest_known_share)
            prio = known & (rng.random(len(idx)) < s.priority_share)
            g.case[idx] = self.cases.add(cat, known, prio, self.week)
            g.leader[idx] = LeaderStatus.ARRESTED
        hit = (arrest | harass).astype(float)
        near = (g.neighbours @ hit > 0) if g.neighbours is not None else np.zeros(g.n, bool)
        g.grievance += s.backlash * hit + s.backlash * s.backlash_neighbour_share * (
            near & (hit == 0)
        )
        np.clip(g.grievance, 0.0, 1.0, out=g.grievance)
        self.deterrence += s.deterrence_shock
        self.weekly["crackdown"] += 1
        self.weekly["arrests"] += len(idx)
        self.totals["crackdowns"] += 1
        self.totals["arrests"] += len(idx)
        if self.totals["first_crackdown"] < 0:
            self.totals["first_crackdown"] = self.week

    def _restore_floors(self) -> None:
        s = self.params.scenario
        if self.hardline_share() <= s.hardline_threshold:
            self.policy.restore_floor(s.floor_restoration)

    # ---- called from the fora
    def advance_item(self, index: int) -> None:
        state = self.policy.advance(index)
        if state == ItemState.PROMISED:
            self.weekly["promises"] += 1
        if state == ItemState.ENACTED:
            self.totals["items_enacted"] += 1
            for category, share in REFORM_ITEMS[index].resolves.items():
                n = self.cases.resolve_category(category, share, self.rng, self.week)
                self.totals["category_resolved"] += n

    def resolve_concession_cases(self, n: int) -> None:
        """Cheap, reversible concessions: release known cases, listed ones first (memo ¶12)."""
        c = self.cases
        listed = np.flatnonzero(c.open[: c.n] & c.listed[: c.n])
        others = np.flatnonzero(c.open[: c.n] & c.known[: c.n] & ~c.listed[: c.n])
        pick = np.concatenate([self.rng.permutation(listed), self.rng.permutation(others)])[:n]
        n_listed = int(c.listed[pick].sum())
        c.resolve(pick, self.week)
        self.totals["concession_cases"] += len(pick)
        self.record_list_results(n_listed, n_listed)

    def record_list_results(self, true: int, reported: int) -> None:
        self.weekly["listed_true"] += true
        self.weekly["listed_reported"] += reported
        self.totals["listed_true"] += true
        self.totals["listed_reported"] += reported

    # ---- derived quantities and recording
    def _derived(self) -> None:
        s, p, c = self.params.scenario, self.policy.practice, self.cases
        pris = np.isin(c.category[: c.n], PRISONER_CATEGORIES)
        c.release_by_hazard(
            pris, s.release_hazard * p[DIM_INDEX["prisoner_release"]], self.rng, self.week
        )
        ref = ~pris
        c.release_by_hazard(
            ref, s.refusenik_hazard * p[DIM_INDEX["emigration"]], self.rng, self.week
        )
        lam = s.emigration_full_monthly * p[DIM_INDEX["emigration"]] * 12.0 / 52.0
        emigrants = int(self.rng.poisson(lam))
        self.weekly["emigration"] = emigrants
        self.totals["emigration"] += emigrants
        self._emigration_window = [*self._emigration_window[-3:], emigrants]

    def _record(self) -> None:
        pol, c, g = self.policy, self.cases, self.groups
        lib, cod = pol.liberalization, pol.codified
        demo = int(np.count_nonzero(g.activity == Activity.DEMONSTRATING))
        meet = int(np.count_nonzero(g.activity == Activity.MEETING))
        ngos = list(self.agents_by_type.get(WesternNGO, []))
        values = {
            "liberalization": lib,
            "codified": cod,
            "mobilization": (demo + meet) / g.n,
            "demonstrations": demo,
            "meetings": meet,
            "crackdown": self.weekly["crackdown"],
            "arrests": self.weekly["arrests"],
            "prisoners": c.open_count(c.prisoner_mask()),
            "open_cases": c.open_count(),
            "cases_resolved_true": c.resolved_count(),
            "cases_resolved_reported": c.resolved_count()
            + self.totals["listed_reported"]
            - self.totals["listed_true"],
            "emigration": self.weekly["emigration"],
            "emigration_monthly": float(np.mean(self._emigration_window or [0])) * 52.0 / 12.0,
            "disappointment": self.disappointment,
            "expectation": float(np.mean([n.expectation for n in ngos])) if ngos else 0.0,
            "cohesion": self.outside.cohesion,
            "hardline_share": self.hardline_share(),
            "faction_support": self.faction_support(),
            "receptivity": self.receptivity,
            "reactance": self.leadership.reactance,
            "approval": self.leadership.approval,
            "threat": self.leadership.threat,
            "counterattack_time": self.weekly["counterattack_time"],
            "items_enacted": pol.enacted_count(),
            "phase": int(spiral_phase(lib, cod, self.leadership.reactance)),
        }
        for i, d in enumerate(DIMENSIONS):
            values[f"practice_{d}"] = float(pol.practice[i])
            values[f"floor_{d}"] = float(pol.floor[i])
        self.recorder.record(values)

    # ---- a whole run
    def run(self, steps: int | None = None) -> RunResult:
        """Step to the horizon and return the outcomes and the weekly frame."""
        for _ in range(self.params.steps if steps is None else steps):
            self.step()
        return RunResult(self.outcomes(), self.recorder.frame())

    def outcomes(self) -> dict[str, Any]:
        rec = self.recorder.data
        n = self.recorder.rows
        lib = rec["liberalization"][:n]
        c = self.cases
        pris = c.prisoner_mask()
        released = int((~c.open[: c.n] & pris).sum())
        out = drawdown_stats(lib, self.params.rollback_threshold)
        final_l, final_f = float(lib[-1]), float(rec["codified"][n - 1])
        out |= {
            "final_liberalization": final_l,
            "final_codified": final_f,
            "durable_share": final_f / final_l if final_l > 0 else 0.0,
            "emigration_total": int(self.totals["emigration"]),
            "emigration_monthly_late": float(
                rec["emigration"][max(1, n - 13) : n].mean() * 52 / 12
            ),
            "prisoners_released": released,
            "prisoners_remaining": c.open_count(pris),
            "known_prisoners_remaining": c.open_count(pris & c.known[: c.n]),
            "crackdowns": int(self.totals["crackdowns"]),
            "first_crackdown_week": int(self.totals["first_crackdown"]),
            "arrests": int(self.totals["arrests"]),
            "items_enacted": int(self.totals["items_enacted"]),
            "listed_cases_resolved": int(self.totals["listed_true"]),
            "listed_cases_reported": int(self.totals["listed_reported"]),
            "concession_cases": int(self.totals["concession_cases"]),
            "category_cases_resolved": int(self.totals["category_resolved"]),
            "mean_disappointment": float(rec["disappointment"][1:n].mean()) if n > 1 else 0.0,
            "mean_receptivity": float(rec["receptivity"][:n].mean()),
            "final_hardline_share": float(rec["hardline_share"][n - 1]),
            "final_faction_support": float(rec["faction_support"][n - 1]),
            "final_cohesion": float(rec["cohesion"][n - 1]),
            "mean_mobilization": float(rec["mobilization"][:n].mean()),
            "counterattack_time": float(rec["counterattack_time"][:n].sum()),
            "final_phase": int(rec["phase"][n - 1]),
        }
        return out
