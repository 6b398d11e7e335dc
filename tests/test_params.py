"""Parameters validate themselves with one clear message naming field, value and what is allowed."""

import dataclasses

import pytest

from sim.params import (
    LEGACY_NAMES,
    SCENARIO_GROUPS,
    FactionParams,
    GroupParams,
    LeadershipParams,
    ModelParams,
    ParameterError,
    PolicyParams,
    ScenarioParams,
    StrategyParams,
    field_docs,
    leaf_fields,
    legacy_key_message,
    replace_paths,
)


def test_defaults_are_valid():
    ModelParams()


@pytest.mark.parametrize(
    ("cls", "kwargs", "fragment"),
    [
        (GroupParams, {"n_groups": 0}, "scenario.groups.n_groups = 0"),
        (LeadershipParams, {"arrest_rate": 1.5}, "[0, 1]"),
        (LeadershipParams, {"arrest_rate": -0.1}, "scenario.leadership.arrest_rate = -0.1"),
        (GroupParams, {"n_groups": 2.5}, "expected int"),
        (LeadershipParams, {"reform_step": "fast"}, "expected float"),
        (GroupParams, {"network_kind": "grid"}, "small_world, complete"),
        (LeadershipParams, {"reform_commitment": float("nan")}, "reform_commitment"),
        (FactionParams, {"influence": {"reformers": 1.0}}, "expected exactly"),
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
        PolicyParams(items_enacted_at_start=["perestroika"])


def test_every_parameter_is_documented_once():
    groups = [f.type for f in dataclasses.fields(ScenarioParams) if f.name in SCENARIO_GROUPS]
    assert len(groups) == len(SCENARIO_GROUPS) == 10
    for cls in (ScenarioParams, StrategyParams, ModelParams, *groups):
        docs = field_docs(cls)
        names = [d["name"] for d in docs]
        assert len(names) == len(set(names))
        assert all(d["help"] for d in docs)
        documented = {f.name for f in dataclasses.fields(cls) if f.metadata}
        assert documented == set(names)


def test_parameters_are_immutable_once_validated():
    p = ModelParams()
    with pytest.raises(dataclasses.FrozenInstanceError, match="steps"):
        p.steps = 3
    with pytest.raises(dataclasses.FrozenInstanceError, match=r"scenario\.leadership\.reform_step"):
        p.scenario.leadership.reform_step = 0.5
    with pytest.raises(TypeError, match="immutable"):
        p.scenario.factions.influence["reformers"] = 0.9
    with pytest.raises(AttributeError, match="'tuple' object has no attribute 'append'"):
        p.scenario.policy.items_enacted_at_start.append("end_jamming")
    changed = replace_paths(p.scenario, {"leadership.reform_step": 0.02})
    assert changed.leadership.reform_step == 0.02
    assert p.scenario.leadership.reform_step == LeadershipParams().reform_step
    with pytest.raises(ParameterError, match=r"scenario\.leadership\.reform_step = 0\.9"):
        replace_paths(p.scenario, {"leadership.reform_step": 0.9})


def test_every_numeric_parameter_has_a_range_and_a_meaning():
    fields = leaf_fields(ModelParams)
    assert len(fields) > 110  # the behavioural constants of 0.1 are parameters now
    for path, f in fields.items():
        assert f.metadata["help"], path
        if f.type in (int, float) or f.type == dict[str, float]:
            assert f.metadata["lo"] is not None and f.metadata["hi"] is not None, path


def test_every_flat_name_of_0_1_is_refused_with_the_grouped_name():
    paths = leaf_fields(ScenarioParams)
    assert len(LEGACY_NAMES) >= 100
    for old, new in LEGACY_NAMES.items():
        assert new in paths, (old, new)
        message = legacy_key_message(f"scenario.{old}")
        assert message is not None and f"scenario.{new}" in message, old
    assert legacy_key_message("+scenario.faction_influence.reformers").endswith(
        "now scenario.factions.influence.reformers (docs/ODD.md, section 8)"
    )
    assert legacy_key_message("scenario.leadership.reform_step") is None
    assert legacy_key_message("strategy.n_lists") is None


def test_a_shock_in_week_0_is_refused_since_weeks_count_from_1():
    from sim.params import ShockParams

    with pytest.raises(
        ParameterError, match=r"scenario\.shock\.week = 0: weeks are counted from 1"
    ):
        ShockParams(week=0)
    assert ShockParams(week=1).week == 1
