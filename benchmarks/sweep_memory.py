"""Memory as the number of runs grows: our sweep (results stream to disk) against
``mesa.batch_run`` (every result held in memory until it returns), both with weekly series.

Both sides run the strategy comparison's 30 points with R replications each, recording every
per-run outcome and the weekly frame (157 rows x ~50 columns a run). The peak PSS of each
process tree is sampled (``procmem``). Default sizes 1,000 and 10,000 runs; add 100,000 with
``--runs 1000 10000 100000`` (hours here; batch_run may not survive it).

    python benchmarks/sweep_memory.py [--runs 1000 10000] [--steps 156] [--workers 2]
"""

import argparse
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from procmem import run_measured

HERE = Path(__file__).resolve().parent
POINTS = 30
MB = 1024**2


def ours(tmp: Path, reps: int, steps: int, workers: int) -> dict:
    sweep_dir = tmp / f"ours-{reps}"
    cmd = [
        sys.executable,
        "-m",
        "experiments",
        "-m",
        "experiment=strategy_comparison",
        f"replications={reps}",
        f"steps={steps}",
        "record_timeseries=true",
        f"hydra.launcher.n_jobs={workers}",
        f"hydra.sweep.dir={sweep_dir}",
    ]
    with open(tmp / f"ours-{reps}.log", "w") as log:
        m = run_measured(cmd, interval=0.5, stdout=log, stderr=subprocess.STDOUT)
    m["runs"] = json.loads((sweep_dir / "sweep.json").read_text())["runs"]
    return m


def batch(tmp: Path, reps: int, steps: int, workers: int) -> dict:
    cmd = [
        sys.executable,
        str(HERE / "batch_side.py"),
        f"--reps={reps}",
        f"--workers={workers}",
        f"--steps={steps}",
        "--series",
    ]
    with open(tmp / f"batch-{reps}.out", "w") as out, open(tmp / f"batch-{reps}.err", "w") as e:
        try:
            m = run_measured(cmd, interval=0.5, stdout=out, stderr=e)
        except (RuntimeError, MemoryError) as err:  # killed by the OOM killer, say
            return {"failed": str(err)}
    m["runs"] = json.loads((tmp / f"batch-{reps}.out").read_text())["runs"]
    return m


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--steps", type=int, default=156)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, default=HERE / "results" / "sweep_memory.json")
    args = parser.parse_args()
    rows = []
    for runs in args.runs:
        reps = math.ceil(runs / POINTS)
        with tempfile.TemporaryDirectory() as d:
            o = ours(Path(d), reps, args.steps, args.workers)
        with tempfile.TemporaryDirectory() as d:
            b = batch(Path(d), reps, args.steps, args.workers)
        rows.append({"runs": POINTS * reps, "ours": o, "batch_run": b})
        b_text = (
            f"{b['peak_pss_total'] / MB:8.0f} MB in {b['wall']:6.0f} s"
            if "wall" in b
            else f"failed ({b['failed']})"
        )
        print(
            f"{POINTS * reps:>7} runs with weekly series: ours {o['peak_pss_total'] / MB:6.0f} MB"
            f" in {o['wall']:6.0f} s; batch_run {b_text}   (peak PSS of the process tree)",
            flush=True,
        )
    done = [r for r in rows if "wall" in r["batch_run"]]
    if len(done) >= 2:
        first, last = done[0], done[-1]
        extra = last["runs"] - first["runs"]
        for side in ("ours", "batch_run"):
            grow = (last[side]["peak_pss_total"] - first[side]["peak_pss_total"]) / extra
            print(f"{side} memory growth: {grow / 1024:.1f} KB per extra run")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
