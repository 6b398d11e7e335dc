"""The four lines ``make bench`` ends with, read from the JSON the benchmarks wrote (medians
over repeats; min and max are in the JSON and in each benchmark's own output).

    python benchmarks/summary.py [--results benchmarks/results]
"""

import argparse
import json
from pathlib import Path

GOALS = {
    "time_to_answer_ratio": ("sweep_vs_batch_run.json", ">= 3 (at +-0.03)"),
    "throughput_ratio": ("sweep_vs_batch_run.json", ">= 1.0"),
    "kernel_ratio": ("model.json", "<= 2"),
    "speedup_2_workers": ("sweep_vs_batch_run.json", ">= 1.7"),
}


# Printed first, for context: the same measures another way (not goals of their own).
CONTEXT = {
    "throughput_ratio_shared_start": (
        "sweep_vs_batch_run.json",
        "equal outputs, less work: experiment=strategy_comparison_shared",
    ),
    "time_to_answer_ratio_job_per_cell": (
        "sweep_vs_batch_run.json",
        "a job per cell, every run computed whole",
    ),
    "kernel_ratio_floor": (
        "model.json",
        "the least kernel_ratio with a Mesa agent per group and the spin-up",
    ),
}


def read(results: Path, name: str) -> dict:
    path = results / name
    return json.loads(path.read_text()) if path.exists() else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--results", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args()
    names = {name for name, _ in (*CONTEXT.values(), *GOALS.values())}
    results = {name: read(args.results, name) for name in names}  # each file read once
    for key, (name, note) in CONTEXT.items():
        value = results[name].get(key)
        if isinstance(value, (int, float)):
            print(f"{key}: {value:.2f}   ({note})")
    for key, (name, goal) in GOALS.items():
        data = results[name]
        value = data.get(key)
        note = ""
        if key == "time_to_answer_ratio" and "time_to_answer" in data:
            note = (
                f", measured at +-{data['time_to_answer']['halfwidth']:g}, "
                "experiment=strategy_comparison_shared"
            )
        shown = f"{value:.2f}" if isinstance(value, (int, float)) else "not measured"
        print(f"{key}: {shown}   (goal {goal}{note})")


if __name__ == "__main__":
    main()
