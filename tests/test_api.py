"""The Python API: presets without Hydra's compose, points on paired seeds, the report, and
the EMA Workbench driving the model through it."""

import dataclasses
import importlib.util
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import config
from experiments.api import load_params, presets, report, run_points
from experiments.config import config_hash
from experiments.runner import run_replications
from sim.params import ParameterError

ROOT = Path(__file__).resolve().parent.parent
SMALL = {"scenario.groups.n_groups": 200}


@pytest.mark.parametrize(
    ("scenario", "strategy", "overrides"),
    [(s, "case_focus", {}) for s in presets("scenario")]
    + [("hardline_surge", s, {}) for s in presets("strategy")]
    + [
        (
            "mobilization_wave",
            "memo_recommended",
            {"scenario.leadership.arrest_rate": 0.2, "scenario.factions.influence.reformers": 1},
        ),
        ("baseline_1987", "balanced", {"mechanisms.M3": False, "steps": 52, "seed": 7}),
    ],
)
def test_presets_load_as_the_command_line_composes_them(scenario, strategy, overrides):
    """Equal dataclasses and equal config hashes: a job run from the API resumes a job run
    from the command line and the other way round."""
    cli = [f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in overrides.items()]
    want = config(f"scenario={scenario}", f"strategy={strategy}", *cli)
    got = load_params(scenario, strategy, overrides)
    assert got == want
    assert config_hash(got) == config_hash(want)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: load_params("glasnost"), "scenario = 'glasnost': no such preset"),
        (lambda: load_params(strategy="charm"), "strategy = 'charm': no such preset"),
        (lambda: load_params(overrides={"strategy.n_list": 3}), "did you mean strategy.n_lists"),
        (lambda: load_params(steps=0), "steps = 0: out of range"),
        (
            lambda: load_params(
                overrides={
                    f"strategy.share_{k}": 0.5 for k in ("institutions", "cases", "cooperation")
                }
            ),
            "must sum to 1",
        ),
    ],
)
def test_bad_names_and_values_are_refused(call, message):
    with pytest.raises(ParameterError, match=message.replace("(", r"\(")):
        call()


def test_a_value_set_through_the_api_is_pinned_against_the_posterior():
    p = load_params("baseline_1987", overrides={"scenario.leadership.reform_commitment": 0.6})
    assert "leadership.reform_commitment" in p.scenario.pinned
    assert "leadership.reform_commitment" not in load_params("baseline_1987").scenario.pinned


def test_presets_load_without_the_launcher_plugins():
    """A driver needs neither Hydra's launchers nor Ray or submitit: hide them and load."""
    code = (
        "import sys, importlib.abc\n"
        "class Hide(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('hydra_plugins', 'ray', 'submitit', 'joblib'):\n"
        "            raise ImportError(name + ' hidden')\n"
        "sys.meta_path.insert(0, Hide())\n"
        "from experiments.api import load_params\n"
        "p = load_params('hardline_surge', 'case_focus', steps=10)\n"
        "assert p.steps == 10 and p.strategy.name == 'case_focus'\n"
        "assert not any(m.split('.')[0] in ('hydra_plugins', 'ray') for m in sys.modules)\n"
        "print('ok')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_run_points_pairs_seeds_and_writes_a_sweep_the_report_reads(tmp_path):
    points = [
        load_params("baseline_1987", s, SMALL, steps=12)
        for s in ("institutionalization", "case_focus")
    ]
    mem = run_points(points, replications=4)
    seeds = mem.groupby("point")["seed"].apply(tuple)
    assert seeds.nunique() == 1 and len(seeds.iloc[0]) == 4  # same seeds at every point
    assert set(mem["strategy"]) == {"institutionalization", "case_focus"}
    alone = run_replications(dataclasses.replace(points[1], replications=4))[0]
    pd.testing.assert_series_equal(
        mem.loc[mem["point"] == 1, "final_liberalization"].reset_index(drop=True),
        alone["final_liberalization"],
    )
    written = run_points(points, replications=4, out=tmp_path / "sweep")
    pd.testing.assert_frame_equal(written, mem)
    rep = report(tmp_path / "sweep", tmp_path / "report")
    text = (tmp_path / "report" / "report.md").read_text()
    assert "## Headline: institutionalisation against case focus" in text
    assert rep.figures


def test_the_ema_workbench_example_drives_the_model():
    """The README's example, smaller: the Workbench samples four points twice with one seed
    and gets the same points and outcomes; the points change the outcomes."""
    from ema_workbench import perform_experiments

    spec = importlib.util.spec_from_file_location(
        "ema_example", ROOT / "docs" / "examples" / "ema_workbench.py"
    )
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    model = example.workbench_model(replications=3, steps=20)
    (exp1, out1), (exp2, out2) = [
        perform_experiments(model, scenarios=4, uncertainty_sampling_kwargs={"rng": 5})
        for _ in range(2)
    ]
    assert len(exp1) == 4 and set(out1) == {"rollback", "final_liberalization"}
    pd.testing.assert_frame_equal(exp1[["tolerance", "depth"]], exp2[["tolerance", "depth"]])
    assert (out1["final_liberalization"] == out2["final_liberalization"]).all()  # reproducible
    assert out1["final_liberalization"].std() > 0  # the sampled points change the runs


def test_run_points_records_what_differs_as_a_sweep_records_its_swept_keys():
    lists = [load_params("baseline_1987", "case_focus", {"strategy.n_lists": n}) for n in (1, 4)]
    presets_only = [load_params("baseline_1987", s) for s in ("case_focus", "balanced")]
    from experiments.api import _varied

    assert _varied(lists) == {"strategy.n_lists": [1, 4]}
    assert _varied(presets_only) == {"strategy": ["case_focus", "balanced"]}


def test_the_readme_library_example_runs():
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## From Python") :]
    blocks = section.split("```python\n")[1:]
    library = next(b.split("```")[0] for b in blocks if "from sim.model import" in b)
    scope: dict = {}
    exec(compile(library, "README.md", "exec"), scope)
    assert scope["draw"] is not None  # hardline_surge drew from the posterior
    assert 0 <= scope["result"].outcomes["final_liberalization"] <= 1


@pytest.mark.parametrize(
    ("named", "derived", "value"),
    [
        ({"strategy.share_institutions": 0.45}, "share_cases", 0.5),  # 1 - 0.45 - 0.05
        ({"strategy.share_cooperation": 0.25}, "share_cases", 0.6),  # 1 - 0.15 - 0.25
        ({"strategy.share_cases": 0.5}, "share_institutions", 0.45),  # 1 - 0.5 - 0.05
        (
            {"strategy.share_institutions": 0.2, "strategy.share_cases": 0.3},
            "share_cooperation",
            0.5,
        ),
    ],
)
def test_setting_one_attention_share_gives_the_remainder_to_another(named, derived, value):
    """Sweeping a share is one override: `strategy.share_institutions=0.1,0.45,0.8` needs no
    resolver, and the command line and the API agree."""
    cli = config("strategy=case_focus", *(f"{k}={v}" for k, v in named.items()))
    api = load_params("baseline_1987", "case_focus", named)
    assert getattr(cli.strategy, derived) == pytest.approx(value)
    assert api == cli
    untouched = set(("share_institutions", "share_cases", "share_cooperation")) - {
        derived,
        *(k.removeprefix("strategy.") for k in named),
    }
    for share in untouched:  # the share not named and not derived keeps the preset's value
        assert getattr(cli.strategy, share) == getattr(
            config("strategy=case_focus").strategy, share
        )


def test_load_params_merges_mappings_and_reads_strings_as_the_command_line_does():
    merged = load_params(
        "hardline_surge", overrides={"scenario.factions.influence": {"reformers": 0.5}}
    )
    cli = config("scenario=hardline_surge", "scenario.factions.influence.reformers=0.5")
    assert merged == cli
    assert load_params(overrides={"scenario.leadership.arrest_rate": "0.2"}) == load_params(
        overrides={"scenario.leadership.arrest_rate": 0.2}
    )
    with pytest.raises(ParameterError, match="arrest_rate = 'fast'"):
        load_params(overrides={"scenario.leadership.arrest_rate": "fast"})


HIDE_EXTRAS = (
    "import sys, importlib.abc\n"
    "class Hide(importlib.abc.MetaPathFinder):\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        if name.split('.')[0] in ('ray', 'submitit', 'solara', 'altair', 'ipyvue',\n"
    "                                  'ipyvuetify', 'playwright', 'hydra_plugins'):\n"
    "            raise ImportError(name + ' hidden')\n"
    "sys.meta_path.insert(0, Hide())\n"
)


def test_the_core_runs_without_the_cluster_and_dashboard_extras(tmp_path):
    """`pip install .` without [cluster] or [dashboard]: the model, the runner, calibration
    and the analysis import and run with Ray, submitit, Solara and Playwright absent; the
    dashboard says which extra it needs."""
    code = HIDE_EXTRAS + (
        "import experiments.runner, experiments.aggregate, experiments.calibration.cli\n"
        "import analysis.report, analysis.cli, sim.model\n"
        "from experiments.api import load_params, run_points, report\n"
        "p = [load_params('baseline_1987', s, {'scenario.groups.n_groups': 100}, steps=8)\n"
        "     for s in ('institutionalization', 'case_focus')]\n"
        f"run_points(p, replications=3, out=r'{tmp_path}/s')\n"
        f"report(r'{tmp_path}/s')\n"
        "from experiments.dashboard import main\n"
        "sys.exit(main([]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2, proc.stderr
    assert "needs the [dashboard] extra" in proc.stderr and "Traceback" not in proc.stderr
    assert (tmp_path / "s" / "report" / "report.md").exists()


def test_a_real_sweep_of_a_strategy_parameter_is_three_cells_with_a_trend(tmp_path):
    """The issue's own example, run for real (small): case focus at 1, 4 and 16 lists on the
    same seeds, written as a sweep and reported: three cells, never pooled, and the trend."""
    points = [
        load_params("baseline_1987", "case_focus", {"strategy.n_lists": n, **SMALL}, steps=20)
        for n in (1, 4, 16)
    ]
    run_points(points, replications=6, out=tmp_path / "lists")
    rep = report(tmp_path / "lists", tmp_path / "rep")
    table = pd.read_csv(tmp_path / "rep" / "tables" / "rollback_by_strategy.csv")
    assert sorted(table["strategy"]) == [
        "case_focus n_lists=1",
        "case_focus n_lists=16",
        "case_focus n_lists=4",
    ]
    assert table["n"].eq(6).all()  # six runs a cell: never the 18 of a pooled cell
    assert "trend_n_lists" in {f.name for f in rep.figures}
