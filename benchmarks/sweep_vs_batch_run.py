"""Our sweep runner against ``mesa.batch_run``: same model, points, seeds and outputs.

Both sides run the strategy comparison's grid (every scenario x every strategy, 30 points,
156 weeks, seeds from root 1987) on the same number of processes, each in a fresh process tree.
batch_run collects every per-run outcome our runner writes (``benchmarks/batch_side.py``), so
the work and the outputs are equal; ours also writes files. Timed runs are not sampled for
memory, which would slow them; one more run of each side samples its tree's PSS.

    python benchmarks/sweep_vs_batch_run.py [--repeats 3] [--replications 10]
        [--halfwidth 0.1] [--skip-answer] [--skip-speedup]

Prints, from medians over the repeats (each with min and max):

    throughput_ratio: X      ours over batch_run, runs per second at equal outputs and equal
                             work (goal >= 1.0); throughput_ratio_shared_start: the same with
                             experiment=strategy_comparison_shared (equal outputs, less work)
    speedup_2_workers: X     our wall time on one worker over two (goal >= 1.7; efficiency = X/2)
    time_to_answer_ratio: X  batch_run's time over ours to bring every cell's headline interval
                             within +-halfwidth: ours experiment=strategy_comparison_shared with
                             replications=auto, batch_run with the fixed replications the worst
                             cell needed (goal >= 3 at 0.03); ..._job_per_cell: ours with a job
                             per cell, every run computed whole
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_side import EXPERIMENT
from procmem import fmt, run_measured, spread

HERE = Path(__file__).resolve().parent
MB = 1024**2


SHARED = "strategy_comparison_shared"  # the same runs, a job per scenario (sim.shared_start)


def ours(
    tmp: Path,
    name: str,
    workers: int,
    *overrides: str,
    experiment: str = EXPERIMENT,
    memory: bool = False,
) -> dict:
    """One sweep of the strategy comparison into a fresh folder (nothing to resume); timed
    alone, or with its memory sampled (which slows it: procmem.run_measured)."""
    launcher = [f"hydra.launcher.n_jobs={workers}"]  # one worker: the same launcher, in process
    sweep_dir = tmp / name
    cmd = [
        sys.executable,
        "-m",
        "experiments",
        "-m",
        f"experiment={experiment}",
        f"hydra.sweep.dir={sweep_dir}",
        *launcher,
        *overrides,
    ]
    with open(tmp / f"{name}.log", "w") as log:
        m = run_measured(cmd, memory=memory, stdout=log, stderr=subprocess.STDOUT)
    manifest = json.loads((sweep_dir / "sweep.json").read_text())
    m["runs"] = manifest["runs"]
    m["job_seconds"] = manifest["timings"]["job_seconds"]
    m["cells"] = (
        pd.read_parquet(sweep_dir / "outcomes.parquet").groupby(["scenario", "strategy"]).size()
    )
    return m


def batch(tmp: Path, name: str, reps: int, workers: int, *extra: str, memory: bool = False) -> dict:
    cmd = [sys.executable, str(HERE / "batch_side.py"), f"--reps={reps}", f"--workers={workers}"]
    with open(tmp / f"{name}.out", "w") as out, open(tmp / f"{name}.err", "w") as err:
        m = run_measured([*cmd, *extra], memory=memory, stdout=out, stderr=err)
    m["runs"] = json.loads((tmp / f"{name}.out").read_text())["runs"]
    return m


def walls(ms: list[dict]) -> dict[str, float]:
    return spread([m["wall"] for m in ms])


def rates(ms: list[dict]) -> dict[str, float]:
    return spread([m["runs"] / m["wall"] for m in ms])


def show(label: str, ms: list[dict], memory: dict | None = None) -> None:
    pss = "" if memory is None else f"; peak PSS of the tree {memory['peak_pss_total'] / MB:.0f} MB"
    print(
        f"{label:>22}: {ms[0]['runs']} runs, wall {fmt(walls(ms))}; "
        f"{rates(ms)['median']:.2f} runs/s{pss}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--replications", type=int, default=10, help="per point, throughput")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--halfwidth", type=float, default=0.1, help="time to answer target")
    parser.add_argument("--answer-repeats", type=int, default=1)
    parser.add_argument("--min-replications", type=int, default=30, help="of replications=auto")
    parser.add_argument("--skip-answer", action="store_true")
    parser.add_argument("--skip-speedup", action="store_true", help="no one-worker sweeps")
    parser.add_argument("--json", type=Path, default=HERE / "results" / "sweep_vs_batch_run.json")
    args = parser.parse_args()
    reps, w, result = args.replications, args.workers, {}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        # Throughput at equal outputs, and our speed-up from one worker to two.
        ours_w, ours_1, base, shared = [], [], [], []
        for i in range(args.repeats):  # interleaved, so a drift in load hits every side alike
            ours_w.append(ours(tmp, f"o{w}-{i}", w, f"replications={reps}"))
            shared.append(ours(tmp, f"s{w}-{i}", w, f"replications={reps}", experiment=SHARED))
            if not args.skip_speedup:
                ours_1.append(ours(tmp, f"o1-{i}", 1, f"replications={reps}"))
            base.append(batch(tmp, f"b{i}", reps, w))
        # memory in runs of its own: sampling it slows the runs it samples (procmem)
        memory = {
            "ours": ours(tmp, f"mem-o{w}", w, f"replications={reps}", memory=True),
            "batch_run": batch(tmp, "mem-b", reps, w, memory=True),
        }
        show(f"ours, {w} workers", ours_w, memory["ours"])
        if ours_1:
            show("ours, 1 worker", ours_1)
        show(f"batch_run, {w} workers", base, memory["batch_run"])
        show(f"ours, {SHARED}, {w} workers", shared)
        # equal work: every run computed whole, as batch_run computes it
        result["throughput_ratio"] = rates(ours_w)["median"] / rates(base)["median"]
        # equal outputs, less work: each seed's weeks before the strategies start run once
        result["throughput_ratio_shared_start"] = rates(shared)["median"] / rates(base)["median"]
        cpu_rate = {
            k: spread([m["runs"] / m["cpu"] for m in ms]) for k, ms in (("o", ours_w), ("b", base))
        }
        result["throughput_cpu_ratio"] = cpu_rate["o"]["median"] / cpu_rate["b"]["median"]
        if ours_1:
            result["speedup_2_workers"] = walls(ours_1)["median"] / walls(ours_w)["median"]
            result["hydra_share_1_worker"] = 1 - ours_1[0]["job_seconds"] / ours_1[0]["wall"]
        result["memory_ratio_pss"] = (
            memory["ours"]["peak_pss_total"] / memory["batch_run"]["peak_pss_total"]
        )
        if not args.skip_answer:
            answer(tmp, args, result)
        detail = {"ours": ours_w, "ours_1": ours_1, "batch_run": base, "ours_shared": shared}
        detail["memory_runs"] = list(memory.values())
    for k, v in result.items():
        if not isinstance(v, dict):
            print(f"{k}: {v:.3f}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    for ms in detail.values():
        for m in ms:
            m.pop("cells", None)
    args.json.write_text(json.dumps({**result, **detail}, indent=2, default=str))


def answer(tmp: Path, args, result: dict) -> None:
    """Time until every cell's headline interval is within +-halfwidth, both ways."""
    h, w = args.halfwidth, args.workers
    auto = [
        "replications=auto",
        f"precision.halfwidth={h}",
        f"precision.min_replications={args.min_replications}",
    ]
    ours_a, base_a = [ours(tmp, "auto-0", w, *auto)], []
    shared_a = [ours(tmp, "auto-shared-0", w, *auto, experiment=SHARED)]
    cells = ours_a[0]["cells"]
    if not shared_a[0]["cells"].equals(cells):  # the same stopping rule on the same runs
        raise RuntimeError("the shared-start comparison stopped its cells elsewhere")
    worst = int(cells.max())
    for i in range(args.answer_repeats):
        base_a.append(batch(tmp, f"fixed-{i}", worst, w))
        if i:
            ours_a.append(ours(tmp, f"auto-{i}", w, *auto))
            shared_a.append(ours(tmp, f"auto-shared-{i}", w, *auto, experiment=SHARED))
    print(
        f"time to answer (+-{h:g} on rollback, every cell): ours replications=auto, "
        f"{ours_a[0]['runs']} runs (per cell {int(cells.min())}-{worst}), a job per cell "
        f"{fmt(walls(ours_a))}, {SHARED} {fmt(walls(shared_a))}; batch_run {worst} "
        f"replications x {len(cells)} cells = {base_a[0]['runs']} runs, {fmt(walls(base_a))}; "
        f"CPU time of the process trees, ours {ours_a[0]['cpu']:.0f} s and "
        f"{shared_a[0]['cpu']:.0f} s, batch_run {base_a[0]['cpu']:.0f} s"
    )
    cpu = {
        k: spread([m["cpu"] for m in ms])
        for k, ms in (("ours", ours_a), ("shared", shared_a), ("batch", base_a))
    }
    # ours as a user runs the comparison: the shared-start experiment, replications=auto
    result["time_to_answer_ratio"] = walls(base_a)["median"] / walls(shared_a)["median"]
    result["time_to_answer_cpu_ratio"] = cpu["batch"]["median"] / cpu["shared"]["median"]
    # and with a job per cell, every run computed whole: what adaptive replications alone give
    result["time_to_answer_ratio_job_per_cell"] = walls(base_a)["median"] / walls(ours_a)["median"]
    result["time_to_answer_cpu_ratio_job_per_cell"] = cpu["batch"]["median"] / cpu["ours"]["median"]
    result["time_to_answer"] = {
        "halfwidth": h,
        "ours_runs": ours_a[0]["runs"],
        "ours_wall": walls(ours_a),
        "ours_cpu": cpu["ours"],
        "shared_wall": walls(shared_a),
        "shared_cpu": cpu["shared"],
        "batch_runs": base_a[0]["runs"],
        "batch_wall": walls(base_a),
        "batch_cpu": cpu["batch"],
        "replications_per_cell": {f"{a}/{b}": int(n) for (a, b), n in cells.items()},
    }


if __name__ == "__main__":
    main()
