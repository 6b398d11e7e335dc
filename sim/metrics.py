"""Derived measures: the spiral-model phase of a week and the drawdown of a run (ODD 5.9)."""

from enum import IntEnum

import numpy as np

from sim.params import PhaseParams


class Phase(IntEnum):
    """Phases of the spiral model (Risse, Ropp and Sikkink 1999)."""

    REPRESSION = 0
    DENIAL = 1
    TACTICAL_CONCESSIONS = 2
    PRESCRIPTIVE_STATUS = 3
    RULE_CONSISTENT = 4


def spiral_phase(liberalization: float, codified: float, reactance: float, p: PhaseParams) -> Phase:
    """Label a week by practice, codification and the leadership's rhetoric.

    Repression: little freedom in practice. Denial: some practice, but the leadership rejects
    outside norms loudly (reactance high, memo ¶10). Tactical concessions: practice well above
    what is codified (the memo's 1987). Prescriptive status: a good part of practice is law.
    Rule-consistent behaviour: practice high and almost all of it codified.
    """
    if liberalization < p.repression_below:
        return Phase.REPRESSION
    durable = codified / liberalization
    if liberalization < p.denial_below or reactance >= p.denial_reactance:
        return Phase.DENIAL
    if durable < p.tactical_durable_below:
        return Phase.TACTICAL_CONCESSIONS
    if durable < p.prescriptive_durable_below or liberalization < p.rule_consistent_from:
        return Phase.PRESCRIPTIVE_STATUS
    return Phase.RULE_CONSISTENT


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
