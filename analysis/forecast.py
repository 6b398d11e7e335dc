"""Forecasts a reader can hold against history: 1987, 1988 and 1989 under two strategies.

Bands are posterior-predictive: replication r draws its parameters from the calibrated posterior
(scenario baseline_1987), so the spread carries both the world's chance and the parameters'
uncertainty. Only 1987 was a calibration target; 1988 and 1989 are forecasts, never fitted.
"""

import numpy as np
import pandas as pd

from analysis.load import series_cells

YEARS = ((1987, 1, 52), (1988, 53, 104), (1989, 105, 156))
STRATEGIES = ("status_quo_1987", "memo_recommended")
SCENARIO = "baseline_1987"
SERIES_NEEDED = ("emigration", "prisoners", "crackdown", "items_enacted", "phase")
PHASES = ("repression", "denial", "tactical", "prescriptive", "rule-consistent")
BAND = (0.05, 0.95)
RUN = ["strategy", "job", "replication"]


def _runs(series: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame | None:
    """The weekly rows of baseline_1987 under both strategies, or None if the sweep lacks them."""
    if not set(SERIES_NEEDED) <= set(series.columns) or "job" not in outcomes.columns:
        return None
    s = series_cells(series, outcomes)
    s = s[(s["scenario"] == SCENARIO) & s["strategy"].isin(STRATEGIES)]
    if s.empty or set(s["strategy"]) != set(STRATEGIES) or s["step"].max() < YEARS[-1][2]:
        return None
    return s


def _year(s: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """One row per run: the year's totals and its state at the year's last week."""
    in_year = s[s["step"].between(first, last)].groupby(RUN)
    end = s[s["step"] == last].set_index(RUN)
    return pd.DataFrame(
        {
            "emigration": in_year["emigration"].sum(),
            "crackdowns": in_year["crackdown"].sum(),
            "prisoners remaining": end["prisoners"],
            "items in force": end["items_enacted"],
            "phase": end["phase"],
        }
    ).reset_index()


def forecast(series: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame | None:
    """Per strategy, year and measure: the median and the 90% posterior-predictive band; the
    phase at the year's end as the share of runs in each phase."""
    s = _runs(series, outcomes)
    if s is None:
        return None
    rows = []
    for year, first, last in YEARS:
        runs = _year(s, first, last)
        for strategy, g in runs.groupby("strategy", sort=False):
            base = {"strategy": strategy, "year": year, "n": len(g)}
            for measure in ("emigration", "prisoners remaining", "crackdowns", "items in force"):
                lo, mid, hi = np.quantile(g[measure].astype(float), [BAND[0], 0.5, BAND[1]])
                rows.append(base | {"measure": measure, "median": mid, "low": lo, "high": hi})
            shares = g["phase"].value_counts(normalize=True)
            text = ", ".join(f"{PHASES[int(p)]} {shares[p]:.0%}" for p in sorted(shares.index))
            rows.append(base | {"measure": "phase at year end", "detail": text})
    return pd.DataFrame(rows)


def items_by_year(outcomes: pd.DataFrame) -> pd.DataFrame | None:
    """Share of runs in which each reform item was enacted by the end of each year."""
    cols = [c for c in outcomes.columns if c.startswith("enacted_week_")]
    df = outcomes[(outcomes["scenario"] == SCENARIO) & outcomes["strategy"].isin(STRATEGIES)]
    if not cols or set(df["strategy"]) != set(STRATEGIES):
        return None
    rows = []
    for strategy, g in df.groupby("strategy", sort=False):
        for c in cols:
            week = g[c]
            row = {"strategy": strategy, "item": c.removeprefix("enacted_week_")}
            row["in force at start"] = float((week == 0).mean())
            for year, _, last in YEARS:
                row[f"by {year}"] = float(((week >= 0) & (week <= last)).mean())
            rows.append(row)
    return pd.DataFrame(rows)
