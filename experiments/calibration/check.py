"""Posterior-predictive check: each 1987 pattern's band against what posterior draws produce.

For each of ``draws`` weighted draws from the posterior, the pattern statistics of one set of
``spec.replications`` runs (as in the calibration); the hand-calibrated point gets the same
number of sets on the same seeds. Coverage is the share of sets whose statistic is in its band:
what the calibration was asked to achieve, checked here, not an independent validation.
"""

import multiprocessing
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.report import md_table
from experiments.calibration.patterns import PATTERNS, in_band
from experiments.calibration.posterior import WEIGHT
from experiments.calibration.simulate import pattern_statistics
from experiments.calibration.spec import CalibrationSpec
from experiments.config import compose_run_config
from experiments.results import write_parquet, write_text
from experiments.runner import model_params
from sim.params import ParameterError

CHECK_STREAM = 0xC4EC
_JOBS: list = []


def _stats(i: int) -> dict[str, float]:
    label, params, seeds = _JOBS[i]
    return {"source": label, **pattern_statistics(params, seeds)}


def _sets(spec: CalibrationSpec, posterior: pd.DataFrame, draws: int) -> list:
    base = compose_run_config(list(spec.overrides))
    rng = np.random.default_rng([spec.seed, CHECK_STREAM])
    picks = rng.choice(len(posterior), size=draws, p=posterior[WEIGHT].to_numpy())
    fields = {p.path: p for p in spec.priors}
    jobs = []
    for i in picks:
        seeds = [int(s) for s in rng.integers(0, 2**31 - 1, size=spec.replications)]
        row = posterior.drop(columns=WEIGHT).iloc[int(i)]
        values = {k: fields[k].value(v) for k, v in row.items()}
        drawn = [model_params(base, values, s)[0] for s in seeds]
        hand = [model_params(base, {}, s)[0] for s in seeds]
        jobs += [("posterior", drawn, seeds), ("hand", hand, seeds)]
    return jobs


def summarise(stats: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for p in PATTERNS:
        row = {"pattern": p.name, "memo": p.memo, "statement": p.statement, "band": _band(p)}
        for source in ("posterior", "hand"):
            v = stats.loc[stats["source"] == source, p.name]
            q = np.quantile(v, [0.05, 0.5, 0.95])
            row |= {
                f"{source}_median": q[1],
                f"{source}_q05": q[0],
                f"{source}_q95": q[2],
                f"{source}_coverage": float(np.mean([p.miss(x) == 0 for x in v])),
            }
        rows.append(row)
    table = pd.DataFrame(rows)
    joint = {"pattern": "all patterns at once", "memo": "", "statement": "", "band": ""}
    for source in ("posterior", "hand"):
        sel = stats[stats["source"] == source]
        joint[f"{source}_coverage"] = float(
            np.mean([all(in_band(r).values()) for r in sel.to_dict("records")])
        )
    return pd.concat([table, pd.DataFrame([joint])], ignore_index=True)


def _band(p) -> str:
    hi = "inf" if not np.isfinite(p.hi) else f"{p.hi:g}"
    return f"[{p.lo:g}, {hi}]"


def figure(stats: pd.DataFrame, path: Path) -> None:
    n = len(PATTERNS)
    cols = 4
    fig, axes = plt.subplots(
        (n + cols - 1) // cols, cols, figsize=(13, 2.6 * ((n + cols - 1) // cols))
    )
    for ax, p in zip(axes.flat, PATTERNS, strict=False):
        data = [stats.loc[stats["source"] == s, p.name].to_numpy() for s in ("posterior", "hand")]
        lo = p.lo
        hi = p.hi if np.isfinite(p.hi) else max(np.max(np.concatenate(data)), p.lo) * 1.1
        ax.axhspan(lo, hi, color="tab:green", alpha=0.15, label="target band")
        parts = ax.violinplot(data, showmedians=True)
        for body, colour in zip(parts["bodies"], ("tab:blue", "tab:grey"), strict=True):
            body.set_facecolor(colour)
        ax.set_xticks([1, 2], ["posterior", "hand"])
        ax.set_title(f"{p.name} ({p.memo})", fontsize=9)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    fig.suptitle("1987 patterns: target bands (green) against posterior and hand draws")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def predictive_check(
    spec: CalibrationSpec, posterior_file: Path, out: Path, draws: int, workers: int
) -> pd.DataFrame:
    """Write check.parquet (every set's statistics), check.csv/.md (the table), check.png."""
    global _JOBS
    posterior = pd.read_parquet(posterior_file)
    missing = set(spec.paths) ^ (set(posterior.columns) - {WEIGHT})
    if missing:
        raise ParameterError(
            f"{posterior_file}: its parameters differ from the spec's priors ({sorted(missing)}); "
            "it was made from another spec"
        )
    _JOBS = _sets(spec, posterior, draws)
    if workers > 1:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            rows = pool.map(_stats, range(len(_JOBS)))
    else:
        rows = [_stats(i) for i in range(len(_JOBS))]
    _JOBS = []
    stats = pd.DataFrame(rows)
    table = summarise(stats)
    write_parquet(stats, out / "check.parquet")
    write_text(table.to_csv(index=False), out / "check.csv")
    write_text(md_table(table, "{:.3g}") + "\n", out / "check.md")
    figure(stats, out / "check.png")
    return table
