"""End to end: the `reform-sim` command writes its results, and refuses bad input cleanly."""

import json
import subprocess
import sys

import pandas as pd
import pytest

OUTCOME_COLUMNS = [
    "replication",
    "seed",
    "strategy",
    "scenario",
    "rollback",
    "time_to_rollback",
    "max_drawdown",
    "final_liberalization",
    "final_codified",
    "emigration_total",
    "prisoners_released",
    "prisoners_remaining",
    "crackdowns",
    "items_enacted",
    "listed_cases_resolved",
]
SERIES_COLUMNS = [
    "replication",
    "step",
    "liberalization",
    "codified",
    "mobilization",
    "demonstrations",
    "crackdown",
    "arrests",
    "prisoners",
    "emigration",
    "disappointment",
]


def reform_sim(tmp_path, *overrides):
    cmd = [sys.executable, "-m", "experiments", f"hydra.run.dir={tmp_path}/run", *overrides]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_one_run_writes_outcomes_series_config_and_metadata(tmp_path):
    proc = reform_sim(
        tmp_path,
        "scenario=hardline_surge",
        "strategy=case_focus",
        "seed=7",
        "steps=30",
        "replications=3",
        "record_timeseries=true",
        "scenario.groups.n_groups=500",
    )
    assert proc.returncode == 0, proc.stderr
    run = tmp_path / "run"
    out = pd.read_parquet(run / "outcomes.parquet")
    assert list(out["replication"]) == [0, 1, 2]
    assert set(OUTCOME_COLUMNS) <= set(out.columns)
    assert (out["strategy"] == "case_focus").all() and (out["scenario"] == "hardline_surge").all()
    ts = pd.read_parquet(run / "timeseries.parquet")
    assert set(SERIES_COLUMNS) <= set(ts.columns)
    assert len(ts) == 3 * 31
    meta = json.loads((run / "metadata.json").read_text())
    assert meta["root_seed"] == 7
    assert meta["replication_seeds"] == out["seed"].tolist()
    assert meta["versions"]["mesa"].startswith("3.5")
    assert "commit" in meta["code"]
    assert "n_groups: 500" in (run / "config.yaml").read_text()
    assert "rollback" in proc.stdout and "results:" in proc.stdout
    assert not list(run.glob(".*.tmp"))


@pytest.mark.slow
def test_same_command_same_results(tmp_path):
    args = ("steps=20", "replications=2", "scenario.groups.n_groups=300")
    a = reform_sim(tmp_path / "a", *args)
    b = reform_sim(tmp_path / "b", *args)
    assert a.returncode == b.returncode == 0
    pa = pd.read_parquet(tmp_path / "a/run/outcomes.parquet")
    pb = pd.read_parquet(tmp_path / "b/run/outcomes.parquet")
    assert pa.equals(pb)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("strategy=charm_offensive", "Could not find 'strategy/charm_offensive'"),
        ("scenario=glasnost", "Could not find 'scenario/glasnost'"),
        ("steps=0", "steps = 0: out of range, expected a value in [1, 100,000]"),
        ("steps=-5", "steps = -5"),
        ("replications=0", "replications = 0: expected a whole number in [1, 1,000,000], or auto"),
        ("scenario.groups.n_groups=0", "scenario.groups.n_groups = 0: out of range"),
        (
            "scenario.leadership.arrest_rate=1.5",
            "arrest_rate = 1.5: out of range, expected a value in [0, 1]",
        ),
        ("strategy.list_accuracy=-0.2", "strategy.list_accuracy = -0.2"),
        ("steps=many", "steps = 'many': expected int, a value in [1, 100,000]"),
        (
            "scenario.leadership.reform_step=fast",
            "scenario.leadership.reform_step = 'fast': expected float, a value in [0, 0.5]",
        ),
        (
            "strategy.share_cases=0.9 strategy.share_institutions=0.3 "
            "strategy.share_cooperation=0.1",
            "must sum to 1",
        ),
        (
            "scenario.reform_commitment=0.9",
            "scenario.reform_commitment: scenario parameters are grouped by submodel since 0.2; "
            "this one is now scenario.leadership.reform_commitment",
        ),
        ("+scenario.faction_influence.reformers=0.5", "now scenario.factions.influence.reformers"),
        ("mechanisms.M18=false", "mechanisms.M18: no such parameter; did you mean mechanisms.M"),
        ("mechanisms.M3=maybe", "mechanisms.M3 = 'maybe': expected true or false"),
        ("+scenario.arest_rate=0.2", "did you mean scenario.leadership.arrest_rate?"),
        ("scenario.leadership.arrest_rate=0.3,1.5,2", "arrest_rate = 2: out of range"),
    ],
)
def test_bad_input_one_clear_message_nonzero_exit_no_results(tmp_path, override, message):
    extra = [] if override.startswith("steps") else ["steps=5"]
    proc = reform_sim(tmp_path, *override.split(), *extra)
    assert proc.returncode != 0
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "run").exists()


def test_help_opens_with_the_project_and_lists_its_presets():
    proc = subprocess.run(
        [sys.executable, "-m", "experiments", "--help"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("reform-sim: an agent-based model of reform and crackdown")
    lines = {ln.split(":")[0]: ln for ln in proc.stdout.splitlines() if ":" in ln}
    assert "hardline_shock" in lines["scenario"] and "memo_recommended" in lines["strategy"]
    assert "strategy_comparison" in lines["experiment"]
    assert "calibration" not in lines  # the calibration spec is no preset


def test_an_experiment_files_sweep_is_checked_point_by_point_before_launch(tmp_path):
    from experiments.config import RunConfig
    from experiments.overrides import check_overrides, experiment_sweep
    from sim.params import ParameterError

    (tmp_path / "experiment").mkdir()
    (tmp_path / "experiment" / "mine.yaml").write_text(
        "hydra:\n  sweeper:\n    params:\n"
        "      scenario.leadership.arrest_rate: 0.2,0.4,1.5\n"
        "      scenario.factions.influence.reformers: 0.3,7\n"
    )
    sweep = experiment_sweep(["experiment=mine"], tmp_path)
    with pytest.raises(ParameterError) as err:
        check_overrides(sweep, RunConfig)
    assert "arrest_rate = 1.5: out of range" in str(err.value)
    assert "influence.reformers = 7: out of range" in str(err.value)
    # a key the command line sets is the command line's, not the file's
    fixed = experiment_sweep(["experiment=mine", "scenario.leadership.arrest_rate=0.3"], tmp_path)
    assert all(not s.startswith("scenario.leadership.arrest_rate") for s in fixed)


def test_the_code_version_is_asked_of_git_once_unless_git_could_not_answer(monkeypatch):
    """Every job's metadata names the code that ran: git is asked once per process (twice a job
    cost 25 ms), but a failure (no git, a timeout) must not stick for the rest of the process."""
    from experiments import results

    monkeypatch.setattr(results, "_CODE_VERSION", None)
    real, calls = results.subprocess.run, []

    def no_git(*args, **kwargs):
        calls.append(args)
        raise OSError("git: not found")

    monkeypatch.setattr(results.subprocess, "run", no_git)
    assert results.code_version() == {"commit": "unknown", "dirty": None}
    monkeypatch.setattr(results.subprocess, "run", lambda *a, **k: calls.append(a) or real(*a, **k))
    first = results.code_version()
    asked = len(calls)
    assert first["commit"] != "unknown" and isinstance(first["dirty"], bool)
    assert results.code_version() == first and len(calls) == asked
