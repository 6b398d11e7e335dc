"""Scenario discovery: where in the uncertain parameters does case focus beat
institutionalisation? PRIM (the EMA Workbench's) on a Latin-hypercube sweep
(``experiment=discovery``).

Both strategies run every design point with the same R seeds, so each point gets the paired
difference of the headline outcome averaged over its replications; the points where it favours
case focus are the cases of interest. PRIM needs an i.i.d.-like sample of the space: on a
Saltelli design most rows mix two base points one parameter at a time and would weigh those
slices several times, so the Sobol sweep is not used for it.
"""

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from analysis.comparisons import HEADLINE
from analysis.load import AnalysisError

ALPHA = 0.05  # a box is reported as found only if it holds at this level (see PrimBox.significant)


def discovery_names(job_config: dict) -> list[str] | None:
    """The uncertain parameters of a Latin-hypercube sweep; None for any other sweep."""
    design = job_config.get("design") or {}
    return list(design["parameters"]) if design.get("kind") == "lhs" else None


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
    holdout_pvalue: float = float("nan")  # one-sided binomial: holdout density > base rate
    trajectory: pd.DataFrame | None = None  # the peeling and pasting trajectory
    chosen: int = 0  # the box's row in the trajectory
    # which rows were held out; None when no box was searched for
    holdout: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def significant(self) -> bool:
        """A box worth reporting: it restricts something, each restriction has a quasi-p below
        ALPHA on the training part, and its density beats the base rate on the holdout (a box
        found in noise looks dense where it was found and nowhere else)."""
        return (
            bool(self.limits) and max(self.quasi_p.values()) < ALPHA and self.holdout_pvalue < ALPHA
        )


def _no_box(y: np.ndarray) -> PrimBox:
    base = float(y.mean()) if len(y) else float("nan")
    return PrimBox({}, float("nan"), base, 1.0, base, len(y))


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
    density are then measured again on a holdout the search never saw. ``groups`` (the design
    point of each row) keeps rows of one point on the same side of the split: a point in both
    would make the holdout look better than it is."""
    from ema_workbench.analysis import prim as ema_prim

    y = np.asarray(y, dtype=bool)
    if not y.any() or y.all():  # nothing to discover: no box, and no claimed coverage
        return _no_box(y)
    keys = np.arange(len(y)) if groups is None else pd.factorize(np.asarray(groups))[0]
    test = (np.random.default_rng(seed).random(keys.max() + 1) < holdout)[keys]
    train_x, train_y = x[~test].reset_index(drop=True), y[~test]
    if not train_y.any() or train_y.all():
        return _no_box(y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        box = ema_prim.Prim(train_x, train_y, peel_alpha=0.05, paste_alpha=0.05).find_box()
        trajectory = box.peeling_trajectory
        ok = trajectory[trajectory["coverage"] >= min_coverage]
        i = int(ok["density"].idxmax()) if len(ok) else 0
        i, stats, limits, quasi_p = _drop_insignificant(box, i)
        trajectory = box.peeling_trajectory
    inside = np.ones(int(test.sum()), dtype=bool)
    for d, (lo, hi) in limits.items():
        col = x.loc[test, d].to_numpy(float)
        inside &= (col >= lo) & (col <= hi)
    held = y[test]
    base = float(y.mean())
    k, n = int(held[inside].sum()), int(inside.sum())
    return PrimBox(
        limits,
        float(stats["coverage"]),
        float(stats["density"]),
        float(stats["mass"]),
        base,
        len(y),
        quasi_p,
        float(k / held.sum()) if held.any() else float("nan"),
        float(k / n) if n else float("nan"),
        binomtest(k, n, base, alternative="greater").pvalue if n and limits else float("nan"),
        trajectory,
        i,
        test,
    )


def _limits(box, i: int):
    stats, lims = box.inspect(i, style="data")[0]
    limits = {str(d): (float(lims.loc[d].iloc[0]), float(lims.loc[d].iloc[1])) for d in lims.index}
    # A parameter's quasi-p is that of its stronger side (EMA gives one per limit, NaN for a side
    # at its bound). Taking the weaker side instead drops real restrictions whenever peeling also
    # trimmed the other end a little (it lost the planted box in tests/test_discovery.py), and
    # EMA can drop only a whole parameter, not one side; the box as a whole is then judged on
    # the holdout, so a limit kept on a weak side cannot make a noise box pass.
    quasi_p = {str(d): float(np.nanmin(lims.loc[d].iloc[2:].to_numpy(float))) for d in lims.index}
    return stats, limits, quasi_p


def _drop_insignificant(box, i: int):
    """Drop, one at a time, the restriction with the largest quasi-p while it is ALPHA or more
    and another remains (Bryant and Lempert 2010): the densest box keeps restrictions that only
    fit noise in the training part. Each dropped box is added to the trajectory."""
    stats, limits, quasi_p = _limits(box, i)
    while len(quasi_p) > 1 and max(quasi_p.values()) >= ALPHA:
        box.drop_restriction(max(quasi_p, key=quasi_p.get), i)
        i = len(box.peeling_trajectory) - 1
        stats, limits, quasi_p = _limits(box, i)
    return i, stats, limits, quasi_p


@dataclass(frozen=True)
class Discovery:
    """Per design point: the parameters, the paired difference (institutionalisation minus
    case focus, so positive where case focus leaves less of the harm) and the PRIM box of the
    points where it is positive."""

    outcome: str
    x: pd.DataFrame
    difference: np.ndarray
    replications: int
    box: PrimBox

    @property
    def wins(self) -> np.ndarray:
        return self.difference > 0


def paired_difference(
    df: pd.DataFrame, names: list[str], outcome: str
) -> tuple[pd.DataFrame, np.ndarray, int]:
    """(parameters per point, institutionalisation minus case focus averaged over the point's
    paired replications, replications per point). Raises AnalysisError when the strategies are
    missing or a point lacks its pair: a point averaged over fewer runs than the others would
    be judged on more noise."""
    if not set(HEADLINE) <= set(df["strategy"]):
        raise AnalysisError(f"scenario discovery needs both {HEADLINE[0]} and {HEADLINE[1]}")
    keys = ["design_point", "replication"]
    inst = df[df["strategy"] == HEADLINE[0]].set_index(keys).sort_index()
    case = df[df["strategy"] == HEADLINE[1]].set_index(keys).sort_index()
    if not inst.index.equals(case.index):
        only = inst.index.symmetric_difference(case.index)
        points = sorted({int(p) for p in only.get_level_values("design_point")})
        raise AnalysisError(
            f"{len(only)} runs have no paired run under the other strategy, at design points "
            f"{points[:10]}{' ...' if len(points) > 10 else ''}: rerun the chunks that hold them"
        )
    diff = (inst[outcome].astype(float) - case[outcome].astype(float)).groupby(level=0).mean()
    x = inst.groupby(level=0)[names].first().loc[diff.index].reset_index(drop=True)
    reps = int(inst.groupby(level=0).size().min())
    return x, diff.to_numpy(), reps


def discover(df: pd.DataFrame, names: list[str], outcome: str, seed: int = 0) -> Discovery:
    """Where case focus beats institutionalisation on ``outcome``, by PRIM on the points."""
    x, diff, reps = paired_difference(df, names, outcome)
    return Discovery(outcome, x, diff, reps, prim(x, diff > 0, seed=seed))


def limits_table(box: PrimBox, x: pd.DataFrame) -> pd.DataFrame:
    """The box's restrictions beside each parameter's full range, with quasi-p values."""
    return pd.DataFrame(
        [
            {
                "parameter": k,
                "low": lo,
                "high": hi,
                "range_low": float(x[k].min()),
                "range_high": float(x[k].max()),
                "quasi_p": box.quasi_p.get(k, float("nan")),
            }
            for k, (lo, hi) in box.limits.items()
        ]
    )


def cart_leaves(x: pd.DataFrame, wins: np.ndarray, mass_min: float = 0.05) -> pd.DataFrame:
    """CART (the EMA Workbench's) as a second view beside PRIM: the tree's leaves where case
    focus wins more often than on average, densest first, each with its coverage, density,
    mass and the limits of the parameters it restricts. A tree partitions the whole space, so
    it shows every region at once where PRIM shows the one it peels to."""
    from ema_workbench.analysis import cart

    wins = np.asarray(wins, dtype=bool)
    if not wins.any() or wins.all():
        return pd.DataFrame()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = cart.CART(x.reset_index(drop=True), wins, mass_min=mass_min)
        tree.build_tree()
        stats = tree.stats_to_dataframe()
        boxes = tree.boxes
    full = {d: (float(x[d].min()), float(x[d].max())) for d in x.columns}
    rows = []
    for (label, s), box in zip(stats.iterrows(), boxes, strict=True):
        limits = [
            f"{d} in [{box[d].iloc[0]:.3g}, {box[d].iloc[1]:.3g}]"
            for d in x.columns
            if (float(box[d].iloc[0]), float(box[d].iloc[1])) != full[d]
        ]
        rows.append(
            {
                "leaf": label,
                "coverage": float(s["coverage"]),
                "density": float(s["density"]),
                "mass": float(s["mass"]),
                "limits": "; ".join(limits) or "(whole space)",
            }
        )
    leaves = pd.DataFrame(rows)
    leaves = leaves[leaves["density"] > wins.mean()]
    return leaves.sort_values("density", ascending=False).reset_index(drop=True)


def feature_scores(x: pd.DataFrame, wins: np.ndarray, seed: int = 0) -> pd.Series:
    """How much each parameter tells where case focus wins: extra-trees feature scores (the
    EMA Workbench's, Jaxa-Rozen and Kwakkel 2018), summing to 1, highest first."""
    from ema_workbench.analysis import feature_scoring

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = feature_scoring.get_ex_feature_scores(
            x.reset_index(drop=True), np.asarray(wins, dtype=bool), random_state=seed
        )[0]
    return scores.iloc[:, 0].sort_values(ascending=False).rename("score")
