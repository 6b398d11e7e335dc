"""M12 Factions (memo ¶5, ¶22).

Cooperation may "dissolve concentrations of opposition to reform in the Soviet bureaucracy"
(¶22): the bureaucracy is not one actor. Crackdowns and unrest shift influence to the factions
opposed to reform (the security organs first); calm reform shifts it to its friends. A hardline
coalition above ``hardline_threshold`` can push practice below the codified floors, which law
then restores only once hardliners lose dominance (M2).

Off (``mechanisms.M12=false``): faction influence never shifts and floors are never pierced.
"""

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
