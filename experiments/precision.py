"""Adaptive replications: run each parameter point in batches until its headline is precise.

With ``replications=auto`` a job runs ``precision.min_replications`` runs of a point, then
batches of ``precision.batch`` more, and stops at the first batch boundary where the 95%
interval of ``precision.outcome`` is no wider than ``+-precision.halfwidth`` (or at
``precision.max_replications``). The rule reads only the outcomes of replications 0..n-1, whose
seeds are fixed by (root seed, replication), and is evaluated only at batch boundaries, so the
number of runs a point gets is a function of its config and seed: a rerun, a resume from any
checkpoint or another launcher stops at the same n.

The interval is the one the report prints for the outcome: Wilson's for a yes/no outcome (the
headline ``rollback``), Student's t for a number.
"""

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.params import ParameterError, param, validate

# The outcome the question is about (sustained reversal, docs/ODD.md 5.9): what the adaptive
# replications make precise and what the report's headline compares.
HEADLINE_OUTCOME = "rollback"
CONFIDENCE = 0.95


@dataclass
class PrecisionConfig:
    """The target of ``replications=auto``: how precise each point's headline must be."""

    outcome: str = param(HEADLINE_OUTCOME, help="outcome whose interval decides when to stop")
    halfwidth: float = param(
        0.03, 0.001, 0.5, help="stop when the 95% interval is no wider than +- this"
    )
    min_replications: int = param(30, 2, 1_000_000, help="runs of a point before the first check")
    max_replications: int = param(
        2000, 2, 1_000_000, help="runs of a point at most, precise or not"
    )
    batch: int = param(10, 1, 1_000_000, help="runs between two checks of the interval")

    def __post_init__(self) -> None:
        validate(self, "precision")
        if self.max_replications < self.min_replications:
            raise ParameterError(
                f"precision.max_replications = {self.max_replications}: expected at least "
                f"precision.min_replications ({self.min_replications})"
            )

    def checkpoints(self) -> list[int]:
        """The replication counts at which the rule is evaluated: min, min + batch, ..., max."""
        lo, hi = self.min_replications, self.max_replications
        return [*range(lo, hi, self.batch), hi]


def half_width(values: Sequence[float] | np.ndarray, binary: bool) -> float:
    """Half the width of the 95% interval of the mean: Wilson for 0/1 values, t otherwise."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    if n < 2:
        return float("inf")
    if binary:  # the interval the report prints, so its half_width column and the rule agree
        from analysis.stats import wilson

        return wilson(int(x.sum()), n, CONFIDENCE).half_width
    from scipy import stats  # a third of a second to import; binary outcomes never need it

    sd = float(np.std(x, ddof=1))
    return float(stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1) * sd / np.sqrt(n))


def first_stop(precision: PrecisionConfig, values: Sequence[float], binary: bool) -> int | None:
    """The checkpoint at which the rule stops on these values (replayed from the minimum), or
    None if it stops at none of the checkpoints they reach."""
    x = np.asarray(values, dtype=float)
    for n in precision.checkpoints():
        if n > len(x):
            return None
        if n == precision.max_replications or half_width(x[:n], binary) <= precision.halfwidth:
            return n
    return None


@functools.cache
def outcome_names() -> frozenset[str]:
    """The numeric outcomes of a run (those the rule can read), from one tiny run."""
    from sim.model import ReformModel
    from sim.params import ModelParams, ScenarioParams, replace_paths

    scenario = replace_paths(ScenarioParams(), {"groups.n_groups": 10})
    out = ReformModel(ModelParams(scenario=scenario, steps=2), rng=0).run().outcomes
    return frozenset(k for k, v in out.items() if isinstance(v, (bool, int, float, np.number)))


def check_outcome(precision: PrecisionConfig) -> None:
    """Refuse, before any run, a ``precision.outcome`` that no run has."""
    known = outcome_names()
    if precision.outcome not in known:
        raise ParameterError(
            f"precision.outcome = {precision.outcome!r}: not an outcome of a run; one of "
            f"{', '.join(sorted(known))}"
        )


def next_stop(precision: PrecisionConfig, values: Sequence[float], binary: bool) -> int:
    """How many replications the point needs in all, given the first ``len(values)``: its
    current count when the rule says stop, otherwise the next checkpoint above it."""
    n = len(values)
    marks = precision.checkpoints()
    if n >= marks[-1]:
        return n
    if n in marks and half_width(values, binary) <= precision.halfwidth:
        return n
    return next(m for m in marks if m > n)


def replications_problem(value: object) -> str | None:
    """Why ``value`` cannot be a job's ``replications``, or None."""
    if value == "auto":
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 1_000_000:
        return None
    return "expected a whole number in [1, 1,000,000], or auto (see precision.*)"
