"""ABC-SMC with pyabc: the posterior of the baseline's uncertain parameters given 1987.

Why pyabc (0.13) and not ELFI: pyabc is maintained, installs with this project's pins, runs
ABC-SMC with adaptive tolerances and kernels out of the box, and scales out with its Dask and
Redis samplers; ELFI's SMC needs a fixed tolerance schedule chosen in advance. Locally we replace
pyabc's parallel sampler by ``SeededSampler``, which makes the posterior a function of the seed
alone (pyabc's own samplers draw fresh entropy in each worker).

The likelihood is the indicator of the pattern bands: the distance is the norm of how far each
pattern statistic (over ``replications`` runs of one particle) falls outside its band, and the
last tolerance is 0, so every accepted particle put all patterns in their bands. The posterior
is the prior restricted to, and weighted by the probability of, the parameter sets that
reproduce 1987. The tolerance schedule is the spec's: adaptive (pyabc's ``QuantileEpsilon``,
the median of the last generation's distances, down to 0) or a fixed list; ``[0]`` is a single
generation from the prior, i.e. rejection ABC, which the baseline uses (docs/ODD.md section 7
says why: in 25 dimensions the importance weights of later generations degenerate).
"""

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyabc

from experiments.calibration.patterns import PATTERNS, distance
from experiments.calibration.posterior import WEIGHT
from experiments.calibration.sampler import SeededSampler
from experiments.calibration.simulate import pattern_statistics
from experiments.calibration.spec import CalibrationSpec
from experiments.config import compose_run_config
from experiments.runner import model_params
from sim.params import ParameterError

GENERATION = "generation"


def safe(path: str) -> str:
    """pyabc keeps parameter names as columns of its database: no dots."""
    return path.replace(".", "__")


@dataclass
class CalibrationResult:
    posterior: pd.DataFrame  # one row per particle: parameter paths and its weight
    generations: pd.DataFrame  # tolerance, candidates and acceptance rate per generation
    simulations: int  # particles evaluated (each is spec.replications model runs)
    seconds: float


class _Model:
    """The pyabc model: a particle's parameters to the pattern statistics of its runs."""

    def __init__(self, spec: CalibrationSpec) -> None:
        self.spec = spec
        self.base = compose_run_config(list(spec.overrides))
        if self.base.scenario.calibration:
            raise ParameterError(
                f"{spec.source}: overrides compose scenario {self.base.scenario.name!r}, which "
                f"draws from posterior {self.base.scenario.calibration!r}; calibrate a scenario "
                "with calibration '' (e.g. scenario=baseline_1987_hand)"
            )

    def __call__(self, theta: dict[str, float]) -> dict[str, float]:
        values = {p.path: p.value(theta[safe(p.path)]) for p in self.spec.priors}
        seeds = np.random.randint(0, 2**31 - 1, size=self.spec.replications)  # seeded per candidate
        params = [model_params(self.base, values, int(s))[0] for s in seeds]
        return pattern_statistics(params, seeds)


def _distance(x: dict[str, float], x_0: dict[str, float]) -> float:
    return distance(x)


def prior(spec: CalibrationSpec) -> pyabc.Distribution:
    return pyabc.Distribution(
        **{safe(p.path): pyabc.RV("uniform", p.lo, p.hi - p.lo) for p in spec.priors}
    )


def calibrate(
    spec: CalibrationSpec, workers: int, workdir: Path, progress: bool = False, **limits: Any
) -> CalibrationResult:
    """Run ABC-SMC from the spec's seed; ``limits`` override the spec's stopping settings."""
    start = time.perf_counter()
    np.random.seed(spec.seed)  # the master's own draws (none today; kept for safety)
    population = limits.get("population", spec.population)
    abc = pyabc.ABCSMC(
        _Model(spec),
        prior(spec),
        _distance,
        population_size=population,
        eps=(
            pyabc.QuantileEpsilon(alpha=0.5)
            if spec.tolerance == "adaptive"
            else pyabc.ListEpsilon(list(spec.tolerance))
        ),
        sampler=SeededSampler(spec.seed, workers, progress=progress),
    )
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / f"{spec.name}.db"
    db.unlink(missing_ok=True)
    targets = {p.name: p.lo if np.isfinite(p.lo) else p.hi for p in PATTERNS}  # unused: bands
    abc.new(f"sqlite:///{db}", targets)
    history = abc.run(
        minimum_epsilon=0.0,
        max_nr_populations=min(
            limits.get("max_generations", spec.max_generations),
            spec.max_generations if spec.tolerance == "adaptive" else len(spec.tolerance),
        ),
        max_total_nr_simulations=limits.get("max_simulations", spec.max_simulations),
        min_acceptance_rate=spec.min_acceptance_rate,
    )
    particles, weights = history.get_distribution(m=0, t=history.max_t)
    posterior = pd.DataFrame({p.path: particles[safe(p.path)].to_numpy() for p in spec.priors})
    for p in spec.priors:
        if p.integer:
            posterior[p.path] = posterior[p.path].round().astype(int)
    posterior[WEIGHT] = np.asarray(weights) / np.sum(weights)
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0].reset_index(drop=True)
    generations = pd.DataFrame(
        {
            GENERATION: pops["t"].astype(int),
            "epsilon": pops["epsilon"].astype(float),
            "candidates": pops["samples"].astype(int),
            "accepted": pops["particles"].astype(int),
        }
    )
    generations["acceptance_rate"] = generations["accepted"] / generations["candidates"]
    return CalibrationResult(
        posterior, generations, int(history.total_nr_simulations), time.perf_counter() - start
    )
