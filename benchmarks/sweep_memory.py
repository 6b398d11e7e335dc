"""Memory of a 10,000-run sweep: no process may hold more than 1 GB (results stream to disk).

Runs the strategy_comparison experiment (24 jobs) with enough replications for >= 10,000 runs
on the local joblib launcher, sampling the memory of every process of the tree.

    python benchmarks/sweep_memory.py [--runs 10000] [--steps 156]
"""

import argparse
import json
import math
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from procmem import run_measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=156)
    parser.add_argument("--json", type=Path, default=Path("benchmarks/results/sweep_memory.json"))
    args = parser.parse_args()
    reps = math.ceil(args.runs / 24)
    with tempfile.TemporaryDirectory() as d:
        sweep_dir = Path(d) / "sweep"
        cmd = [
            sys.executable,
            "-m",
            "experiments",
            "-m",
            "experiment=strategy_comparison",
            f"replications={reps}",
            f"steps={args.steps}",
            f"hydra.sweep.dir={sweep_dir}",
        ]
        with open(Path(d) / "log", "w") as log:
            m = run_measured(cmd, interval=0.2, stdout=log, stderr=log)
        runs = json.loads((sweep_dir / "sweep.json").read_text())["runs"]
    mb = 1024**2
    print(
        f"{runs} runs in {m['wall']:.0f} s; peak of any process {m['peak_single'] / mb:.0f} MB "
        f"(goal <= 1024 MB); peak of the whole tree {m['peak_total'] / mb:.0f} MB"
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"runs": runs, **m}, indent=2))


if __name__ == "__main__":
    main()
