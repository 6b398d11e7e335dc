"""What every run records: the weekly series and the per-run outcomes (MODEL.md section 5).

Weekly values go into one preallocated numpy table rather than Mesa's DataCollector: a run
records ~50 model-level values for 156 weeks, and appending Python dicts (or writing each value
into its own array) each week would cost more than the model's own vectorized step. The
recorder only reads: the state, the agents, and the events they reported this week
(``sim.events.EventLog``).
"""

from typing import Any, Protocol

import numpy as np
import pandas as pd

from sim.agents import Bureaucracy, Leadership, OutsideGovernment
from sim.agents.ngos import WesternNGO, mean_disappointment, mean_expectation
from sim.groups import Activity
from sim.metrics import drawdown_stats, spiral_phase
from sim.params import DIMENSIONS
from sim.params.vocabulary import ITEM_KEYS
from sim.releases import ExitQueue
from sim.world import World

SERIES: tuple[str, ...] = (
    "liberalization",
    "codified",
    "mobilization",
    "demonstrations",
    "meetings",
    "crackdown",
    "arrests",
    "prisoners",
    "open_cases",
    "cases_resolved_true",
    "cases_resolved_reported",
    "emigration",
    "emigration_monthly",
    "exit_applications",
    "refusals",
    "refuseniks",
    "applications_pending",
    "disappointment",
    "expectation",
    "cohesion",
    "hardline_share",
    "faction_support",
    "receptivity",
    "reactance",
    "approval",
    "threat",
    "counterattack_time",
    "items_enacted",
    "phase",
    *(f"practice_{d}" for d in DIMENSIONS),
    *(f"floor_{d}" for d in DIMENSIONS),
)


# Weekly counts (stored as floats while recording, returned as integers).
COUNT_SERIES: tuple[str, ...] = (
    "demonstrations",
    "meetings",
    "crackdown",
    "arrests",
    "prisoners",
    "open_cases",
    "cases_resolved_true",
    "cases_resolved_reported",
    "emigration",
    "exit_applications",
    "refusals",
    "refuseniks",
    "applications_pending",
    "items_enacted",
    "phase",
)
_COUNTS = frozenset(COUNT_SERIES)
_NDIM = len(DIMENSIONS)
_SCALARS = len(SERIES) - 2 * _NDIM  # the series before practice and floor


def _mean_count(counts: list[int]) -> float:
    """Mean of a few weekly counts (0 for none): the integer sum is exact, so this equals
    numpy's mean of them without building an array every week."""
    return sum(counts) / len(counts) if counts else 0.0


class Observed(World, Protocol):
    """What the recorder reads: the world and the agents that hold the rest of the state."""

    leadership: Leadership
    outside: OutsideGovernment
    bureaucracy: Bureaucracy
    recorder: "Recorder"
    exits: ExitQueue | None
    spinup_crackdowns: int


class Recorder:
    """One preallocated table, a row per series and a column per week (row 0 of the frame is
    the state before the first week); ``data`` maps each series to its row, a view. A week is
    written with one assignment. Stepping a model past its horizon (the dashboard's Play button)
    doubles the table instead of failing."""

    def __init__(self, steps: int) -> None:
        self.table = np.zeros((len(SERIES), steps + 1))
        self.data: dict[str, np.ndarray] = dict(zip(SERIES, self.table, strict=True))
        self.rows = 0
        self._emigration_window: list[int] = []

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without ``data``: its rows are views into ``table``, and a pickle would
        restore them as copies that the next week's writes never reach."""
        return {k: v for k, v in self.__dict__.items() if k != "data"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.data = dict(zip(SERIES, self.table, strict=True))

    def observe(self, model: Observed, first: bool = False) -> None:
        """Record one week: the state after this week (or, ``first``, before week 1)."""
        pol, c, g, lead, log = model.policy, model.cases, model.groups, model.leadership, model.log
        if self.rows == self.table.shape[1]:
            self.table = np.concatenate([self.table, np.zeros_like(self.table)], axis=1)
            self.data = dict(zip(SERIES, self.table, strict=True))
        if not first:
            self._emigration_window = [*self._emigration_window[-3:], log.week.emigration]
        lib, cod = pol.liberalization, pol.codified
        demo, meet = g.count(Activity.DEMONSTRATING), g.count(Activity.MEETING)
        ngos = model.agents_by_type.get(WesternNGO)
        prisoners, open_cases = c.open_counts()
        resolved = c.n - open_cases  # every case is open or resolved
        q = model.exits  # who wants to leave (M17); 0 before the first week and without M17
        hardline, support = model.bureaucracy.hardline_share_and_support()
        col = self.table[:, self.rows]
        col[:_SCALARS] = (  # in the order of SERIES
            lib,
            cod,
            (demo + meet) / g.n,  # mobilization
            demo,
            meet,
            log.week.crackdowns,
            log.week.arrests,
            prisoners,
            open_cases,
            resolved,  # cases_resolved_true
            resolved + log.total.listed_reported - log.total.listed_true,
            log.week.emigration,
            _mean_count(self._emigration_window) * 52.0 / 12.0,  # emigration_monthly
            q.applications if q is not None else 0,
            q.refusals if q is not None else 0,
            q.refuseniks if q is not None else 0,
            q.pending if q is not None else 0,
            mean_disappointment(ngos),
            mean_expectation(ngos),
            model.outside.cohesion,
            hardline,
            support,
            lead.receptivity,
            lead.reactance,
            lead.approval,
            lead.threat,
            log.week.counterattack_time,
            pol.enacted_count(),  # items_enacted
            int(spiral_phase(lib, cod, lead.reactance, model.params.phase)),
        )
        col[_SCALARS : _SCALARS + _NDIM] = pol.practice
        col[_SCALARS + _NDIM :] = pol.floor
        self.rows += 1

    def frame(self) -> pd.DataFrame:
        """The weekly frame: a ``step`` column, then every series (counts as integers)."""
        cols: dict[str, np.ndarray] = {"step": np.arange(self.rows)}
        for name, col in self.data.items():
            cols[name] = col[: self.rows].astype(np.int64) if name in _COUNTS else col[: self.rows]
        return pd.DataFrame(cols)


def outcomes(model: Observed) -> dict[str, Any]:
    """Per-run outcomes from the recorded series, the event totals and the case registry."""
    rec, n, log = model.recorder.data, model.recorder.rows, model.log
    lib = rec["liberalization"][:n]
    c = model.cases
    pris = c.prisoner_mask()
    released = int((~c.open[: c.n] & pris).sum())
    p = model.params
    out: dict[str, Any] = drawdown_stats(lib, p.rollback_threshold, p.rollback_persistence)
    practice = np.stack([rec[f"practice_{d}"][:n] for d in DIMENSIONS])
    floor = np.stack([rec[f"floor_{d}"][:n] for d in DIMENSIONS])
    out["floors_pierced"] = bool((practice < floor - 1e-9).any())
    final_l, final_f = float(lib[-1]), float(rec["codified"][n - 1])
    out |= {
        "final_liberalization": final_l,
        "final_codified": final_f,
        "durable_share": final_f / final_l if final_l > 0 else 0.0,
        "emigration_total": int(log.total.emigration),
        "emigration_monthly_late": float(rec["emigration"][max(1, n - 13) : n].mean() * 52 / 12),
        "refusals_total": int(rec["refusals"][:n].sum()),
        "refuseniks_final": int(rec["refuseniks"][n - 1]),
        "conference_granted": int(model.outside.conference_week >= 0),
        "conference_week": int(model.outside.conference_week),
        "prisoners_released": released,
        "prisoners_remaining": c.open_count(pris),
        "known_prisoners_remaining": c.open_count(pris & c.known[: c.n]),
        "known_refuseniks_remaining": c.open_count(~pris & c.known[: c.n]),
        "crackdowns": int(log.total.crackdowns),
        "spinup_crackdowns": int(model.spinup_crackdowns),
        "mean_crackdown_cut": (
            float(log.total.crackdown_cut / log.total.crackdowns) if log.total.crackdowns else 0.0
        ),
        "first_crackdown_week": int(log.first_crackdown),
        "arrests": int(log.total.arrests),
        "routine_arrests": int(log.total.routine_arrests),
        "hardline_dominant_weeks": int(
            (rec["hardline_share"][:n] > model.params.scenario.factions.hardline_threshold).sum()
        ),
        "items_enacted": int(log.total.items_enacted),
        "listed_cases_resolved": int(log.total.listed_true),
        "listed_cases_reported": int(log.total.listed_reported),
        "concession_cases": int(log.total.concession_cases),
        "category_cases_resolved": int(log.total.category_resolved),
        "known_arrests": int(log.total.known_arrests),
        "items_repealed": int(log.total.repeals),
        "mean_disappointment": float(rec["disappointment"][1:n].mean()) if n > 1 else 0.0,
        "mean_receptivity": float(rec["receptivity"][:n].mean()),
        "final_hardline_share": float(rec["hardline_share"][n - 1]),
        "final_faction_support": float(rec["faction_support"][n - 1]),
        "final_cohesion": float(rec["cohesion"][n - 1]),
        "mean_mobilization": float(rec["mobilization"][:n].mean()),
        "peak_mobilization": float(rec["mobilization"][:n].max()),
        "counterattack_time": float(rec["counterattack_time"][:n].sum()),
        "final_phase": int(rec["phase"][n - 1]),
    }
    out |= {  # which items, and when (0: in force at the start, -1: never)
        f"enacted_week_{key}": int(w)
        for key, w in zip(ITEM_KEYS, model.policy.first_enacted_week, strict=True)
    }
    return out
