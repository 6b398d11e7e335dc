"""A robustness verdict in the style of robust decision making (Lempert et al. 2003).

The scenarios are the states of the world a policy must survive. For each strategy and
scenario, the share of runs with the headline harm (sustained rollback); its regret is how far
that share lies above the best strategy's in the same scenario; a strategy satisfices where its
share stays at or below a stated threshold. The robust choice has the least maximum regret.
How sure that choice is comes from resampling the seeds (paired: one seed draws its run under
every strategy, so the posterior draw and the world move together) and counting how often each
strategy has the least maximum regret.
"""

import numpy as np
import pandas as pd

from analysis.load import AnalysisError

SATISFICE = 0.25  # a strategy satisfices where at most a quarter of runs roll back


def _shares(df: pd.DataFrame, outcome: str) -> pd.DataFrame:
    return df.groupby(["scenario", "strategy"])[outcome].mean().unstack("strategy")


def regret(
    df: pd.DataFrame,
    outcome: str = "rollback",
    satisfice: float = SATISFICE,
    resamples: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Per strategy: maximum and mean regret over scenarios, the scenario of the maximum, the
    share of scenarios it satisfices, and the share of seed resamples in which it has the
    least maximum regret (ties shared). Sorted from the most robust."""
    if df.duplicated(["scenario", "strategy", "seed"]).any():
        raise AnalysisError(
            "robustness: a strategy has several runs on one seed in a scenario; the regret "
            "needs one run per seed, strategy and scenario"
        )
    shares = _shares(df, outcome)
    gaps = shares.columns[shares.isna().any()]
    if len(gaps):  # a strategy absent from a scenario cannot be judged robust there
        shares = shares.drop(columns=gaps)
    if shares.shape[1] < 2:
        raise AnalysisError("robustness: fewer than two strategies were run in every scenario")
    reg = shares.sub(shares.min(axis=1), axis=0)
    wins = pd.Series(0.0, index=shares.columns)
    rng = np.random.default_rng(seed)
    by_scenario = {
        sc: g.pivot(index="seed", columns="strategy", values=outcome)[shares.columns]
        for sc, g in df.groupby("scenario")
    }
    for _ in range(resamples):
        boot = pd.DataFrame(
            {sc: t.iloc[rng.integers(0, len(t), len(t))].mean() for sc, t in by_scenario.items()}
        ).T
        worst = boot.sub(boot.min(axis=1), axis=0).max()
        best = worst[worst == worst.min()].index
        wins[best] += 1.0 / len(best)
    out = pd.DataFrame(
        {
            "strategy": shares.columns,
            "max_regret": reg.max().to_numpy(),
            "worst_scenario": reg.idxmax().to_numpy(),
            "mean_regret": reg.mean().to_numpy(),
            "satisfices": (shares <= satisfice).mean().to_numpy(),
            "robust_choice_share": (wins / resamples).to_numpy(),
        }
    )
    out = out.sort_values(["max_regret", "mean_regret"]).reset_index(drop=True)
    out.attrs["excluded"] = list(gaps)  # strategies missing from some scenario
    return out


def verdict(table: pd.DataFrame, outcome: str = "rollback") -> str:
    """The verdict in one paragraph: the robust choice, how sure, how close the second is."""
    first, second = table.iloc[0], table.iloc[1] if len(table) > 1 else None
    text = (
        f"The robust choice (least maximum regret on {outcome} across scenarios) is "
        f"{first['strategy']}: at most {100 * first['max_regret']:.0f} percentage points above "
        f"the best strategy in any scenario (worst in {first['worst_scenario']}), satisficing in "
        f"{first['satisfices']:.0%} of scenarios; it is the robust choice in "
        f"{first['robust_choice_share']:.0%} of seed resamples."
    )
    if table.attrs.get("excluded"):
        text += (
            " Not judged (missing from some scenario): " + ", ".join(table.attrs["excluded"]) + "."
        )
    if second is not None:
        text += (
            f" Second: {second['strategy']} (maximum regret "
            f"{100 * second['max_regret']:.0f} points, "
            f"robust choice in {second['robust_choice_share']:.0%} of resamples)."
        )
    return text
