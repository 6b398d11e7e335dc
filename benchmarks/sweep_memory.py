"""Memory as the number of runs grows: our sweep (results stream to disk) against
``mesa.batch_run`` (every result held in memory until it returns), both with weekly series.

Both sides run the strategy comparison's 30 points with R replications each, recording every
per-run outcome and the weekly frame (157 rows x ~50 columns a run). The peak PSS of each
process tree is sampled (``procmem``). Default sizes 1,000 and 10,000 runs; add 100,000 with
``--runs 1000 10000 100000`` (hours here; batch_run may not survive it), or measure one side at
that size with ``--sides ours``.

    python benchmarks/sweep_memory.py [--runs 1000 10000] [--steps 156] [--workers 2]
                                      [--sides ours batch_run]
"""

import argparse
import json
import math
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_side import grid_overrides
from sweep_vs_batch_run import batch, ours

from experiments.results import write_text

HERE = Path(__file__).resolve().parent
POINTS = len(grid_overrides())
MB = 1024**2


def batch_or_failure(tmp: Path, reps: int, steps: int, workers: int) -> dict:
    """batch_run's side, or why it did not finish (killed by the OOM killer, say)."""
    try:
        return batch(
            tmp, f"batch-{reps}", reps, workers, f"--steps={steps}", "--series", memory=True
        )
    except (RuntimeError, MemoryError) as err:
        return {"failed": str(err)}


def _side(m: dict) -> str:
    if "wall" not in m:
        return f"failed ({m['failed']})"
    return (
        f"peak PSS of the process tree {m['peak_pss_total'] / MB:.0f} MB (largest process "
        f"{m['peak_pss_single'] / MB:.0f} MB), {m['wall']:.0f} s wall, {m['cpu']:.0f} s CPU"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--steps", type=int, default=156)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--sides", nargs="+", choices=("ours", "batch_run"), default=["ours", "batch_run"]
    )
    parser.add_argument("--json", type=Path, default=HERE / "results" / "sweep_memory.json")
    args = parser.parse_args()
    rows = []
    args.json.parent.mkdir(parents=True, exist_ok=True)
    for runs in args.runs:
        reps = math.ceil(runs / POINTS)
        row: dict = {"runs": POINTS * reps}
        if "ours" in args.sides:
            with tempfile.TemporaryDirectory() as d:
                o = ours(
                    Path(d),
                    f"ours-{reps}",
                    args.workers,
                    f"replications={reps}",
                    f"steps={args.steps}",
                    "record_timeseries=true",
                    memory=True,
                )
            o.pop("cells")  # per-cell run counts: not needed here, and not JSON
            # each side as soon as it is measured, and the JSON after each size: at 100,000
            # runs a side takes the better part of an hour; a kill must not lose what was measured
            print(f"{POINTS * reps:>7} runs, ours: {_side(o)}", flush=True)
            row["ours"] = o
        if "batch_run" in args.sides:
            with tempfile.TemporaryDirectory() as d:
                b = batch_or_failure(Path(d), reps, args.steps, args.workers)
            print(f"{POINTS * reps:>7} runs, batch_run: {_side(b)}", flush=True)
            row["batch_run"] = b
        rows.append(row)
        write_text(json.dumps(rows, indent=2), args.json)  # atomically
    for side in args.sides:
        done = [r for r in rows if "wall" in r[side]]
        if len(done) >= 2:
            first, last = done[0], done[-1]
            extra = last["runs"] - first["runs"]
            grow = (last[side]["peak_pss_total"] - first[side]["peak_pss_total"]) / extra
            print(f"{side} memory growth: {grow / 1024:.1f} KB per extra run")


if __name__ == "__main__":
    main()
