"""The calibration machinery: patterns, priors, the seeded sampler, the posterior runs read."""

import dataclasses
import math
import operator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import config
from experiments.calibration import cli
from experiments.calibration.patterns import BY_NAME, PATTERNS, distance, in_band
from experiments.calibration.posterior import (
    WEIGHT,
    draw,
    draw_index,
    load_posterior,
    resolve_scenario,
)
from experiments.calibration.spec import load_spec
from experiments.runner import run_replications
from sim.model import ReformModel
from sim.params import ParameterError, ScenarioParams, replace_paths

INSIDE = {  # a statistic inside every band
    "emigration_early": 150,
    "emigration_late": 800,
    "prisoners_released": 380,
    "known_prisoners_remaining": 450,
    "prisoners_remaining": 2600,
    "summer_demonstrations": 40,
    "first_crackdown_week": 45,
    "autumn_crackdown": 0.6,
    "items_enacted": 1,
    "items_at_most_two": 0.9,
    "tactical_concessions": 1.0,
}


def test_distance_is_zero_inside_every_band_and_grows_with_each_miss():
    assert set(INSIDE) == {p.name for p in PATTERNS}
    assert distance(INSIDE) == 0 and all(in_band(INSIDE).values())
    late = INSIDE | {"emigration_late": 1100}  # 200 above the band: 2 scale units
    assert distance(late) == pytest.approx(2.0)
    assert in_band(late)["emigration_late"] is False
    both = late | {"first_crackdown_week": 17}  # 10 weeks early: 2 units
    assert distance(both) == pytest.approx(math.sqrt(8))
    assert BY_NAME["autumn_crackdown"].miss(0.5) > 0  # "most runs" is more than half
    assert distance(INSIDE | {"summer_demonstrations": float("nan")}) == math.inf


def test_spec_lists_every_hand_set_and_design_parameter_with_a_reason():
    spec = load_spec("baseline_1987")
    design = config("experiment=sensitivity").design.parameters
    assert set(design) <= set(spec.paths)
    hand = [  # set by hand in ODD section 7 and for M13-M17
        "groups.threshold_mean",
        "groups.repression_risk",
        "leadership.reform_caution",
        "groups.shock_rate",
        "leadership.reform_step",
        "releases.release_hazard",
        "policy.promise_rate",
        "leadership.crackdown_depth",
        "policy.domestic_drive",
        "leadership.limit_recovery",
        "leadership.conference_value",
        "releases.application_rate",
        "releases.reapply_rate",
        "releases.applicants_initial",
    ]
    assert set(hand) <= set(spec.paths)
    default = config("scenario=baseline_1987_hand").scenario
    for p in spec.priors:  # the hand value lies inside its prior
        assert p.lo <= operator.attrgetter(p.path)(default) <= p.hi, p.path
        assert len(p.why) > 10


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("  groups.threshold_mean: [0.35, 0.65,", "priors.groups.treshold_mean: not a numeric"),
        ("  leadership.crackdown_depth: [0.08, 0.2,", "outside the allowed [0, 1]"),
        ("replications: 5", "replications = 0: expected an integer"),
    ],
)
def test_a_bad_spec_is_refused_by_field_before_any_run(tmp_path, edit, message, capsys):
    text = load_spec("baseline_1987").source.read_text()
    bad = {
        "  groups.threshold_mean: [0.35, 0.65,": "  groups.treshold_mean: [0.35, 0.65,",
        "  leadership.crackdown_depth: [0.08, 0.2,": "  leadership.crackdown_depth: [0.08, 1.2,",
        "replications: 5": "replications: 0",
    }[edit]
    assert edit in text
    spec = tmp_path / "bad.yaml"
    spec.write_text(text.replace(edit, bad))
    assert cli.main([str(spec), "--out", str(tmp_path / "post.parquet")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "post.parquet").exists()


def _tiny(tmp_path: Path, workers: int, seed: int = 7) -> pd.DataFrame:
    from experiments.calibration.abc import calibrate

    spec = dataclasses.replace(
        load_spec("baseline_1987"), replications=1, seed=seed, tolerance="adaptive"
    )
    return calibrate(
        spec, workers, tmp_path / f"w{workers}-{seed}", population=6, max_generations=2
    ).posterior


@pytest.mark.slow
def test_the_posterior_depends_on_the_seed_not_on_the_number_of_workers(tmp_path):
    one, two = _tiny(tmp_path, 1), _tiny(tmp_path, 2)
    pd.testing.assert_frame_equal(one, two)
    assert np.isclose(one[WEIGHT].sum(), 1.0) and len(one) == 6
    other = _tiny(tmp_path, 2, seed=8)
    assert not np.allclose(one.drop(columns=WEIGHT), other.drop(columns=WEIGHT))


def _posterior(tmp_path: Path, weights) -> Path:
    frame = pd.DataFrame(
        {
            "leadership.reform_commitment": [0.55, 0.65, 0.85],
            "releases.applicants_initial": [1500, 2500, 5000],
            WEIGHT: weights,
        }
    )
    path = tmp_path / "post.parquet"
    frame.to_parquet(path)
    return path


def test_a_run_draws_by_its_seed_and_weights_and_the_scenario_shifts_the_draw(tmp_path):
    path = _posterior(tmp_path, [0.0, 1.0, 0.0])
    scenario = ScenarioParams(calibration=str(path), shifts={"leadership.reform_commitment": 0.2})
    for seed in (1, 2, 3):
        resolved, index = resolve_scenario(scenario, seed)
        assert index == 1 and resolved.calibration == ""
        assert resolved.releases.applicants_initial == 2500
        model = ReformModel(dataclasses.replace(config("steps=2"), scenario=resolved), rng=seed)
        assert model.params.scenario.leadership.reform_commitment == pytest.approx(0.85)
    even = load_posterior(str(_posterior(tmp_path, [1 / 3] * 3)))
    picks = [draw_index(even, s) for s in range(300)]
    assert picks == [draw_index(even, s) for s in range(300)]  # a function of the seed
    assert min(np.bincount(picks, minlength=3)) > 60  # every particle is drawn


def test_shifts_are_clipped_to_the_parameter_range_and_applied_once():
    s = ScenarioParams(shifts={"leadership.reform_commitment": 0.4})
    shifted = s.with_shifts()
    assert shifted.leadership.reform_commitment == 1.0 and shifted.shifts == {}
    assert shifted.with_shifts() is shifted
    with pytest.raises(ParameterError, match=r"scenario\.shifts\.leadership\.reform_comitment"):
        ScenarioParams(shifts={"leadership.reform_comitment": 0.1})


def test_a_model_refuses_a_calibrated_scenario_whose_draw_was_not_taken():
    cfg = config("scenario=baseline_1987", "steps=2")
    assert cfg.scenario.calibration == "baseline_1987"
    with pytest.raises(ValueError, match="draw this run's parameters"):
        ReformModel(cfg, rng=1)


def test_a_bad_posterior_file_is_refused_by_name(tmp_path):
    bad = tmp_path / "bad.parquet"
    pd.DataFrame({"leadership.nonsense": [0.1], WEIGHT: [1.0]}).to_parquet(bad)
    with pytest.raises(ParameterError, match="not a posterior"):
        load_posterior(str(bad))
    with pytest.raises(ParameterError, match="no posterior file"):
        load_posterior("no_such_calibration")


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (1.7, r"particle 1 .*: scenario.leadership.reform_step = 1.7: expected float, a value"),
        (float("nan"), r"particle 1 .*: scenario.leadership.reform_step = nan: expected float"),
    ],
)
def test_a_posterior_particle_outside_its_parameters_range_is_refused_when_read(
    tmp_path, value, fragment
):
    """Checked when the file is read (a sweep's plan check reads it), naming the particle, the
    parameter, its value and, for a range, what is allowed; not by whichever run draws it."""
    bad = tmp_path / "bad.parquet"
    frame = pd.DataFrame({"leadership.reform_step": [0.01, value], WEIGHT: [0.5, 0.5]})
    frame.to_parquet(bad)
    with pytest.raises(ParameterError, match=fragment) as err:
        load_posterior(str(bad))
    assert str(bad) in str(err.value)
    frame.iloc[1, 0] = 0.02
    frame.to_parquet(bad)
    assert len(load_posterior(str(bad))) == 2  # the same file within range is read


def test_a_posterior_with_a_non_numeric_column_or_bad_weights_is_refused(tmp_path):
    bad = tmp_path / "bad.parquet"
    pd.DataFrame({"factions.influence": [0.1], WEIGHT: [1.0]}).to_parquet(bad)  # a mapping
    with pytest.raises(ParameterError, match=r"non-numeric columns \['factions.influence'\]"):
        load_posterior(str(bad))
    pd.DataFrame({"leadership.reform_step": [0.01, 0.02], WEIGHT: [np.nan, 1.0]}).to_parquet(bad)
    with pytest.raises(ParameterError, match="must be finite"):
        load_posterior(str(bad))
    pd.DataFrame({"releases.applicants_initial": [1000.0, 2.5], WEIGHT: [0.5, 0.5]}).to_parquet(bad)
    with pytest.raises(ParameterError, match=r"applicants_initial = 2.5: expected int"):
        load_posterior(str(bad))  # an int parameter takes whole numbers only


@pytest.mark.slow
def test_replication_r_takes_the_same_draw_under_every_strategy_and_scenario():
    arms = (
        ("baseline_1987", "case_focus"),
        ("baseline_1987", "no_pressure"),
        ("hardline_surge", "case_focus"),
    )
    runs = [
        run_replications(config(f"scenario={sc}", f"strategy={st}", "steps=4", "replications=12"))
        for sc, st in arms
    ]
    runs = [out for out, _ in runs]
    draws = [r.set_index("replication")["posterior_draw"] for r in runs]
    assert draws[0].equals(draws[1]) and draws[0].equals(draws[2])
    assert draws[0].nunique() >= 8  # replications take different draws
    hand = run_replications(config("scenario=baseline_1987_hand", "steps=4", "replications=2"))[0]
    assert "posterior_draw" not in hand.columns


def test_a_value_the_user_sets_is_never_replaced_by_a_draw():
    from experiments.runner import model_params

    cfg = config("scenario.leadership.crackdown_depth=0.11", "steps=2")
    assert cfg.scenario.pinned == ("leadership.crackdown_depth",)
    runs = [model_params(cfg, {}, seed)[0].scenario for seed in range(6)]
    assert {s.leadership.crackdown_depth for s in runs} == {0.11}
    assert len({s.leadership.reform_step for s in runs}) > 1  # the others are drawn
    preset = replace_paths(config("steps=2").scenario, {"groups.contagion": 0.59})
    assert resolve_scenario(preset, 3)[0].groups.contagion == 0.59  # set by a preset: kept


@pytest.mark.slow
def test_the_committed_posterior_is_what_this_code_produces(tmp_path):
    """A change to the model's 1987 dynamics makes the posterior stale: recalibrate."""
    from experiments.calibration.abc import calibrate

    spec = load_spec("baseline_1987")
    first = calibrate(spec, 1, tmp_path, population=3).posterior.drop(columns=WEIGHT)
    committed = load_posterior("baseline_1987").drop(columns=WEIGHT).iloc[:3]
    pd.testing.assert_frame_equal(first, committed.reset_index(drop=True), check_dtype=False)


def test_user_set_and_design_values_are_final_not_shifted():
    from experiments.runner import model_params

    cfg = config("scenario=committed_reformer", "scenario.leadership.reform_commitment=0.6")
    assert model_params(cfg, {}, 3)[0].scenario.leadership.reform_commitment == 0.6
    cfg = config("scenario=committed_reformer")
    design = model_params(cfg, {"leadership.reform_commitment": 0.5}, 3)[0].scenario
    assert design.leadership.reform_commitment == 0.5
    drawn = model_params(cfg, {}, 3)[0].scenario
    _, values = draw("baseline_1987", 3)  # the particle of seed 3, shifted by +0.2
    expected = min(1.0, values["leadership.reform_commitment"] + 0.2)
    assert drawn.leadership.reform_commitment == pytest.approx(expected)
    assert drawn.shifts == {}
