"""M17, emigration with a demand side (memo ¶4, ¶7), and floors that lock in more than practice.

Direction tests as in tests/paired.py; measured effects are in the comments.
"""

import numpy as np
import pytest

from conftest import config, model_of
from paired import assert_direction, paired
from sim.mechanisms import m02_ratchet
from sim.params import DIMENSIONS, PolicyParams
from sim.params.vocabulary import ITEM_KEYS
from sim.policy import PolicyState

SQ = ("strategy=status_quo_1987",)


NO_APPLICANTS = (
    "scenario.releases.applicants_initial=0",
    "scenario.releases.application_rate=0",
    "scenario.releases.reapply_rate=0",
    "scenario.policy.initial_practice.emigration=0.9",
    "steps=52",
)


def test_no_applicants_no_emigrants_whatever_the_practice():
    ts = model_of(config(*NO_APPLICANTS), rng=3).run().timeseries
    assert ts["emigration"].sum() == 0
    supply_only = config(*NO_APPLICANTS, "mechanisms.M17=false")  # 0.2: supply alone
    assert model_of(supply_only, rng=3).run().timeseries["emigration"].sum() > 0


def test_every_applicant_is_pending_refused_or_gone():
    model = model_of(config("steps=104"), rng=5)
    q = model.exits
    at_start = q.pending + q.refuseniks
    ts = model.run().timeseries
    assert q.arrived > 0 and q.left == ts["emigration"].sum() > 0
    assert q.pending + q.refuseniks + q.left == at_start + q.arrived
    assert ts["refusals"].sum() > 0


@pytest.mark.slow
def test_refusals_are_what_policy_controls():
    # measured: -4,924 refusals over 104 weeks when emigration practice starts at 0.5, not 0.15
    a = "scenario.policy.initial_practice.emigration=0.15"
    b = "scenario.policy.initial_practice.emigration=0.5"
    assert_direction(paired(SQ, a, b, "refusals_total"), -1, 1000)


@pytest.mark.slow
def test_codified_rules_bring_more_applicants_and_so_more_emigrants():
    # measured: +4,615 emigrants over 104 weeks with rules_confidence 3 against 0; 23 of 30 up
    a, b = "scenario.releases.rules_confidence=0.0", "scenario.releases.rules_confidence=3.0"
    assert_direction(paired(SQ, a, b, "emigration_total"), +1, 1000)


@pytest.mark.slow
def test_expected_approval_draws_applicants():
    # measured: +25,600 emigrants over 104 weeks with elasticity 1 against 0; 30 of 30 up
    a = "scenario.releases.application_elasticity=0.0"
    b = "scenario.releases.application_elasticity=1.0"
    assert_direction(paired(SQ, a, b, "emigration_total"), +1, 5000)


@pytest.mark.slow
def test_refusals_fill_the_lists_with_known_refuseniks():
    # measured: +291 known refusenik cases open at week 104 with visibility 0.05 against 0
    a, b = "scenario.releases.refusal_visibility=0.0", "scenario.releases.refusal_visibility=0.05"
    assert_direction(paired(SQ, a, b, "known_refuseniks_remaining"), +1, 100)


def test_an_item_enacted_in_the_run_locks_in_more_than_the_practice_it_started_from():
    p = PolicyParams()
    start = np.array([p.initial_practice[d] for d in DIMENSIONS])
    inc = m02_ratchet.floor_increments(p, True)
    for i, key in enumerate(ITEM_KEYS):
        if key in p.items_enacted_at_start:
            continue
        state = PolicyState(p, inc)
        state.items[i] = 2  # drafted; enact it alone
        state.advance(i)
        touched = inc[i] > 0
        assert touched.any(), key
        assert (state.floor[touched] >= start[touched] + p.item_floor_margin - 1e-12).all(), key
    # 0.2's table (margin 0): ending jamming wrote down the practice of 1987 and nothing more
    old = m02_ratchet.floor_increments(PolicyParams(item_floor_margin=0.0), True)
    jam, dim = ITEM_KEYS.index("end_jamming"), DIMENSIONS.index("foreign_broadcasts")
    assert old[jam, dim] == start[dim]


@pytest.mark.slow
def test_floors_above_practice_raise_what_is_codified():
    # measured: +0.131 final F over 104 weeks under the memo's package, margin 0.2 against 0
    base = ("strategy=memo_recommended",)
    a, b = "scenario.policy.item_floor_margin=0.0", "scenario.policy.item_floor_margin=0.2"
    assert_direction(paired(base, a, b, "final_codified"), +1, 0.05)
