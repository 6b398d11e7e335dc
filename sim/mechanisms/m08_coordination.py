"""M8 Coordination of fora (memo ¶17, ¶19).

"We should take advantage of all these frequent opportunities for human rights review, but we
should coordinate to ensure that we are conveying the same signals and priorities across the
board" (¶17); "the increase in dialogue has led to a proliferation of lists that has confused
both us and the Soviets" (¶19).

Consistent signals keep pressure at full force; inconsistent ones dilute it by up to
``coordination_gain``; each uncoordinated forum brings its own copies of the lists.

Off (``mechanisms.M8=false``): pressure is neither diluted nor lists duplicated, as if fully
coordinated.
"""

from sim.params import ForaParams, StrategyParams


def multiplier(coordination: float, gain: float, on: bool) -> float:
    """Share of pressure that survives inconsistent signals."""
    if not on:
        return 1.0
    return (1.0 + gain * coordination) / (1.0 + gain)


def lists_in_play(st: StrategyParams, s: ForaParams, active_fora: int, on: bool) -> float:
    """Effective number of lists the leadership faces, duplicates included."""
    if not on:
        return float(st.n_lists)
    extra = (
        s.list_duplication * (1.0 - st.coordination) * max(0, active_fora - 1) / max(1, active_fora)
    )
    return st.n_lists * (1.0 + extra)
