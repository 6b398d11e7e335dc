"""M9 Cooperation and its pitfalls (memo ¶21-22).

Cooperation projects "may serve to dissolve concentrations of opposition to reform in the Soviet
bureaucracy" (¶22), but two pitfalls: "creating the perception among the allies that we are
cutting a separate deal" and "producing more documents ... when in fact it is improved
implementation that we seek" (¶22).

Time spent on cooperation pulls every faction but the reformers toward reform in proportion to
the part spent on implementation; unframed bilateral work costs allied cohesion; the part spent
on documents raises NGO expectations (M10) without changing anything.

Off (``mechanisms.M9=false``): cooperation moves no faction, costs no cohesion and yields no
documents (the time is simply spent).
"""

from dataclasses import dataclass

from sim.params import FactionParams, OutsideParams, StrategyParams


@dataclass(frozen=True)
class CooperationEffects:
    faction_pull: float  # pull toward reform applied to each non-reformer faction
    cohesion_loss: float
    documents: float


def effects(
    coop: float, st: StrategyParams, f: FactionParams, o: OutsideParams, on: bool
) -> CooperationEffects:
    if not on:
        return CooperationEffects(0.0, 0.0, 0.0)
    implement = coop * (1.0 - st.document_emphasis)
    return CooperationEffects(
        faction_pull=f.cooperation_effect * implement,
        cohesion_loss=o.cohesion_cost * coop * (1.0 - st.multilateral_framing),
        documents=coop * st.document_emphasis,
    )


def pulled_position(position: float, pull: float) -> float:
    """A faction's position after a pull toward reform (bounded by 1)."""
    return position + pull * (1.0 - position)
