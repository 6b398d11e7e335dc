"""Our sweep runner against ``mesa.batch_run`` on the same 24-point grid and 20 replications.

The grid is every strategy x every scenario (the strategy_comparison experiment), 156 weeks,
seeds from the same root seed. Both run on the same number of processes (2 by default) in a
fresh process, and the whole process tree's memory is sampled. Prints:

    throughput_ratio: X     ours over batch_run's runs per second (goal >= 3)
    memory_ratio: Y         our peak memory over batch_run's (goal <= 0.2)
    parallel_efficiency: Z  our speed-up with two workers over one (goal >= 1.7)
    hydra_share: W          share of our one-worker wall time not spent in model runs (goal < 5%)

    python benchmarks/sweep_vs_batch_run.py [--replications 20] [--workers 2]
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from procmem import run_measured

BATCH_SCRIPT = """
import dataclasses, sys, pickle
from mesa.batchrunner import batch_run
from experiments.calibration.posterior import resolve_scenario
from mesa.datacollection import DataCollector
from experiments.config import compose_run_config
from experiments.seeds import replication_seed
from sim.model import ReformModel

class BatchReformModel(ReformModel):
    # How a Mesa user would batch the model: a DataCollector read at the end of each run.
    def __init__(self, params=None, rng=None):
        # a calibrated scenario takes the posterior draw of this seed, as our runs do
        scenario, _ = resolve_scenario(params.scenario, rng)
        super().__init__(dataclasses.replace(params, scenario=scenario), rng=rng)
        self.datacollector = DataCollector(model_reporters={
            "liberalization": lambda m: m.policy.liberalization,
            "codified": lambda m: m.policy.codified,
            "crackdowns": lambda m: m.log.total.crackdowns,
            "items_enacted": lambda m: m.log.total.items_enacted,
            "prisoners": lambda m: m.cases.open_count(m.cases.prisoner_mask()),
        })

    def step(self):
        super().step()
        self.datacollector.collect(self)

if __name__ == "__main__":
    reps, workers, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    scenarios = ("baseline_1987", "hardline_surge", "committed_reformer", "mobilization_wave")
    points = [compose_run_config([f"scenario={sc}", f"strategy={st}"])
              for sc in scenarios
              for st in ("institutionalization", "case_focus", "balanced", "memo_recommended",
                         "status_quo_1987", "no_pressure")]
    results = batch_run(BatchReformModel, parameters={"params": points}, number_processes=workers,
                        rng=[replication_seed(1987, r) for r in range(reps)], max_steps=156,
                        data_collection_period=-1, display_progress=False)
    pickle.dump(len(results), open(out, "wb"))
"""


def ours(tmp: Path, reps: int, workers: int, name: str) -> dict:
    launcher = ["hydra/launcher=basic"] if workers == 1 else [f"hydra.launcher.n_jobs={workers}"]
    sweep_dir = tmp / name
    cmd = [
        sys.executable,
        "-m",
        "experiments",
        "-m",
        "experiment=strategy_comparison",
        f"replications={reps}",
        f"hydra.sweep.dir={sweep_dir}",
        *launcher,
    ]
    with open(tmp / f"{name}.log", "w") as out, open(tmp / f"{name}.err", "w") as err:
        m = run_measured(cmd, stdout=out, stderr=err)
    manifest = json.loads((sweep_dir / "sweep.json").read_text())
    m["runs"] = manifest["runs"]
    m["job_seconds"] = manifest["timings"]["job_seconds"]
    return m


def batch(tmp: Path, reps: int, workers: int) -> dict:
    script = tmp / "batch.py"
    script.write_text(BATCH_SCRIPT)
    cmd = [sys.executable, str(script), str(reps), str(workers), str(tmp / "batch.pkl")]
    with open(tmp / "batch.log", "w") as out, open(tmp / "batch.err", "w") as err:
        m = run_measured(cmd, stdout=out, stderr=err)
    m["runs"] = 24 * reps
    return m


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--json", type=Path, default=Path("benchmarks/results/sweep_vs_batch_run.json")
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        ours_n = ours(tmp, args.replications, args.workers, "ours_n")
        ours_1 = ours(tmp, args.replications, 1, "ours_1")
        base = batch(tmp, args.replications, args.workers)
    mb = 1024**2
    for label, m in (("ours", ours_n), ("ours, 1 worker", ours_1), ("batch_run", base)):
        print(
            f"{label:>16}: {m['runs']} runs in {m['wall']:7.2f} s = {m['runs'] / m['wall']:6.2f} "
            f"runs/s; peak memory {m['peak_total'] / mb:7.1f} MB (largest process "
            f"{m['peak_single'] / mb:6.1f} MB)"
        )
    result = {
        "throughput_ratio": (ours_n["runs"] / ours_n["wall"]) / (base["runs"] / base["wall"]),
        "memory_ratio": ours_n["peak_total"] / base["peak_total"],
        "parallel_efficiency": ours_1["wall"] / ours_n["wall"],
        "hydra_share": 1 - ours_1["job_seconds"] / ours_1["wall"],
    }
    goals = {
        "throughput_ratio": ">= 3",
        "memory_ratio": "<= 0.2",
        "parallel_efficiency": f">= 1.7 ({args.workers} workers over 1)",
        "hydra_share": "< 0.05",
    }
    for k, v in result.items():
        print(f"{k}: {v:.3f}   (goal {goals[k]})")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({**result, "ours": ours_n, "ours_1": ours_1, "batch_run": base}, indent=2)
    )


if __name__ == "__main__":
    main()
