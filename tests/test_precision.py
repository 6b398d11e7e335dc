"""Adaptive replications (replications=auto): the stopping rule, its determinism under resume,
and what the analysis makes of cells with different numbers of runs."""

import math
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from conftest import config
from experiments import runner
from experiments.config import config_hash
from experiments.precision import PrecisionConfig, half_width, next_stop

Z = 1.959963984540054


def wilson_half_width(k: int, n: int) -> float:
    """Wilson's score interval half-width, written out (Wilson 1927), independent of the code."""
    p = k / n
    return Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)


# A small world so that a job of ~100 runs takes seconds; rollback at a low threshold held for
# 4 weeks happens in about half the runs, so the cell is as noisy as a binary outcome gets.
NOISY = (
    "scenario=baseline_1987_hand",
    "scenario.groups.n_groups=200",
    "steps=40",
    "rollback_threshold=0.02",
    "rollback_persistence=4",
    "replications=auto",
    "precision.halfwidth=0.1",
    "precision.min_replications=10",
    "precision.batch=5",
    "precision.max_replications=200",
)
# Rollback needs a spell longer than the horizon: it never happens, the quietest cell possible.
QUIET = (*NOISY[:-6], "rollback_persistence=60", *NOISY[-5:])


def first_mark(k_of_n, p: PrecisionConfig) -> int:
    """The first checkpoint n at which Wilson's half-width of k_of_n(n) successes is small
    enough, found by brute force over the checkpoints."""
    for n in p.checkpoints():
        if n == p.max_replications or wilson_half_width(k_of_n(n), n) <= p.halfwidth:
            return n
    raise AssertionError("unreachable")


def test_the_rule_stops_at_the_first_checkpoint_where_wilson_is_narrow_enough():
    p = PrecisionConfig(halfwidth=0.05, min_replications=20, batch=10, max_replications=1000)
    assert p.checkpoints()[:3] == [20, 30, 40] and p.checkpoints()[-1] == 1000
    for k_share in (0.0, 0.1, 0.5):
        want = first_mark(lambda n, s=k_share: round(s * n), p)
        n = p.min_replications
        while True:
            values = np.zeros(n)
            values[: round(k_share * n)] = 1
            stop = next_stop(p, values, binary=True)
            if stop == n:
                break
            n = stop
        assert n == want, (k_share, n, want)
    # p = 0.5 needs about 1.96^2 / (4 * 0.05^2) = 384 runs; no checkpoint short of that stops
    assert first_mark(lambda n: n // 2, p) == 390


def test_the_rule_never_stops_between_checkpoints_or_past_the_maximum():
    p = PrecisionConfig(halfwidth=0.3, min_replications=10, batch=7, max_replications=30)
    precise = np.zeros(13)  # narrow enough, but 13 is not a checkpoint (10, 17, 24, 30)
    assert next_stop(p, precise, binary=True) == 17
    noisy = np.tile([0.0, 1.0], 20)
    assert next_stop(p, noisy[:30], binary=True) == 30  # the maximum stops, precise or not
    assert next_stop(p, noisy[:3], binary=True) == 10  # below the minimum: up to it


def test_a_number_gets_students_t_interval():
    x = np.array([0.1, 0.4, 0.35, 0.2, 0.3, 0.25])
    from scipy import stats

    lo, hi = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    assert half_width(x, binary=False) == pytest.approx((hi - lo) / 2, rel=1e-12)
    assert half_width(x[:1], binary=False) == math.inf


def test_a_quiet_cell_stops_early_and_a_noisy_one_runs_on():
    quiet = runner.run_replications(config(*QUIET))[0]
    noisy = runner.run_replications(config(*NOISY))[0]
    p = config(*NOISY).precision
    assert not quiet["rollback"].any()
    assert len(quiet) == first_mark(lambda n: 0, p)  # 0 of n: the first n with hw <= 0.1
    k = noisy["rollback"].to_numpy()
    assert 0.2 < k.mean() < 0.8  # the fixture is as noisy as intended
    n = len(noisy)
    assert wilson_half_width(int(k.sum()), n) <= p.halfwidth
    earlier = n - p.batch  # the checkpoint before did not satisfy the rule
    assert wilson_half_width(int(k[:earlier].sum()), earlier) > p.halfwidth
    assert n >= 3 * len(quiet)
    assert noisy["replication"].tolist() == list(range(n))  # seeds 0..n-1, none skipped


def test_a_job_killed_anywhere_resumes_to_the_same_runs(tmp_path, monkeypatch):
    cfg = replace(config(*NOISY), checkpoint_every=3)
    whole = runner.run_point(cfg, tmp_path / "whole").outcomes
    real = runner.run_block
    for kill_after in (1, 4, 9):  # within the first batch, mid-way, late
        job = tmp_path / f"killed-{kill_after}"
        calls = {"n": 0}

        def dying(*args, calls=calls, kill_after=kill_after, **kwargs):
            calls["n"] += 1
            if calls["n"] > kill_after:
                raise KeyboardInterrupt
            return real(*args, **kwargs)

        monkeypatch.setattr(runner, "run_block", dying)
        with pytest.raises(KeyboardInterrupt):
            runner.run_point(cfg, job)
        assert not runner.finished(job, config_hash(cfg), cfg)
        monkeypatch.setattr(runner, "run_block", real)
        resumed = runner.run_point(cfg, job)
        assert not resumed.skipped
        pd.testing.assert_frame_equal(resumed.outcomes, whole)
        assert runner.run_point(cfg, job).skipped  # finished now: a rerun reuses it


def test_an_adaptive_job_cut_short_is_not_finished(tmp_path):
    cfg = config(*NOISY)
    job = tmp_path / "job"
    full = runner.run_point(cfg, job).outcomes
    digest = config_hash(cfg)
    assert runner.finished(job, digest, cfg)
    # rows that stop at a checkpoint where the rule would go on: not the job's answer
    short = full.iloc[: cfg.precision.min_replications]
    short.to_parquet(job / "outcomes.parquet")
    meta = (job / "metadata.json").read_text()
    (job / "metadata.json").write_text(
        meta.replace(f'"runs": {len(full)}', f'"runs": {len(short)}')
    )
    assert not runner.finished(job, digest, cfg)
    again = runner.run_point(cfg, job)
    assert not again.skipped
    pd.testing.assert_frame_equal(again.outcomes, full)


def test_the_metadata_states_replications_used_and_precision_reached(tmp_path):
    import json

    cfg = config(*QUIET)
    out = runner.run_point(cfg, tmp_path / "job").outcomes
    meta = json.loads((tmp_path / "job" / "metadata.json").read_text())
    used = meta["replications_used"]["None"]
    assert meta["replications"] == "auto" and used["n"] == len(out)
    assert used["half_width"] == pytest.approx(wilson_half_width(0, len(out)), abs=1e-6)
    assert len(meta["replication_seeds"]) == len(out)


def test_the_precision_target_changes_an_adaptive_job_only():
    fixed = config("replications=5")
    assert config_hash(fixed) == config_hash(config("replications=5", "precision.halfwidth=0.2"))
    auto = config("replications=auto")
    assert config_hash(auto) != config_hash(config("replications=auto", "precision.halfwidth=0.2"))


def test_a_bad_target_is_refused_by_name_before_a_run(tmp_path):
    for args, words in (
        (["replications=many"], "replications = 'many': expected a whole number"),
        (["replications=0"], "replications = 0: expected a whole number"),
        (["replications=auto", "precision.halfwidth=2"], "precision.halfwidth = 2"),
        (
            ["replications=auto", "precision.min_replications=50", "precision.max_replications=20"],
            "precision.max_replications = 20: expected at least",
        ),
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "experiments", *args, f"hydra.run.dir={tmp_path / 'run'}"],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 2, (args, proc.stderr)
        assert words in proc.stderr and "Traceback" not in proc.stderr
        assert not (tmp_path / "run").exists()


def test_paired_comparisons_use_the_seeds_both_sides_have():
    from analysis.comparisons import compare_strategies

    rng = np.random.default_rng(3)
    rows = []
    for strategy, n in (("institutionalization", 40), ("case_focus", 90)):
        for r in range(n):
            rows.append(
                {
                    "strategy": strategy,
                    "scenario": "s",
                    "seed": 1000 + r,
                    "replication": r,
                    "rollback": bool(rng.random() < 0.5),
                }
            )
    result = compare_strategies(pd.DataFrame(rows), outcomes=("rollback",))
    assert [r.n_pairs for r in result] == [40]


def test_the_report_checks_adequacy_against_the_sweeps_own_target():
    from analysis.comparisons import ADEQUATE_HALF_WIDTH
    from analysis.report import adequacy_target, auto_replications

    auto = {
        "replications": "auto",
        "precision": {
            "outcome": "rollback",
            "halfwidth": 0.03,
            "min_replications": 30,
            "max_replications": 2000,
            "batch": 10,
        },
    }
    assert adequacy_target(auto, "rollback") == 0.03
    assert adequacy_target(auto, "dip") == ADEQUATE_HALF_WIDTH  # the target was another outcome
    assert adequacy_target({**auto, "replications": 100}, "rollback") == ADEQUATE_HALF_WIDTH
    assert "within +-0.03" in auto_replications(auto)
    assert auto_replications({**auto, "replications": 100}) == ""


def test_runs_past_the_first_stop_are_not_the_jobs_answer():
    """Outcomes made under a looser or tighter rule never pass for this rule's: the stored runs
    must end where the rule, replayed from the minimum, first stops."""
    cfg = config(*NOISY)
    done = runner.run_replications(cfg)[0]
    assert runner.stops_where_it_ran(cfg, done)
    looser = replace(cfg, precision=replace(cfg.precision, halfwidth=0.2))  # stops earlier
    assert len(done) > looser.precision.min_replications
    assert not runner.stops_where_it_ran(looser, done)
    assert not runner.stops_where_it_ran(cfg, done.iloc[:-1])  # one run short
    assert not runner.stops_where_it_ran(cfg, done.iloc[1:])  # replication 0 missing


def test_auto_is_refused_with_a_design_and_an_unknown_outcome_before_any_run(tmp_path):
    from sim.params import ParameterError

    with pytest.raises(ParameterError, match=r"not with design\.kind = sobol"):
        config("experiment=sensitivity", "replications=auto")
    with pytest.raises(ParameterError, match=r"precision\.outcome = 'rolback': not an outcome"):
        config("replications=auto", "precision.outcome=rolback")
    assert config("replications=5", "precision.outcome=rolback").replications == 5  # unused
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "experiments",
            "-m",
            "strategy=case_focus,institutionalization",
            "replications=auto",
            "precision.outcome=rolback",
            f"hydra.sweep.dir={tmp_path / 'sweep'}",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2, proc.stderr
    assert "precision.outcome = 'rolback'" in proc.stderr and "Traceback" not in proc.stderr
    assert not any((tmp_path / "sweep").glob("*/outcomes.parquet"))
