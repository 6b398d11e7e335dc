"""Figures for papers: PNG at 300 dpi and vector PDF, sized for a journal's single column.

One fixed colour per strategy in every figure (the Okabe-Ito palette, safe for colour-blind
readers) and human-readable labels.
"""

from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.load import series_cells
from analysis.stats import kaplan_meier

WIDTH = 3.5  # inches: one journal column
STRATEGY_COLOURS = {
    "institutionalization": "#0072B2",
    "case_focus": "#D55E00",
    "balanced": "#009E73",
    "memo_recommended": "#CC79A7",
    "status_quo_1987": "#E69F00",
    "no_pressure": "#999999",
}
STRATEGY_LABELS = {
    "institutionalization": "Institutionalisation",
    "case_focus": "Case focus",
    "balanced": "Balanced",
    "memo_recommended": "Memo's package A-F",
    "status_quo_1987": "Status quo 1987",
    "no_pressure": "No pressure",
    "pressure_grid": "Pressure grid",
}
SCENARIO_LABELS = {
    "baseline_1987": "Baseline 1987",
    "hardline_surge": "Hardline surge",
    "committed_reformer": "Committed reformer",
    "mobilization_wave": "Mobilisation wave",
}
OUTCOME_LABELS = {
    "final_liberalization": "Final liberalisation L",
    "max_drawdown": "Maximum drawdown of L",
    "sustained_drawdown": "Sustained drawdown of L",
    "rollback": "Rollback",
}
STYLE = {
    "font.size": 7,
    "axes.titlesize": 7,
    "axes.labelsize": 7,
    "legend.fontsize": 6,
    "xtick.labelsize": 6,
    "ytick.labelsize": 6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "pdf.fonttype": 42,
    "savefig.bbox": "tight",
}


@dataclass(frozen=True)
class Figure:
    name: str
    caption: str
    png: Path
    pdf: Path


def colour(strategy: str) -> str:
    return STRATEGY_COLOURS.get(strategy, "#56B4E9")


def label(name: str) -> str:
    return STRATEGY_LABELS.get(name) or SCENARIO_LABELS.get(name) or name.replace("_", " ")


def ordered_strategies(df: pd.DataFrame) -> list[str]:
    present = set(df["strategy"])
    return [s for s in STRATEGY_COLOURS if s in present] + sorted(present - set(STRATEGY_COLOURS))


def _panels(n: int, height_per_row: float = 1.6):
    cols = 1 if n == 1 else 2
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(
        rows, cols, figsize=(WIDTH, height_per_row * rows + 0.4), squeeze=False, sharey=True
    )
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat)


def _save(fig, out: Path, name: str, caption: str) -> Figure:
    out.mkdir(parents=True, exist_ok=True)
    png, pdf = out / f"{name}.png", out / f"{name}.pdf"
    fig.savefig(png, dpi=300)
    fig.savefig(pdf)
    plt.close(fig)
    return Figure(name, caption, png, pdf)


def _finish_panels(fig, axes, ylabel: str, strategies: list[str] | None = None) -> None:
    """Y label on the left column, tight layout, and a shared legend of strategies below."""
    for ax in list(axes)[::2]:
        ax.set_ylabel(ylabel)
    fig.tight_layout()
    if strategies:
        _legend(fig, strategies)


def _legend(fig, strategies: list[str]) -> None:
    handles = [plt.Line2D([], [], color=colour(s), lw=2) for s in strategies]
    fig.legend(
        handles,
        [label(s) for s in strategies],
        loc="lower center",
        ncol=3,
        frameon=False,
        bbox_to_anchor=(0.5, -0.02 - 0.035 * np.ceil(len(strategies) / 3)),
    )


def violins(df: pd.DataFrame, out: Path) -> Figure:
    """Final liberalisation per strategy, one panel per scenario, every run a point."""
    strategies, scenarios = ordered_strategies(df), sorted(df["scenario"].unique())
    with plt.rc_context(STYLE):
        fig, axes = _panels(len(scenarios))
        rng = np.random.default_rng(0)
        for ax, sc in zip(axes, scenarios, strict=False):
            data = [
                df[(df.scenario == sc) & (df.strategy == s)]["final_liberalization"]
                for s in strategies
            ]
            pos = np.arange(len(strategies))
            parts = ax.violinplot([d.to_numpy() for d in data], pos, showextrema=False, widths=0.8)
            for body, s in zip(parts["bodies"], strategies, strict=True):
                body.set_facecolor(colour(s))
                body.set_alpha(0.35)
            for i, (d, s) in enumerate(zip(data, strategies, strict=True)):
                ax.scatter(i + rng.uniform(-0.15, 0.15, len(d)), d, s=1.5, color=colour(s), lw=0)
                ax.hlines(np.median(d), i - 0.3, i + 0.3, color="black", lw=0.8)
            ax.set_xticks(pos, [label(s) for s in strategies], rotation=60, ha="right")
            ax.set_title(label(sc))
        _finish_panels(fig, axes, "Final liberalisation L")
        return _save(
            fig,
            out,
            "final_liberalization_violins",
            "Final liberalisation index L at the horizon, per strategy (violins; every "
            "replication a point; black line the median), one panel per scenario.",
        )


def drawdown_cdf(df: pd.DataFrame, out: Path, threshold: float = 0.10) -> Figure:
    """Cumulative distribution of the maximum drawdown of L, per strategy."""
    return ecdf(
        df,
        out,
        "max_drawdown",
        threshold,
        "max_drawdown_cdf",
        "Cumulative distribution of the maximum fall of L below its running peak; "
        f"runs right of the dotted line ({threshold:.2f}) dipped; rollback needs the fall "
        "to last (rollback_persistence weeks).",
    )


def ecdf(
    df: pd.DataFrame, out: Path, column: str, threshold: float, name: str, caption: str
) -> Figure:
    """Empirical distribution function of ``column`` per strategy, a panel per scenario, with
    the threshold that turns it into a 0/1 outcome marked."""
    strategies, scenarios = ordered_strategies(df), sorted(df["scenario"].unique())
    with plt.rc_context(STYLE):
        fig, axes = _panels(len(scenarios))
        for ax, sc in zip(axes, scenarios, strict=False):
            for s in strategies:
                x = np.sort(df[(df.scenario == sc) & (df.strategy == s)][column])
                ax.step(
                    x,
                    np.arange(1, len(x) + 1) / max(len(x), 1),
                    where="post",
                    color=colour(s),
                    lw=1,
                )
            ax.axvline(threshold, color="black", lw=0.5, ls=":")
            ax.set_title(label(sc))
            ax.set_xlabel(OUTCOME_LABELS.get(column, column.replace("_", " ")))
        _finish_panels(fig, axes, "Share of runs", strategies)
        return _save(fig, out, name, caption)


def headline_ecdf(df: pd.DataFrame, out: Path, threshold: float, persistence: int | None) -> Figure:
    """The ECDF of each run's sustained drawdown: rollback at every threshold at once (the
    share right of a threshold is the rollback probability there)."""
    return ecdf(
        df,
        out,
        "sustained_drawdown",
        threshold,
        "rollback_ecdf",
        "Cumulative distribution of each run's sustained drawdown (the largest fall of L "
        + "below its running peak held for "
        + (f"{persistence} weeks" if persistence else "rollback_persistence weeks")
        + "), per strategy. The share of "
        f"runs right of the dotted line ({threshold:.2f}) is the rollback probability; right "
        "of any other threshold, the rollback probability there.",
    )


def survival(df: pd.DataFrame, out: Path, horizon: int, outcome: str = "rollback") -> Figure:
    """Kaplan-Meier curves of time to the outcome (``time_to_<outcome>``), censored."""
    strategies, scenarios = ordered_strategies(df), sorted(df["scenario"].unique())
    with plt.rc_context(STYLE):
        fig, axes = _panels(len(scenarios))
        for ax, sc in zip(axes, scenarios, strict=False):
            for s in strategies:
                g = df[(df.scenario == sc) & (df.strategy == s)]
                km = kaplan_meier(g[f"time_to_{outcome}"], g[outcome])
                t = np.concatenate([[0], km.times, [horizon]])
                sf = np.concatenate(
                    [[1], km.survival, [km.survival[-1] if len(km.survival) else 1]]
                )
                ax.step(t, sf, where="post", color=colour(s), lw=1)
                lo = np.concatenate([[1], km.ci_low, [km.ci_low[-1] if len(km.ci_low) else 1]])
                hi = np.concatenate([[1], km.ci_high, [km.ci_high[-1] if len(km.ci_high) else 1]])
                ax.fill_between(t, lo, hi, step="post", color=colour(s), alpha=0.12, lw=0)
            ax.set_ylim(0, 1.02)
            ax.set_title(label(sc))
            ax.set_xlabel("Week")
        _finish_panels(fig, axes, f"Share without {label(outcome).lower()}", strategies)
        return _save(
            fig,
            out,
            f"time_to_{outcome}_km",
            f"Kaplan-Meier estimates of the share of runs without {outcome} yet, with 95% "
            f"intervals; runs without {outcome} are censored at week {horizon}.",
        )


SERIES_LABELS = {"liberalization": "Liberalisation L", "codified": "Codified level F"}


def fan_charts(
    series: pd.DataFrame, outcomes: pd.DataFrame, out: Path, column: str = "liberalization"
) -> Figure:
    """A weekly series (L or F) over time: median, 50% and 90% bands, per strategy (one
    scenario)."""
    s = series_cells(series, outcomes)
    scenario = (
        "baseline_1987" if "baseline_1987" in set(s["scenario"]) else sorted(s["scenario"])[0]
    )
    s = s[s["scenario"] == scenario]
    strategies = ordered_strategies(s)
    name = SERIES_LABELS.get(column, column)
    with plt.rc_context(STYLE):
        fig, axes = _panels(len(strategies), 1.3)
        for ax, st in zip(axes, strategies, strict=False):
            q = (
                s[s.strategy == st]
                .groupby("step")[column]
                .quantile([0.05, 0.25, 0.5, 0.75, 0.95])
                .unstack()
            )
            ax.fill_between(q.index, q[0.05], q[0.95], color=colour(st), alpha=0.2, lw=0)
            ax.fill_between(q.index, q[0.25], q[0.75], color=colour(st), alpha=0.4, lw=0)
            ax.plot(q.index, q[0.5], color=colour(st), lw=1)
            ax.set_title(label(st))
            ax.set_xlabel("Week")
        _finish_panels(fig, axes, name)
        return _save(
            fig,
            out,
            f"{column}_fan",
            f"{name} over time in the {label(scenario)} scenario: median "
            "(line), 50% and 90% bands over replications, per strategy.",
        )


AXIS_NAMES = {
    "strategy.share_institutions": "Share of forum time on institutions",
    "strategy.n_lists": "Number of representation lists",
}


def axis_name(column: str) -> str:
    return AXIS_NAMES.get(column, column)


def heatmap(
    df: pd.DataFrame, out: Path, x: str, y: str, outcome: str = "rollback", title: str = ""
) -> Figure:
    """The outcome's probability over two swept parameters (one cell of the other labels)."""
    grid = df.groupby([y, x])[outcome].mean().unstack(x).sort_index()
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH, 2.6))
        im = ax.imshow(
            grid.to_numpy(), origin="lower", cmap="viridis", vmin=0, vmax=1, aspect="auto"
        )
        ax.set_xticks(range(grid.shape[1]), [f"{v:g}" for v in grid.columns])
        ax.set_yticks(range(grid.shape[0]), [f"{v:g}" for v in grid.index])
        ax.set_xlabel(axis_name(x))
        ax.set_ylabel(axis_name(y))
        if title:
            ax.set_title(title)
        for (i, j), v in np.ndenumerate(grid.to_numpy()):
            ax.text(
                j,
                i,
                f"{v:.2f}",
                ha="center",
                va="center",
                fontsize=5,
                color="white" if v < 0.6 else "black",
            )
        fig.colorbar(im, ax=ax, label=f"{label(outcome)} probability")
        fig.tight_layout()
        slug = "_".join(part.split(".")[-1] for part in (x, y))
        tag = "".join(ch if ch.isalnum() else "_" for ch in title).strip("_")
        if (x, y) == tuple(AXIS_NAMES) and not tag:
            name = "pressure_grid_heatmap"  # the pressure_grid experiment's own figure
        else:
            name = f"heatmap_{slug}" + (f"_{tag}" if tag else "")
        return _save(
            fig,
            out,
            name,
            f"{label(outcome)} probability over {axis_name(x)} and {axis_name(y)}"
            + (f" ({title})." if title else "."),
        )


def trend(table: pd.DataFrame, column: str, out: Path, outcome: str = "rollback") -> Figure:
    """The outcome's probability (Wilson 95% interval) against one swept parameter: a panel
    per scenario, a line per strategy."""
    scenarios = sorted(table["scenario"].unique())
    with plt.rc_context(STYLE):
        fig, axes = _panels(len(scenarios))
        lines = sorted(table["strategy"].unique())
        for ax, sc in zip(axes, scenarios, strict=False):
            for k, st in enumerate(lines):
                g = table[(table["scenario"] == sc) & (table["strategy"] == st)]
                if g.empty:
                    continue
                err = [g["probability"] - g["ci_low"], g["ci_high"] - g["probability"]]
                ax.errorbar(
                    g[column],
                    g["probability"],
                    yerr=err,
                    marker="o",
                    ms=2.5,
                    lw=1,
                    capsize=2,
                    color=colour(st) if st in STRATEGY_COLOURS else f"C{k}",
                    label=st,
                )
            ax.set_title(sc)
            ax.set_xlabel(axis_name(column))
            ax.set_ylim(-0.02, 1.02)
        _finish_panels(fig, axes, f"P({label(outcome)})")
        axes[0].legend(frameon=False, fontsize=5)
        slug = column.split(".")[-1]
        return _save(
            fig,
            out,
            f"trend_{slug}",
            f"Probability of {label(outcome)} against {axis_name(column)}, with Wilson 95% "
            "intervals: a panel per scenario, a line per strategy (runs on the same seeds at "
            "every value).",
        )


def regret_chart(table: pd.DataFrame, out: Path, outcome: str = "rollback") -> Figure:
    """Maximum and mean regret per strategy: how far each falls behind the best strategy."""
    t = table.iloc[::-1]
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH, 0.35 * len(t) + 0.8))
        y = np.arange(len(t))
        ax.barh(y, t["max_regret"], color=[colour(s) for s in t["strategy"]], height=0.6)
        ax.scatter(t["mean_regret"], y, color="black", s=8, zorder=3, label="mean regret")
        ax.set_yticks(y, [label(s) for s in t["strategy"]])
        ax.set_xlabel(f"Regret: points of {label(outcome)} above the best strategy")
        ax.legend(frameon=False, fontsize=5, loc="lower right")
        fig.tight_layout()
        return _save(
            fig,
            out,
            "regret",
            f"Maximum regret (bars) and mean regret (points) of each strategy across scenarios: "
            f"how far its share of {label(outcome)} lies above the best strategy's.",
        )
