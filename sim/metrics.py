"""What every run records: the weekly series and the per-run outcomes (MODEL.md section 5).

Weekly values go into preallocated numpy columns rather than Mesa's DataCollector: a run records
~40 model-level values for 156 weeks, and appending Python dicts each week would cost more than
the model's own vectorised step.
"""

from enum import IntEnum

import numpy as np
import pandas as pd

from sim.params import DIMENSIONS


class Phase(IntEnum):
    """Phases of the spiral model (Risse, Ropp and Sikkink 1999)."""

    REPRESSION = 0
    DENIAL = 1
    TACTICAL_CONCESSIONS = 2
    PRESCRIPTIVE_STATUS = 3
    RULE_CONSISTENT = 4


def spiral_phase(liberalization: float, codified: float, reactance: float) -> Phase:
    """Label a week by practice, codification and the leadership's rhetoric.

    Repression: little freedom in practice. Denial: some practice, but the leadership rejects
    outside norms loudly (reactance high, memo ¶10). Tactical concessions: practice well above
    what is codified (the memo's 1987). Prescriptive status: a good part of practice is law.
    Rule-consistent behaviour: practice high and almost all of it codified.
    """
    if liberalization < 0.25:
        return Phase.REPRESSION
    durable = codified / liberalization
    if liberalization < 0.4 or reactance >= 0.6:
        return Phase.DENIAL
    if durable < 0.5:
        return Phase.TACTICAL_CONCESSIONS
    if durable < 0.85 or liberalization < 0.7:
        return Phase.PRESCRIPTIVE_STATUS
    return Phase.RULE_CONSISTENT


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
    "items_enacted",
    "phase",
)


class Recorder:
    """Preallocated weekly columns; row 0 is the state before the first week."""

    def __init__(self, steps: int) -> None:
        self.data = {name: np.zeros(steps + 1) for name in SERIES}
        self.rows = 0

    def record(self, values: dict[str, float]) -> None:
        row = self.rows
        for name, col in self.data.items():
            col[row] = values[name]
        self.rows += 1

    def frame(self) -> pd.DataFrame:
        df = pd.DataFrame({k: v[: self.rows] for k, v in self.data.items()})
        df.insert(0, "step", np.arange(self.rows))
        return df.astype(dict.fromkeys(COUNT_SERIES, "int64"))


def drawdown_stats(lib: np.ndarray, threshold: float) -> dict[str, float]:
    """Rollback: did L ever fall more than ``threshold`` below its running peak, and when."""
    peak = np.maximum.accumulate(lib)
    dd = peak - lib
    hit = np.flatnonzero(dd > threshold)
    horizon = len(lib) - 1
    return {
        "rollback": bool(len(hit) > 0),
        "time_to_rollback": int(hit[0]) if len(hit) else horizon,
        "max_drawdown": float(dd.max()),
    }
