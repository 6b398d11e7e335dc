"""A pyabc sampler whose result depends on the seed alone, not on the number of workers.

pyabc's parallel samplers reseed every worker from the operating system's entropy and accept
particles in the order they finish, so a rerun never gives the same posterior. Here candidate i
of generation t is simulated with numpy's and Python's generators seeded from (seed, t, i), in
batches over a pool of forked workers, and the first n accepted in candidate order are kept: the
same particles for 1 or 32 workers. Batches are evaluated whole, so up to one batch of
simulations beyond the n-th acceptance is spent and not counted (pyabc's acceptance rate counts
the candidates up to the n-th accepted, as a serial sampler would).
"""

import multiprocessing
import random
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
from pyabc.sampler import Sampler

_SIMULATE: Callable[[], Any] | None = None  # set before the pool forks, so nothing is pickled


def _seeded(seed: int, t: int, i: int) -> None:
    words = np.random.SeedSequence([seed, t + 1, i]).generate_state(2)  # t is -1 for the prior
    np.random.seed(int(words[0]))
    random.seed(int(words[1]))


def _one(args: tuple[int, int, int]) -> Any:
    _seeded(*args)
    assert _SIMULATE is not None
    return _SIMULATE()


class SeededSampler(Sampler):
    """Deterministic batch-parallel sampling (see the module docstring)."""

    def __init__(
        self, seed: int, n_procs: int = 1, batch: int | None = None, progress: bool = False
    ) -> None:
        super().__init__()
        self.seed = seed
        self.progress = progress
        self.n_procs = max(1, n_procs)
        self.batch = batch or 16 * self.n_procs

    def sample_until_n_accepted(
        self,
        n: int,
        simulate_one: Callable[[], Any],
        t: int,
        *,
        max_eval: float = np.inf,
        all_accepted: bool = False,
        ana_vars: Any = None,
    ):
        global _SIMULATE
        _SIMULATE = simulate_one
        sample = self._create_empty_sample()
        accepted = evaluated = 0
        pool = multiprocessing.get_context("fork").Pool(self.n_procs) if self.n_procs > 1 else None
        try:
            while accepted < n and evaluated < max_eval:
                tasks = [(self.seed, t, evaluated + j) for j in range(self.batch)]
                results = pool.map(_one, tasks) if pool else [_one(a) for a in tasks]
                for particle in results:
                    sample.append(particle)
                    evaluated += 1
                    accepted += bool(particle.accepted)
                    if accepted == n or evaluated >= max_eval:
                        break
                if self.progress and (accepted == n or evaluated % (10 * self.batch) == 0):
                    print(
                        f"generation {t}: {accepted}/{n} accepted of {evaluated} candidates",
                        file=sys.stderr,
                        flush=True,
                    )
        finally:
            if pool is not None:
                pool.close()
                pool.join()
            _SIMULATE = None
        self.nr_evaluations_ = evaluated
        if accepted < n:
            sample.ok = False
        return sample
