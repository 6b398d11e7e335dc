"""How institutional pressure moves reform items: none -> promised -> drafted -> enacted.

"When we ask for procedural reforms, we will be starting from a strong position. The Soviets have
been promising us these reforms for several months" (¶16): pressure goes first to the items
furthest along (weight ``advanced_item_focus`` per stage). Statement pressure (M5) goes to the
items that resolve whole categories. Each open item moves one stage with a hazard proportional
to its pressure; enactment is slowed by its cost (¶12), by reactance (M7), and stalls while the
bureaucracy's support is below ``enactment_support_threshold`` (¶22).

Not a switchable mechanism: it is the path that M2, M3, M5, M7 and M12 act on.
"""

import math

import numpy as np

from sim.params import PolicyParams
from sim.policy import REFORM_ITEMS, ItemState, PolicyState

# Which items resolve whole categories of cases on enactment (fixed with the items).
_RESOLVES = np.array([bool(item.resolves) for item in REFORM_ITEMS])
_ENACTED = int(ItemState.ENACTED)


def pressure_on_items(
    policy: PolicyState,
    press: float,
    statement: float,
    s: PolicyParams,
    eligible: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(items pressed, the pressure on each): the open items that are ``eligible`` (the items
    asked for, or the leadership's own pending ones)."""
    open_items = ((policy.items < _ENACTED) & eligible).nonzero()[0]
    if len(open_items) == 0 or press + statement <= 0:
        return open_items[:0], np.zeros(0)
    w = s.advanced_item_focus ** policy.items[open_items].astype(float)
    share = press * w / w.sum()
    cat = _RESOLVES[open_items]
    if cat.any():
        share = share + statement * cat / np.count_nonzero(cat)
    return open_items, share


def stage_rate(state: int, reactance: float, support_ok: bool, s: PolicyParams) -> float:
    """Hazard per unit pressure of moving an item out of ``state``."""
    if state == ItemState.NONE:
        return s.promise_rate
    if state == ItemState.PROMISED:
        return s.draft_rate
    return s.enact_rate * (1 - s.enactment_cost) * (1 - reactance) * support_ok


def moves(rate: float, pressure: float, u: float) -> bool:
    """Whether an item with this hazard and pressure moves this meeting."""
    return u < 1.0 - math.exp(-rate * pressure)
