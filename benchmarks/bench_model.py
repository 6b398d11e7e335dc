"""Speed of the model: run cost against Mesa's BoltzmannWealth, vectorized rule against the
per-agent reference, a full run against its group-rule kernel, and scaling with the number of
groups.

    python benchmarks/bench_model.py [--repeats 5] [--json benchmarks/results/model.json]

Measured, never asserted: timings depend on the machine (tests stay free of timed assertions).
"""

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

import numpy as np
from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth

from sim.agents import InformalGroup
from sim.mechanisms import m11_mobilization as m11
from sim.model import ReformModel
from sim.params import DIMENSIONS, ModelParams, ScenarioParams, replace_paths


def spread(fn, repeats: int) -> dict[str, float]:
    """Min, median and max wall time of `repeats` calls (after one warm-up call)."""
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return {"min": min(times), "median": statistics.median(times), "max": max(times)}


def timed(fn, repeats: int) -> float:
    return spread(fn, repeats)["median"]


def fmt(t: dict[str, float]) -> str:
    return f"median {t['median']:.4f} s (min {t['min']:.4f}, max {t['max']:.4f})"


def groups_of(n_groups: int) -> ScenarioParams:
    return replace_paths(ScenarioParams(), {"groups.n_groups": n_groups})


def reform_run(n_groups: int = 2000, steps: int = 156) -> None:
    ReformModel(ModelParams(scenario=groups_of(n_groups), steps=steps), rng=1).run()


def boltzmann_run(n: int = 2000, steps: int = 156) -> None:
    model = BoltzmannWealth(BoltzmannScenario(n=n, rng=1))
    for _ in range(steps):
        model.step()


def weekly_environment(model: ReformModel) -> m11.GroupEnvironment:
    """What the groups read in the model's current state (held fixed by the benchmarks)."""
    p = model.policy.practice
    return m11.environment(
        model.params.scenario.groups,
        float(p[DIMENSIONS.index("protest_tolerance")]),
        float(p[DIMENSIONS.index("association")]),
        model.groups.deterrence,
    )


def group_rule_times(n_groups: int, repeats: int) -> tuple[float, float]:
    """Seconds per weekly group update: vectorized and per-agent reference, same state."""
    model = ReformModel(ModelParams(scenario=groups_of(n_groups)), rng=1)
    for _ in range(30):  # reach a state with activity
        model.step()
    env = weekly_environment(model)
    u = model.rng.random(model.groups.n)
    state = {k: getattr(model.groups, k).copy() for k in ("grievance", "leader", "activity")}

    def reset():
        for k, v in state.items():
            setattr(model.groups, k, v.copy())

    def vec():
        reset()
        m11.step_vectorized(model.groups, env, u)

    def ref():
        reset()
        snap = m11.Snapshot(model.groups)
        model.agents_by_type[InformalGroup].do("decide", env, u, snap)

    return timed(vec, repeats * 20), timed(ref, repeats)


def kernel(n_groups: int = 2000, steps: int = 156):
    """The group rule alone, the run's kernel: ``steps`` weekly vectorized updates of the
    default run's groups, on its network, with its environment at the start held fixed and the
    uniform draws made beforehand."""
    model = ReformModel(ModelParams(scenario=groups_of(n_groups), steps=steps), rng=1)
    g, env = model.groups, weekly_environment(model)
    draws = model.rng.random((steps, g.n))
    state = {k: getattr(g, k).copy() for k in ("grievance", "leader", "activity")}

    def run() -> None:
        for k, v in state.items():
            setattr(g, k, v.copy())
        for u in draws:
            m11.step_vectorized(g, env, u)

    return run


def set_up(n_groups: int = 2000) -> None:
    """Building a default model: network, groups, cases, agents and the spin-up."""
    ReformModel(ModelParams(scenario=groups_of(n_groups)), rng=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", type=Path, default=Path("benchmarks/results/model.json"))
    args = parser.parse_args()
    r = args.repeats
    ours_t = spread(reform_run, 3 * r)
    boltz_t = spread(boltzmann_run, r)
    ours, boltz = ours_t["median"], boltz_t["median"]
    print(f"full run, 2,000 groups x 156 weeks:        {fmt(ours_t)}")
    print(f"BoltzmannWealth, 2,000 agents x 156 steps: {fmt(boltz_t)}")
    print(f"run_cost_ratio: {ours / boltz:.3f}   (goal <= 0.1)")
    vec, ref = group_rule_times(2000, r)
    print(f"group rule per week, vectorized:         {vec * 1e3:8.3f} ms")
    print(f"group rule per week, per-agent reference: {ref * 1e3:8.3f} ms")
    print(f"vectorized_speedup: {ref / vec:.1f}x   (goal >= 30)")
    setup_t, kernel_t = spread(set_up, 3 * r), spread(kernel(), 3 * r)
    print(f"set-up of a default model (incl. spin-up): {fmt(setup_t)}")
    print(f"group-rule kernel, 156 weekly updates:     {fmt(kernel_t)}")
    sizes = [500, 2000, 8000, 32000]
    costs = [timed(lambda n=n: reform_run(n), r) for n in sizes]
    for n, c in zip(sizes, costs, strict=True):
        print(f"  {n:>6} groups: {c:8.3f} s per 156-week run")
    slope = float(np.polyfit(np.log(sizes), np.log(costs), 1)[0])
    print(f"scaling_exponent: {slope:.2f}   (goal <= 1: no worse than linear)")
    kernel_ratio = ours / kernel_t["median"]
    print(f"kernel_ratio: {kernel_ratio:.2f}   (full run over its group-rule kernel, goal <= 2)")
    result = {
        "machine": platform.platform(),
        "python": platform.python_version(),
        "run_seconds": ours_t,
        "boltzmann_seconds": boltz_t,
        "run_cost_ratio": ours / boltz,
        "group_rule_vectorized_s": vec,
        "group_rule_reference_s": ref,
        "vectorized_speedup": ref / vec,
        "sizes": sizes,
        "run_seconds_by_size": costs,
        "scaling_exponent": slope,
        "setup_seconds": setup_t,
        "kernel_seconds": kernel_t,
        "kernel_ratio": kernel_ratio,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
