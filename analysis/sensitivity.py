"""Sensitivity sweeps: Sobol indices (SALib) and scenario discovery with PRIM.

Scenario discovery asks which uncertain parameters make case focus beat institutionalisation:
it needs both strategies run at the same design points and seeds (the ``sensitivity``
experiment). PRIM (Friedman and Fisher 1999) is written here because no maintained PRIM
package fits our pinned stack; it is forty lines of peeling.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from SALib.analyze import sobol

from analysis.comparisons import HEADLINE


def design_problem(job_config: dict) -> dict | None:
    """The SALib problem of a Sobol sweep, from a job's resolved config; None otherwise."""
    design = job_config.get("design") or {}
    if design.get("kind") != "sobol":
        return None
    names = list(design["parameters"])
    return {
        "num_vars": len(names),
        "names": names,
        "bounds": [list(map(float, design["parameters"][n])) for n in names],
        "second_order": bool(design.get("second_order")),
    }


def sobol_indices(
    df: pd.DataFrame, problem: dict, outcomes=("max_drawdown", "rollback")
) -> pd.DataFrame:
    """First- and total-order indices with 95% intervals, per strategy and outcome."""
    rows = []
    salib_problem = {k: problem[k] for k in ("num_vars", "names", "bounds")}
    for strategy, g in df.groupby("strategy", sort=True):
        for outcome in outcomes:
            y = g.groupby("design_point")[outcome].mean().sort_index()
            if len(y) == 0 or y.index.max() + 1 != len(y):
                continue  # incomplete design (a chunk missing): indices would be wrong
            res = sobol.analyze(
                salib_problem,
                y.to_numpy(dtype=float),
                calc_second_order=problem["second_order"],
                seed=0,
            )
            for i, name in enumerate(problem["names"]):
                rows.append(
                    {
                        "strategy": strategy,
                        "outcome": outcome,
                        "parameter": name,
                        "S1": res["S1"][i],
                        "S1_ci_low": res["S1"][i] - res["S1_conf"][i],
                        "S1_ci_high": res["S1"][i] + res["S1_conf"][i],
                        "ST": res["ST"][i],
                        "ST_ci_low": res["ST"][i] - res["ST_conf"][i],
                        "ST_ci_high": res["ST"][i] + res["ST_conf"][i],
                    }
                )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class PrimBox:
    """A box of parameter space where the outcome of interest is concentrated."""

    limits: dict[str, tuple[float, float]]  # only the restricted parameters
    coverage: float  # share of all cases of interest inside the box
    density: float  # share of points inside the box that are cases of interest
    mass: float  # share of all points inside the box
    base_density: float
    n_points: int
    bounds: dict[str, tuple[float, float]] = field(default_factory=dict)


def prim(
    x: pd.DataFrame,
    y: np.ndarray,
    alpha: float = 0.05,
    min_mass: float = 0.05,
    min_coverage: float = 0.3,
) -> PrimBox:
    """Peel alpha of the points at a time from the side that most raises density; keep the
    densest box on the trajectory that still covers ``min_coverage`` of the cases."""
    y = np.asarray(y, dtype=bool)
    values = x.to_numpy(dtype=float)
    full = {c: (float(x[c].min()), float(x[c].max())) for c in x.columns}
    inside = np.ones(len(y), dtype=bool)
    limits = dict(full)
    total = max(int(y.sum()), 1)
    best = (y.mean(), 1.0, 1.0, dict(limits))
    while inside.mean() > min_mass:
        options = []
        for j, c in enumerate(x.columns):
            col = values[inside, j]
            lo, hi = np.quantile(col, [alpha, 1 - alpha])
            for side, keep in (("low", values[:, j] >= lo), ("high", values[:, j] <= hi)):
                new = inside & keep
                if 0 < new.sum() < inside.sum():
                    bound = (
                        (float(lo), limits[c][1]) if side == "low" else (limits[c][0], float(hi))
                    )
                    options.append((y[new].mean(), new, c, bound))
        if not options:
            break
        density, inside, c, bound = max(options, key=lambda o: o[0])
        limits[c] = bound
        coverage = y[inside].sum() / total
        if coverage < min_coverage:
            break
        if density > best[0]:
            best = (density, coverage, inside.mean(), dict(limits))
    density, coverage, mass, box = best
    # Report the restrictions that matter: those keeping less than 90% of a parameter's range.
    restricted = {c: b for c, b in box.items() if (b[1] - b[0]) < 0.9 * (full[c][1] - full[c][0])}
    return PrimBox(
        restricted, float(coverage), float(density), float(mass), float(y.mean()), len(y), box
    )


def case_focus_wins(df: pd.DataFrame, names: list[str], outcome: str = "max_drawdown"):
    """Per design point and seed: does case focus leave a smaller drawdown than
    institutionalisation? Returns (parameter values, boolean) or None without such data."""
    if "design_point" not in df.columns or not set(HEADLINE) <= set(df["strategy"]):
        return None
    keys = ["design_point", "replication"]
    inst = df[df["strategy"] == HEADLINE[0]].set_index(keys)
    case = df[df["strategy"] == HEADLINE[1]].set_index(keys)
    both = inst.index.intersection(case.index)
    if len(both) == 0:
        return None
    wins = (case.loc[both, outcome] < inst.loc[both, outcome]).to_numpy()
    return inst.loc[both, names].reset_index(drop=True), wins
