"""The ratchet and the case registry, unit by unit."""

import numpy as np

from sim.cases import CaseCategory, CaseRegistry
from sim.params import PolicyParams
from sim.params.vocabulary import ITEM_KEYS
from sim.policy import REFORM_ITEMS, ItemState, PolicyState, floor_matrix


def policy(**kwargs) -> PolicyState:
    return PolicyState(PolicyParams(**kwargs), floor_matrix(1.0))


def test_crackdown_stops_at_the_floor_without_hardline_dominance():
    p = policy(items_enacted_at_start=list(ITEM_KEYS))
    p.practice = np.minimum(1.0, p.floor + 0.05)
    assert p.crack_down(depth=0.5, breach=0.0) == 0.0
    assert np.all(p.practice >= p.floor - 1e-12)
    assert p.crack_down(depth=0.5, breach=0.5) > 0
    assert np.any(p.practice < p.floor)


def test_enacting_an_item_raises_its_floors_and_practice_for_good():
    p = policy(items_enacted_at_start=[], items_promised_at_start=[])
    k = ITEM_KEYS.index("law_on_demonstrations")
    dim = 2  # protest_tolerance
    before = p.floor[dim]
    states = [p.advance(k) for _ in range(4)]
    assert states == [ItemState.PROMISED, ItemState.DRAFTED, ItemState.ENACTED, ItemState.ENACTED]
    assert p.floor[dim] > before
    assert p.practice[dim] >= p.floor[dim]


def test_reform_stops_at_the_ceiling():
    p = policy()
    for _ in range(200):
        p.reform(0.05, np.full(8, 0.6))
    assert np.allclose(np.maximum(p.practice, p.floor), np.maximum(0.6, p.floor))


def registry(rng, n=1000):
    reg = CaseRegistry(capacity=16)
    cat = rng.integers(0, 4, n).astype(np.int8)
    reg.add(cat, rng.random(n) < 0.5, rng.random(n) < 0.1, week=0)
    return reg


def test_registry_conserves_cases_through_growth_and_resolution():
    rng = np.random.default_rng(0)
    reg = registry(rng)
    resolved = reg.release_by_hazard(np.ones(reg.n, bool), 0.1, rng, week=1)
    reg.add(np.ones(50, np.int8), np.ones(50, bool), np.zeros(50, bool), week=2)
    resolved += reg.resolve_category(CaseCategory.REFUSENIK, 1.0, rng, week=3)
    reg.refresh_lists(100, True, np.zeros(reg.n, bool), rng)
    resolved += reg.review_lists(0.5, 0.3, 10, rng, week=4)[0]
    resolved += reg.release_by_hazard(np.ones(reg.n, bool), 1.0, rng, week=5)  # the rest
    reg.assert_conserved()
    assert reg.n == 1050
    # each case resolves once: the counts the operations returned add up to the registry's
    assert resolved == reg.resolved_count() == reg.n and reg.open_count() == 0
    weeks = reg.resolved_week[: reg.n]
    assert set(np.unique(weeks)) == {1, 3, 4, 5}


def test_the_recorders_open_counts_split_prisoners_from_refuseniks():
    # 3 political prisoners and 2 refuseniks, one of each resolved: 2 prisoners of 3 open cases.
    reg = CaseRegistry()
    cat = np.array([1, 1, 1, 0, 0], dtype=np.int8)
    reg.add(cat, np.ones(5, bool), np.zeros(5, bool), week=0)
    reg.resolve(np.array([0, 3]), week=1)
    assert reg.open_counts() == (2, 3)
    assert reg.open_counts() == (reg.open_count(reg.prisoner_mask()), reg.open_count())


def test_prioritised_lists_take_cases_of_particular_interest_first():
    rng = np.random.default_rng(1)
    reg = registry(rng)
    reg.refresh_lists(20, True, np.zeros(reg.n, bool), rng)
    listed = reg.listed[: reg.n]
    assert listed.sum() == 20
    assert reg.priority[: reg.n][listed].all()


def test_false_replies_overstate_resolutions():
    rng = np.random.default_rng(2)
    reg = registry(rng)
    reg.refresh_lists(300, False, np.zeros(reg.n, bool), rng)
    true, reported = reg.review_lists(0.2, 0.5, 50, rng, week=1)
    assert reported > true > 0
    reg2 = registry(np.random.default_rng(2))
    reg2.refresh_lists(300, False, np.zeros(reg2.n, bool), np.random.default_rng(3))
    t2, r2 = reg2.review_lists(0.2, 0.0, 50, np.random.default_rng(4), week=1)
    assert t2 == r2


def test_every_item_touches_known_dimensions():
    for item in REFORM_ITEMS:
        assert item.floor_increments
        assert all(0 < v <= 1 for v in item.floor_increments.values())
