"""M12 Factions (memo ¶5, ¶22).

Cooperation may "dissolve concentrations of opposition to reform in the Soviet bureaucracy"
(¶22): the bureaucracy is not one actor. Crackdowns and unrest shift influence to the factions
opposed to reform (the security organs first); calm reform shifts it to its friends. A hardline
coalition above ``hardline_threshold`` can push practice below the codified floors, which law
then restores only once hardliners lose dominance (M2).

Under hardline dominance the security organs also set the pace of repression (¶6): the
leadership "harshly repressed demonstrations similar to those tolerated in the summer" (its
tolerated unrest falls by ``dominance_tolerance_cut``), and the organs "stepped up harassment of
leaders of informal groups" (each week of reform, outside a crackdown and its campaign, an
acting group's leader is arrested with chance ``routine_arrest_rate``). The first brings more
crackdowns, the second more arrests; each cows the groups and so lowers the other's count
(docs/ODD.md section 6).

Off (``mechanisms.M12=false``): faction influence never shifts, floors are never pierced, and
dominance changes neither tolerance nor routine arrests.
"""

import numpy as np

from sim.params import FactionParams


def shifted_influence(
    influence: float, position: float, unrest: bool, reformed: bool, s: FactionParams, on: bool
) -> float:
    """A faction's influence after a week of unrest, of calm reform, or of neither."""
    if not on:
        return influence
    if unrest:
        return influence * (1.0 + s.influence_shift * (1.0 - position))
    if reformed:
        return influence * (1.0 + s.influence_shift * position)
    return influence


def breach_share(hardline: float, s: FactionParams, on: bool) -> float:
    """Share of a crackdown's cut that may pierce the floors: only under hardline dominance."""
    return s.floor_breach_depth if on and hardline_dominant(hardline, s) else 0.0


def hardline_dominant(hardline: float, s: FactionParams) -> bool:
    return hardline > s.hardline_threshold


def dominant_tolerance(tolerance: float, hardline: float, s: FactionParams, on: bool) -> float:
    """The unrest tolerated once hardliners dominate: what was tolerated is repressed (¶6)."""
    if on and hardline_dominant(hardline, s):
        return tolerance * (1.0 - s.dominance_tolerance_cut)
    return tolerance


def routine_arrests(
    acting: np.ndarray,
    visible: np.ndarray,
    hardline: float,
    rng: np.random.Generator,
    s: FactionParams,
    visibility_protection: float,
    on: bool,
) -> np.ndarray | None:
    """Leaders of acting groups the security organs arrest this week outside a crackdown, or
    None when hardliners do not dominate (then no random number is drawn)."""
    if not on or s.routine_arrest_rate <= 0 or not hardline_dominant(hardline, s):
        return None
    protect = 1.0 - visibility_protection * visible
    return acting & (rng.random(len(visible)) < s.routine_arrest_rate * protect)
