"""Outcome definitions at analysis time: rollback at another threshold, persistence or burn-in.

A run records ``sustained_drawdown``, the largest fall below the running peak held for
``rollback_persistence`` weeks, so rollback at any threshold t is ``sustained_drawdown > t``
without the weekly series; another persistence, or a burn-in (weeks not counted at the
start), needs the series (``record_timeseries=true``) and recomputes every drawdown outcome
with the model's own ``drawdown_stats``.
"""

import numpy as np
import pandas as pd

from analysis.comparisons import headline
from analysis.load import AnalysisError, series_cells
from sim.metrics import drawdown_stats

THRESHOLDS = (0.05, 0.075, 0.10, 0.125, 0.15, 0.20)
RECOMPUTED = (
    "rollback",
    "time_to_rollback",
    "dip",
    "time_to_dip",
    "max_drawdown",
    "gains_retained",
    "lost_ground",
    "sustained_drawdown",
)


def at_threshold(df: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Rollback and dip at ``threshold``, from the recorded drawdowns. The times to them
    belong to the recorded threshold, so they are dropped (Kaplan-Meier then needs the
    series)."""
    if "sustained_drawdown" not in df.columns:
        raise AnalysisError(
            "--threshold: these results have no sustained_drawdown column (made before it "
            "was recorded); rerun the sweep, or record the series and pass --persistence"
        )
    out = df.drop(columns=["time_to_rollback", "time_to_dip"], errors="ignore").copy()
    out["rollback"] = (out["sustained_drawdown"] > threshold).astype(int)
    out["dip"] = (out["max_drawdown"] > threshold).astype(int)
    return out


def from_series(
    df: pd.DataFrame, series: pd.DataFrame | None, threshold: float, persistence: int, burn_in: int
) -> pd.DataFrame:
    """Every drawdown outcome recomputed from each run's weekly liberalisation, counting from
    week ``burn_in`` (the peak, the gains and the spells all start there)."""
    if series is None or "job" not in df.columns:
        raise AnalysisError(
            "--persistence and --burn-in need the weekly series: run the sweep with "
            "record_timeseries=true"
        )
    if burn_in < 0 or persistence < 1:
        raise AnalysisError(
            f"--burn-in = {burn_in}, --persistence = {persistence}: expected burn-in >= 0 "
            "and persistence >= 1"
        )
    # a run is (job, strategy, design point, replication): a design job holds many points, and
    # a job given several strategies runs each on every seed
    series = series_cells(series, df)
    keys = [k for k in ("job", "strategy", "design_point", "replication") if k in series.columns]
    rows = {}
    for key, g in series.groupby(keys, sort=False):
        lib = g.sort_values("step")["liberalization"].to_numpy()[burn_in:]
        if len(lib) < 2:
            raise AnalysisError(f"--burn-in = {burn_in}: runs have only {len(lib) + burn_in} weeks")
        rows[key] = drawdown_stats(np.asarray(lib, dtype=float), threshold, persistence)
    new = pd.DataFrame.from_dict(rows, orient="index")
    new.index = pd.MultiIndex.from_tuples(new.index, names=keys)
    out = df.drop(columns=[c for c in RECOMPUTED if c in df.columns]).join(
        new.astype({"rollback": int, "dip": int}), on=keys
    )
    missing = out["rollback"].isna().sum()
    if missing:
        raise AnalysisError(f"{missing} runs have no weekly series to recompute from")
    return out


def verdict_table(df: pd.DataFrame) -> pd.DataFrame:
    """The headline (institutionalisation against case focus, per scenario) at each of
    ``THRESHOLDS``: no reader depends on one cut."""
    rows = []
    for t in THRESHOLDS:
        for h in headline(at_threshold(df, t)):
            rows.append(
                {
                    "threshold": t,
                    "scenario": h.scenario,
                    "institutionalization": h.institutionalization,
                    "case_focus": h.case_focus,
                    "difference": h.difference,
                    "ci_low": h.ci_low,
                    "ci_high": h.ci_high,
                    "pvalue_holm": h.pvalue_holm,
                    "winner": h.winner,
                }
            )
    return pd.DataFrame(rows)
