"""The path table: paired effects with t intervals, one lever per arm, today against 0.2."""

import numpy as np
import pytest
from scipy import stats

from analysis.paths import LEVERS, OUTCOMES, markdown, paired_effect, path_table


def test_paired_effect_is_the_t_interval_of_the_paired_differences():
    d = np.random.default_rng(3).normal(0.2, 1.0, 25)
    e = paired_effect(d)
    ci = stats.ttest_1samp(d, 0.0).confidence_interval(0.95)
    assert e.mean == pytest.approx(d.mean())
    assert (e.low, e.high) == pytest.approx((ci.low, ci.high))
    # every pair differing by the same amount: no zero-width interval, and no star claimed
    assert str(paired_effect(np.full(5, 0.3))) == "+0.300 (no variation)"
    assert str(paired_effect(np.array([0.3]))) == "+0.300 (too few replications)"
    assert "*" not in str(paired_effect(np.array([-1.0, 1.0, -0.5, 0.5])))


@pytest.mark.slow
def test_path_table_has_every_lever_and_marks_levers_unknown_to_0_2():
    table = path_table(reps=3, steps=12, scenario="baseline_1987")
    assert list(table["lever"]) == [label for label, _ in LEVERS]
    assert table.shape[1] == 1 + 2 * len(OUTCOMES)
    linkage = table[table["lever"].str.startswith("linkage")].iloc[0]
    assert linkage["final L (0.2)"] == "-" and linkage["final L (now)"] != "-"
    pressure = table[table["lever"].str.startswith("pressure")].iloc[0]
    assert pressure["final L (0.2)"] != "-"
    text = markdown(table)
    assert text.count("\n") == len(LEVERS) + 1
