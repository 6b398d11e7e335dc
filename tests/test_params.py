"""Parameters validate themselves with one clear message naming field, value and what is allowed."""

import dataclasses

import pytest

from sim.params import ModelParams, ParameterError, ScenarioParams, StrategyParams, field_docs
from sim.policy import PolicyState


def test_defaults_are_valid():
    ModelParams()


@pytest.mark.parametrize(
    ("cls", "kwargs", "fragment"),
    [
        (ScenarioParams, {"n_groups": 0}, "n_groups = 0"),
        (ScenarioParams, {"arrest_rate": 1.5}, "[0, 1]"),
        (ScenarioParams, {"arrest_rate": -0.1}, "arrest_rate = -0.1"),
        (ScenarioParams, {"n_groups": 2.5}, "expected int"),
        (ScenarioParams, {"reform_step": "fast"}, "expected float"),
        (ScenarioParams, {"network_kind": "grid"}, "small_world, complete"),
        (ScenarioParams, {"reform_commitment": float("nan")}, "reform_commitment"),
        (ScenarioParams, {"faction_influence": {"reformers": 1.0}}, "expected exactly"),
        (StrategyParams, {"list_accuracy": 2.0}, "strategy.list_accuracy = 2.0"),
        (StrategyParams, {"share_cases": 0.9}, "must sum to 1"),
        (StrategyParams, {"prioritized": "yes"}, "expected bool"),
    ],
)
def test_bad_values_are_rejected_with_field_value_and_allowed(cls, kwargs, fragment):
    with pytest.raises(ParameterError) as err:
        cls(**kwargs)
    assert fragment in str(err.value)


def test_steps_must_be_positive():
    with pytest.raises(ParameterError, match=r"steps = 0: out of range, expected a value in \[1,"):
        ModelParams(steps=0)


def test_unknown_reform_item_is_rejected():
    with pytest.raises(ParameterError, match="not a reform item"):
        PolicyState(ScenarioParams(items_enacted_at_start=["perestroika"]))


def test_every_parameter_is_documented_once():
    for cls in (ScenarioParams, StrategyParams, ModelParams):
        docs = field_docs(cls)
        names = [d["name"] for d in docs]
        assert len(names) == len(set(names))
        assert all(d["help"] for d in docs)
        documented = {f.name for f in dataclasses.fields(cls) if f.metadata}
        assert documented == set(names)
