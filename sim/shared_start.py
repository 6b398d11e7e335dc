"""One world under several strategies, its weeks before the strategies start run once.

A strategy takes effect in its ``start_week`` (50: December 1987); before then the 1987 status
quo is in force whatever the strategy (``OutsideGovernment``), and nothing else in a run reads
the strategy. So, on a given seed, every strategy's run passes through the same state at the end
of week ``start_week - 1``: its set-up, spin-up and first weeks are the same computation. A
strategy comparison pairs strategies on the same seeds, so that computation is repeated once per
strategy; here it is made once, the model is copied (a pickle round trip, 6-15 ms) and each copy
is given its strategy. On the calibrated baseline the shared part is about two fifths of a run.

Each result is identical, bit for bit, to ``ReformModel(replace(params, strategy=s), rng).run()``
(tests/test_shared_start.py compares every series and outcome). The shared part runs with a
placeholder strategy whose every field but ``start_week`` raises if read, so a change that lets
the strategy act before its start week fails loudly here instead of silently giving every
strategy the first one's early weeks. What it cannot catch is a mechanism that anticipates the
start week itself (reads ``start_week`` to act earlier): strategies starting later than the
earliest would then share its early weeks. No mechanism reads it but the switch in
``OutsideGovernment.hold_fora``.
"""

import copy
import dataclasses
import pickle
from collections.abc import Sequence

from sim.agents.groups import GroupRules
from sim.model import ReformModel, RunResult
from sim.params import ModelParams, StrategyParams


class StrategyReadEarlyError(RuntimeError):
    """The model read a strategy before its start week: runs cannot share those weeks."""


class _Unread(StrategyParams):
    """A strategy that only says when it starts: reading anything else is an error."""

    def __getattribute__(self, name: str):
        if name == "start_week" or name.startswith("__"):  # pickling reads dunders
            return object.__getattribute__(self, name)
        raise StrategyReadEarlyError(
            f"the model read strategy.{name} before the strategy's start week; runs of "
            "different strategies cannot share those weeks (sim.shared_start)"
        )


def _with_strategy(params: ModelParams, strategy: StrategyParams) -> ModelParams:
    """``params`` with another strategy, not validated again: the strategy was validated when
    it was built, and the placeholder cannot be (its fields are unreadable by design)."""
    out = copy.copy(params)
    object.__setattr__(out, "strategy", strategy)
    return out


def _placeholder(start_week: int) -> StrategyParams:
    unread = object.__new__(_Unread)
    object.__setattr__(unread, "__dict__", {"start_week": start_week, "_frozen": True})
    return unread


def shared_weeks(strategies: Sequence[StrategyParams], steps: int) -> int:
    """Weeks every strategy's run has in common: up to the week before the earliest start
    (0 when a strategy is in force from the start, or there is one strategy only)."""
    if len(strategies) < 2:
        return 0
    return max(0, min(min(s.start_week for s in strategies) - 1, steps))


def run_strategies(
    params: ModelParams,
    strategies: Sequence[StrategyParams],
    rng: int,
    group_rules: GroupRules = "vectorized",
) -> list[RunResult]:
    """The run of each strategy on the world of ``params`` and seed ``rng``, in order:
    identical to running each alone, the weeks they share computed once."""
    shared = shared_weeks(strategies, params.steps)
    if shared == 0:
        return [
            ReformModel(dataclasses.replace(params, strategy=s), rng, group_rules).run()
            for s in strategies
        ]
    start = min(s.start_week for s in strategies)
    base = ReformModel(_with_strategy(params, _placeholder(start)), rng, group_rules)
    for _ in range(shared):
        base.step()
    state = pickle.dumps(base, protocol=pickle.HIGHEST_PROTOCOL)
    results = []
    for i, strategy in enumerate(strategies):
        model = base if i == len(strategies) - 1 else pickle.loads(state)
        model.params = _with_strategy(model.params, strategy)
        model.outside.planned = strategy
        results.append(model.run(params.steps - shared))
    return results
