"""Sobol indices (SALib) of a Saltelli-design sweep, separated from run-to-run noise.

Each design point runs R replications; the indices are of the mean over them, and the share of
variance that is noise is reported beside them. Nothing is computed on an incomplete design: a
missing chunk would silently shrink N, or shift the A/AB/B blocks the estimator reads by
position. Scenario discovery (PRIM) has its own i.i.d. design: ``analysis.discovery``.
"""

import numpy as np
import pandas as pd
from SALib.analyze import sobol

from analysis.load import AnalysisError
from experiments.design import DesignConfig, chunk_rows, sample

OUTCOMES = ("rollback", "max_drawdown")  # the headline harm, and its continuous companion
RESAMPLES = 1000  # SALib's bootstrap of the indices, for their 95% intervals
SUBSETS = (8, 4, 2, 1)  # convergence: the first N/8, N/4, N/2 and all N base points


def design_problem(job_config: dict) -> dict | None:
    """The SALib problem of a Sobol sweep, from a job's resolved config; None otherwise."""
    design = job_config.get("design") or {}
    if design.get("kind") != "sobol":
        return None
    names = list(design["parameters"])
    second = bool(design.get("second_order"))
    step = len(names) * (2 if second else 1) + 2
    return {
        "num_vars": len(names),
        "names": names,
        "bounds": [list(map(float, design["parameters"][n])) for n in names],
        "second_order": second,
        "n_base": int(design.get("n_base", 0)),
        "seed": int(design.get("seed", 0)),
        "chunks": int(design.get("chunks", 1)),
        "replications": int(job_config.get("replications", 1)),
        # SALib writes D + 2 rows per base point (2D + 2 with second-order indices)
        "step": step,
        "n_points": int(design.get("n_base", 0)) * step,
    }


def check_complete(df: pd.DataFrame, problem: dict) -> None:
    """Raise AnalysisError, naming the missing chunks, unless every strategy has every one of
    the N (D + 2) design points (N (2D + 2) with second order) with R replications each."""
    n, chunks = problem["n_points"], problem["chunks"]
    order = "2D + 2" if problem["second_order"] else "D + 2"
    wanted = f"N ({order}) = {problem['n_base']} x {problem['step']} = {n} design points"
    if "design_point" not in df.columns or df.empty:
        raise AnalysisError(f"the results have no design points; expected {wanted}")
    problems = []
    for strategy, g in df.groupby("strategy", sort=True):
        counts = g.groupby("design_point").size()
        stray = sorted(int(p) for p in counts.index if not 0 <= p < n)
        if stray:
            problems.append(f"{strategy}: design points {stray[:5]} outside 0-{n - 1}")
        short = counts[counts < problem["replications"]]
        missing = (set(range(n)) - set(counts.index)) | set(short.index)
        gone = [k for k, rows in enumerate(chunk_rows(n, chunks)) if missing & set(rows.tolist())]
        if gone:
            problems.append(
                f"{strategy}: {len(missing)} of {n} points missing or short of "
                f"{problem['replications']} replications, in chunks "
                f"{', '.join(map(str, gone))} of 0-{chunks - 1} "
                f"(rerun with design.chunk={','.join(map(str, gone))} strategy={strategy})"
            )
    if problems:
        raise AnalysisError(
            f"the Sobol design is incomplete ({wanted} per strategy): " + "; ".join(problems)
        )
    check_values(df, problem)


def check_values(df: pd.DataFrame, problem: dict) -> None:
    """The parameter values recorded with each design point are the design's, regenerated from
    the config: a run filed under another point (chunks mixed up) or parameters named in
    another order than the design's columns would give indices of the wrong parameters."""
    if "seed" not in problem or not set(problem["names"]) <= set(df.columns):
        return
    names = problem["names"]
    design = DesignConfig(
        kind="sobol",
        n_base=problem["n_base"],
        second_order=problem["second_order"],
        seed=problem["seed"],
        parameters=dict(zip(names, problem["bounds"], strict=True)),
    )
    recorded = df.groupby("design_point")[names].agg(["min", "max"])
    expected = sample(design)
    for k, name in enumerate(names):
        for stat in ("min", "max"):
            if not np.allclose(recorded[(name, stat)].to_numpy(float), expected[:, k]):
                raise AnalysisError(
                    f"the values of {name} recorded with the design points are not the "
                    "design's (regenerated from the sweep's config): runs filed under the wrong "
                    "design point, or the parameters in another order"
                )


def point_means(g: pd.DataFrame, outcome: str) -> np.ndarray:
    """One strategy's outcome averaged over each point's replications, in design order (the
    order SALib reads its A, AB and B blocks in)."""
    return g.groupby("design_point")[outcome].mean().sort_index().to_numpy(dtype=float)


def _analyze(problem: dict, values: np.ndarray) -> dict:
    salib_problem = {k: problem[k] for k in ("num_vars", "names", "bounds")}
    return sobol.analyze(
        salib_problem,
        values,
        calc_second_order=problem["second_order"],
        num_resamples=RESAMPLES,
        seed=0,
    )


def _rows(res: dict, problem: dict, **ids) -> list[dict]:
    return [
        ids
        | {
            "parameter": name,
            "S1": res["S1"][i],
            "S1_ci_low": res["S1"][i] - res["S1_conf"][i],
            "S1_ci_high": res["S1"][i] + res["S1_conf"][i],
            "ST": res["ST"][i],
            "ST_ci_low": res["ST"][i] - res["ST_conf"][i],
            "ST_ci_high": res["ST"][i] + res["ST_conf"][i],
        }
        for i, name in enumerate(problem["names"])
    ]


def sobol_indices(df: pd.DataFrame, problem: dict, outcomes=OUTCOMES) -> pd.DataFrame:
    """First- and total-order indices with SALib's bootstrap 95% intervals, per strategy and
    outcome, of the mean over each design point's replications. Raises AnalysisError on an
    incomplete design (``check_complete``)."""
    check_complete(df, problem)
    rows = []
    for strategy, g in df.groupby("strategy", sort=True):
        for outcome in outcomes:
            res = _analyze(problem, point_means(g, outcome))
            rows += _rows(res, problem, strategy=strategy, outcome=outcome)
    return pd.DataFrame(rows)


def convergence(df: pd.DataFrame, problem: dict, outcomes=OUTCOMES) -> pd.DataFrame:
    """The indices on nested designs: the first N/8, N/4, N/2 and N base points (at least 4).
    SALib draws the base points from one scrambled Sobol sequence and writes each point's
    D + 2 rows together, so the first M blocks are exactly the design of N = M with the same
    seed (tests/test_sobol_pipeline.py checks this): no extra runs are needed."""
    check_complete(df, problem)
    sizes = sorted({problem["n_base"] // k for k in SUBSETS if problem["n_base"] // k >= 4})
    rows = []
    for strategy, g in df.groupby("strategy", sort=True):
        for outcome in outcomes:
            values = point_means(g, outcome)
            for m in sizes:
                res = _analyze(problem, values[: m * problem["step"]])
                rows += _rows(res, problem, strategy=strategy, outcome=outcome, n_base=m)
    return pd.DataFrame(rows)


def noise_share(df: pd.DataFrame, outcomes=OUTCOMES) -> pd.DataFrame:
    """How much of the variance is run-to-run noise rather than the parameters: the mean
    within-point variance of a single replication against the variance of all single runs,
    and the same for the mean of R replications (within / R against the variance of the
    point means), which is what the indices are computed on."""
    rows = []
    for strategy, g in df.groupby("strategy", sort=True):
        r = int(g.groupby("design_point").size().min())
        for outcome in outcomes:
            y = g[outcome].astype(float)
            within = float(y.groupby(g["design_point"]).var(ddof=1).mean()) if r > 1 else np.nan
            total = float(y.var(ddof=1))
            means = float(y.groupby(g["design_point"]).mean().var(ddof=1))
            rows.append(
                {
                    "strategy": strategy,
                    "outcome": outcome,
                    "replications": r,
                    "noise_share_single_run": within / total if total > 0 else np.nan,
                    "noise_share_of_mean": within / r / means if means > 0 else np.nan,
                }
            )
    return pd.DataFrame(rows)


def drift(conv: pd.DataFrame) -> float:
    """The largest change of a total index between N/2 and N: over 0.05, not converged."""
    sizes = sorted(conv["n_base"].unique())
    if len(sizes) < 2:
        return float("nan")
    keys = ["strategy", "outcome", "parameter"]
    last = conv[conv.n_base == sizes[-1]].set_index(keys)["ST"]
    half = conv[conv.n_base == sizes[-2]].set_index(keys)["ST"]
    return float((last - half).abs().max())
