"""For random valid parameters: indices in [0, 1], counts non-negative, cases conserved, no NaN."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.model import ReformModel
from sim.params import ModelParams, ScenarioParams, StrategyParams, replace_paths
from sim.recording import COUNT_SERIES

unit = st.floats(0.0, 1.0, allow_nan=False)


@st.composite
def model_params(draw):
    shares = np.array([draw(st.floats(0.01, 1.0)) for _ in range(3)])
    shares = shares / shares.sum()
    strategy = StrategyParams(
        pressure=draw(unit),
        share_institutions=float(shares[0]),
        share_cases=float(shares[1]),
        share_cooperation=1.0 - float(shares[0]) - float(shares[1]),
        n_lists=draw(st.integers(0, 20)),
        list_size=draw(st.integers(0, 800)),
        list_accuracy=draw(unit),
        prioritized=draw(st.booleans()),
        category_statements=draw(st.booleans()),
        coordination=draw(unit),
        sidetrack_resistance=draw(unit),
        public_diplomacy=draw(unit),
        publicity=draw(unit),
        multilateral_framing=draw(unit),
        document_emphasis=draw(unit),
    )
    scenario = replace_paths(
        ScenarioParams(),
        {
            "groups.n_groups": draw(st.integers(1, 300)),
            "groups.network_degree": draw(st.integers(0, 10)),
            "groups.network_kind": draw(st.sampled_from(["small_world", "complete"])),
            "groups.grievance_mean": draw(unit),
            "groups.threshold_mean": draw(st.floats(-0.5, 1.5)),
            "groups.contagion": draw(st.floats(0, 3)),
            "leadership.mobilization_tolerance": draw(unit),
            "leadership.reform_commitment": draw(unit),
            "leadership.crackdown_depth": draw(unit),
            "leadership.arrest_rate": draw(unit),
            "factions.floor_breach_depth": draw(unit),
            "factions.hardline_threshold": draw(unit),
            "leadership.cheap_concession_bias": draw(unit),
            "groups.backlash": draw(unit),
            "groups.shock_rate": draw(unit),
            "cases.known_prisoners": draw(st.integers(0, 500)),
            "cases.unknown_prisoners": draw(st.integers(0, 500)),
            "cases.known_refuseniks": draw(st.integers(0, 500)),
            "cases.reply_falsity": draw(unit),
            "ngos.expectation_extrapolation": draw(st.floats(0, 5)),
            "ngos.n_ngos": draw(st.integers(0, 6)),
        },
    )
    return ModelParams(scenario=scenario, strategy=strategy, steps=draw(st.integers(1, 60)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params=model_params(), seed=st.integers(0, 2**32))
def test_invariants_hold_for_random_valid_parameters(params, seed):
    model = ReformModel(params, rng=seed)
    result = model.run()
    ts = result.timeseries
    assert not ts.isna().any().any()
    for col in [
        "liberalization",
        "codified",
        "mobilization",
        "disappointment",
        "cohesion",
        "hardline_share",
        "receptivity",
        "reactance",
        "approval",
    ]:
        assert ts[col].between(0.0, 1.0).all(), col
    practice = ts.filter(like="practice_").to_numpy()
    floor = ts.filter(like="floor_").to_numpy()
    assert ((practice >= 0) & (practice <= 1) & (floor >= 0) & (floor <= 1)).all()
    assert (ts[list(COUNT_SERIES)] >= 0).all().all()
    model.cases.assert_conserved()
    # the recorded resolutions, week by week, are those the registry dated to that week
    rw = model.cases.resolved_week[: model.cases.n]
    per_week = np.bincount(rw[rw >= 1], minlength=params.steps + 1)[1 : params.steps + 1]
    assert np.array_equal(np.diff(ts["cases_resolved_true"].to_numpy()), per_week)
    out = result.outcomes
    assert all(not (isinstance(v, float) and np.isnan(v)) for v in out.values())


def test_stepping_past_the_horizon_records_on_and_stops_running():
    model = ReformModel(ModelParams(scenario=small(), steps=10), rng=1)
    for _ in range(10):
        model.step()
    assert model.running is False  # Mesa's convention: the model stops itself at its horizon
    for _ in range(25):  # the dashboard's Play button may go on
        model.step()
    ts = model.recorder.frame()
    assert len(ts) == 36 and ts["step"].iloc[-1] == 35
    assert not ts.isna().any().any()


def test_influences_stay_finite_over_a_long_horizon_with_the_largest_shift():
    scenario = replace_paths(small(), {"factions.influence_shift": 1.0})
    model = ReformModel(ModelParams(scenario=scenario, steps=3000), rng=2)
    ts = model.run().timeseries
    assert np.isfinite(ts["hardline_share"]).all()
    assert ts["hardline_share"].between(0.0, 1.0).all()
    assert all(np.isfinite(f.influence) for f in model.bureaucracy.factions)


def small() -> ScenarioParams:
    return replace_paths(ScenarioParams(), {"groups.n_groups": 100})
