"""M16, the Moscow conference (memo ¶9): a prize the allies can grant or withhold.

Direction tests as in tests/paired.py: one lever per arm on 30 paired seeds, a stated effect
size, a two-sided sign test at the 1% level. Measured effects are in the comments.
"""

import pytest

from conftest import outcomes
from paired import assert_direction, paired
from sim.mechanisms.m16_moscow_conference import consents, record, stake
from sim.params import LeadershipParams, StrategyParams

# A conference worth as much as full approval, so the lever is visible in 30 seeds.
VALUED = ("strategy=status_quo_1987", "scenario.leadership.conference_value=1.0")
FREE, HELD = "strategy.conference_conditionality=0.0", "strategy.conference_conditionality=1.0"


@pytest.mark.slow
def test_a_conference_held_to_the_record_deters_crackdowns_while_it_is_pending():
    # measured: -1.03 crackdowns over weeks 1-104 (before the decision); 0 of 30 seeds up, 24 down
    assert_direction(paired(VALUED, FREE, HELD, "crackdowns"), -1, 0.5)


@pytest.mark.slow
def test_a_conference_held_to_the_record_lets_the_state_liberalise_further():
    # measured: +0.031 final L over 104 weeks; 24 of 30 seeds up, 6 down (p = 0.0014)
    assert_direction(paired(VALUED, FREE, HELD, "final_liberalization"), +1, 0.01)


@pytest.mark.slow
def test_unconditional_consent_comes_at_the_close_of_vienna_and_an_unmeetable_bar_never():
    free = outcomes("strategy=status_quo_1987", FREE, reps=10, steps=156)
    assert (free["conference_week"] == 108).all()  # the Vienna meeting closes in week 108
    never = outcomes(
        "strategy=status_quo_1987", HELD, "strategy.conference_bar=1.0", reps=10, steps=156
    )
    assert (never["conference_granted"] == 0).all()
    assert (never["conference_week"] == -1).all()


def test_the_record_weighs_what_the_strategy_pressed_for():
    law = StrategyParams(share_institutions=0.8, share_cases=0.2, share_cooperation=0.0)
    cases = StrategyParams(share_institutions=0.2, share_cases=0.8, share_cooperation=0.0)
    assert record(1.0, 0.0, law) == pytest.approx(0.8)
    assert record(1.0, 0.0, cases) == pytest.approx(0.2)
    assert record(0.0, 0.5, cases) == pytest.approx(0.4)
    assert record(None, 0.5, law) == 0.5  # nothing asked was open: the cases alone count
    assert record(0.25, None, cases) == 0.25  # no case was known: the law alone counts


def test_consent_is_withheld_only_below_the_bar_and_only_as_often_as_conditionality():
    st = StrategyParams(conference_conditionality=0.7, conference_bar=0.3)
    assert consents(0.3, st, 0.0)  # at the bar: consent whatever the draw
    assert not consents(0.29, st, 0.69)  # below the bar, held to it
    assert consents(0.29, st, 0.7)  # below the bar, waved through
    assert stake(True, st, LeadershipParams(conference_value=0.4), True) == pytest.approx(0.28)
    assert stake(False, st, LeadershipParams(), True) == 0.0  # consent given: nothing at stake
    assert stake(True, st, LeadershipParams(), False) == 0.0  # M16 off
