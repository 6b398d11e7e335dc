"""Sensitivity sweeps: Sobol indices (SALib) and scenario discovery with PRIM.

Scenario discovery asks which uncertain parameters make case focus beat institutionalisation:
it needs both strategies run at the same design points and seeds (the ``sensitivity``
experiment). PRIM is the EMA Workbench's (peeling and pasting, the trajectory, quasi-p
values), run on the design's base rows and checked on a holdout.
"""

import warnings
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
    second = bool(design.get("second_order"))
    return {
        "num_vars": len(names),
        "names": names,
        "bounds": [list(map(float, design["parameters"][n])) for n in names],
        "second_order": second,
        "n_base": int(design.get("n_base", 0)),
        "replications": int(job_config.get("replications", 1)),
        # SALib writes D + 2 rows per base point (2D + 2 with second-order indices)
        "n_points": int(design.get("n_base", 0)) * (len(names) * (2 if second else 1) + 2),
    }


def sobol_indices(
    df: pd.DataFrame, problem: dict, outcomes=("max_drawdown", "rollback")
) -> pd.DataFrame:
    """First- and total-order indices with 95% intervals, per strategy and outcome, of the
    mean over each design point's replications (run-to-run noise averaged out before SALib
    sees it). ``ST_half`` is the total index from the first half of the base points: where it
    differs from ``ST`` by more than 0.05 the indices have not converged at this N. An
    incomplete design (any point missing, the last chunk included) gives no indices."""
    rows = []
    salib_problem = {k: problem[k] for k in ("num_vars", "names", "bounds")}
    expected = problem.get("n_points")
    step = expected // problem["n_base"] if problem.get("n_base") else None
    for strategy, g in df.groupby("strategy", sort=True):
        for outcome in outcomes:
            y = g.groupby("design_point")[outcome].mean().sort_index()
            complete = len(y) > 0 and y.index.max() + 1 == len(y)
            if not complete or (expected and len(y) != expected):
                continue  # a chunk missing: indices of a shrunken N would be wrong
            values = y.to_numpy(dtype=float)
            res = sobol.analyze(
                salib_problem, values, calc_second_order=problem["second_order"], seed=0
            )
            half = None
            if step and problem["n_base"] >= 4:
                half = sobol.analyze(
                    salib_problem,
                    values[: problem["n_base"] // 2 * step],
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
                        "ST_half": half["ST"][i] if half is not None else np.nan,
                    }
                )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class PrimBox:
    """A box of parameter space where the outcome of interest is concentrated (the EMA
    Workbench's PRIM, with pasting), chosen on a training part and checked on a holdout."""

    limits: dict[str, tuple[float, float]]  # only the restricted parameters
    coverage: float  # share of the cases of interest inside the box (training part)
    density: float  # share of the points inside the box that are cases of interest
    mass: float  # share of all points inside the box
    base_density: float
    n_points: int
    quasi_p: dict[str, float] = field(default_factory=dict)  # per restricted parameter
    holdout_coverage: float = float("nan")
    holdout_density: float = float("nan")
    trajectory: pd.DataFrame | None = None  # the peeling and pasting trajectory


def prim(
    x: pd.DataFrame,
    y: np.ndarray,
    min_coverage: float = 0.3,
    holdout: float = 0.3,
    seed: int = 0,
    groups: np.ndarray | None = None,
) -> PrimBox:
    """PRIM (Friedman and Fisher 1999) as the EMA Workbench implements it: peeling and
    pasting, the trajectory, quasi-p values of each restriction. The box is the densest on
    the trajectory that still covers ``min_coverage`` of the training cases; its coverage and
    density are then measured again on a holdout the search never saw (a box found in noise
    shows there as density near the base rate). ``groups`` (the design point of each row)
    keeps the replications of one point on the same side of the split: a point in both would
    make the holdout look better than it is."""
    from ema_workbench.analysis import prim as ema_prim

    y = np.asarray(y, dtype=bool)
    base = float(y.mean()) if len(y) else float("nan")
    if not y.any() or y.all():  # nothing to discover: no box, and no claimed coverage
        return PrimBox({}, float("nan"), base, 1.0, base, len(y))
    keys = np.arange(len(y)) if groups is None else pd.factorize(np.asarray(groups))[0]
    test = (np.random.default_rng(seed).random(keys.max() + 1) < holdout)[keys]
    train_x, train_y = x[~test].reset_index(drop=True), y[~test]
    if not train_y.any() or train_y.all():
        return PrimBox({}, float("nan"), base, 1.0, base, len(y))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        box = ema_prim.Prim(train_x, train_y, peel_alpha=0.05, paste_alpha=0.05).find_box()
        trajectory = box.peeling_trajectory
        ok = trajectory[trajectory["coverage"] >= min_coverage]
        i = int(ok["density"].idxmax()) if len(ok) else 0
        stats, lims = box.inspect(i, style="data")[0]
    limits = {str(d): (float(lims.loc[d].iloc[0]), float(lims.loc[d].iloc[1])) for d in lims.index}
    quasi_p = {str(d): float(np.nanmin(lims.loc[d].iloc[2:].to_numpy(float))) for d in lims.index}
    inside = np.ones(int(test.sum()), dtype=bool)
    for d, (lo, hi) in limits.items():
        col = x.loc[test, d].to_numpy(float)
        inside &= (col >= lo) & (col <= hi)
    held = y[test]
    return PrimBox(
        limits,
        float(stats["coverage"]),
        float(stats["density"]),
        float(stats["mass"]),
        base,
        len(y),
        quasi_p,
        float(held[inside].sum() / held.sum()) if held.any() else float("nan"),
        float(held[inside].mean()) if inside.any() else float("nan"),
        trajectory,
    )


def base_rows(design_point: np.ndarray, problem: dict) -> np.ndarray:
    """The rows of a Saltelli design that are its two base samples (A and B), which are a
    space-filling sample; the rows in between mix A and B one parameter at a time and would
    weigh those slices twice. SALib writes D + 2 rows per base point (2D + 2 with second-order
    indices): A first, B last."""
    step = problem["num_vars"] * (2 if problem.get("second_order") else 1) + 2
    k = np.asarray(design_point) % step
    return (k == 0) | (k == step - 1)


def case_focus_wins(
    df: pd.DataFrame, names: list[str], outcome: str = "max_drawdown", problem: dict | None = None
):
    """Per design point and seed: does case focus leave a smaller drawdown than
    institutionalisation? Returns (parameter values, boolean) or None without such data;
    with ``problem``, only the design's base rows (``base_rows``)."""
    if "design_point" not in df.columns or not set(HEADLINE) <= set(df["strategy"]):
        return None
    if problem is not None:
        df = df[base_rows(df["design_point"].to_numpy(), problem)]
    keys = ["design_point", "replication"]
    inst = df[df["strategy"] == HEADLINE[0]].set_index(keys)
    case = df[df["strategy"] == HEADLINE[1]].set_index(keys)
    both = inst.index.intersection(case.index)
    if len(both) == 0:
        return None
    wins = (case.loc[both, outcome] < inst.loc[both, outcome]).to_numpy()
    points = both.get_level_values("design_point").to_numpy()
    return inst.loc[both, names].reset_index(drop=True), wins, points
