"""The report of a sweep: tables (CSV and LaTeX), figures, report.md and a self-contained HTML."""

import base64
import itertools
import re
from dataclasses import asdict
from pathlib import Path

import markdown
import numpy as np
import pandas as pd

from analysis import figures, sensitivity_figures
from analysis.cells import MAX_ARMS_COMPARED, label_cells, numeric_swept, short
from analysis.cells import trend as cell_trend
from analysis.comparisons import (
    ADEQUATE_HALF_WIDTH,
    CONTINUOUS,
    HEADLINE,
    HEADLINE_OUTCOME,
    adequacy,
    cell_summary,
    compare_strategies,
    comparisons_frame,
    headline,
    survival_tests,
)
from analysis.discovery import cart_leaves, discover, discovery_names, feature_scores, limits_table
from analysis.forecast import forecast, items_by_year
from analysis.knockouts import FULL, knockout_table
from analysis.load import AnalysisError, Sweep
from analysis.robustness import regret, verdict
from analysis.sensitivity import (
    OUTCOMES as SOBOL_OUTCOMES,
)
from analysis.sensitivity import (
    RESAMPLES,
    convergence,
    design_problem,
    drift,
    noise_share,
    sobol_indices,
)
from analysis.stats import BOOTSTRAP_MIN_N, PairedEffect
from analysis.thresholds import verdict_table

METHODS = (
    "Rollback probabilities are shares of replications with 95% Wilson score intervals; means and "
    "medians carry 95% BCa bootstrap intervals (2,000 resamples, seeded), stated only from "
    f"{BOOTSTRAP_MIN_N} replications of a cell (below that a simulation found them covering "
    "87-95% instead of 95%, and the report says 'too few replications') and only where the "
    "values vary. Strategies are compared on paired runs: replication r of every strategy uses "
    "the same seed, so each pair faces the same world. Rollback is compared with the exact "
    "McNemar test and the difference of the two shares with Newcombe's paired score interval; "
    "continuous outcomes with the Wilcoxon signed-rank test and the estimate that goes with it, "
    "the Hodges-Lehmann shift, with the interval that inverts the same test (exact null "
    "distribution; none with fewer than six pairs that differ). Effect sizes are the risk "
    "difference and the matched-pairs rank-biserial correlation. Multiple testing is handled "
    "in declared families, each with Holm's step-down method: the confirmatory family is the "
    "headline question (institutionalisation against case focus on the headline outcome, one "
    "test per scenario) and carries the same adjusted p-values in the headline and in the "
    "paired table; every other paired comparison is exploratory, adjusted as one family of its "
    "own; the log-rank tests form a third family across scenarios. Time to rollback is "
    "described by Kaplan-Meier curves censored at the horizon with log(-log) 95% bands, the "
    "median time and the restricted mean time to the horizon, and compared with the log-rank "
    "test (scipy.stats; held to lifelines in the tests). Sobol indices come from SALib's "
    "Saltelli estimator with bootstrap intervals, on the mean over each design point's "
    "replications; scenario discovery uses the EMA Workbench's PRIM (Friedman and Fisher 1999) "
    "on a Latin hypercube, with a holdout."
)


def write_table(
    df: pd.DataFrame,
    tables: Path,
    name: str,
    latex: dict[str, str] | None = None,
    caption: str | None = None,
) -> None:
    """Every column in the CSV; in the LaTeX table, ``latex`` picks and renames the columns a
    paper prints (the rest, sentences included, belong in the text or the CSV)."""
    tables.mkdir(parents=True, exist_ok=True)
    df.to_csv(tables / f"{name}.csv", index=False)
    tex = df[list(latex)].rename(columns=latex) if latex else df
    tex.to_latex(
        tables / f"{name}.tex",
        index=False,
        float_format="%.3f",
        na_rep="--",  # no interval: the CSV's interval_note or ci_note says why
        escape=True,
        caption=caption,
        label=f"tab:{name}" if caption else None,
    )


def md_table(df: pd.DataFrame, floats: str = "{:.3f}") -> str:
    """A markdown table (written here: pandas' to_markdown needs the tabulate package)."""

    def cell(v):
        if isinstance(v, float) and v != v:
            return "n/a"  # tables that can lack a value say why in a note of their own
        return floats.format(v) if isinstance(v, float) else str(v)

    head = "| " + " | ".join(map(str, df.columns)) + " |"
    rule = "|" + "---|" * len(df.columns)
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([head, rule, *body])


class Report:
    """Collects sections and figures; says which figures and tables could not be made."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.parts: list[str] = []
        self.figures: list[figures.Figure] = []
        self.absent: list[str] = []

    def add(self, text: str) -> None:
        self.parts.append(text)

    def figure(self, fig: figures.Figure) -> None:
        self.figures.append(fig)
        n = len(self.figures)
        self.add(
            f"![Figure {n}](figures/{fig.png.name})\n\n*Figure {n}.* {fig.caption} "
            f"([PDF](figures/{fig.pdf.name}))"
        )

    def missing(self, what: str, why: str) -> None:
        self.absent.append(what)
        self.add(f"*{what}: not produced; {why}.*")


def auto_replications(cfg: dict) -> str:
    """How ``replications=auto`` chose each cell's replications, in words."""
    p = cfg.get("precision") or {}
    if cfg.get("replications") != "auto" or not p:
        return ""
    return (
        f" (replications=auto: batches of {p['batch']} from {p['min_replications']} until the "
        f"95% interval of `{p['outcome']}` is within +-{p['halfwidth']:g}, at most "
        f"{p['max_replications']})"
    )


def setup_section(sweep: Sweep) -> str:
    m, df, cfg = sweep.manifest, sweep.outcomes, sweep.job_config
    cells = df.groupby(["strategy", "scenario"]).size()
    versions = m.get("versions", {})
    lines = [
        "## Setup",
        f"- Sweep folder: `{sweep.path}`"
        + (f" (experiment `{m['sweep_name']}`)" if m.get("sweep_name") else ""),
        f"- Jobs: {m.get('jobs_finished', '?')} finished of {m.get('jobs_planned', '?')} planned; "
        f"{len(df)} runs; replications per cell {cells.min()}-{cells.max()}"
        + auto_replications(cfg),
        f"- Horizon: {sweep.horizon} weeks; rollback threshold "
        f"{cfg.get('rollback_threshold', 0.10):g} sustained for "
        f"{cfg.get('rollback_persistence', 1)} weeks"
        + (f" after a burn-in of {cfg['burn_in']} weeks" if cfg.get("burn_in") else "")
        + "; "
        f"root seed {m.get('root_seed', cfg.get('seed', '?'))}",
        f"- Strategies: {', '.join(sorted(df['strategy'].unique()))}; scenarios: "
        f"{', '.join(sorted(df['scenario'].unique()))}",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in sorted(versions.items())),
        f"- Code: {m.get('code', {}).get('commit', 'unknown')}",
    ]
    for job in sweep.failed_jobs:
        name = job.get("job") or ",".join(job.get("overrides", []))
        lines.append(
            f"- **Job not in these results ({job['status']}):** {name}"
            + (f": {job['error']}" if job.get("error") else "")
        )
    return "\n".join(lines)


def build(sweep: Sweep, out: Path, outcome: str = HEADLINE_OUTCOME) -> Report:
    """Compute everything a sweep supports and write the report into ``out``; ``outcome`` is
    the 0/1 harm the headline compares (sustained ``rollback`` unless the user names another)."""
    out.mkdir(parents=True, exist_ok=True)
    figs, tables = out / "figures", out / "tables"
    raw = sweep.outcomes
    knockouts = knockout_table(raw)
    if "knockout" in raw.columns:  # the other sections describe the full model
        raw = raw[raw["knockout"] == FULL]
    df = label_cells(raw)  # a cell per swept value, never pooled (analysis/cells.py)
    rep = Report(out)
    rep.add(f"# Strategy comparison report: {sweep.manifest.get('sweep_name') or sweep.path.name}")
    rep.add(setup_section(sweep))

    rep.add(f"## Headline: institutionalisation against case focus, on `{outcome}`")
    heads = headline(df, outcome=outcome)
    if heads:
        frame = pd.DataFrame([asdict(h) for h in heads])
        write_table(
            frame,
            tables,
            "headline",
            latex={
                "scenario": "Scenario",
                "institutionalization": "P inst.",
                "case_focus": "P cases",
                "difference": "Difference",
                "ci_low": "95% low",
                "ci_high": "95% high",
                "pvalue_holm": "p (Holm)",
                "n_pairs": "Pairs",
            },
            caption=(
                f"Share of runs with {outcome.replace('_', ' ')} under pressure for "
                "institutionalisation and for individual cases, by scenario: the paired "
                "difference (institutionalisation minus cases) with Newcombe's paired score "
                "95% interval, and the exact McNemar p-value, Holm-adjusted within the "
                "confirmatory family (this comparison in every scenario; the paired table "
                "shows the same adjusted p). Pairs: runs on the same seed under both "
                "strategies."
            ),
        )
        rep.add(
            "The confirmatory family: this comparison in every scenario, Holm-adjusted across "
            "scenarios (the same adjusted p as in the paired comparisons).\n\n"
            + "\n".join(f"- {h.statement}" for h in heads)
        )
        rep.add(
            md_table(
                frame[
                    [
                        "scenario",
                        "institutionalization",
                        "case_focus",
                        "difference",
                        "ci_low",
                        "ci_high",
                        "pvalue_holm",
                        "winner",
                    ]
                ]
            )
        )
    elif set(HEADLINE) <= set(df["strategy"]):
        rep.missing("Headline", "no scenario has 2 or more runs of both strategies on one seed")
    else:
        rep.missing("Headline", "the sweep does not run both institutionalization and case_focus")
    unpaired = sorted(set(both_strategies(df)) - {h.scenario for h in heads})
    if heads and unpaired:
        rep.add(
            f"*No headline comparison in {', '.join(unpaired)}: fewer than 2 runs of both "
            "strategies on the same seeds.*"
        )
    if heads and outcome == "rollback" and "sustained_drawdown" in df.columns:
        verdicts = verdict_table(df)
        write_table(verdicts, tables, "verdict_by_threshold")
        rep.add(
            "### The verdict at other thresholds\n\nRollback at each threshold, held for the "
            "same persistence (from each run's sustained drawdown; `reform-analyze --threshold "
            "T` redoes the whole report at one of them):\n\n" + md_table(verdicts)
        )

    summary = cell_summary(df, outcome)
    write_table(
        summary[["strategy", "scenario", "n", f"{outcome}_probability", "ci_low", "ci_high"]],
        tables,
        f"{outcome}_by_strategy",
    )
    texts = [c for c in summary.columns if c.endswith("_text")]  # the report's own cells
    write_table(summary.drop(columns=texts), tables, "outcomes_by_strategy")
    rep.add(f"## Probability of `{outcome}` by strategy and scenario")
    cols = [
        "strategy",
        "scenario",
        "n",
        f"{outcome}_probability",
        "ci_low",
        "ci_high",
        "half_width",
    ]
    shown = summary[cols]
    means = {f"{c}_mean_text": f"{c} mean [95% BCa]" for c in CONTINUOUS}
    rep.add(md_table(shown.join(summary[list(means)].rename(columns=means))))
    if summary["n"].min() < BOOTSTRAP_MIN_N:
        rep.add(
            f"*Cells with fewer than {BOOTSTRAP_MIN_N} replications get no bootstrap interval "
            "(too few replications for a BCa interval to cover at its level).*"
        )

    arms = int(df.groupby("scenario")["strategy"].nunique().max())
    comps = (
        comparisons_frame(
            compare_strategies(df, outcomes=(outcome, *CONTINUOUS), confirmatory=outcome)
        )
        if 1 < arms <= MAX_ARMS_COMPARED
        else pd.DataFrame()
    )
    rep.add("## Paired comparisons")
    if len(comps):
        write_table(comps, tables, "paired_comparisons")
        confirm = comps[comps.family == "confirmatory"]
        explore = comps[comps.family == "exploratory"]
        sig = explore[(explore.pvalue_holm < 0.05) & (explore.outcome == outcome)]
        rep.add(
            f"{len(comps)} comparisons (every pair of strategies, every scenario, {outcome} and "
            f"three continuous outcomes; `tables/paired_comparisons.csv`, column `family`), in "
            f"two Holm families. **Confirmatory** ({len(confirm)} tests: institutionalisation "
            f"against case focus on {outcome}, one per scenario; the same adjusted p as the "
            f"headline). **Exploratory** ({len(explore)} tests: all the others, adjusted as "
            f"one family of their own; read them as leads, not findings): differences in "
            f"{outcome} significant after Holm's correction: {len(sig)}."
        )
        columns = ["scenario", "strategy_a", "strategy_b", "difference", "ci_low", "ci_high"]
        if len(confirm):
            rep.add(
                "### Confirmatory family (Holm across scenarios)\n\n"
                + md_table(confirm[[*columns, "pvalue", "pvalue_holm"]])
            )
        if len(sig):
            rep.add(
                "### Exploratory family (Holm across all exploratory comparisons)\n\n"
                + md_table(sig[[*columns, "pvalue_holm"]])
            )
    elif arms > 1 and arms <= MAX_ARMS_COMPARED:
        rep.missing(
            "Paired comparisons", "no pair of strategies has 2 or more runs on the same seeds"
        )
    elif arms > MAX_ARMS_COMPARED:
        rep.missing(
            "Paired comparisons",
            f"{arms} strategy arms in a scenario: every pair would be "
            f"{arms * (arms - 1) // 2} tests; see the trends and heat maps over the swept "
            "parameters instead",
        )
    else:
        rep.missing("Paired comparisons", "the sweep has a single strategy")

    try:
        if df["strategy"].nunique() < 2 or df["scenario"].nunique() < 2:
            raise AnalysisError("it needs several strategies in several scenarios")
        if df.groupby(["scenario", "strategy"]).size().min() < 2:
            raise AnalysisError("a cell has a single replication: no seeds to resample")
        table = regret(df, outcome)
    except AnalysisError as err:
        rep.missing("Robustness verdict", str(err))
    else:
        write_table(table, tables, "robustness")
        rep.add("## Robustness across scenarios\n\n" + verdict(table, outcome))
        rep.add(md_table(table))
        rep.figure(figures.regret_chart(table, figs, outcome))

    rep.add("## Figures")
    rep.figure(figures.violins(df, figs))
    threshold = sweep.job_config.get("rollback_threshold", 0.10)
    rep.figure(figures.drawdown_cdf(df, figs, threshold))
    if outcome == "rollback" and "sustained_drawdown" in df.columns:
        persistence = sweep.job_config.get("rollback_persistence")
        rep.figure(figures.headline_ecdf(df, figs, threshold, persistence))
    elif outcome == "rollback":
        rep.missing("ECDF of the headline outcome", "the results have no sustained_drawdown")
    if f"time_to_{outcome}" in df.columns:
        rep.figure(figures.survival(df, figs, sweep.horizon, outcome))
    else:
        rep.missing("Kaplan-Meier curves", f"the results have no time_to_{outcome} column")
    tests = survival_tests(df, outcome)
    if len(tests):
        write_table(tests, tables, "survival_logrank")
        rep.add(
            "Log-rank tests (chi-square, one degree of freedom), institutionalisation against "
            "case focus: a family of their own, Holm-adjusted across scenarios (`pvalue_holm`). "
            "A median of '> horizon' means fewer than half the runs had the outcome by the "
            "horizon.\n\n" + md_table(survival_shown(tests, sweep.horizon))
        )
    for column, name in (("liberalization", "liberalisation L"), ("codified", "codified F")):
        if sweep.timeseries is not None and "job" in df.columns:
            rep.figure(figures.fan_charts(sweep.timeseries, df, figs, column))
        else:
            rep.missing(
                f"Fan charts of {name}",
                "the sweep recorded no time series (run it with record_timeseries=true)",
            )
    forecast_sections(rep, sweep, tables)
    knockout_section(rep, knockouts, tables, outcome)
    swept_sections(rep, raw, figs, tables, outcome)
    sensitivity_sections(rep, sweep, figs, tables, outcome)

    rep.add("## Replication adequacy")
    target = adequacy_target(sweep.job_config, outcome)
    need = adequacy(summary.rename(columns={f"{outcome}_probability": "probability"}), target)
    write_table(need, tables, "adequacy")
    rep.add(
        f"Every cell's {outcome} interval is within +-{target:g} (`n` and `half_width` in the "
        "table above are the replications each cell used and the precision it reached)."
        if need.empty
        else f"{len(need)} cells have a {outcome} interval wider than +-{target:g} and need more "
        "replications:\n\n" + md_table(need)
    )
    rep.add("## Methods\n\n" + METHODS)
    write_documents(rep)
    return rep


def adequacy_target(job_config: dict, outcome: str) -> float:
    """The half-width a cell should reach: the sweep's own target when it ran with
    ``replications=auto`` on this outcome, the report's default otherwise."""
    precision = job_config.get("precision") or {}
    if job_config.get("replications") == "auto" and precision.get("outcome") == outcome:
        return float(precision["halfwidth"])
    return ADEQUATE_HALF_WIDTH


def survival_shown(tests: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """The log-rank table as the report prints it: a median beyond the horizon said so, a
    scenario without events said so, never a bare NaN."""
    shown = tests.astype(object)
    for col in [c for c in tests.columns if c.startswith("median_weeks_")]:
        shown[col] = [f"> {horizon}" if pd.isna(v) else f"{v:g}" for v in tests[col]]
    for col in ("chi_square", "pvalue", "pvalue_holm"):
        shown[col] = [
            "no events" if pd.isna(v) else f"{v:.3g}" if col != "chi_square" else f"{v:.3f}"
            for v in tests[col]
        ]
    return shown


def both_strategies(df: pd.DataFrame) -> list[str]:
    """Scenarios in which both headline strategies ran."""
    per = df.groupby("scenario")["strategy"].agg(set)
    return [sc for sc, s in per.items() if set(HEADLINE) <= s]


def swept_sections(rep: Report, raw: pd.DataFrame, figs: Path, tables: Path, outcome: str):
    """The outcome against each numeric swept parameter (trend, with a test), and over each
    pair of them (heat map, one per cell of the other labels)."""
    numeric = numeric_swept(raw)
    rep.add("## Swept parameters")
    if not numeric:
        rep.missing("Trends and heat maps", "the sweep varies no numeric parameter")
        return
    rep.add(
        "Swept: " + ", ".join(f"`{c}` ({raw[c].nunique()} values)" for c in numeric) + ". "
        "Each value is a cell of its own; slopes are log-odds per unit of the parameter "
        "(logistic regression, standard errors clustered by seed, Holm across lines)."
    )
    for column in numeric:
        if raw[column].nunique() < 3:
            continue
        table = cell_trend(raw, column, outcome)
        write_table(table, tables, f"trend_{short(column)}")
        rep.figure(figures.trend(table, column, figs, outcome))
        lines = table.drop_duplicates(["scenario", "strategy"])
        rep.add(
            md_table(lines[["scenario", "strategy", "slope", "slope_se", "pvalue", "pvalue_holm"]])
        )
    for x, y in list(itertools.combinations(numeric, 2))[:3]:
        cells = label_cells(raw, exclude=(x, y))
        for (sc, st), g in list(cells.groupby(["scenario", "strategy"], sort=True))[:6]:
            title = (
                ""
                if cells[["scenario", "strategy"]].drop_duplicates().shape[0] == 1
                else f"{sc}, {st}"
            )
            rep.figure(figures.heatmap(g, figs, x, y, outcome=outcome, title=title))


def knockout_section(rep: Report, table: pd.DataFrame | None, tables: Path, outcome: str) -> None:
    rep.add("## Knock-outs: which mechanism makes the difference")
    if table is None:
        rep.missing("Knock-out table", "the sweep is not a knock-out sweep (experiment=knockouts)")
        return
    write_table(table, tables, "knockouts")
    rep.add(
        "Institutionalisation minus case focus on paired runs, with each mechanism switched off "
        "in turn (`none`: the full model), and how far the difference moves from the full "
        "model's (95% t intervals; `tables/knockouts.csv` has every outcome). The other "
        "sections of this report describe the full model only."
    )
    for col in (outcome, "lost_ground"):
        sel = table[table["outcome"] == col]
        if sel.empty:
            continue
        shown = pd.DataFrame(
            {
                "scenario": sel["scenario"],
                "knockout": sel["knockout"],
                "difference": [
                    str(PairedEffect(d, lo, hi, n))
                    for d, lo, hi, n in zip(
                        sel.difference, sel.ci_low, sel.ci_high, sel.n, strict=True
                    )
                ],
                "shift from full model": [
                    str(PairedEffect(d, lo, hi, n))
                    for d, lo, hi, n in zip(
                        sel.shift_from_full, sel.shift_ci_low, sel.shift_ci_high, sel.n, strict=True
                    )
                ],
            }
        )
        rep.add(f"`{col}`:\n\n" + md_table(shown))


def forecast_sections(rep: Report, sweep: Sweep, tables: Path) -> None:
    """1987-1989 under the status quo and the memo's package, posterior-predictive."""
    rep.add("## Forecasts 1987-1989: status quo against the memo's package")
    bands = forecast(sweep.timeseries, sweep.outcomes) if sweep.timeseries is not None else None
    if bands is None:
        rep.missing(
            "Forecasts",
            "they need baseline_1987 under status_quo_1987 and memo_recommended over 156 weeks "
            "with record_timeseries=true (experiment=forecast)",
        )
        return
    write_table(bands, tables, "forecast")
    rep.add(
        "Medians and 90% posterior-predictive bands (5%-95% over replications, each with its "
        "own posterior draw). Only 1987 was a calibration target: the 1988 and 1989 figures "
        "are forecasts to hold against history, never fitted to it."
    )

    def cell(r) -> str:
        return (
            r.detail
            if isinstance(r.detail, str)
            else f"{r.median:,.0f} ({r.low:,.0f}-{r.high:,.0f})"
        )

    shown = bands.assign(value=[cell(r) for r in bands.itertuples()])
    wide = shown.pivot_table(
        index=["measure", "year"], columns="strategy", values="value", aggfunc="first", sort=False
    ).reset_index()
    rep.add(md_table(wide))
    items = items_by_year(sweep.outcomes)
    if items is not None:
        write_table(items, tables, "forecast_items")
        rep.add("Share of runs in which each reform item has been enacted by the end of the year:")
        rep.add(md_table(items, "{:.0%}"))


def sensitivity_sections(
    rep: Report, sweep: Sweep, figs: Path, tables: Path, outcome: str = HEADLINE_OUTCOME
) -> None:
    """Sobol indices of a Saltelli sweep (experiment=sensitivity), and PRIM on a
    Latin-hypercube one (experiment=discovery)."""
    rep.add("## Sensitivity")
    problem = design_problem(sweep.job_config)
    if problem is None or "design_point" not in sweep.outcomes.columns:
        rep.missing("Sobol indices", "the sweep is not a Sobol design (experiment=sensitivity)")
    else:
        sobol_section(rep, sweep.outcomes, problem, figs, tables, outcome)
    rep.add("## Scenario discovery: where does case focus beat institutionalisation?")
    names = discovery_names(sweep.job_config)
    if names is None or "design_point" not in sweep.outcomes.columns:
        rep.missing(
            "Scenario-discovery box", "it needs a Latin-hypercube sweep (experiment=discovery)"
        )
    else:
        discovery_section(rep, sweep.outcomes, names, figs, tables, outcome)


def sobol_section(rep: Report, df, problem: dict, figs: Path, tables: Path, outcome: str):
    outcomes = tuple(dict.fromkeys((outcome, *SOBOL_OUTCOMES)))
    try:
        indices = sobol_indices(df, problem, outcomes)
    except AnalysisError as err:  # an incomplete design: say which chunks, compute nothing
        rep.add(f"**Sobol indices not computed: {err}.**")
        rep.missing("Sobol indices", "the design is incomplete")
        return
    conv = convergence(df, problem, outcomes)
    noise = noise_share(df, outcomes)
    write_table(indices, tables, "sobol_indices")
    write_table(conv, tables, "sobol_convergence")
    write_table(noise, tables, "sobol_noise_share")
    change = drift(conv)
    rep.add(
        f"Sobol indices (SALib, Saltelli design, N = {problem['n_base']} base samples, "
        f"{problem['n_points']} design points per strategy) of the mean over "
        f"{problem['replications']} replication(s) per design point, with SALib's bootstrap "
        f"95% intervals ({RESAMPLES} resamples). Convergence: the largest change of a total "
        f"index from N/2 to N is {change:.3f}"
        + (" (over 0.05: not converged; run a larger N)." if change > 0.05 else ".")
    )
    rep.add(
        "Run-to-run noise: the share of the variance of a single run's outcome that is noise "
        "within a design point, and its share in the point means the indices are computed "
        "on:\n\n"
        + md_table(
            noise[["strategy", "outcome", "replications", "noise_share_single_run"]].assign(
                noise_share_of_mean=noise["noise_share_of_mean"]
            )
        )
    )
    top = indices[indices.outcome == outcome].sort_values("ST", ascending=False)
    rep.add(
        md_table(
            top[["strategy", "parameter", "S1", "S1_ci_low", "S1_ci_high", "ST", "ST_ci_low"]]
            .assign(ST_ci_high=top["ST_ci_high"])
            .groupby("strategy")
            .head(5)
        )
    )
    rep.figure(sensitivity_figures.sobol_bars(indices, figs, outcome))
    rep.figure(sensitivity_figures.sobol_convergence(conv, figs, outcome))


def discovery_section(rep: Report, df, names: list[str], figs: Path, tables: Path, outcome: str):
    try:
        found = discover(df, names, outcome)
    except AnalysisError as err:
        rep.add(f"**Scenario discovery not done: {err}.**")
        rep.missing("Scenario-discovery box", "the design lacks paired runs")
        return
    box, d = found.box, found.difference
    rep.add(
        f"Per design point ({len(d)} points of a Latin hypercube, {found.replications} paired "
        f"replications each): institutionalisation minus case focus in `{outcome}`, averaged "
        f"over the replications. Case focus does better at {np.mean(d > 0):.0%} of the points, "
        f"worse at {np.mean(d < 0):.0%}, equal at {np.mean(d == 0):.0%}."
    )
    if not box.limits:
        rep.add(
            f"PRIM found no box: {int(found.wins.sum())} of {len(d)} points favour case focus, "
            "too few (or all) to split into a training part and a holdout that both hold some."
        )
        return
    table = limits_table(box, found.x)
    write_table(table, tables, "scenario_discovery")
    if box.trajectory is not None:
        write_table(box.trajectory, tables, "prim_trajectory")
    verdict = (
        "The box holds: every restriction has quasi-p below 0.05 and its density beats the "
        "base rate on the holdout"
        if box.significant
        else "**Not significant**: the box does not hold on the holdout or a restriction has "
        "quasi-p of 0.05 or more; read it as no region found"
    )
    rep.add(
        f"PRIM box (EMA Workbench, peeling and pasting, the densest box covering at least 30% "
        f"of the training cases): coverage {box.coverage:.0%}, density {box.density:.0%}, mass "
        f"{box.mass:.0%}, against the base rate {box.base_density:.0%}. On the 30% holdout "
        f"(design points the search never saw): coverage {box.holdout_coverage:.0%}, density "
        f"{box.holdout_density:.0%}, one-sided binomial p = {box.holdout_pvalue:.2g}. "
        f"{verdict}.\n\n" + md_table(table, "{:.3g}")
    )
    rep.figure(sensitivity_figures.prim_trajectory(box, figs))
    rep.figure(sensitivity_figures.discovery_box(found.x, found.wins, box, figs))
    leaves = cart_leaves(found.x, found.wins)
    scores = feature_scores(found.x, found.wins).rename_axis("parameter").reset_index()
    write_table(leaves, tables, "discovery_cart")
    write_table(scores, tables, "discovery_feature_scores")
    rep.add(
        "A second view. CART (EMA Workbench; leaves of at least 5% of the points) splits the whole "
        "space; its leaves where case focus wins more often than on average, densest first "
        "(on all points, no holdout: read them beside the PRIM box, not instead of it):\n\n"
        + md_table(leaves, "{:.3g}")
        + "\n\nExtra-trees feature scores (how much each parameter tells where case focus "
        "wins; they sum to 1):\n\n" + md_table(scores, "{:.3f}")
    )


def write_documents(rep: Report) -> None:
    """report.md, and report.html with every image embedded."""
    text = "\n\n".join(rep.parts) + "\n"
    (rep.out / "report.md").write_text(text, encoding="utf-8")
    html = markdown.markdown(text, extensions=["tables"])

    def embed(match: re.Match) -> str:
        data = base64.b64encode((rep.out / match.group(1)).read_bytes()).decode()
        return f'src="data:image/png;base64,{data}"'

    html = re.sub(r'src="(figures/[^"]+\.png)"', embed, html)
    style = (
        "body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
        "table{border-collapse:collapse;font-size:0.85em}td,th{border:1px solid #ccc;"
        "padding:2px 6px}img{max-width:100%}"
    )
    page = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>reform-sim report</title>"
        f"<style>{style}</style></head><body>{html}</body></html>"
    )
    (rep.out / "report.html").write_text(page, encoding="utf-8")
