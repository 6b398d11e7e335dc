"""M5 Category resolution (memo ¶20).

"If we should decide to present lists as a statement, such as lists of all known refuseniks or
all political prisoners, we should make clear to the Soviets that we do not expect a read-out on
each case but are simply seeking the resolution of the entire category."

With ``strategy.category_statements`` the non-priority entries of the lists are presented as
statements: those cases are not read out one by one, and part of the case time becomes pressure
on the items that resolve whole categories; enacting such an item resolves its share of the
category at once.

Off (``mechanisms.M5=false``): statements act as ordinary lists (no statement pressure, every
known case can be listed) and enactment resolves no category.
"""

import numpy as np

from sim.cases import CaseCategory, CaseRegistry
from sim.params import CaseParams, ForaParams, StrategyParams


def active(st: StrategyParams, on: bool) -> bool:
    return on and st.category_statements


def statement_share(st: StrategyParams, s: CaseParams, on: bool) -> float:
    """Share of list entries replaced by category statements."""
    return (1.0 - s.priority_share) if active(st, on) else 0.0


def statement_mask(cases: CaseRegistry, st: StrategyParams, on: bool) -> np.ndarray:
    """Cases presented as part of a category statement are not read out one by one."""
    if not active(st, on):
        return np.zeros(cases.n, dtype=bool)
    return ~cases.priority[: cases.n]


def statement_pressure(case_time: float, st: StrategyParams, s: ForaParams, on: bool) -> float:
    """The part of case time a statement turns into pressure for category reform."""
    return case_time * s.statement_transfer if active(st, on) else 0.0


def resolve_categories(
    cases: CaseRegistry,
    resolves: dict[CaseCategory, float],
    rng: np.random.Generator,
    week: int,
    on: bool,
) -> int:
    """Enacting an item resolves its share of each category it covers; return how many."""
    if not on:
        return 0
    return sum(cases.resolve_category(cat, share, rng, week) for cat, share in resolves.items())
