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


def first_spell(mask: np.ndarray, length: int) -> int:
    """First index that starts a run of at least ``length`` consecutive True values (-1: none)."""
    run = 0
    for i, m in enumerate(mask):
        run = run + 1 if m else 0
        if run >= length:
            return i - length + 1
    return -1


def drawdown_stats(lib: np.ndarray, threshold: float, persistence: int) -> dict[str, float]:
    """Rollback as the memo means it (¶2, ¶5, ¶15): gains lost and kept lost.

    ``rollback``: L stays more than ``threshold`` below its running peak for at least
    ``persistence`` consecutive weeks; ``time_to_rollback`` is the week that spell began
    (the horizon when there is none: censored). A single crackdown recovered from within the
    window is only a ``dip`` (ever more than ``threshold`` below the peak, 0.2's rollback).
    ``gains_retained`` is (L_T - L_0) / (L_peak - L_0), 1 when L never rose, and at least -1;
    ``lost_ground`` is the mean over weeks 1..T of the running peak minus L.
    ``sustained_drawdown`` is the largest fall below the peak held for ``persistence`` weeks
    (the maximum over windows of that length of the smallest drawdown in the window), so that
    ``rollback`` at any other threshold t is ``sustained_drawdown > t``: the analysis can move
    the threshold without the weekly series.
    """
    peak = np.maximum.accumulate(lib)
    dd = peak - lib
    below = dd > threshold
    hit = np.flatnonzero(below)
    horizon = len(lib) - 1
    start = first_spell(below, persistence)
    gained = float(peak[-1] - lib[0])
    retained = (float(lib[-1]) - float(lib[0])) / gained if gained > 1e-12 else 1.0
    return {
        "rollback": start >= 0,
        "time_to_rollback": start if start >= 0 else horizon,
        "dip": bool(len(hit) > 0),
        "time_to_dip": int(hit[0]) if len(hit) else horizon,
        "max_drawdown": float(dd.max()),
        "gains_retained": max(-1.0, retained),
        "lost_ground": float(dd[1:].mean()) if len(dd) > 1 else 0.0,
        "sustained_drawdown": sustained_drawdown(dd, persistence),
    }


def sustained_drawdown(dd: np.ndarray, persistence: int) -> float:
    """Largest drawdown held for ``persistence`` consecutive weeks (0 if the run is shorter)."""
    if persistence < 1 or len(dd) < persistence:
        return 0.0
    windows = np.lib.stride_tricks.sliding_window_view(dd, persistence)
    return float(windows.min(axis=1).max())
