"""M2 Ratchet (memo ¶5, ¶7, ¶15).

"The Soviets have failed to give permanency to the steps they have taken by making appropriate
changes in their laws or procedures" (¶5); institutional changes "will help ensure that any
progress made will be more difficult to reverse" (¶15).

Each enacted reform item raises the codified floors of its dimensions; practice rises to a new
floor when law is enacted, and a crackdown cuts practice to the floors cheaply but below them
only under hardline dominance (M12). Where practice was pushed below a floor, law reasserts
itself once hardliners lose dominance.

Off (``mechanisms.M2=false``): enacted items raise no floors, so floors stay at their initial
level; items are still promised, drafted and enacted, and still resolve categories (M5).
"""

import numpy as np

from sim.policy import PolicyState, floor_matrix


def floor_increments(scale: float, on: bool) -> np.ndarray:
    """Items x dimensions: what enacting each item adds to the floors (zero when off)."""
    m = floor_matrix(scale)
    return m if on else np.zeros_like(m)


def reassert_law(policy: PolicyState, rate: float, hardline_dominant: bool) -> None:
    """Practice pushed below its floors drifts back unless hardliners still dominate."""
    if not hardline_dominant:
        policy.restore_floor(rate)
