"""One world under several strategies, the weeks before they start run once (sim.shared_start),
and jobs that run several strategies that way (``strategies=[...]``): every run must be the
run its strategy gives alone, bit for bit, or the saving is a different model."""

import dataclasses
import json
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import config
from experiments import config as config_module
from experiments.config import config_hash, job_strategies, presets, strategy_preset
from experiments.runner import model_params, replications_used, run_point, run_replications
from experiments.seeds import replication_seed
from sim.agents.outside import OutsideGovernment
from sim.model import ReformModel
from sim.params import ParameterError
from sim.shared_start import StrategyReadEarlyError, run_strategies, shared_weeks

PRESETS = presets("strategy")


def _same_run(a, b) -> None:
    pd.testing.assert_frame_equal(a.timeseries, b.timeseries)
    assert a.outcomes.keys() == b.outcomes.keys()
    for k, x in a.outcomes.items():
        y = b.outcomes[k]
        both_nan = isinstance(x, float) and np.isnan(x) and np.isnan(y)
        assert x == y or both_nan, (k, x, y)


def _alone(params, strategies, seed):
    return [ReformModel(dataclasses.replace(params, strategy=s), seed).run() for s in strategies]


@pytest.mark.parametrize("scenario", ["baseline_1987", "hardline_shock", "mobilization_wave"])
def test_each_strategy_gives_the_run_it_gives_alone(scenario):
    """Every preset, on a posterior draw, a shock and a wave: series and outcomes identical to
    the run alone. A copy that lost state (the recorder's rows are views into its table, which
    a pickle would break), or a strategy that acted before its start, would differ."""
    cfg = config(f"scenario={scenario}")
    seed = replication_seed(cfg.seed, 1)
    params, _ = model_params(cfg, {}, seed)
    strategies = [strategy_preset(n) for n in PRESETS]
    assert shared_weeks(strategies, params.steps) == 49  # the memo's start: week 50
    for shared, alone in zip(
        run_strategies(params, strategies, seed), _alone(params, strategies, seed), strict=True
    ):
        _same_run(shared, alone)


@pytest.mark.parametrize("knockout", [f"M{i}" for i in range(1, 13)])
def test_with_a_mechanism_knocked_out_each_strategy_still_gives_its_run_alone(knockout):
    """experiment=knockouts runs both strategies of each world in one job: with any mechanism
    off, the weeks before the strategies start must still be the same for both, and each run
    the run its strategy gives alone (to week 60: past the start, where the strategies part)."""
    cfg = config("scenario=hardline_shock", f"knockout={knockout}", "steps=60")
    seed = replication_seed(cfg.seed, 2)
    params, _ = model_params(cfg, {}, seed)
    assert getattr(params.mechanisms, knockout) is False  # the mechanism is off in these runs
    both = [strategy_preset(n) for n in ("institutionalization", "case_focus")]
    assert shared_weeks(both, params.steps) == 49  # weeks 1-49 are run once, then copied
    runs = run_strategies(params, both, seed)
    for shared, alone in zip(runs, _alone(params, both, seed), strict=True):
        _same_run(shared, alone)
    assert not runs[0].timeseries.equals(runs[1].timeseries)  # the two strategies did part


def test_strategies_that_start_at_different_weeks_share_the_weeks_before_the_first():
    cfg = config("steps=80")
    seed = replication_seed(cfg.seed, 0)
    params, _ = model_params(cfg, {}, seed)
    early = dataclasses.replace(strategy_preset("case_focus"), start_week=30)
    late = strategy_preset("institutionalization")
    assert shared_weeks([late, early], params.steps) == 29
    assert shared_weeks([late, dataclasses.replace(early, start_week=0)], params.steps) == 0
    assert shared_weeks([late], params.steps) == 0  # nothing to share with
    both = [late, early]
    for shared, alone in zip(
        run_strategies(params, both, seed), _alone(params, both, seed), strict=True
    ):
        _same_run(shared, alone)


def test_a_model_that_reads_the_strategy_before_it_starts_is_stopped(monkeypatch):
    """If a change let the strategy act before its start week, sharing those weeks would give
    every strategy the same early weeks; the shared part must refuse instead."""
    hold = OutsideGovernment.hold_fora

    def reads_early(self):
        _ = self.planned.pressure  # the planned strategy, read before its start
        hold(self)

    monkeypatch.setattr(OutsideGovernment, "hold_fora", reads_early)
    cfg = config("steps=60")
    seed = replication_seed(cfg.seed, 0)
    params, _ = model_params(cfg, {}, seed)
    strategies = [strategy_preset("case_focus"), strategy_preset("no_pressure")]
    with pytest.raises(StrategyReadEarlyError, match=r"strategy\.pressure before"):
        run_strategies(params, strategies, seed)


def test_a_preset_built_by_a_job_is_the_preset_hydra_composes():
    for name in PRESETS:
        assert strategy_preset(name) == config(f"strategy={name}").strategy, name


NAMES = ("case_focus", "institutionalization", "no_pressure")


def _separately(*overrides):
    """The strategies' jobs run one by one, with the strategy column a bundle's series has."""
    outs, series = [], []
    for name in NAMES:
        o, s = run_replications(config(*overrides, f"strategy={name}"))
        outs.append(o)
        if s is not None:
            s.insert(1, "strategy", name)
            series.append(s)
    return outs, series


def _by_cell(df, *extra):
    return df.sort_values(["strategy", "replication", *extra]).reset_index(drop=True)


def test_a_job_running_several_strategies_gives_each_the_rows_of_its_own_job():
    base = ("steps=60", "replications=3", "record_timeseries=true", "scenario=hardline_shock")
    bundle = config(*base, f"strategies=[{','.join(NAMES)}]")
    out, series = run_replications(bundle)
    assert out[["replication", "strategy"]].values.tolist()[:3] == [[0, n] for n in NAMES]
    outs, parts = _separately(*base)
    want = _by_cell(pd.concat(outs, ignore_index=True))
    pd.testing.assert_frame_equal(_by_cell(out)[want.columns], want)
    want = _by_cell(pd.concat(parts, ignore_index=True), "step")
    pd.testing.assert_frame_equal(_by_cell(series, "step")[want.columns], want)


def test_adaptive_cells_of_a_bundle_stop_where_each_would_stop_alone():
    """Each (point, strategy) cell reads only its own outcomes: with cells that stop at
    different counts, each has exactly the runs its job alone would have."""
    auto = (
        "replications=auto",
        "precision.outcome=final_liberalization",
        "precision.halfwidth=0.06",
        "precision.min_replications=4",
        "precision.batch=3",
        "precision.max_replications=60",
        "steps=60",
    )
    bundle = config(*auto, f"strategies=[{','.join(NAMES)}]")
    out, _ = run_replications(bundle)
    used = replications_used(bundle, out)
    assert set(used) == set(NAMES)
    assert len({u["n"] for u in used.values()}) > 1, used  # the cells stop apart
    for name, alone in zip(NAMES, _separately(*auto)[0], strict=True):
        mine = out[out["strategy"] == name].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone)
        assert used[name]["n"] == len(alone)


class Killed(BaseException):
    """The process dies here."""


def test_a_bundle_job_killed_between_checkpoints_resumes_to_the_uninterrupted_rows(
    tmp_path, monkeypatch
):
    from experiments import runner

    cfg = config(
        "steps=40", "replications=5", "checkpoint_every=2", f"strategies=[{','.join(NAMES)}]"
    )
    whole = run_point(cfg, tmp_path / "whole").outcomes
    real, calls = runner.run_block, []

    def dies_on_the_third_block(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise Killed
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "run_block", dies_on_the_third_block)
    with pytest.raises(Killed):
        run_point(cfg, tmp_path / "job")
    monkeypatch.setattr(runner, "run_block", real)
    resumed = run_point(cfg, tmp_path / "job")
    assert not resumed.skipped and len(resumed.outcomes) == 15
    pd.testing.assert_frame_equal(resumed.outcomes, whole)
    assert run_point(cfg, tmp_path / "job").skipped  # finished: 5 seeds x 3 strategies


def test_unknown_or_repeated_presets_and_strategy_overrides_are_refused_by_name():
    with pytest.raises(ParameterError, match=r"strategies = \['case_focus', 'nope'\]: 'nope' is"):
        config("strategies=[case_focus,nope]")
    with pytest.raises(ParameterError, match="'case_focus' is named twice"):
        config("strategies=[no_pressure,case_focus,case_focus]")
    for value in ("null", "case_focus", "''", "{a: 1}"):  # not a list of names: said so whole
        with pytest.raises(ParameterError, match=r"expected a list of strategy preset names"):
            config(f"strategies={value}")
    for override in ("strategy.n_lists=4", "strategy=balanced"):
        with pytest.raises(ParameterError, match=f"{override}: not with strategies"):
            config("strategies=[case_focus,no_pressure]", override)


def test_the_command_line_refuses_an_unknown_preset_with_exit_2_and_no_results(tmp_path):
    cmd = [sys.executable, "-m", "experiments", "strategies=[case_focus,nope]"]
    proc = subprocess.run(
        [*cmd, f"hydra.run.dir={tmp_path / 'run'}"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "strategies" in proc.stderr and "'nope' is not a strategy preset" in proc.stderr
    assert not list(tmp_path.rglob("outcomes.parquet"))


@pytest.mark.parametrize(
    ("sweep", "twice"),
    [
        (["strategies=[case_focus,status_quo_1987],[]"], "status_quo_1987"),  # [] runs the default
        (["strategies=[case_focus,no_pressure],[no_pressure,balanced]"], "no_pressure"),
        (["strategies=[case_focus,status_quo_1987],[]", "seed=1,2"], "status_quo_1987"),
        (["strategies=[case_focus,status_quo_1987]", "seed=1,2"], None),  # other seeds
        (["strategies=[case_focus,no_pressure],[institutionalization]"], None),
    ],
)
def test_a_sweep_that_would_run_a_strategy_twice_on_the_same_seeds_is_refused(
    sweep, twice, monkeypatch
):
    """Mixing jobs of several strategies with others can run one strategy twice on the same
    scenario, seeds and parameters; its runs could then not be paired one to one, so the plan
    check refuses the sweep before any job starts, naming the strategy. Other values, seeds or
    strategies are separate runs and pass."""
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from hydra.types import RunMode

    from experiments import callbacks
    from experiments.callbacks import check_plan, planned_jobs
    from experiments.config import CONFIG_DIR, register_configs

    monkeypatch.setattr(callbacks, "_CHECKED", callbacks._CHECKED)  # restored afterwards
    register_configs()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        loader = GlobalHydra.instance().config_loader()  # as `reform-sim -m ...` composes it
        cfg = loader.load_configuration("config", sweep, run_mode=RunMode.MULTIRUN)
        jobs = planned_jobs(cfg)
        assert len(jobs) > 1
        if twice is None:
            check_plan(cfg, jobs)
            return
        with pytest.raises(ParameterError, match=f"runs strategy {twice!r}, which .* also runs"):
            check_plan(cfg, jobs)


def test_an_edited_preset_is_new_work_for_a_job_that_runs_it(tmp_path, monkeypatch):
    """A job running presets resumes on its config hash; the presets live in their files, so
    an edited file must change the hash (or old results would pass for the new preset)."""
    cfg = config("strategies=[case_focus,no_pressure]")
    before = config_hash(dataclasses.replace(cfg))  # each a new job's config, read anew
    copy = tmp_path / "configs"
    shutil.copytree(config_module.CONFIG_DIR, copy)
    monkeypatch.setattr(config_module, "CONFIG_DIR", copy)
    assert config_hash(dataclasses.replace(cfg)) == before  # the same files: the same work
    preset = copy / "strategy" / "case_focus.yaml"
    preset.write_text(preset.read_text().replace("n_lists: 10", "n_lists: 11"))
    assert config_hash(dataclasses.replace(cfg)) != before


def test_weekly_rows_take_their_strategy_from_their_own_column_or_their_job():
    """A sweep may mix a job running several strategies (its series name each) with jobs of
    one strategy (their folder names it): every weekly row gets its own run's strategy."""
    from analysis.load import AnalysisError, series_cells

    outcomes = pd.DataFrame(
        {
            "job": ["bundle", "bundle", "alone"],
            "strategy": ["case_focus", "no_pressure", "balanced"],
            "scenario": ["baseline_1987"] * 3,
        }
    )
    series = pd.DataFrame(
        {
            "job": ["bundle", "bundle", "alone", "alone"],
            "strategy": ["case_focus", "no_pressure", None, None],
            "step": [0, 0, 0, 1],
        }
    )
    got = series_cells(series, outcomes)
    assert got["strategy"].tolist() == ["case_focus", "no_pressure", "balanced", "balanced"]
    assert "strategy_of_job" not in got.columns
    with pytest.raises(AnalysisError, match="job bundle have no strategy column"):
        series_cells(series.drop(columns="strategy"), outcomes)  # its two runs are one blur
    alone = series_cells(series[series["job"] == "alone"].drop(columns="strategy"), outcomes)
    assert alone["strategy"].tolist() == ["balanced", "balanced"]


def test_drawdowns_recomputed_from_the_series_keep_each_strategy_of_a_job_apart(tmp_path):
    """reform-analyze --persistence/--burn-in recomputes every run's drawdown from its weekly
    series; a job's strategies share seeds, so a run must be keyed by its strategy too, or all
    strategies of a seed get the drawdown of their weeks interleaved."""
    from analysis.load import load_sweep
    from analysis.thresholds import from_series
    from experiments.aggregate import aggregate

    both = "strategies=[case_focus,no_pressure]"
    cfg = config("steps=60", "replications=3", "record_timeseries=true", both)
    run_point(cfg, tmp_path / "job")
    aggregate(tmp_path)
    sweep = load_sweep(tmp_path)
    df = sweep.outcomes
    again = from_series(df, sweep.timeseries, cfg.rollback_threshold, cfg.rollback_persistence, 0)
    for c in ("max_drawdown", "sustained_drawdown", "lost_ground"):
        assert np.allclose(again[c].astype(float), df[c].astype(float)), c
    per_seed = df.groupby("replication")["max_drawdown"].nunique()
    assert (per_seed > 1).any()  # the strategies do differ on some seed: a blur would show


def test_the_shared_comparison_gives_the_comparison_run_for_run(tmp_path):
    """experiment=strategy_comparison_shared (a job per scenario) against
    experiment=strategy_comparison (a job per cell): the same rows, the same series."""
    small = ("replications=2", "steps=55", "record_timeseries=true")
    scenarios = "scenario=hardline_shock,mobilization_wave"
    for name in ("strategy_comparison_shared", "strategy_comparison"):
        cmd = [sys.executable, "-m", "experiments", "-m", f"experiment={name}", scenarios]
        cmd += [*small, f"hydra.sweep.dir={tmp_path / name}", "hydra/launcher=basic"]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    from analysis.load import series_cells

    shared, each = tmp_path / "strategy_comparison_shared", tmp_path / "strategy_comparison"
    assert len(list(shared.glob("*/outcomes.parquet"))) == 2
    assert len(list(each.glob("*/outcomes.parquet"))) == 12
    frames = []
    for folder in (shared, each):
        out = pd.read_parquet(folder / "outcomes.parquet")
        series = series_cells(pd.read_parquet(folder / "timeseries.parquet"), out)
        keys = ["scenario", "strategy", "replication"]
        frames.append(
            (
                out.drop(columns="job").sort_values(keys).reset_index(drop=True),
                series.drop(columns="job").sort_values([*keys, "step"]).reset_index(drop=True),
            )
        )
    (a_out, a_series), (b_out, b_series) = frames
    assert len(b_out) == 24 and set(b_out["strategy"]) == set(PRESETS)
    pd.testing.assert_frame_equal(a_out[b_out.columns], b_out)
    pd.testing.assert_frame_equal(a_series[b_series.columns], b_series)


def test_the_python_api_labels_each_strategy_run_and_refuses_strategy_overrides():
    """Points of experiments.api: a point running several strategies keeps each run's own
    strategy name even beside a point of another strategy (the column a sweep adds for
    differing strategies must not overwrite it), and a strategy override is refused."""
    from experiments.api import load_params, run_points

    points = [
        load_params(strategies=["case_focus", "no_pressure"], steps=10),
        load_params(strategy="balanced", steps=10),
    ]
    df = run_points(points, replications=1)
    assert df[["point", "strategy"]].values.tolist() == [
        [0, "case_focus"],
        [0, "no_pressure"],
        [1, "balanced"],
    ]
    with pytest.raises(ParameterError, match=r"strategy\.n_lists=4: not with strategies"):
        load_params(strategies=["case_focus", "no_pressure"], overrides={"strategy.n_lists": 4})
    with pytest.raises(ParameterError, match=r"strategy=balanced: not with strategies"):
        load_params(strategy="balanced", strategies=["case_focus", "no_pressure"])


def test_a_job_runs_the_presets_it_hashed_even_if_a_file_changes_while_it_runs(
    tmp_path, monkeypatch
):
    """Presets are read once per job: a file edited between two checkpoints (and edited back)
    must not leave a job whose later seeds ran another preset under the first one's hash."""
    from experiments import runner

    copy = tmp_path / "configs"
    shutil.copytree(config_module.CONFIG_DIR, copy)
    monkeypatch.setattr(config_module, "CONFIG_DIR", copy)
    preset = copy / "strategy" / "case_focus.yaml"
    original = preset.read_text()
    both = "strategies=[case_focus,no_pressure]"
    cfg = config("steps=56", "replications=4", "checkpoint_every=2", both)
    fresh = dataclasses.replace  # a new config object: nothing read from the files yet
    clean = run_point(fresh(cfg), tmp_path / "clean").outcomes
    real, calls = runner.run_block, []

    def edits_the_preset_after_the_first_block(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            preset.write_text(original.replace("pressure: 1.0", "pressure: 0.0"))
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "run_block", edits_the_preset_after_the_first_block)
    edited = run_point(fresh(cfg), tmp_path / "job")
    assert len(calls) >= 2 and preset.read_text() != original  # edited while the job ran
    pd.testing.assert_frame_equal(edited.outcomes, clean)
    # and the job records each preset as it ran it, not the file as it is now
    for job in ("clean", "job"):
        meta = json.loads((tmp_path / job / "metadata.json").read_text())
        written = yaml.safe_load((tmp_path / job / "config.yaml").read_text())
        for recorded in (meta["config"], written):
            assert list(recorded["strategy_presets"]) == ["case_focus", "no_pressure"]
            assert recorded["strategy_presets"]["case_focus"]["pressure"] == 1.0
            assert recorded["strategy_presets"]["no_pressure"]["name"] == "no_pressure"


def test_the_recorded_config_is_written_as_pyyaml_writes_it():
    """config.yaml is written by libyaml's emitter where PyYAML has it: for a job's config the
    text must be the one PyYAML's own safe_dump writes (floats, None, lists, nested presets),
    and any config, long strings included, must read back as it was."""
    from experiments.runner import config_yaml, recorded_config

    cfg = config("strategies=[case_focus,no_pressure]", "scenario.calibration=''")
    recorded = recorded_config(cfg, job_strategies(cfg))
    assert recorded["strategy_presets"] and recorded["scenario"]["calibration"] == ""
    assert config_yaml(recorded) == yaml.safe_dump(recorded, sort_keys=False)
    # a very long string may be folded elsewhere than PyYAML folds it, but reads back the same
    recorded["sweep_name"] = "a long name ¶ " * 40
    assert yaml.safe_load(config_yaml(recorded)) == recorded


def test_columns_a_caller_adds_never_replace_a_runs_identity():
    """experiments.api adds a column for each value its points differ in: points that differ
    in root seed must keep each run's own seed (the root goes in root_seed), and points that
    differ in their strategies must still record series (a list is one text value)."""
    from experiments.api import load_params, run_points
    from experiments.seeds import replication_seed

    df = run_points([load_params(seed=1, steps=5), load_params(seed=2, steps=5)], replications=2)
    want = [replication_seed(root, r) for root in (1, 2) for r in range(2)]
    assert df["seed"].tolist() == want and df["root_seed"].tolist() == [1, 1, 2, 2]
    both = ["case_focus", "no_pressure"]
    points = [
        load_params(strategies=both, steps=5, record_timeseries=True),
        load_params(strategy="balanced", steps=5, record_timeseries=True),
    ]
    out = run_points(points, replications=1)  # a list inserted into series raised here
    assert out["strategy"].tolist() == [*both, "balanced"]
