"""Figures of the sensitivity and scenario-discovery sweeps: Sobol bars with intervals, their
convergence with N, the PRIM peeling trajectory and box (PNG at 300 dpi and PDF)."""

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.figures import (
    OUTCOME_LABELS,
    STRATEGY_COLOURS,
    STYLE,
    WIDTH,
    Figure,
    _save,
    colour,
    label,
    plt,
)


def _strategies(d: pd.DataFrame) -> list[str]:
    return [s for s in STRATEGY_COLOURS if s in set(d.strategy)] or sorted(d.strategy.unique())


def sobol_bars(indices: pd.DataFrame, out: Path, outcome: str = "rollback") -> Figure:
    """First- and total-order Sobol indices with 95% intervals, per strategy."""
    d = indices[indices.outcome == outcome]
    strategies = _strategies(d)
    params = list(dict.fromkeys(d.parameter))
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH, 0.25 * len(params) * len(strategies) + 0.8))
        ypos = np.arange(len(params))
        step = 0.8 / len(strategies)
        for k, s in enumerate(strategies):
            g = d[d.strategy == s].set_index("parameter").loc[params]
            off = ypos + (k - (len(strategies) - 1) / 2) * step
            ax.barh(
                off, g["ST"], height=step, color=colour(s), alpha=0.35, label=f"{label(s)}, total"
            )
            ax.errorbar(
                g["ST"],
                off,
                xerr=[g["ST"] - g["ST_ci_low"], g["ST_ci_high"] - g["ST"]],
                fmt="none",
                ecolor=colour(s),
                lw=0.6,
            )
            ax.errorbar(
                g["S1"],
                off,
                xerr=[g["S1"] - g["S1_ci_low"], g["S1_ci_high"] - g["S1"]],
                fmt="o",
                ms=2,
                color=colour(s),
                lw=0.6,
                label=f"{label(s)}, first order",
            )
        ax.set_yticks(ypos, [p.replace("_", " ") for p in params])
        ax.axvline(0, color="black", lw=0.5)
        ax.set_xlabel(f"Sobol index: {OUTCOME_LABELS.get(outcome, outcome)}")
        ax.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2)
        fig.tight_layout()
        return _save(
            fig,
            out,
            f"sobol_indices_{outcome}",
            f"Sobol indices of the outcome '{OUTCOME_LABELS.get(outcome, outcome)}' (mean over "
            "each design point's replications): total order (bars) and first order (points), "
            "with SALib's bootstrap 95% intervals.",
        )


def sobol_convergence(conv: pd.DataFrame, out: Path, outcome: str = "rollback") -> Figure:
    """S1 and ST of each parameter against N (nested subsets of the design), per strategy:
    lines that still move at the largest N have not converged."""
    d = conv[conv.outcome == outcome]
    strategies = _strategies(d)
    params = list(dict.fromkeys(d.parameter))
    cmap = plt.get_cmap("tab10")
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(
            2, len(strategies), figsize=(WIDTH * 1.6, 3.6), sharex=True, squeeze=False
        )
        for col, s in enumerate(strategies):
            for row, index in enumerate(("S1", "ST")):
                ax = axes[row, col]
                for k, p in enumerate(params):
                    g = d[(d.strategy == s) & (d.parameter == p)].sort_values("n_base")
                    ax.plot(g.n_base, g[index], "o-", ms=2, lw=0.7, color=cmap(k % 10), label=p)
                ax.set_xscale("log", base=2)
                ax.axhline(0, color="black", lw=0.4)
                ax.set_title(f"{label(s)}: {index}")
                if row == 1:
                    ax.set_xlabel("N (base samples)")
        axes[0, -1].legend(frameon=False, fontsize=4.5, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        fig.tight_layout()
        return _save(
            fig,
            out,
            f"sobol_convergence_{outcome}",
            f"Convergence of the Sobol indices of '{OUTCOME_LABELS.get(outcome, outcome)}': "
            "first-order (top) and total (bottom) indices computed on the first N/8, N/4, N/2 "
            "and N base samples of the same design.",
        )


def prim_trajectory(box, out: Path) -> Figure:
    """The peeling and pasting trajectory: density against coverage of each candidate box,
    coloured by how many parameters it restricts; the chosen box ringed."""
    t = box.trajectory
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH, 2.6))
        dims = t["res_dim"].astype(int)
        sc = ax.scatter(t["coverage"], t["density"], c=dims, cmap="viridis", s=6, lw=0)
        ax.scatter(
            t["coverage"].iloc[box.chosen],
            t["density"].iloc[box.chosen],
            s=40,
            facecolors="none",
            edgecolors="black",
            lw=0.8,
        )
        ax.axhline(box.base_density, color="grey", lw=0.5, ls="--")
        fig.colorbar(sc, ax=ax, label="restricted parameters")
        ax.set_xlabel("Coverage")
        ax.set_ylabel("Density")
        fig.tight_layout()
        return _save(
            fig,
            out,
            "prim_trajectory",
            "PRIM peeling and pasting trajectory (training part): density against coverage of "
            "each candidate box, coloured by the number of restricted parameters; the chosen "
            "box ringed, the base rate dashed.",
        )


def discovery_box(x: pd.DataFrame, wins: np.ndarray, box, out: Path) -> Figure:
    """The PRIM box: where case focus beats institutionalisation, on its two main parameters."""
    dims = list(box.limits)[:2] or list(x.columns[:2])
    if len(dims) == 1:
        dims.append(next(c for c in x.columns if c != dims[0]))
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(WIDTH, 2.8))
        ax.scatter(
            x[dims[0]],
            x[dims[1]],
            s=4,
            lw=0,
            c=np.where(wins, STRATEGY_COLOURS["case_focus"], "#BBBBBB"),
        )
        full = {c: (float(x[c].min()), float(x[c].max())) for c in dims}
        (x0, x1), (y0, y1) = (box.limits.get(c, full[c]) for c in dims)
        ax.add_patch(plt.Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, lw=1.2, color="black"))
        ax.set_xlabel(dims[0].replace("_", " "))
        ax.set_ylabel(dims[1].replace("_", " "))
        ax.set_title(
            f"PRIM box: coverage {box.coverage:.0%}, density {box.density:.0%} "
            f"(base {box.base_density:.0%})"
        )
        fig.tight_layout()
        return _save(
            fig,
            out,
            "scenario_discovery_box",
            "Design points where case focus leaves less of the harm than institutionalisation, "
            "averaged over paired replications (coloured), and the PRIM box that concentrates "
            "them.",
        )
