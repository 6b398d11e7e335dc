"""The direction helper every mechanism and scenario test relies on must reject a lever that
moves most of the seeds it changes the wrong way, however large its mean."""

import numpy as np
import pytest

from paired import assert_direction


def test_a_mean_carried_by_one_seed_against_most_changed_seeds_is_rejected():
    # 46 seeds unchanged, 13 down by one, one up by 23: mean +0.17, two-sided sign test
    # p = 0.002, median 0; yet 13 of the 14 seeds that changed went against the claim
    d = np.array([0.0] * 46 + [-1.0] * 13 + [23.0])
    with pytest.raises(AssertionError, match="1 seeds moved as claimed, 13 against"):
        assert_direction(d, +1, 0.15)


def test_a_clear_direction_passes_either_way():
    d = np.array([0.0] * 16 + [1.0] * 14)
    assert_direction(d, +1, 0.4)
    assert_direction(-d, -1, 0.4)
    with pytest.raises(AssertionError, match="mean paired difference"):
        assert_direction(d, -1, 0.4)
