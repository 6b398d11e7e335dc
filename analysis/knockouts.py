"""Knock-outs: how the institutionalisation-against-case-focus difference moves without each
mechanism (a ``knockout`` column, ``experiment=knockouts``).

For each scenario and knock-out, the paired difference (institutionalisation minus case focus,
same seed and posterior draw) of each outcome, and its change from the full model
(``knockout=none``): a difference in differences, paired by replication because replication r
has the same seed in every job. Intervals are 95% t intervals of the paired means.
"""

import pandas as pd

from analysis.comparisons import HEADLINE
from analysis.stats import paired_effect

FULL = "none"
OUTCOMES = ("rollback", "lost_ground", "final_liberalization", "final_codified")


def knockout_table(df: pd.DataFrame, outcomes: tuple[str, ...] = OUTCOMES) -> pd.DataFrame | None:
    """One row per scenario, knock-out and outcome; None without a knock-out sweep."""
    if "knockout" not in df.columns or FULL not in set(df["knockout"]):
        return None
    if not set(HEADLINE) <= set(df["strategy"]):
        return None
    rows = []
    for scenario, g in df.groupby("scenario", sort=True):
        wide = {
            col: g.pivot_table(
                index="replication", columns=["knockout", "strategy"], values=col, aggfunc="first"
            ).astype(float)
            for col in outcomes
            if col in g.columns
        }
        for col, w in wide.items():
            diff = w.xs(HEADLINE[0], axis=1, level="strategy") - w.xs(
                HEADLINE[1], axis=1, level="strategy"
            )
            diff = diff.dropna()
            for k in diff.columns:
                d = paired_effect(diff[k].to_numpy())
                shift = paired_effect((diff[k] - diff[FULL]).to_numpy())
                rows.append(
                    {
                        "scenario": scenario,
                        "knockout": k,
                        "outcome": col,
                        "n": len(diff),
                        "difference": d.mean,
                        "ci_low": d.low,
                        "ci_high": d.high,
                        "shift_from_full": shift.mean,
                        "shift_ci_low": shift.low,
                        "shift_ci_high": shift.high,
                    }
                )
    table = pd.DataFrame(rows)
    order = {k: i for i, k in enumerate([FULL, *(f"M{i}" for i in range(1, 18))])}
    return table.sort_values(
        ["scenario", "outcome", "knockout"],
        key=lambda s: s.map(order) if s.name == "knockout" else s,
    ).reset_index(drop=True)
