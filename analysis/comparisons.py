"""Tables of a sweep: per-cell summaries, paired strategy comparisons, the headline."""

import itertools
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from analysis.load import AnalysisError
from analysis.stats import (
    BOOTSTRAP_MIN_N,
    PairedComparison,
    bootstrap,
    holm,
    kaplan_meier,
    logrank,
    paired_comparison,
    wilson,
    wilson_sample_size,
)
from experiments.precision import HEADLINE_OUTCOME  # sustained reversal; reform-analyze --headline

CONTINUOUS = ("max_drawdown", "final_liberalization", "final_codified")
HEADLINE = ("institutionalization", "case_focus")
CONFIRMATORY, EXPLORATORY = "confirmatory", "exploratory"
ADEQUATE_HALF_WIDTH = 0.05  # of a rollback probability's 95% interval


def cell_summary(df: pd.DataFrame, outcome: str = HEADLINE_OUTCOME) -> pd.DataFrame:
    """Per strategy and scenario: the headline outcome's probability (Wilson) and the
    continuous outcomes (BCa bootstrap). Where a cell gets no bootstrap interval (too few
    replications, no variation) its bounds are NaN and ``interval_note`` says why."""
    rows = []
    for (strategy, scenario), g in df.groupby(["strategy", "scenario"], sort=True):
        p = wilson(int(g[outcome].sum()), len(g))
        row = {
            "strategy": strategy,
            "scenario": scenario,
            "n": p.n,
            f"{outcome}_probability": p.estimate,
            "ci_low": p.ci_low,
            "ci_high": p.ci_high,
            "half_width": p.half_width,
        }
        notes = []
        for col in CONTINUOUS:
            for name, fn in (("mean", np.mean), ("median", np.median)):
                e = bootstrap(g[col], fn)
                row |= {
                    f"{col}_{name}": e.estimate,
                    f"{col}_{name}_ci_low": e.ci_low,
                    f"{col}_{name}_ci_high": e.ci_high,
                    f"{col}_{name}_text": str(e),
                }
                if e.note and e.note not in notes:
                    notes.append(e.note if e.n < BOOTSTRAP_MIN_N else f"{col} {name}: {e.note}")
        rows.append(row | {"interval_note": "; ".join(notes)})
    return pd.DataFrame(rows)


def adequacy(summary: pd.DataFrame, target: float = ADEQUATE_HALF_WIDTH) -> pd.DataFrame:
    """Cells whose probability interval is wider than +-target, with the replications their
    Wilson interval needs at the share observed (``wilson_sample_size``)."""
    need = summary.assign(
        replications_needed=[
            max(n, wilson_sample_size(p, target)) if hw > target else n
            for n, p, hw in zip(
                summary["n"], summary["probability"], summary["half_width"], strict=True
            )
        ]
    )
    return need.loc[
        need["half_width"] > target,
        ["strategy", "scenario", "n", "half_width", "replications_needed"],
    ]


def pair_keys(df: pd.DataFrame) -> list[str]:
    """Columns that identify the same world across strategies (common random numbers): the
    seed itself, never the replication number (a sweep with several root seeds repeats those),
    and every swept scenario or model parameter (dotted columns not of the strategy)."""
    swept = [c for c in df.columns if "." in c and not c.startswith("strategy.")]
    return [c for c in ("scenario", "design_point", "seed") if c in df.columns] + swept


def _paired(df: pd.DataFrame, a: str, b: str, col: str) -> tuple[np.ndarray, np.ndarray]:
    keys = pair_keys(df)
    sides = []
    for name in (a, b):
        side = df[df["strategy"] == name].set_index(keys)[col]
        if side.index.has_duplicates:
            varied = [
                c
                for c in df.columns
                if c.startswith("strategy.") and df.loc[df["strategy"] == name, c].nunique() > 1
            ]
            raise AnalysisError(
                f"strategy {name!r} has several runs on the same seed and parameters "
                f"({', '.join(keys)}): it was run under values of {varied or 'a parameter'} "
                "that the results do not separate, so its runs cannot be paired one to one"
            )
        sides.append(side)
    left, right = sides
    both = left.index.intersection(right.index)
    return left.loc[both].to_numpy(), right.loc[both].to_numpy()


def compare_strategies(
    df: pd.DataFrame,
    pairs: list[tuple[str, str]] | None = None,
    outcomes: tuple[str, ...] = (HEADLINE_OUTCOME, *CONTINUOUS),
    confirmatory: str = HEADLINE_OUTCOME,
) -> list[PairedComparison]:
    """Every pair of strategies in every scenario, on paired seeds, in two declared Holm
    families. Confirmatory: the headline question, institutionalisation against case focus
    on the ``confirmatory`` outcome, one test per scenario; the headline reports this same
    family, so its adjusted p-values are the ones this table shows. Exploratory: every other
    comparison, adjusted together as one family of its own."""
    strategies = sorted(df["strategy"].unique())
    pairs = pairs or list(itertools.combinations(strategies, 2))
    # the headline pair always as institutionalisation minus case focus, as the headline reads
    pairs = [HEADLINE if set(p) == set(HEADLINE) else p for p in pairs]
    results = []
    for scenario, g in df.groupby("scenario", sort=True):
        for a, b in pairs:
            for col in outcomes:
                x, y = _paired(g, a, b, col)
                if len(x) >= 2:
                    results.append(
                        paired_comparison(x, y, col, a, b, scenario, binary=is_binary(g[col]))
                    )
    family = [
        CONFIRMATORY
        if r.outcome == confirmatory and {r.strategy_a, r.strategy_b} == set(HEADLINE)
        else EXPLORATORY
        for r in results
    ]
    adjusted = [float("nan")] * len(results)
    for name in (CONFIRMATORY, EXPLORATORY):
        members = [i for i, f in enumerate(family) if f == name]
        for i, p in zip(members, holm([results[i].pvalue for i in members]), strict=True):
            adjusted[i] = float(p)
    return [
        PairedComparison(**(asdict(r) | {"pvalue_holm": p, "family": f}))
        for r, p, f in zip(results, adjusted, family, strict=True)
    ]


def is_binary(values: pd.Series) -> bool:
    """An outcome that is 0/1 in every run (rollback, dip, floors_pierced, ...)."""
    v = pd.to_numeric(values, errors="coerce")
    return bool(len(v)) and bool(v.isin([0, 1]).all())


def comparisons_frame(results: list[PairedComparison]) -> pd.DataFrame:
    return pd.DataFrame([asdict(r) for r in results])


@dataclass(frozen=True)
class Headline:
    """Institutionalisation against case focus in one scenario, stated plainly."""

    scenario: str
    outcome: str
    institutionalization: float  # share of runs with the outcome
    case_focus: float
    difference: float  # institutionalization minus case focus
    ci_low: float
    ci_high: float
    pvalue: float
    pvalue_holm: float
    n_pairs: int
    winner: str
    statement: str


def headline(
    df: pd.DataFrame, alpha: float = 0.05, outcome: str = HEADLINE_OUTCOME
) -> list[Headline]:
    """Which of the two strategies better prevents the outcome (a 0/1 harm), per scenario."""
    if not set(HEADLINE) <= set(df["strategy"]):
        return []
    results = compare_strategies(df, [HEADLINE], (outcome,), confirmatory=outcome)
    out = []
    for r in results:
        if r.pvalue_holm < alpha:
            winner = HEADLINE[0] if r.difference < 0 else HEADLINE[1]
            verdict = f"{winner.replace('_', ' ')} better prevents {outcome}"
        else:
            winner = "neither"
            verdict = "no difference at the 5% level after Holm's correction"
        statement = (
            f"{r.scenario}: {outcome} {r.mean_a:.0%} under institutionalization against "
            f"{r.mean_b:.0%} under case focus (difference {r.difference:+.1%}, 95% CI "
            f"{r.ci_low:+.1%} to {r.ci_high:+.1%}, exact McNemar p = {r.pvalue:.3g}, "
            f"Holm p = {r.pvalue_holm:.3g}, {r.n_pairs} paired runs): {verdict}."
        )
        out.append(
            Headline(
                r.scenario,
                outcome,
                r.mean_a,
                r.mean_b,
                r.difference,
                r.ci_low,
                r.ci_high,
                r.pvalue,
                r.pvalue_holm,
                r.n_pairs,
                winner,
                statement,
            )
        )
    return out


def survival_tests(df: pd.DataFrame, outcome: str = HEADLINE_OUTCOME) -> pd.DataFrame:
    """Log-rank test of time to the outcome (``time_to_<outcome>``), institutionalization
    against case focus, per scenario; empty when the outcome has no time column. Where no run
    of either strategy had the outcome there is nothing to test: NaN p-values, left out of
    the Holm family, and a ``note`` that says so. ``median_weeks`` is NaN where fewer than
    half the runs had the outcome by the horizon (the median lies beyond it)."""
    rows = []
    time = f"time_to_{outcome}"
    if not set(HEADLINE) <= set(df["strategy"]) or time not in df.columns:
        return pd.DataFrame(rows)
    horizon = float(df[time].max())
    for scenario, g in df.groupby("scenario", sort=True):
        a, b = (g[g["strategy"] == s] for s in HEADLINE)
        if a.empty or b.empty:
            continue
        events = int(a[outcome].sum() + b[outcome].sum())
        res = logrank(a[time], a[outcome], b[time], b[outcome])
        row = {
            "scenario": scenario,
            "chi_square": res.statistic if events else float("nan"),
            "pvalue": res.pvalue if events else float("nan"),
            "note": "" if events else f"no run had {outcome}: nothing to test",
        }
        for name, side in zip(HEADLINE, (a, b), strict=True):
            km = kaplan_meier(side[time], side[outcome])
            row |= {
                f"events_{name}": km.events,
                f"final_survival_{name}": km.at(horizon),
                f"median_weeks_{name}": km.median,
                f"rmst_weeks_{name}": km.rmst(horizon),
            }
        rows.append(row)
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    # a family of its own: the log-rank test in every scenario, Holm-adjusted across them
    tested = out["pvalue"].notna()
    adjusted = pd.Series(float("nan"), index=out.index)
    adjusted[tested] = holm(out.loc[tested, "pvalue"].tolist())
    out.insert(3, "pvalue_holm", adjusted)
    out.insert(4, "family", "survival (log-rank across scenarios)")
    return out
