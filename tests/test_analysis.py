"""Statistics against known values; figures, tables and the report from real sweeps; bad input."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from analysis import figures
from analysis.comparisons import (
    CONFIRMATORY,
    EXPLORATORY,
    adequacy,
    cell_summary,
    compare_strategies,
    headline,
)
from analysis.comparisons import HEADLINE as HEADLINE_PAIR
from analysis.discovery import prim
from analysis.load import AnalysisError
from analysis.stats import bootstrap, holm, kaplan_meier, logrank, mcnemar_exact, wilson


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    # Newcombe (1998), Statistics in Medicine 17:857, Table I, method 3 (Wilson score).
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_the_textbook(k, n, low, high):
    p = wilson(k, n)
    assert p.ci_low == pytest.approx(low, abs=5e-5)
    assert p.ci_high == pytest.approx(high, abs=5e-5)
    assert p.estimate == k / n


def test_kaplan_meier_matches_a_hand_computation():
    # Times 1,2,2+,3,4+,5 (+ censored): S = 5/6, 5/6*4/5, then *2/3 at t=3, 0 at t=5.
    km = kaplan_meier([1, 2, 2, 3, 4, 5], [True, True, False, True, False, True])
    expected = {1: 5 / 6, 2: 4 / 6, 3: 4 / 6 * 2 / 3, 5: 0.0}
    for t, s in expected.items():
        assert km.survival[list(km.times).index(t)] == pytest.approx(s)
    assert km.events == 4 and km.n == 6


def test_exact_mcnemar_on_a_known_table():
    # 10 pairs only A, 2 pairs only B, 5 concordant: p = 2 * P(X <= 2 | 12, 1/2) = 158/4096.
    a = [1] * 10 + [0] * 2 + [1] * 5
    b = [0] * 10 + [1] * 2 + [1] * 5
    res = mcnemar_exact(a, b)
    assert (res.only_a, res.only_b) == (10, 2)
    assert res.pvalue == pytest.approx(158 / 4096)


def test_holm_adjustment():
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])


def test_logrank_and_bootstrap_react_to_real_differences():
    rng = np.random.default_rng(0)
    early, late = rng.integers(1, 40, 60), rng.integers(80, 156, 60)
    assert logrank(early, np.ones(60, bool), late, np.ones(60, bool)).pvalue < 1e-6
    same = logrank(early, np.ones(60, bool), early, np.ones(60, bool))
    assert same.pvalue > 0.9
    e = bootstrap(rng.normal(1.0, 0.1, 200))
    assert e.ci_low < 1.0 < e.ci_high and e.ci_high - e.ci_low < 0.05


def synthetic(n=40, seed=0):
    """Two strategies on paired seeds: institutionalization rolls back less."""
    rng = np.random.default_rng(seed)
    rows = []
    for sc in ("baseline_1987", "hardline_surge"):
        for r in range(n):
            base = rng.random()
            for st, shift in (("institutionalization", -0.3), ("case_focus", 0.0)):
                roll = base + shift > 0.4
                rows.append(
                    {
                        "job": f"{sc},{st}",
                        "scenario": sc,
                        "strategy": st,
                        "replication": r,
                        "seed": r,
                        "rollback": roll,
                        "time_to_rollback": 50 if roll else 156,
                        "max_drawdown": 0.05 + 0.1 * (base + shift),
                        "final_liberalization": 0.6,
                        "final_codified": 0.1 - shift / 3,
                    }
                )
    return pd.DataFrame(rows)


def test_headline_names_the_winner_plainly():
    heads = headline(synthetic())
    assert [h.scenario for h in heads] == ["baseline_1987", "hardline_surge"]
    for h in heads:
        assert h.winner == "institutionalization"
        assert h.difference < 0 and h.ci_high < 0 and h.pvalue_holm < 0.05
        assert "institutionalization better prevents rollback" in h.statement


def test_comparisons_and_adequacy():
    df = synthetic(n=20)
    res = compare_strategies(df)
    assert {r.outcome for r in res} == {
        "rollback",
        "max_drawdown",
        "final_liberalization",
        "final_codified",
    }
    headline_rows = {
        id(r)
        for r in res
        if r.outcome == "rollback" and {r.strategy_a, r.strategy_b} == set(HEADLINE_PAIR)
    }
    assert headline_rows  # the confirmatory family: the headline pair on the headline outcome
    assert {id(r) for r in res if r.family == CONFIRMATORY} == headline_rows
    assert {r.family for r in res} == {CONFIRMATORY, EXPLORATORY}
    for family in (CONFIRMATORY, EXPLORATORY):  # Holm within each declared family
        members = [r for r in res if r.family == family]
        reference = multipletests([r.pvalue for r in members], method="holm")[1]
        assert [r.pvalue_holm for r in members] == pytest.approx(reference)
    summary = cell_summary(df).rename(columns={"rollback_probability": "probability"})
    need = adequacy(summary)
    assert len(need) and set(need["scenario"]) <= {"baseline_1987", "hardline_surge"}
    assert (need["replications_needed"] > need["n"]).all()


def test_prim_finds_a_planted_box():
    rng = np.random.default_rng(1)
    x = pd.DataFrame(rng.random((2000, 3)), columns=["a", "b", "c"])
    y = (x["a"] > 0.7).to_numpy()
    box = prim(x, y)
    assert set(box.limits) == {"a"}
    assert box.limits["a"][0] == pytest.approx(0.7, abs=0.05)
    assert box.density > 0.9 and box.coverage > 0.8


def test_heatmap_figure_is_written(tmp_path):
    df = pd.DataFrame(
        [
            {
                "strategy.share_institutions": s,
                "strategy.n_lists": n,
                "rollback": (s + n / 16) > 0.8,
            }
            for s in (0, 0.5, 0.9)
            for n in (1, 4, 16)
            for _ in range(3)
        ]
    )
    fig = figures.heatmap(df, tmp_path, "strategy.share_institutions", "strategy.n_lists")
    assert fig.name == "pressure_grid_heatmap"  # the pressure_grid experiment's own figure
    assert_figures(tmp_path, [fig.name])


def assert_figures(folder, names) -> None:
    """Exactly ``names`` in ``folder``, each a 300-dpi PNG and a PDF."""
    from PIL import Image

    assert {p.stem for p in folder.glob("*.png")} == set(names)
    assert {p.stem for p in folder.glob("*.pdf")} == set(names)
    for name in names:
        with Image.open(folder / f"{name}.png") as im:
            assert im.info["dpi"] == pytest.approx((300, 300), abs=0.5), name
        assert (folder / f"{name}.pdf").read_bytes()[:5] == b"%PDF-", name


def run(*args, timeout=600):
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def smoke_with_failure(tmp_path_factory):
    d = tmp_path_factory.mktemp("smoke")
    run(
        str(Path(__file__).parent / "faulty_writes.py"),  # jobs of 4 replications fail as they run
        "outcomes.parquet",
        "replications=4",
        "bug",
        "-m",
        f"hydra.sweep.dir={d}",
        "experiment=smoke",
        "hydra/launcher=basic",
        "record_timeseries=true",
        "rollback_persistence=3",  # 20 weeks: a spell of 26 could never happen
        "scenario.leadership.mobilization_tolerance=0.005",  # crackdowns within 20 weeks
        "replications=3,4",
    )
    return d


@pytest.mark.slow
def test_report_from_a_sweep_with_a_failed_job(smoke_with_failure, tmp_path):
    proc = run("-m", "analysis", str(smoke_with_failure), "--out", str(tmp_path / "rep"))
    assert proc.returncode == 0, proc.stderr
    rep = tmp_path / "rep"
    text = (rep / "report.md").read_text()
    assert "## Headline: institutionalisation against case focus" in text
    assert "under institutionalization against" in text
    assert "Job not in these results (failed)" in text and "injected fault" in text
    html = (rep / "report.html").read_text()
    expected = {
        "regret",  # robustness verdict
        "final_liberalization_violins",
        "max_drawdown_cdf",
        "rollback_ecdf",  # the headline outcome at every threshold
        "time_to_rollback_km",
        "liberalization_fan",  # L over time
        "codified_fan",  # F over time
    }
    assert html.count("data:image/png;base64,") == len(expected)
    assert "## Robustness across scenarios" in text and "The robust choice" in text
    assert_figures(rep / "figures", expected)
    assert "held for 3 weeks" in text  # the ECDF's caption names the sweep's persistence
    table = pd.read_csv(rep / "tables" / "rollback_by_strategy.csv")
    assert list(table.columns) == [
        "strategy",
        "scenario",
        "n",
        "rollback_probability",
        "ci_low",
        "ci_high",
    ]
    assert (rep / "tables" / "rollback_by_strategy.tex").read_text().startswith("\\begin{tabular}")
    tex = (rep / "tables" / "headline.tex").read_text()
    assert "\\caption{" in tex and "\\label{tab:headline}" in tex
    spec = tex.split("\\begin{tabular}{")[1].split("}")[0]
    assert len(spec) == 8  # the scenario and at most seven numeric columns; no sentence
    assert "statement" not in tex and "better prevents" not in tex
    assert "Trends and heat maps: not produced" in text and "Sobol indices: not produced" in text


@pytest.mark.slow
def test_report_from_a_sensitivity_sweep(tmp_path):
    d = tmp_path / "sens"
    proc = run(
        "-m",
        "experiments",
        "-m",
        f"hydra.sweep.dir={d}",
        "experiment=sensitivity",
        "design.n_base=8",
        "design.chunks=2",
        "steps=30",
        "scenario.groups.n_groups=200",
    )
    assert proc.returncode == 0, proc.stderr
    proc = run("-m", "analysis", str(d), "--out", str(tmp_path / "rep"))
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "rep" / "report.md").read_text()
    assert "sobol_indices_rollback.png" in text and "sobol_convergence_rollback.png" in text
    assert "Scenario-discovery box: not produced" in text  # PRIM needs experiment=discovery
    sobol = pd.read_csv(tmp_path / "rep" / "tables" / "sobol_indices.csv")
    assert len(sobol) == 2 * 2 * 10  # strategies x outcomes x parameters
    assert {"S1", "S1_ci_low", "ST", "ST_ci_high"} <= set(sobol.columns)
    noise = pd.read_csv(tmp_path / "rep" / "tables" / "sobol_noise_share.csv")
    assert len(noise) == 4
    runs = pd.read_parquet(d / "outcomes.parquet")
    for row in noise.itertuples():
        varies = runs.loc[runs["strategy"] == row.strategy, row.outcome].astype(float).var() > 0
        # a share where the outcome varies; none (not 0, not 1) where every run is alike
        assert (
            (0 < row.noise_share_single_run <= 1)
            if varies
            else np.isnan(row.noise_share_single_run)
        )
    assert noise["noise_share_single_run"].notna().any()


@pytest.mark.parametrize("case", ["missing", "empty", "no_results", "wrong_shape", "not_parquet"])
def test_bad_input_gets_one_clear_message(tmp_path, case):
    target = tmp_path / "sweep"
    if case != "missing":
        target.mkdir()
    if case == "no_results":
        (target / "notes.txt").write_text("hello")
    elif case == "wrong_shape":
        pd.DataFrame({"a": [1, 2]}).to_parquet(target / "outcomes.parquet")
    elif case == "not_parquet":
        (target / "outcomes.parquet").write_text("not parquet")
    proc = run("-m", "analysis", str(target), timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.startswith("reform-analyze: error:")
    assert "Traceback" not in proc.stderr
    assert not (target / "report").exists()


def test_panel_axes_can_be_walked_twice():
    # The y labels are set in a second pass over the panels; a one-shot iterator lost them.
    fig, axes = figures._panels(4)
    for ax in axes:
        ax.plot([0, 1], [0, 1])
    figures._finish_panels(fig, axes, "Share of runs")
    assert [ax.get_ylabel() for ax in axes] == ["Share of runs", "", "Share of runs", ""]


def test_the_headline_can_be_another_binary_outcome():
    df = synthetic()
    df["dip"] = df["strategy"].eq("institutionalization") & (df["replication"] % 2 == 0)
    df["dip"] |= df["strategy"].eq("case_focus") & (df["replication"] % 8 == 0)
    heads = headline(df, outcome="dip")
    assert {h.winner for h in heads} == {"case_focus"}  # rollback's winner is the other one
    assert all(
        h.outcome == "dip" and "case focus better prevents dip" in h.statement for h in heads
    )


@pytest.mark.slow
def test_reform_analyze_headline_option(smoke_with_failure, tmp_path):
    proc = run(
        "-m", "analysis", str(smoke_with_failure), "--out", str(tmp_path / "r"), "--headline", "dip"
    )
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "r" / "report.md").read_text()
    assert "on `dip`" in text and "## Probability of `dip`" in text
    assert (tmp_path / "r" / "tables" / "dip_by_strategy.csv").exists()
    proc = run(
        "-m",
        "analysis",
        str(smoke_with_failure),
        "--out",
        str(tmp_path / "x"),
        "--headline",
        "final_liberalization",
    )
    assert (
        proc.returncode == 2
        and "--headline = 'final_liberalization': not a 0/1 outcome" in proc.stderr
    )
    assert not (tmp_path / "x").exists()


def test_forecast_bands_by_year_from_the_weekly_series():
    from analysis.forecast import STRATEGIES, forecast, items_by_year

    rows, outs = [], []
    for k, st in enumerate(STRATEGIES):
        for r in range(20):
            jam = [-1, 30, 80, 120][r % 4] if k else -1
            outs.append({"job": st, "strategy": st, "scenario": "baseline_1987", "replication": r,
                         "enacted_week_end_jamming": jam})  # fmt: skip
            for step in range(157):
                rows.append({"job": st, "replication": r, "step": step, "emigration": 10 + k,
                             "prisoners": 3000 - step - r, "crackdown": int(step in (40, 90)),
                             "items_enacted": step // 60, "phase": 2, "liberalization": 0.4,
                             "codified": 0.2})  # fmt: skip
    series, outcomes = pd.DataFrame(rows), pd.DataFrame(outs)
    table = forecast(series, outcomes).set_index(["strategy", "year", "measure"])
    assert table.loc[("status_quo_1987", 1987, "emigration"), "median"] == 520
    assert table.loc[("memo_recommended", 1988, "emigration"), "median"] == 52 * 11
    assert table.loc[("status_quo_1987", 1989, "crackdowns"), "high"] == 0
    assert table.loc[("status_quo_1987", 1988, "crackdowns"), "median"] == 1
    assert table.loc[("status_quo_1987", 1987, "prisoners remaining"), "median"] == 3000 - 52 - 9.5
    assert table.loc[("memo_recommended", 1989, "items in force"), "median"] == 2
    assert table.loc[("memo_recommended", 1989, "phase at year end"), "detail"] == "tactical 100%"
    items = items_by_year(outcomes).set_index(["strategy", "item"])
    jam = items.loc[("memo_recommended", "end_jamming")]
    assert (jam["by 1987"], jam["by 1988"], jam["by 1989"]) == (0.25, 0.5, 0.75)
    assert forecast(series[series["step"] <= 104], outcomes) is None  # 1989 not simulated


def test_knockout_table_measures_the_shift_of_the_headline_difference():
    from analysis.knockouts import knockout_table

    frames = []
    for k, shift in (("none", -0.3), ("M4", 0.0)):
        df = synthetic(n=60).assign(knockout=k)
        base = np.random.default_rng(1).random(60)  # the same worlds under both knock-outs
        for st, s in (("institutionalization", shift), ("case_focus", 0.0)):
            sel = df["strategy"] == st
            df.loc[sel, "lost_ground"] = np.tile(0.05 + 0.1 * base + s / 10, 2)
        frames.append(df)
    table = knockout_table(pd.concat(frames)).set_index(["scenario", "outcome", "knockout"])
    full = table.loc[("baseline_1987", "lost_ground", "none")]
    gone = table.loc[("baseline_1987", "lost_ground", "M4")]
    assert full["difference"] == pytest.approx(-0.03) and full["ci_high"] < 0
    assert gone["difference"] == pytest.approx(0.0)
    assert gone["shift_from_full"] == pytest.approx(0.03) and gone["shift_ci_low"] > 0
    assert knockout_table(synthetic()) is None


@pytest.mark.parametrize(("k", "n"), [(5, 4), (-1, 10)])
def test_wilson_refuses_counts_outside_zero_to_n(k, n):
    with pytest.raises(ValueError, match=f"successes = {k}: expected a count from 0 to n = {n}"):
        wilson(k, n)


def test_pairs_are_made_on_the_seed_not_the_replication_number():
    """Two root seeds give two runs with replication 0: pairing by replication would set the
    first world of one strategy against another world of the other."""
    df = synthetic(n=30)
    other = synthetic(n=30, seed=1)
    other["seed"] += 1000  # another root seed: same replication numbers, other worlds
    case = other["strategy"] == "case_focus"
    mixed = pd.concat([df, other[case]], ignore_index=True)  # case focus ran twice as often
    # The second root seed's case-focus runs have no institutionalisation partner: pairing on
    # the seed leaves them out, so the comparison equals the one on the first root seed alone.
    got = compare_strategies(mixed, outcomes=("max_drawdown",))
    want = compare_strategies(df, outcomes=("max_drawdown",))
    assert [c.n_pairs for c in got] == [c.n_pairs for c in want] == [30, 30]
    assert [c.difference for c in got] == pytest.approx([c.difference for c in want])


def test_runs_that_cannot_be_paired_one_to_one_are_refused():
    df = synthetic(n=10)
    twice = df[df["strategy"] == "case_focus"].assign(**{"strategy.n_lists": 4})
    swept = pd.concat([df.assign(**{"strategy.n_lists": 1}), twice], ignore_index=True)
    with pytest.raises(AnalysisError, match=r"strategy 'case_focus'.*strategy\.n_lists"):
        compare_strategies(swept, outcomes=("max_drawdown",))
    # a swept scenario parameter is part of the world: pairs are made within each value
    scen = pd.concat(
        [df.assign(**{"scenario.x": 0.1}), df.assign(**{"scenario.x": 0.2})], ignore_index=True
    )
    assert [c.n_pairs for c in compare_strategies(scen, outcomes=("max_drawdown",))] == [20, 20]


def swept_synthetic(n=60, seed=3):
    """case_focus at three numbers of lists and two arrest rates, on the same seeds: rollback
    rises with the number of lists (planted), not with the arrest rate."""
    rng = np.random.default_rng(seed)
    base = rng.random(n)
    rows = []
    for lists in (1, 4, 16):
        for rate in (0.2, 0.4):
            for r in range(n):
                p = 0.15 + 0.04 * lists
                rows.append(
                    {
                        "job": f"n_lists={lists},arrest_rate={rate}",
                        "scenario": "baseline_1987",
                        "strategy": "case_focus",
                        "strategy.n_lists": lists,
                        "scenario.leadership.arrest_rate": rate,
                        "replication": r,
                        "seed": 1000 + r,
                        "rollback": int(base[r] < p),
                        "time_to_rollback": 50,
                        "max_drawdown": 0.1,
                        "final_liberalization": 0.6,
                        "final_codified": 0.1,
                    }
                )
    return pd.DataFrame(rows)


def test_every_swept_value_is_a_cell_and_a_planted_trend_is_found():
    from analysis.cells import label_cells, swept_columns, trend

    df = swept_synthetic()
    assert swept_columns(df) == ["strategy.n_lists", "scenario.leadership.arrest_rate"]
    cells = label_cells(df)
    assert sorted(cells["strategy"].unique()) == [
        "case_focus n_lists=1",
        "case_focus n_lists=16",
        "case_focus n_lists=4",
    ]
    assert sorted(cells["scenario"].unique()) == [
        "baseline_1987 arrest_rate=0.2",
        "baseline_1987 arrest_rate=0.4",
    ]
    assert cells.groupby(["scenario", "strategy"]).size().eq(60).all()  # never pooled
    lists = trend(df, "strategy.n_lists", "rollback").drop_duplicates(["scenario", "strategy"])
    assert len(lists) == 2 and (lists["slope"] > 0).all() and (lists["pvalue_holm"] < 0.01).all()
    rate = trend(df, "scenario.leadership.arrest_rate", "rollback")
    assert rate["slope"].abs().max() < 1e-9  # the same seeds give the same runs at both rates


def test_report_draws_a_trend_and_a_heat_map_for_a_users_own_sweep(tmp_path):
    from analysis.load import Sweep
    from analysis.report import build

    df = swept_synthetic(n=30)
    rep = build(Sweep(tmp_path, df), tmp_path / "rep")
    names = {f.name for f in rep.figures}
    assert "trend_n_lists" in names
    assert any(n.startswith("heatmap_n_lists_arrest_rate") for n in names)
    assert_figures(tmp_path / "rep" / "figures", names)
    text = (tmp_path / "rep" / "report.md").read_text()
    assert "case_focus n_lists=16" in text and "`strategy.n_lists` (3 values)" in text
    table = pd.read_csv(tmp_path / "rep" / "tables" / "trend_n_lists.csv")
    assert set(table["strategy.n_lists"]) == {1, 4, 16} and table["n"].eq(30).all()


@pytest.mark.slow
def test_threshold_from_the_recorded_drawdown_equals_the_recomputation_from_the_series(
    smoke_with_failure,
):
    """Two routes to rollback at another threshold, one from sustained_drawdown, one from the
    weekly series with the model's own drawdown_stats, must agree run by run; a burn-in
    changes what is counted."""
    from analysis.load import load_sweep
    from analysis.thresholds import at_threshold, from_series

    sweep = load_sweep(smoke_with_failure)
    df, series = sweep.outcomes, sweep.timeseries
    persistence = int(sweep.job_config.get("rollback_persistence", 26))
    assert persistence == 3
    rolled = set()
    for t in (0.02, 0.05, 0.1):
        quick = at_threshold(df, t).set_index(["job", "replication"])["rollback"]
        slow = from_series(df, series, t, persistence, 0).set_index(["job", "replication"])
        assert len(quick) == len(df) and (quick == slow["rollback"]).all()
        rolled.add(int(quick.sum()))
    assert len(rolled) > 1 and max(rolled) > 0  # the cut matters: not all-False on both routes
    recorded = from_series(df, series, 0.1, persistence, 0)
    for c in ("max_drawdown", "lost_ground", "rollback"):
        assert np.allclose(recorded[c].astype(float), df[c].astype(float))  # same definition
    late = from_series(df, series, 0.1, persistence, 10)
    assert (late["lost_ground"] != df["lost_ground"]).any()  # the burn-in changes what counts


def test_the_verdict_table_repeats_the_headline_at_each_threshold():
    from analysis.thresholds import THRESHOLDS, verdict_table

    df = synthetic()
    df["sustained_drawdown"] = df["max_drawdown"]
    table = verdict_table(df)
    assert sorted(table["threshold"].unique()) == sorted(THRESHOLDS)
    assert len(table) == 2 * len(THRESHOLDS)
    df["rollback"] = (df["sustained_drawdown"] > 0.125).astype(int)
    direct = {h.scenario: h.difference for h in headline(df)}
    at = table[table["threshold"] == 0.125].set_index("scenario")["difference"]
    assert at.to_dict() == pytest.approx(direct)
    # the planted effect (institutionalisation falls 0.03 lower) wins at some cut, not all
    assert set(table["winner"]) >= {"institutionalization"}


@pytest.mark.slow
def test_reform_analyze_threshold_and_burn_in_options(smoke_with_failure, tmp_path):
    proc = run(
        "-m",
        "analysis",
        str(smoke_with_failure),
        "--out",
        str(tmp_path / "a"),
        "--threshold",
        "0.02",
    )
    assert proc.returncode == 0, proc.stderr
    assert (
        "rollback threshold 0.02 sustained for 3 weeks"
        in (tmp_path / "a" / "report.md").read_text()
    )
    proc = run(
        "-m",
        "analysis",
        str(smoke_with_failure),
        "--out",
        str(tmp_path / "b"),
        "--persistence",
        "3",
        "--burn-in",
        "4",
    )
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "b" / "report.md").read_text()
    assert "sustained for 3 weeks after a burn-in of 4 weeks" in text
    bad = run("-m", "analysis", str(smoke_with_failure), "--threshold", "1.5")
    assert bad.returncode == 2 and "--threshold = 1.5: expected a fall in (0, 1)" in bad.stderr


@pytest.mark.parametrize(("p", "target"), [(0.5, 0.05), (0.1, 0.03), (0.02, 0.05), (0.7, 0.1)])
def test_replications_needed_are_the_first_n_whose_wilson_interval_is_narrow_enough(p, target):
    """Against a brute-force scan with the textbook interval (statsmodels' Wilson)."""
    from statsmodels.stats.proportion import proportion_confint

    from analysis.stats import wilson_sample_size

    def half(n):
        # a fractional count keeps the share exactly p at every n
        low, high = proportion_confint(p * n, n, alpha=0.05, method="wilson")
        return (high - low) / 2

    n = wilson_sample_size(p, target)
    assert half(n) <= target + 1e-12 and half(n - 1) > target
    if (p, target) == (0.5, 0.05):
        assert n == 381  # the normal approximation from n = 10 would say 278


def test_adequacy_asks_for_what_the_wilson_interval_needs():
    from analysis.stats import wilson_sample_size

    summary = pd.DataFrame(
        {
            "strategy": ["a", "b"],
            "scenario": ["s", "s"],
            "n": [10, 1000],
            "probability": [0.5, 0.5],
            "half_width": [0.28, 0.031],
        }
    )
    need = adequacy(summary)
    assert need["strategy"].tolist() == ["a"]
    assert need["replications_needed"].tolist() == [wilson_sample_size(0.5, 0.05)]


def test_newcombe_paired_interval_covers_at_its_level_where_the_bootstrap_did_not():
    """Simulated correlated pairs of 0/1 outcomes, n = 20. A rare outcome (shares 0.10 and
    0.05): Newcombe's interval covers the true difference in at least 93% of 600 samples, the
    percentile bootstrap of the mean difference (the report's old interval) in under 85%. A
    common one (0.35 and 0.25): Newcombe's covers in 92-98% of 2,000."""
    from scipy import stats as sps

    from analysis.stats import newcombe_paired

    rng = np.random.default_rng(3)

    def pairs(p1, p2, n=20):
        u = rng.random(n)
        v = np.where(rng.random(n) < 0.6, u, rng.random(n))  # correlated worlds
        return u < p1, v < p2

    newcombe = boot = 0
    for k in range(600):
        a, b = pairs(0.10, 0.05)
        low, high = newcombe_paired(a, b)[1:]
        newcombe += low <= 0.05 <= high
        d = a.astype(float) - b
        if d.min() < d.max():
            ci = sps.bootstrap(
                (d,), np.mean, method="percentile", n_resamples=999, rng=k
            ).confidence_interval
            boot += ci.low <= 0.05 <= ci.high
    assert newcombe / 600 >= 0.93 and boot / 600 < 0.85
    hits = 0
    for _ in range(2000):
        a, b = pairs(0.35, 0.25)
        low, high = newcombe_paired(a, b)[1:]
        hits += low <= 0.10 <= high
    assert 0.92 <= hits / 2000 <= 0.98
    est, low, high = newcombe_paired(np.ones(5, bool), np.ones(5, bool))
    assert est == 0 and low < 0 < high  # no variation at all: still not of zero width


def test_hodges_lehmann_interval_agrees_with_the_wilcoxon_test_and_covers():
    from scipy import stats as sps

    from analysis.stats import hodges_lehmann

    rng = np.random.default_rng(11)
    covered, disagree = 0, 0
    for _ in range(1500):
        d = rng.standard_t(3, 25) * 0.1 + 0.03
        _, low, high, _ = hodges_lehmann(d)
        covered += low <= 0.03 <= high
        p = sps.wilcoxon(d).pvalue
        if (p < 0.04 and low <= 0 <= high) or (p > 0.06 and not low <= 0 <= high):
            disagree += 1
    assert 0.93 <= covered / 1500 <= 0.97
    assert disagree == 0  # the test and its interval never contradict each other
    d = np.array([0.1, -0.2, 0.3, 0.4, 0.05])
    walsh = [(d[i] + d[j]) / 2 for i in range(5) for j in range(i, 5)]
    assert hodges_lehmann(d)[0] == pytest.approx(np.median(walsh))


def test_kaplan_meier_log_log_band_median_and_rmst_by_hand():
    """Times 1,2,2+,3,4+,5 (+ censored): S = 5/6, 4/6, 4/9, then 0 at t = 5."""
    km = kaplan_meier([1, 2, 2, 3, 4, 5], [True, True, False, True, False, True])
    z = 1.959963984540054
    # at t = 3: Greenwood's sum over the events so far, then the log(-log) band
    greenwood = 1 / (6 * 5) + 1 / (5 * 4) + 1 / (3 * 2)
    s = 4 / 9
    half = z * np.sqrt(greenwood) / np.log(s)
    i = list(km.times).index(3)
    assert km.ci_low[i] == pytest.approx(s ** np.exp(-half), rel=1e-6)
    assert km.ci_high[i] == pytest.approx(s ** np.exp(half), rel=1e-6)
    last = list(km.times).index(5)  # S = 0: the band keeps its last bounds, no jump to 1
    assert km.ci_high[last] == pytest.approx(km.ci_high[i]) and km.ci_high[last] < 1
    assert km.median == 3.0
    assert km.rmst(6) == pytest.approx(1 + 5 / 6 + 4 / 6 + 2 * 4 / 9)
    assert np.isnan(kaplan_meier([10, 20], [False, False]).median)  # censored: no median


def test_logrank_statistic_is_the_chi_square_computed_by_hand():
    ta, ea = np.array([2, 4, 4, 6, 9, 12]), np.array([1, 1, 0, 1, 1, 0], bool)
    tb, eb = np.array([3, 5, 8, 10, 11, 15]), np.array([1, 0, 1, 1, 0, 0], bool)
    times = np.concatenate([ta, tb])
    events = np.concatenate([ea, eb])
    group = np.array([0] * 6 + [1] * 6)
    observed = expected = variance = 0.0
    for t in np.unique(times[events]):
        at_risk = times >= t
        n, n1 = at_risk.sum(), (at_risk & (group == 0)).sum()
        d = (events & (times == t)).sum()
        d1 = (events & (times == t) & (group == 0)).sum()
        observed += d1
        expected += d * n1 / n
        variance += n1 * (n - n1) * d * (n - d) / (n * n * (n - 1)) if n > 1 else 0.0
    res = logrank(ta, ea, tb, eb)
    assert res.statistic == pytest.approx((observed - expected) ** 2 / variance)


def test_the_headline_and_the_paired_table_report_the_same_adjusted_p():
    """Holm runs per outcome and pair of strategies, across scenarios, in both: a third
    strategy (many more tests) must not change the headline's adjusted p-value."""
    df = synthetic(n=30)
    third = df[df["strategy"] == "case_focus"].assign(strategy="balanced")
    third["max_drawdown"] += 0.01
    wide = pd.concat([df, third], ignore_index=True)
    heads = {h.scenario: h.pvalue_holm for h in headline(wide)}
    table = {
        c.scenario: c.pvalue_holm
        for c in compare_strategies(wide)
        if c.outcome == "rollback" and {c.strategy_a, c.strategy_b} == set(HEADLINE_PAIR)
    }
    assert heads == pytest.approx(table) and len(heads) == 2
    raw = {
        c.scenario: c.pvalue
        for c in compare_strategies(wide)
        if c.outcome == "rollback" and {c.strategy_a, c.strategy_b} == set(HEADLINE_PAIR)
    }
    assert heads == pytest.approx(
        {
            k: min(1.0, 2 * min(raw.values()))
            if v == min(raw.values())
            else max(v, min(1.0, 2 * min(raw.values())))
            for k, v in raw.items()
        }
    )


def test_prim_on_noise_finds_nothing_that_holds_on_the_holdout():
    """On pure noise (base 0.40) a box can look dense on the data it was found in; on the
    holdout its density stays near the base rate, and its restrictions are not significant."""
    rng = np.random.default_rng(5)
    x = pd.DataFrame(rng.random((1500, 4)), columns=["a", "b", "c", "d"])
    y = rng.random(1500) < 0.4
    box = prim(x, y)
    assert abs(box.holdout_density - 0.4) < 0.12
    assert all(p > 0.001 for p in box.quasi_p.values())
    planted = prim(x, (x["a"] > 0.7).to_numpy())
    assert planted.holdout_density > 0.9 and planted.quasi_p["a"] < 1e-10
    none = prim(x, np.zeros(1500, bool))  # no cases of interest: no box, no coverage claimed
    assert none.limits == {} and np.isnan(none.coverage)


def _ishigami_runs(reps: int, n_base: int = 512, noise: float = 2.0, seed: int = 0):
    """Noisy Ishigami runs on a Saltelli design, ``reps`` replications per point."""
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
    x = sobol_sample.sample(problem, n_base, calc_second_order=False, seed=1)
    clean = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    rng = np.random.default_rng(seed)
    rows = [
        {"strategy": "s", "design_point": k, "replication": r, "y": v + rng.normal(0, noise)}
        for r in range(reps)
        for k, v in enumerate(clean)
    ]
    problem |= {"second_order": False, "n_base": n_base, "n_points": len(x), "replications": reps}
    problem |= {"chunks": 4, "step": 5}
    return pd.DataFrame(rows), problem


def test_sobol_indices_average_the_replications_and_refuse_a_missing_chunk():
    """Ishigami plus noise (truth S1 of x2 = 0.442): one replication per point biases S1
    down; the mean of ten recovers it. A design missing its last points gives no indices."""
    from analysis.sensitivity import sobol_indices

    def s1_x2(reps):
        df, problem = _ishigami_runs(reps)
        idx = sobol_indices(df, problem, outcomes=("y",))
        return float(idx.loc[idx["parameter"] == "x2", "S1"].iloc[0]), idx

    one, _ = s1_x2(1)
    ten, idx = s1_x2(10)
    assert abs(ten - 0.442) < 0.06 and abs(ten - 0.442) < abs(one - 0.442)
    assert (idx["ST_ci_low"] < idx["ST"]).all() and len(idx) == 3
    df, problem = _ishigami_runs(1)
    cut = df[df["design_point"] < problem["n_points"] - 5]  # the last chunk did not finish
    with pytest.raises(AnalysisError, match="in chunks 3 of 0-3"):
        sobol_indices(cut, problem, outcomes=("y",))


def test_robustness_names_the_strategy_with_least_maximum_regret():
    """Three strategies in three scenarios, shares planted: A is best in two and close in the
    third, B wins one scenario big but fails another; A has the least maximum regret."""
    from analysis.robustness import regret

    planted = {  # scenario -> strategy -> share of runs rolled back
        "s1": {"A": 0.10, "B": 0.30, "C": 0.50},
        "s2": {"A": 0.20, "B": 0.60, "C": 0.40},
        "s3": {"A": 0.30, "B": 0.20, "C": 0.50},
    }
    rows = []
    n = 200
    for sc, by in planted.items():
        for k in range(n):
            for st, p in by.items():
                rows.append({"scenario": sc, "strategy": st, "seed": k, "rollback": int(k < p * n)})
    table = regret(pd.DataFrame(rows), resamples=200)
    assert table["strategy"].tolist()[0] == "A"
    a = table.set_index("strategy").loc["A"]
    assert a["max_regret"] == pytest.approx(0.10) and a["worst_scenario"] == "s3"
    assert table.set_index("strategy").loc["B", "max_regret"] == pytest.approx(0.40)
    assert a["satisfices"] == pytest.approx(2 / 3)  # 0.10 and 0.20 <= 0.25; 0.30 is not
    assert a["robust_choice_share"] > 0.9
    assert table["robust_choice_share"].sum() == pytest.approx(1.0)


def test_newcombe_interval_uses_the_corrected_correlation_and_agrees_with_mcnemar():
    """Pairs (both, only A, only B, neither) = (3, 4, 0, 13): exact McNemar p = 0.125, so a
    95% interval must include 0. With the raw correlation it was [0.021, 0.380]."""
    from analysis.stats import newcombe_paired

    a = np.array([1] * 7 + [0] * 13, bool)
    b = np.array([1] * 3 + [0] * 17, bool)
    est, low, high = newcombe_paired(a, b)
    assert est == pytest.approx(0.2)
    assert low == pytest.approx(-0.0062, abs=5e-4) and high == pytest.approx(0.3966, abs=5e-4)
    assert mcnemar_exact(a, b).pvalue == pytest.approx(0.125)


def test_robustness_does_not_judge_a_strategy_missing_from_a_scenario():
    from analysis.robustness import regret, verdict

    rows = []
    for sc, shares in {"s1": {"A": 0.1, "B": 0.2, "C": 0.0}, "s2": {"A": 0.3, "B": 0.2}}.items():
        for k in range(50):
            for st, p in shares.items():
                rows.append(
                    {"scenario": sc, "strategy": st, "seed": k, "rollback": int(k < 50 * p)}
                )
    table = regret(pd.DataFrame(rows), resamples=50)
    assert set(table["strategy"]) == {"A", "B"}  # C (absent from s2) cannot win by absence
    assert "Not judged (missing from some scenario): C" in verdict(table)


def test_prim_holdout_keeps_the_replications_of_a_point_together():
    """Each design point repeated four times with the same (random) outcome: split by row, the
    holdout shares points with the training part; split by point it does not."""
    rng = np.random.default_rng(2)
    points = pd.DataFrame(rng.random((400, 3)), columns=["a", "b", "c"])
    x = points.loc[points.index.repeat(4)].reset_index(drop=True)
    y = np.repeat(rng.random(400) < 0.4, 4)
    groups = np.repeat(np.arange(400), 4)
    box = prim(x, y, groups=groups)
    held = set(groups[box.holdout])
    assert held and held.isdisjoint(groups[~box.holdout])  # whole points on each side
    assert 0.2 < len(held) / 400 < 0.4  # about the holdout share (0.3) of the points
    assert abs(box.holdout_density - 0.4) < 0.15
    by_row = prim(x, y)  # without groups the split is by row: points end up on both sides
    assert not set(groups[by_row.holdout]).isdisjoint(groups[~by_row.holdout])
