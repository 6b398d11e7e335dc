"""For random valid parameters: indices in [0, 1], counts non-negative, cases conserved, no NaN."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.metrics import COUNT_SERIES
from sim.model import ReformModel
from sim.params import ModelParams, ScenarioParams, StrategyParams

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
    scenario = ScenarioParams(
        n_groups=draw(st.integers(1, 300)),
        network_degree=draw(st.integers(0, 10)),
        network_kind=draw(st.sampled_from(["small_world", "complete"])),
        grievance_mean=draw(unit),
        threshold_mean=draw(st.floats(-0.5, 1.5)),
        contagion=draw(st.floats(0, 3)),
        mobilization_tolerance=draw(unit),
        reform_commitment=draw(unit),
        crackdown_depth=draw(unit),
        arrest_rate=draw(unit),
        floor_breach_depth=draw(unit),
        hardline_threshold=draw(unit),
        cheap_concession_bias=draw(unit),
        backlash=draw(unit),
        shock_rate=draw(unit),
        known_prisoners=draw(st.integers(0, 500)),
        unknown_prisoners=draw(st.integers(0, 500)),
        known_refuseniks=draw(st.integers(0, 500)),
        reply_falsity=draw(unit),
        expectation_extrapolation=draw(st.floats(0, 5)),
        n_ngos=draw(st.integers(0, 6)),
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
    assert ts["open_cases"].iloc[-1] + ts["cases_resolved_true"].iloc[-1] == model.cases.n
    out = result.outcomes
    assert all(not (isinstance(v, float) and np.isnan(v)) for v in out.values())
    assert 0 <= out["max_drawdown"] <= 1
    assert 0 <= out["time_to_rollback"] <= params.steps
