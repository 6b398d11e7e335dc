"""The memo's 1987 patterns (¶4-6; docs/ODD.md section 1) as statistics with target bands.

One definition serves the calibration (its summary statistics and distance), the
posterior-predictive check and the patterns test. Each statistic is taken over a set of runs of
weeks 1-52, as the pattern is stated: a median over runs, or the share of runs in which
something happens. Nothing after 1987 is a target.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

WEEKS = 52
MONTH = 52 / 12  # weeks per month
NO_CRACKDOWN = 99  # first_crackdown_week of a run without one, for the median


def _per_run(ts: pd.DataFrame, column: str, first: int, last: int) -> pd.Series:
    sel = ts[ts["step"].between(first, last)]
    return sel.groupby("replication")[column]


def _early_emigration(out: pd.DataFrame, ts: pd.DataFrame) -> float:
    return float(np.median(_per_run(ts, "emigration", 1, 8).mean() * MONTH))


def _late_emigration(out: pd.DataFrame, ts: pd.DataFrame) -> float:
    return float(np.median(_per_run(ts, "emigration", 40, 52).mean() * MONTH))


def _summer_demonstrations(out: pd.DataFrame, ts: pd.DataFrame) -> float:
    return float(np.median(_per_run(ts, "demonstrations", 18, 26).mean()))


def _first_crackdown(out: pd.DataFrame, ts: pd.DataFrame) -> float:
    week = out["first_crackdown_week"]
    return float(np.median(week.where(week > 0, NO_CRACKDOWN)))


def _autumn_crackdown(out: pd.DataFrame, ts: pd.DataFrame) -> float:
    return float((_per_run(ts, "crackdown", 27, 52).sum() > 0).mean())


def _median(column: str) -> Callable[[pd.DataFrame, pd.DataFrame], float]:
    return lambda out, ts: float(np.median(out[column]))


def _items_at_most_two(out: pd.DataFrame, ts: pd.DataFrame) -> float:
    return float((out["items_enacted"] <= 2).mean())


def _tactical_concessions(out: pd.DataFrame, ts: pd.DataFrame) -> float:
    return float((ts.loc[ts["step"] == WEEKS, "phase"] == 2).mean())


@dataclass(frozen=True)
class Pattern:
    """A statistic of a set of 1987 runs, the band the memo puts it in, and its distance scale."""

    name: str
    memo: str
    statement: str
    lo: float
    hi: float
    scale: float  # a miss of this size counts 1 in the distance
    statistic: Callable[[pd.DataFrame, pd.DataFrame], float]

    def miss(self, value: float) -> float:
        """How far outside the band, in units of ``scale`` (0 inside)."""
        if math.isnan(value):
            return math.inf
        return max(self.lo - value, value - self.hi, 0.0) / self.scale


INF = math.inf
PATTERNS: tuple[Pattern, ...] = (
    Pattern("emigration_early", "¶4", "emigration a month, weeks 1-8 (median)",
            0, 400, 100, _early_emigration),
    Pattern("emigration_late", "¶4", "emigration a month, weeks 40-52 (median)",
            700, 900, 100, _late_emigration),
    Pattern("prisoners_released", "¶4", "political prisoners released in 1987 (median)",
            251, INF, 100, _median("prisoners_released")),
    Pattern("known_prisoners_remaining", "¶6", "known prisoners remaining (median)",
            100, 999, 100, _median("known_prisoners_remaining")),
    Pattern("prisoners_remaining", "¶6", "all prisoners remaining (median)",
            1000, INF, 200, _median("prisoners_remaining")),
    Pattern("summer_demonstrations", "¶4 ¶6", "groups demonstrating a week, weeks 18-26 (median)",
            20, INF, 10, _summer_demonstrations),
    Pattern("first_crackdown_week", "¶6", "week of the first crackdown (median; none: 99)",
            27, INF, 5, _first_crackdown),
    Pattern("autumn_crackdown", "¶6", "share of runs with a crackdown in weeks 27-52",
            0.51, 1, 0.2, _autumn_crackdown),
    Pattern("items_enacted", "¶5", "reform items enacted in 1987 (median)",
            0, 2, 1, _median("items_enacted")),
    Pattern("items_at_most_two", "¶5", "share of runs enacting at most two items",
            0.8, 1, 0.2, _items_at_most_two),
    Pattern("tactical_concessions", "spiral model", "share of runs conceding tactically, week 52",
            0.51, 1, 0.2, _tactical_concessions),
)  # fmt: skip
BY_NAME = {p.name: p for p in PATTERNS}


def statistics(outcomes: pd.DataFrame, timeseries: pd.DataFrame) -> dict[str, float]:
    """Every pattern's statistic over a set of 1987 runs (one row per run; weekly rows)."""
    return {p.name: p.statistic(outcomes, timeseries) for p in PATTERNS}


def distance(stats: dict[str, float]) -> float:
    """Euclidean norm of the scaled misses: 0 exactly when every pattern is in its band."""
    return math.sqrt(sum(p.miss(stats[p.name]) ** 2 for p in PATTERNS))


def in_band(stats: dict[str, float]) -> dict[str, bool]:
    return {p.name: p.miss(stats[p.name]) == 0 for p in PATTERNS}
