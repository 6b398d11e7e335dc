"""M3 Cheap concessions (memo ¶12, ¶18).

"We need a strategy that allows us to pocket the Soviet willingness to look into cases of
interest to us while at the same time taking advantage of their unprecedented willingness to
contemplate institutional reforms" (¶12). Releasing known people is cheap and reversible for the
leadership; enacting law is costly and permanent. So it answers part of any institutional
pressure with case resolutions (listed cases first), which raise no floors.

Off (``mechanisms.M3=false``): no pressure is deflected; all of it reaches the reform items.
"""

import numpy as np

from sim.cases import CaseRegistry


def deflected(institutional: float, bias: float, on: bool) -> float:
    """The part of institutional pressure answered with releases instead of law."""
    return bias * institutional if on else 0.0


def concede(
    cases: CaseRegistry, amount: float, per_unit: float, rng: np.random.Generator, week: int
) -> tuple[int, int]:
    """Release a Poisson number of known cases, listed first; return (released, of them listed)."""
    n = int(rng.poisson(amount * per_unit))
    pick = cases.open_listed_first(rng)[:n]
    n_listed = int(np.count_nonzero(cases.listed[pick]))
    cases.resolve(pick, week)
    return len(pick), n_listed
