"""Cells of a sweep: (scenario, strategy, every other swept parameter), never pooled.

A swept parameter is a dotted column (``strategy.n_lists``, ``scenario.leadership.arrest_rate``)
that is constant within each job and differs between jobs; values that vary within a job (the
points of a sensitivity design) are not. The analysis folds the swept values into the labels
it already groups by: a swept strategy parameter into the strategy's label (``case_focus
n_lists=4``: an arm of its own, compared with the others on the same seeds), any other into the
scenario's (``baseline_1987 arrest_rate=0.2``: a world of its own, within which strategies are
paired). The raw columns stay for trends and heat maps over the parameters themselves.
"""

import numpy as np
import pandas as pd
import statsmodels.api as sm

from analysis.stats import holm, wilson

MAX_ARMS_COMPARED = 8  # beyond this, all-pairs comparisons say less than the trend and heat map


def swept_columns(df: pd.DataFrame) -> list[str]:
    """Dotted columns constant within each job (or API point) and differing between them."""
    unit = next((c for c in ("job", "point") if c in df.columns), None)
    cols = [c for c in df.columns if "." in c and df[c].nunique(dropna=False) > 1]
    if unit is not None:
        cols = [c for c in cols if (df.groupby(unit)[c].nunique(dropna=False) <= 1).all()]
    return cols


def numeric_swept(df: pd.DataFrame) -> list[str]:
    return [c for c in swept_columns(df) if pd.api.types.is_numeric_dtype(df[c])]


def short(column: str) -> str:
    return column.rsplit(".", 1)[-1]


def _value(v) -> str:
    return f"{v:g}" if isinstance(v, (float, np.floating)) else str(v)


def _suffix(df: pd.DataFrame, columns: list[str], by: str) -> pd.Series:
    """`` name=value`` for each column that varies within the rows' own ``by`` label."""
    parts = pd.Series("", index=df.index)
    for c in columns:
        varies = df.groupby(by)[c].transform("nunique") > 1
        parts = parts.where(~varies, parts + " " + short(c) + "=" + df[c].map(_value))
    return parts


def label_cells(df: pd.DataFrame, exclude: tuple[str, ...] = ()) -> pd.DataFrame:
    """The results with swept values folded into the strategy and scenario labels (all but
    ``exclude``). The preset names are kept in ``strategy_preset`` and ``scenario_preset``."""
    swept = [c for c in swept_columns(df) if c not in exclude]
    if not swept:
        return df
    out = df.copy()
    out["strategy_preset"] = out.get("strategy_preset", out["strategy"])
    out["scenario_preset"] = out.get("scenario_preset", out["scenario"])
    arms = [c for c in swept if c.startswith("strategy.")]
    worlds = [c for c in swept if not c.startswith("strategy.")]
    out["strategy"] = out["strategy_preset"] + _suffix(out, arms, "strategy_preset")
    out["scenario"] = out["scenario_preset"] + _suffix(out, worlds, "scenario_preset")
    return out


def trend(df: pd.DataFrame, column: str, outcome: str) -> pd.DataFrame:
    """The 0/1 outcome against one swept parameter, per line (the other labels): its share
    with a Wilson interval at each value, and a logistic regression slope per unit of the
    parameter with a standard error clustered by seed (runs on one seed are paired across the
    values, not independent); p-values Holm-adjusted across lines."""
    lines = label_cells(df, exclude=(column,))
    rows, tests = [], []
    for (scenario, strategy), g in lines.groupby(["scenario", "strategy"], sort=True):
        for value, h in g.groupby(column, sort=True):
            w = wilson(int(h[outcome].sum()), len(h))
            rows.append(
                {
                    "scenario": scenario,
                    "strategy": strategy,
                    column: value,
                    "n": len(h),
                    "probability": w.estimate,
                    "ci_low": w.ci_low,
                    "ci_high": w.ci_high,
                }
            )
        tests.append(_slope(g, column, outcome) | {"scenario": scenario, "strategy": strategy})
    table = pd.DataFrame(rows)
    slopes = pd.DataFrame(tests)
    ok = slopes["pvalue"].notna()
    slopes["pvalue_holm"] = np.nan
    if ok.any():
        slopes.loc[ok, "pvalue_holm"] = holm(slopes.loc[ok, "pvalue"].tolist())
    return table.merge(slopes, on=["scenario", "strategy"])


def _slope(g: pd.DataFrame, column: str, outcome: str) -> dict[str, float]:
    """Log-odds slope of the outcome per unit of ``column`` (NaN where it cannot be fitted:
    an outcome that never or always happens on the line)."""
    y = g[outcome].astype(float).to_numpy()
    if y.min() == y.max():
        return {"slope": np.nan, "slope_se": np.nan, "pvalue": np.nan}
    x = sm.add_constant(g[column].astype(float).to_numpy())
    try:
        fit = sm.GLM(y, x, family=sm.families.Binomial()).fit(
            cov_type="cluster", cov_kwds={"groups": pd.factorize(g["seed"])[0]}
        )
    except (np.linalg.LinAlgError, ValueError):  # perfect separation and the like
        return {"slope": np.nan, "slope_se": np.nan, "pvalue": np.nan}
    return {
        "slope": float(fit.params[1]),
        "slope_se": float(fit.bse[1]),
        "pvalue": float(fit.pvalues[1]),
    }
