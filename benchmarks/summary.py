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
    "throughput_ratio_shared_start": "equal outputs, less work: experiment="
    "strategy_comparison_shared",
    "time_to_answer_ratio_job_per_cell": "a job per cell, every run computed whole",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--results", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args()
    path = args.results / "sweep_vs_batch_run.json"
    sweeps = json.loads(path.read_text()) if path.exists() else {}
    for key, note in CONTEXT.items():
        if isinstance(sweeps.get(key), (int, float)):
            print(f"{key}: {sweeps[key]:.2f}   ({note})")
    for key, (name, goal) in GOALS.items():
        path = args.results / name
        data = json.loads(path.read_text()) if path.exists() else {}
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
