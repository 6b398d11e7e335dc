"""Speed of the model: run cost against Mesa's BoltzmannWealth, vectorized rule against the
per-agent reference, a full run against its group-rule kernel, and scaling with the number of
groups.

    python benchmarks/bench_model.py [--repeats 5] [--json benchmarks/results/model.json]

Measured, never asserted: timings depend on the machine (tests stay free of timed assertions).
"""

import argparse
import dataclasses
import gc
import json
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mesa
import numpy as np
from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth

from sim.agents import InformalGroup
from sim.mechanisms import m11_mobilization as m11
from sim.model import ReformModel
from sim.params import DIMENSIONS, ModelParams, ScenarioParams, replace_paths


def stats_of(x: np.ndarray) -> dict[str, float]:
    return {"min": float(x.min()), "median": float(np.median(x)), "max": float(x.max())}


def spread(fn, repeats: int) -> dict[str, float]:
    """Min, median and max wall time of `repeats` calls (after one warm-up call)."""
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return stats_of(np.array(times))


def timed(fn, repeats: int) -> float:
    return spread(fn, repeats)["median"]


def fmt(t: dict[str, float]) -> str:
    return f"median {t['median']:.4f} s (min {t['min']:.4f}, max {t['max']:.4f})"


def fmt_ratio(x: dict[str, float]) -> str:
    return f"{x['median']:.2f} (min {x['min']:.2f}, max {x['max']:.2f})"


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


def set_up(n_groups: int = 2000, spinup_weeks: int | None = None) -> None:
    """Building a default model: network, groups, cases, agents and the spin-up."""
    params = ModelParams(scenario=groups_of(n_groups))
    if spinup_weeks is not None:
        params = dataclasses.replace(params, spinup_weeks=spinup_weeks)
    ReformModel(params, rng=1)


def register_groups(n_groups: int = 2000) -> None:
    """Mesa alone creating and registering the groups' agents, in an otherwise empty model:
    what any model with a Mesa agent per group pays before its first week."""
    InformalGroup.create_agents(mesa.Model(rng=1), n_groups, list(range(n_groups)))


def interleaved(fns: dict[str, Callable[[], None]], repeats: int) -> dict[str, np.ndarray]:
    """Wall times of each function, called in turn within every repeat (after one warm-up
    round), so that a drift in the machine's speed hits all of them alike. The order rotates
    from repeat to repeat, and the garbage earlier calls left is collected before each call,
    outside the timer, so that no call pays for its predecessor."""
    for fn in fns.values():
        fn()
    names = list(fns)
    times: dict[str, list[float]] = {k: [] for k in fns}
    for i in range(repeats):
        for k in names[i % len(names) :] + names[: i % len(names)]:
            gc.collect()
            t = time.perf_counter()
            fns[k]()
            times[k].append(time.perf_counter() - t)
    return {k: np.array(v) for k, v in times.items()}


def kernel_parts(repeats: int) -> dict[str, Any]:
    """A default run, its kernel, and what the run must spend besides the group rule's 156
    weeks: Mesa registering one agent per group (required of the model) and the spin-up before
    1987 (ODD 5.1). The kernel ratio and Mesa's share are taken within each repeat; the
    spin-up, a difference of two timings, between medians. ``kernel_ratio_floor``, one plus the
    last two, is the least kernel ratio this model could reach."""
    t = interleaved(
        {
            "run": reform_run,
            "kernel": kernel(),
            "set_up": set_up,
            "set_up_no_spinup": lambda: set_up(spinup_weeks=0),
            "mesa_groups": register_groups,
        },
        repeats,
    )
    k = t["kernel"]
    out = {name: stats_of(v) for name, v in t.items()}
    out["kernel_ratio"] = stats_of(t["run"] / k)
    out["mesa_groups_kernels"] = stats_of(t["mesa_groups"] / k)
    # a difference of two timings: taken between medians, as one repeat's spike would swamp it
    spinup = (np.median(t["set_up"]) - np.median(t["set_up_no_spinup"])) / np.median(k)
    out["spinup_kernels"] = float(spinup)
    out["kernel_ratio_floor"] = float(1 + out["mesa_groups_kernels"]["median"] + spinup)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", type=Path, default=Path("benchmarks/results/model.json"))
    args = parser.parse_args()
    r = args.repeats
    parts = kernel_parts(3 * r)  # the full run, timed once, interleaved with its parts
    ours_t = parts["run"]
    boltz_t = spread(boltzmann_run, r)
    ours, boltz = ours_t["median"], boltz_t["median"]
    print(f"full run, 2,000 groups x 156 weeks:        {fmt(ours_t)}")
    print(f"BoltzmannWealth, 2,000 agents x 156 steps: {fmt(boltz_t)}")
    print(f"run_cost_ratio: {ours / boltz:.3f}   (goal <= 0.1)")
    vec, ref = group_rule_times(2000, r)
    print(f"group rule per week, vectorized:         {vec * 1e3:8.3f} ms")
    print(f"group rule per week, per-agent reference: {ref * 1e3:8.3f} ms")
    print(f"vectorized_speedup: {ref / vec:.1f}x   (goal >= 30)")
    print(f"set-up of a default model (incl. spin-up): {fmt(parts['set_up'])}")
    print(f"group-rule kernel, 156 weekly updates:     {fmt(parts['kernel'])}")
    sizes = [500, 2000, 8000, 32000]
    by_size = [
        interleaved({"run": lambda n=n: reform_run(n), "kernel": kernel(n)}, r) for n in sizes
    ]
    costs = [float(np.median(t["run"])) for t in by_size]
    size_ratios = [float(np.median(t["run"] / t["kernel"])) for t in by_size]
    for n, c, q in zip(sizes, costs, size_ratios, strict=True):
        print(f"  {n:>6} groups: {c:8.3f} s per 156-week run, {q:5.2f} kernels")
    slope = float(np.polyfit(np.log(sizes), np.log(costs), 1)[0])
    print(f"scaling_exponent: {slope:.2f}   (goal <= 1: no worse than linear)")
    mesa_share = fmt_ratio(parts["mesa_groups_kernels"])
    print(f"in kernels, Mesa registering the groups' agents: {mesa_share}")
    print(f"in kernels, the 26-week spin-up (medians):       {parts['spinup_kernels']:.2f}")
    print(f"kernel_ratio_floor: {parts['kernel_ratio_floor']:.2f}   (one kernel plus these two)")
    kernel_ratio = parts["kernel_ratio"]["median"]
    print(
        f"kernel_ratio: {kernel_ratio:.2f}   (full run over its group-rule kernel, goal <= 2; "
        f"the median of the repeats' ratios, {fmt_ratio(parts['kernel_ratio'])})"
    )
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
        "kernel_parts": parts,
        "kernel_ratio": kernel_ratio,
        "kernel_ratio_floor": parts["kernel_ratio_floor"],
        "kernel_ratio_by_size": size_ratios,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
