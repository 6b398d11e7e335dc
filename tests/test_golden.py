"""The model of 0.2 is reproduced bit for bit: with the paths added since switched off
(experiments/legacy.py) and M1-M12 on, every outcome and every weekly series of 26
configurations x 3 seeds equals what was recorded before the agent refactor (tests/golden.py)."""

import json

import pytest

import golden


@pytest.fixture(scope="module")
def recorded() -> dict:
    return json.loads(golden.GOLDEN.read_text())


@pytest.fixture(scope="module")
def computed() -> dict:
    return golden.compute()


def test_golden_set_covers_every_scenario_strategy_and_seed(recorded):
    assert len(recorded) == (len(golden.SCENARIOS) * len(golden.STRATEGIES) + 2) * 3
    crackdowns = [int(v["outcomes"]["crackdowns"]) for v in recorded.values()]
    enacted = [int(v["outcomes"]["items_enacted"]) for v in recorded.values()]
    assert max(crackdowns) > 0 and max(enacted) > 0  # the runs exercise both paths


def test_outputs_identical_to_the_recorded_golden_runs(recorded, computed):
    assert set(computed) == set(recorded)
    for key, want in recorded.items():
        got = computed[key]
        moved = [k for k, v in want["outcomes"].items() if got["outcomes"].get(k) != v]
        assert not moved, f"{key}: outcomes changed: {moved}"
        moved = [k for k, v in want["series"].items() if got["series"].get(k) != v]
        assert not moved, f"{key}: weekly series changed: {moved}"
        assert set(want["series"]) <= set(got["series"]), key
