"""M1 Experimentation and the limits of freedom (memo ¶6).

"The Soviets almost appear to be engaged in a program of experimentation to test the parameters
of reform. In some cases the Soviet leadership seems to have defined the limits of these
freedoms by cracking down when they advance too far."

The leadership raises practice in small steps toward a ceiling set by its commitment and the
bureaucracy's support, while perceived threat stays under its tolerance; close to the limit it
holds the tested freedoms (those a crackdown cuts most); past it, it cracks down and the level
that provoked the crackdown becomes the learned limit of that freedom.

Off (``mechanisms.M1=false``): the leadership never cracks down and learns no limits; reform
rises to the commitment ceiling whatever the unrest.
"""

import numpy as np

from sim.params import LeadershipParams


def perceived_threat(
    previous: float, demonstrating: float, meeting: float, s: LeadershipParams
) -> float:
    """Smoothed share of groups acting; a meeting group weighs less than a demonstration."""
    raw = demonstrating + s.threat_meeting_weight * meeting
    return s.threat_smoothing * previous + (1 - s.threat_smoothing) * raw


def tested(sensitivity: np.ndarray, s: LeadershipParams) -> np.ndarray:
    """Freedoms a crackdown cuts deeply enough that their limits are tested."""
    return sensitivity >= s.tested_sensitivity


def crosses_limit(threat: float, tolerance: float, on: bool) -> bool:
    """Groups went too far: the leadership cracks down."""
    return on and threat > tolerance


def reform_ceiling(
    commitment: float,
    support: float,
    limits: np.ndarray,
    near_limit: bool,
    held: np.ndarray,
    practice: np.ndarray,
    s: LeadershipParams,
    on: bool,
) -> np.ndarray | float:
    """How far reform may go this week, per dimension, capped at 1."""
    ceiling = commitment * (s.ceiling_base + support)
    if not on:
        return np.minimum(ceiling, 1.0)
    ceiling = np.minimum(ceiling, limits)
    if near_limit:
        # Close to the limit: hold the freedoms that feed mobilisation where they are.
        ceiling = np.where(held, np.minimum(ceiling, practice), ceiling)
    return np.minimum(ceiling, 1.0)


def learned_limits(
    limits: np.ndarray,
    practice: np.ndarray,
    sensitivity: np.ndarray,
    held: np.ndarray,
    s: LeadershipParams,
) -> np.ndarray:
    """The level that provoked a crackdown, less a margin, becomes the limit of that freedom."""
    limit = practice - s.limit_learning * s.crackdown_depth * sensitivity
    return np.where(held, np.minimum(limits, limit), limits)


def crackdown_depth(hardline: float, threat: float, tolerance: float, s: LeadershipParams) -> float:
    """Harder when hardliners weigh more and when groups went further past the limit."""
    overshoot = min(s.overshoot_cap, threat / max(tolerance, 1e-9))
    return min(1.0, s.crackdown_depth * (s.depth_base + hardline) * overshoot)


def crackdown_targets(
    activity_demo: np.ndarray,
    activity_any: np.ndarray,
    visible: np.ndarray,
    rng: np.random.Generator,
    arrest_rate: float,
    harass_rate: float,
    visibility_protection: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Whose leaders are arrested (demonstrators; visibility abroad shields) and harassed."""
    protect = 1.0 - visibility_protection * visible
    arrest = activity_demo & (rng.random(len(visible)) < arrest_rate * protect)
    harass = activity_any & ~arrest & (rng.random(len(visible)) < harass_rate)
    return arrest, harass
