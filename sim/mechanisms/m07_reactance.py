"""M7 Reactance (memo ¶10).

"Gorbachev was visibly testy on the subject of human rights, stressing that the U.S. is not the
'prosecutor' and the Soviet Union is not the 'accused.'" Public, accusatory pressure raises the
leadership's resistance, which decays each week, lengthens its counter-charges (M6) and lowers
the chance that a drafted item is enacted.

Off (``mechanisms.M7=false``): public pressure breeds no resistance (reactance stays 0).
"""

from sim.params import LeadershipParams


def after_meeting(
    reactance: float, publicity: float, pressure: float, s: LeadershipParams, on: bool
) -> float:
    """Reactance after a meeting with ``pressure`` units of institutional and case demands."""
    if not on:
        return reactance
    return min(
        1.0, reactance + s.reactance_sensitivity * publicity * pressure / s.reactance_pressure_scale
    )
