"""Seeds: replication r of any parameter point gets the seed derived from (root seed, r) alone.

Never from the strategy or scenario, so strategies face the same worlds (common random numbers)
and their comparison is paired.
"""

import numpy as np


def replication_seed(root: int, replication: int) -> int:
    """A 63-bit seed from (root, replication) via numpy's SeedSequence (well mixed, stable)."""
    state = np.random.SeedSequence(entropy=root, spawn_key=(replication,)).generate_state(
        2, np.uint32
    )
    return int((int(state[0]) << 31) ^ int(state[1]))
