"""Each mechanism M1-M12 pushes in its documented direction, all else equal, on paired seeds.

Replication r uses the same seed in both arms (common random numbers), so each comparison is
between the same worlds under one changed parameter.
"""

import dataclasses
from typing import NamedTuple

import numpy as np
import pandas as pd
import pytest

from conftest import config, model_of
from conftest import outcomes as _outcomes
from paired import assert_direction, paired
from sim.agents import Bureaucracy
from sim.groups import Activity
from sim.mechanisms import m12_factions
from sim.params.vocabulary import ITEM_KEYS

ALL_ITEMS = "[" + ",".join(ITEM_KEYS) + "]"

NOW = "strategy.start_week=0"  # these tests compare strategies acting from week 0, as in 0.2


def outcomes(*overrides: str, **kwargs):
    return _outcomes(*overrides, NOW, **kwargs)


def effect(base, a, b, column, steps=104, reps=30):
    """Paired per-seed differences (arm b minus arm a), the strategy acting from week 0."""
    return paired((NOW, *base), a, b, column, steps=steps, reps=reps)


# One lever per arm on 30 paired seeds and posterior draws (more where the effect is small):
# (id, fixed overrides, arm a, arm b, outcome, direction of b - a, least mean difference, steps,
# replications). Each least difference is about half the measured one (in the comment).
FIXED_PRACTICE = (  # reform frozen at a level that mobilises: all else equal includes practice
    "scenario.leadership.reform_step=0.0",
    "scenario.policy.initial_practice.protest_tolerance=0.65",
    "scenario.policy.initial_practice.association=0.6",
)
TOL = "scenario.leadership.mobilization_tolerance"
BIAS = "scenario.leadership.cheap_concession_bias"
INST, CASES, BAL = "strategy=institutionalization", "strategy=case_focus", "strategy=balanced"
NO_COOP = ("strategy.share_cooperation=0.0", "strategy.share_institutions=0.55")
COOP = ("strategy.share_cooperation=0.4", "strategy.share_institutions=0.15")
PROTEST = "scenario.policy.initial_practice.protest_tolerance"
SURGE = "scenario=hardline_surge"  # hardliners dominate from the start
DOMINANCE_CUT = "scenario.factions.dominance_tolerance_cut"
ROUTINE = "scenario.factions.routine_arrest_rate"


class D(NamedTuple):
    name: str
    base: tuple[str, ...]
    a: str | tuple[str, ...]
    b: str | tuple[str, ...]
    column: str
    direction: int
    least: float
    steps: int = 104
    reps: int = 30


DIRECTIONS = [
    D(
        "M1 tolerance: fewer crackdowns",
        FIXED_PRACTICE,
        f"{TOL}=0.04",
        f"{TOL}=0.10",
        "crackdowns",
        -1,
        0.3,
        steps=104,
        reps=30,
    ),  # -0.63
    D(
        "M1 tolerance: more liberalisation",
        (),
        f"{TOL}=0.03",
        f"{TOL}=0.12",
        "final_liberalization",
        +1,
        0.04,
        steps=104,
        reps=30,
    ),  # +0.086
    D(
        "M1 approval speeds experiments",
        (BAL,),
        "scenario.leadership.approval_sensitivity=0.0",
        "scenario.leadership.approval_sensitivity=3.0",
        "final_liberalization",
        +1,
        0.045,
        steps=20,
        reps=30,
    ),  # +0.093
    D(
        "M3 cheap concessions: more cases",
        (INST,),
        f"{BIAS}=0.1",
        f"{BIAS}=0.9",
        "concession_cases",
        +1,
        390,
        steps=104,
        reps=30,
    ),  # +786
    D(
        "M3 cheap concessions: fewer items",
        (INST,),
        f"{BIAS}=0.1",
        f"{BIAS}=0.9",
        "items_enacted",
        -1,
        1.1,
        steps=104,
        reps=30,
    ),  # -2.27
    D(
        "M3 cheap concessions: less law",
        (INST,),
        f"{BIAS}=0.1",
        f"{BIAS}=0.9",
        "final_codified",
        -1,
        0.08,
        steps=104,
        reps=30,
    ),  # -0.158
    D(
        "M4 many lists wear receptivity",
        (CASES,),
        "strategy.n_lists=1",
        "strategy.n_lists=15",
        "mean_receptivity",
        -1,
        0.24,
        steps=104,
        reps=30,
    ),  # -0.48
    D(
        "M4 long lists wear receptivity",
        (CASES,),
        "strategy.list_size=100",
        "strategy.list_size=600",
        "mean_receptivity",
        -1,
        0.045,
        steps=104,
        reps=30,
    ),  # -0.090
    D(
        "M4 accurate lists keep it",
        (CASES,),
        "strategy.list_accuracy=0.5",
        "strategy.list_accuracy=1.0",
        "mean_receptivity",
        +1,
        0.028,
        steps=104,
        reps=30,
    ),  # +0.056
    D(
        "M5 statements resolve categories",
        (CASES,),
        "strategy.category_statements=false",
        "strategy.category_statements=true",
        "category_cases_resolved",
        +1,
        900,
        steps=104,
        reps=30,
    ),  # +1820
    D(
        "M5 statements keep receptivity",
        (CASES,),
        "strategy.category_statements=false",
        "strategy.category_statements=true",
        "mean_receptivity",
        +1,
        0.04,
        steps=104,
        reps=30,
    ),  # +0.081
    D(
        "M6 resistance keeps time",
        (BAL,),
        "strategy.sidetrack_resistance=0.0",
        "strategy.sidetrack_resistance=1.0",
        "counterattack_time",
        -1,
        12,
        steps=104,
        reps=30,
    ),  # -24.7
    D(
        "M6 resistance: more items",
        (BAL,),
        "strategy.sidetrack_resistance=0.0",
        "strategy.sidetrack_resistance=1.0",
        "items_enacted",
        +1,
        0.7,
        steps=104,
        reps=30,
    ),  # +1.47
    D(
        "M7 accusation blocks enactment",
        (INST, "scenario.leadership.reactance_sensitivity=3.0"),
        "strategy.publicity=0.1",
        "strategy.publicity=1.0",
        "items_enacted",
        -1,
        2.0,
        steps=104,
        reps=30,
    ),  # -4.1
    D(
        "M8 coordination: more items",
        (BAL,),
        "strategy.coordination=0.0",
        "strategy.coordination=1.0",
        "items_enacted",
        +1,
        0.65,
        steps=104,
        reps=30,
    ),  # +1.33
    D(
        "M8 coordination: receptivity",
        (BAL,),
        "strategy.coordination=0.0",
        "strategy.coordination=1.0",
        "mean_receptivity",
        +1,
        0.038,
        steps=104,
        reps=30,
    ),  # +0.077
    D(
        "M9 cooperation moves factions",
        (BAL, "strategy.document_emphasis=0.0"),
        NO_COOP,
        COOP,
        "final_faction_support",
        +1,
        0.064,
        steps=104,
        reps=30,
    ),  # +0.129
    D(
        "M9 framing keeps cohesion",
        (BAL,),
        "strategy.multilateral_framing=0.0",
        "strategy.multilateral_framing=1.0",
        "final_cohesion",
        +1,
        0.16,
        steps=104,
        reps=30,
    ),  # +0.322
    D(
        "M9 documents disappoint",
        (BAL,),
        "strategy.document_emphasis=0.0",
        "strategy.document_emphasis=1.0",
        "mean_disappointment",
        +1,
        0.01,
        steps=104,
        reps=100,
    ),  # +0.020 (60 seeds)
    D(
        "M10 extrapolation disappoints",
        (BAL,),
        "scenario.ngos.expectation_extrapolation=0.5",
        "scenario.ngos.expectation_extrapolation=3.0",
        "mean_disappointment",
        +1,
        0.1,
        steps=104,
        reps=30,
    ),  # +0.210
    D(
        "M10 public diplomacy 0 -> 0.5",
        (BAL,),
        "strategy.public_diplomacy=0.0",
        "strategy.public_diplomacy=0.5",
        "mean_disappointment",
        -1,
        0.12,
        steps=104,
        reps=30,
    ),  # -0.242
    D(
        "M10 public diplomacy 0.5 -> 1",
        (BAL,),
        "strategy.public_diplomacy=0.5",
        "strategy.public_diplomacy=1.0",
        "mean_disappointment",
        -1,
        0.04,
        steps=104,
        reps=30,
    ),  # -0.084
    D(
        "M12 dominance represses what was tolerated",
        (SURGE, f"{ROUTINE}=0.0"),
        f"{DOMINANCE_CUT}=0.0",
        f"{DOMINANCE_CUT}=0.6",
        "crackdowns",
        +1,
        0.65,
        steps=104,
        reps=30,
    ),  # +1.30
    D(
        "M12 dominance arrests leaders week by week",
        (SURGE,),
        f"{ROUTINE}=0.0",
        f"{ROUTINE}=0.02",
        "arrests",
        +1,
        40,
        steps=104,
        reps=30,
    ),  # +80.6
    D(
        "M11 grievance mobilises",
        (),
        "scenario.groups.grievance_mean=0.2",
        "scenario.groups.grievance_mean=0.4",
        "mean_mobilization",
        +1,
        0.013,
        steps=20,
        reps=30,
    ),  # +0.027
    D(
        "M11 tolerated protest mobilises",
        ("scenario.leadership.reform_step=0.0", "mechanisms.M1=false"),
        f"{PROTEST}=0.25",
        f"{PROTEST}=0.6",
        "mean_mobilization",
        +1,
        0.065,
        steps=20,
        reps=30,
    ),  # +0.131
]


@pytest.mark.slow
@pytest.mark.parametrize("d", DIRECTIONS, ids=[d.name for d in DIRECTIONS])
def test_each_lever_pushes_its_outcome_in_the_documented_direction(d):
    assert_direction(effect(d.base, d.a, d.b, d.column, d.steps, d.reps), d.direction, d.least)


def test_m2_ratchet_all_items_enacted_cuts_drawdowns():
    # Other channels that move floors (the leadership's own programme, repeal) are held off.
    base = (
        "strategy=no_pressure",
        "strategy.start_week=0",
        "scenario.policy.items_promised_at_start=[]",
        "mechanisms.M14=false",
        "mechanisms.M15=false",
    )
    # Paired on 30 seeds; measured: -0.046 maximum drawdown over 156 weeks, 29 of 30 seeds down.
    # (Mean lost ground does not move: -0.001, 13 up and 17 down; floors also lift the peak.)
    none = "scenario.policy.items_enacted_at_start=[]"
    every = f"scenario.policy.items_enacted_at_start={ALL_ITEMS}"
    assert_direction(paired(base, none, every, "max_drawdown", steps=156), -1, 0.02)


def test_m4_replies_overstate_resolutions_only_when_false():
    honest = outcomes("strategy=case_focus", "scenario.cases.reply_falsity=0.0")
    false = outcomes("strategy=case_focus", "scenario.cases.reply_falsity=0.5")
    assert (honest["listed_cases_reported"] == honest["listed_cases_resolved"]).all()
    assert (false["listed_cases_reported"] > false["listed_cases_resolved"]).all()


def test_m10_public_diplomacy_explains_but_never_invents_progress():
    """Public diplomacy narrows the gap between expectation and progress, never past it."""
    from sim.mechanisms.m10_expectations import updated_expectation
    from sim.params import NGOParams, StrategyParams

    rng = np.random.default_rng(7)
    s = NGOParams(public_diplomacy_effect=1.0)
    for _ in range(500):
        e, p = sorted(rng.random(2))[::-1]  # expectation above observed progress
        loud = StrategyParams(public_diplomacy=float(rng.random()), pressure=1.0)
        quiet = StrategyParams(public_diplomacy=0.0, pressure=1.0)
        after = updated_expectation(e, p, 0.0, 0, 0.0, loud, s, True)
        assert p - 1e-12 <= after <= updated_expectation(e, p, 0.0, 0, 0.0, quiet, s, True)


def test_m11_crackdown_deters_for_a_while_but_breeds_backlash():
    for seed in range(11, 31):  # the first world (and posterior draw) with a crackdown
        model = model_of(config("steps=60"), rng=seed)
        for _ in range(60):
            model.step()
            if model.log.week.crackdowns:
                break
        if model.log.week.crackdowns:
            break
    assert model.log.week.crackdowns, "a crackdown within 60 weeks in one of 20 worlds"
    g = model.groups
    hit = g.leader != 0
    before = g.grievance.copy()
    demos_at = model.groups.share(Activity.DEMONSTRATING)
    model.step()
    assert model.groups.share(Activity.DEMONSTRATING) < demos_at  # deterred
    assert (before[hit] > g.baseline_grievance[hit]).mean() > 0.9  # backlash raised grievance


@pytest.mark.slow
def test_m11_visibility_protects_leaders():
    base = ("scenario.groups.visibility_share=0.5",)
    exposed = outcomes(*base, "scenario.groups.visibility_protection=0.0", reps=30)
    shielded = outcomes(*base, "scenario.groups.visibility_protection=1.0", reps=30)
    per_crackdown = lambda df: (df["arrests"] / df["crackdowns"].clip(lower=1)).to_numpy()
    # arrests per crackdown, paired by seed; measured -35 (of about 50)
    assert_direction(per_crackdown(shielded) - per_crackdown(exposed), -1, 17)


def test_m12_unrest_shifts_influence_to_security_calm_to_reformers():
    # the hand point: a fixed world whose first ten weeks are calm (a posterior draw may not be)
    calm = ("strategy=no_pressure", "steps=10", "scenario=baseline_1987_hand")
    model = model_of(config(*calm), rng=1)
    start = {f.name: f.influence for f in model.bureaucracy.factions}
    model.run()
    assert model.log.total.crackdowns == 0
    end = {f.name: f.influence for f in model.bureaucracy.factions}
    assert end["reformers"] / start["reformers"] > end["security_organs"] / start["security_organs"]
    model = model_of(config(*calm), rng=1)
    model.leadership.campaign_until = 10  # a crackdown campaign: ten weeks of unrest
    model.run()
    end = {f.name: f.influence for f in model.bureaucracy.factions}
    assert end["security_organs"] / start["security_organs"] > end["reformers"] / start["reformers"]


def test_the_bureaucracys_balance_follows_every_change_of_a_faction():
    # The balance is computed once per change: read it, change one faction's influence and
    # another's position, and the values read again must equal those of a fresh reading.
    model = model_of(config(), rng=1)
    b = model.bureaucracy

    def balance(x: Bureaucracy) -> tuple[float, ...]:
        return x.hardline_share(), x.support(), x.security_pressure(), x.implementation()

    before = balance(b)
    factions = {f.name: f for f in b.factions}
    factions["security_organs"].influence *= 3.0
    after_influence = balance(b)
    assert after_influence == balance(Bureaucracy(b.factions, b.hardline))
    assert after_influence[0] > before[0]  # the security organs are hardline
    factions["party_conservatives"].position = 1.0
    after_position = balance(b)
    assert after_position == balance(Bureaucracy(b.factions, b.hardline))
    assert after_position[1] > after_influence[1]  # support rose with a friendlier faction


def test_m12_hardline_dominance_pushes_practice_below_floors():
    base = (
        "strategy=no_pressure",
        "mechanisms.M15=false",  # repeal would lower the floors this test watches
        f"scenario.policy.items_enacted_at_start={ALL_ITEMS}",
        "steps=104",
    )

    def below_floor(threshold):
        gaps = []
        for seed in range(6):
            ts = (
                model_of(
                    config(*base, f"scenario.factions.hardline_threshold={threshold}"), rng=seed
                )
                .run()
                .timeseries
            )
            practice = ts.filter(like="practice_").to_numpy()
            floor = ts.filter(like="floor_").to_numpy()
            gaps.append(np.maximum(floor - practice, 0).max())
        return np.array(gaps)

    assert (below_floor(1.0) == 0).all()  # never without hardline dominance
    assert (below_floor(0.0) > 0.01).all()  # in every seed under dominance (measured >= 0.02)


def test_m12_dominance_alone_changes_tolerance_and_arrests():
    f = config().scenario.factions
    below, above = f.hardline_threshold - 0.01, f.hardline_threshold + 0.01
    assert m12_factions.dominant_tolerance(0.05, below, f, True) == 0.05
    assert m12_factions.dominant_tolerance(0.05, above, f, False) == 0.05
    cut = m12_factions.dominant_tolerance(0.05, above, f, True)
    assert cut == pytest.approx(0.05 * (1 - f.dominance_tolerance_cut))
    acting = np.array([True, True, False, True])
    visible = np.zeros(4, dtype=bool)
    rng = np.random.default_rng(0)
    state = rng.bit_generator.state
    # without dominance no random number is drawn: runs that never reach it are unchanged
    assert m12_factions.routine_arrests(acting, visible, below, rng, f, 0.0, True) is None
    assert m12_factions.routine_arrests(acting, visible, above, rng, f, 0.0, False) is None
    assert rng.bit_generator.state == state
    every = dataclasses.replace(f, routine_arrest_rate=1.0)
    arrested = m12_factions.routine_arrests(acting, visible, above, rng, every, 0.0, True)
    assert (arrested == acting).all()
    shielded = m12_factions.routine_arrests(acting, ~visible, above, rng, every, 1.0, True)
    assert not shielded.any()  # full visibility protection shields every leader


def test_m12_runs_that_never_reach_dominance_are_unchanged_by_its_parameters():
    """With the threshold out of reach, the dominance parameters at their extremes give
    bit-identical runs: no random number is drawn, no tolerance moves."""
    base = ("scenario=hardline_surge", "scenario.factions.hardline_threshold=1.0")
    mild = outcomes(*base, f"{DOMINANCE_CUT}=0.0", f"{ROUTINE}=0.0", reps=6, steps=104)
    harsh = outcomes(*base, f"{DOMINANCE_CUT}=0.9", f"{ROUTINE}=0.04", reps=6, steps=104)
    assert mild["crackdowns"].sum() > 0  # a threshold of 1 is out of reach: never dominant
    pd.testing.assert_frame_equal(mild, harsh)
    dominant = outcomes("scenario=hardline_surge", f"{ROUTINE}=0.04", reps=6, steps=104)
    assert (dominant["routine_arrests"] > 0).all()  # the same parameters matter once dominant
