"""M2 Ratchet (memo ¶5, ¶7, ¶15).

"The Soviets have failed to give permanency to the steps they have taken by making appropriate
changes in their laws or procedures" (¶5); institutional changes "will help ensure that any
progress made will be more difficult to reverse" (¶15).

Each enacted reform item raises the codified floors of its dimensions, above the practice the
dimension started from (``item_floor_margin``); practice rises to a new
floor when law is enacted, and a crackdown cuts practice to the floors cheaply but below them
only under hardline dominance (M12). Where practice was pushed below a floor, law reasserts
itself once hardliners lose dominance.

Off (``mechanisms.M2=false``): enacted items raise no floors, so floors stay at their initial
level; items are still promised, drafted and enacted, and still resolve categories (M5).
"""

import numpy as np

from sim.params import DIMENSIONS, PolicyParams
from sim.params.vocabulary import ITEM_KEYS
from sim.policy import PolicyState, floor_matrix


def floor_increments(p: PolicyParams, on: bool) -> np.ndarray:
    """Items x dimensions: what enacting each item adds to the floors (zero when off).

    A law that only writes down today's practice locks nothing in: with
    ``item_floor_margin`` m > 0, an item enacted during the run lifts each floor it sets to at
    least its starting practice + m (items in force at week 0 keep the table's increments)."""
    m = floor_matrix(p.floor_increment_scale)
    if not on:
        return np.zeros_like(m)
    if p.item_floor_margin > 0:
        p0 = np.array([p.initial_practice[d] for d in DIMENSIONS])
        f0 = np.array([p.initial_floor[d] for d in DIMENSIONS])
        lift = np.clip(p0 + p.item_floor_margin - f0, 0.0, 1.0)
        later = np.array([key not in p.items_enacted_at_start for key in ITEM_KEYS])
        touched = (m > 0) & later[:, None]
        m = np.where(touched, np.maximum(m, lift[None, :]), m)
    return m


def reassert_law(policy: PolicyState, rate: float, hardline_dominant: bool) -> None:
    """Practice pushed below its floors drifts back unless hardliners still dominate."""
    if not hardline_dominant:
        policy.restore_floor(rate)
