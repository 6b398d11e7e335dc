"""The ``mesa.batch_run`` side of the sweep benchmarks: the same model, points and seeds as our
runner, collecting the same outputs (every per-run outcome, and the weekly frame with
``--series``), held in memory as batch_run returns them.

    python benchmarks/batch_side.py --reps N --workers W [--series] [--steps T]

Run as its own process by the benchmarks, which time it, or sample its process tree's memory
in runs of their own.
"""

import argparse
import dataclasses
import itertools
import json
import sys

from mesa.batchrunner import batch_run
from mesa.datacollection import DataCollector

from experiments.calibration.posterior import resolve_scenario
from experiments.config import CONFIG_DIR, compose_run_config
from experiments.overrides import experiment_sweep
from experiments.seeds import replication_seed
from sim.model import ReformModel

# The strategy comparison's grid, read from its experiment file: both sides run the same points.
EXPERIMENT = "strategy_comparison"


def grid_overrides() -> list[list[str]]:
    """One list of overrides (``scenario=...``, ``strategy=...``) per point of the grid."""
    sweep = experiment_sweep([f"experiment={EXPERIMENT}"], CONFIG_DIR)
    axes = [
        [f"{k}={v}" for v in values.split(",")] for k, values in (o.split("=", 1) for o in sweep)
    ]
    return [list(point) for point in itertools.product(*axes)]


class BatchReformModel(ReformModel):
    """How a Mesa user batches the model: a DataCollector read once, at the end of the run,
    with our runner's outputs as its reporters."""

    def __init__(self, params=None, rng=None, series: bool = False):
        scenario, _ = resolve_scenario(params.scenario, rng)  # the posterior draw of this seed
        super().__init__(dataclasses.replace(params, scenario=scenario), rng=rng)
        reporters = {"outcomes": ReformModel.outcomes}
        if series:
            reporters["timeseries"] = lambda m: m.recorder.frame()
        self.datacollector = DataCollector(model_reporters=reporters)

    def step(self):
        super().step()
        if not self.running:
            self.datacollector.collect(self)


def points(steps: int) -> list:
    return [compose_run_config([*point, f"steps={steps}"]) for point in grid_overrides()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--steps", type=int, default=156)
    parser.add_argument("--series", action="store_true")
    args = parser.parse_args()
    grid = points(args.steps)
    results = batch_run(
        BatchReformModel,
        parameters={"params": grid, "series": [args.series]},
        number_processes=args.workers,
        rng=[replication_seed(1987, r) for r in range(args.reps)],
        max_steps=args.steps,
        data_collection_period=-1,
        display_progress=False,
    )
    missing = sum("outcomes" not in r for r in results)
    if missing:  # a run that stopped before its horizon collected nothing: unequal outputs
        sys.exit(f"batch_run: {missing} of {len(results)} runs have no outcomes")
    rollbacks = sum(bool(r["outcomes"]["rollback"]) for r in results)
    json.dump({"runs": len(results), "rollbacks": rollbacks}, sys.stdout)


if __name__ == "__main__":
    main()
