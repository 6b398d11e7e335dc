"""The Mesa agents, one module each: each owns its behaviour and calls the mechanism units.

Informal groups are many, so their state lives in ``sim.groups.GroupArrays`` and their weekly
rule runs over the whole population at once; each group is still a Mesa agent for identity and
inspection, and carries the per-agent reference rule tests compare against.
"""

from sim.agents.factions import Bureaucracy, BureaucracyFaction
from sim.agents.groups import InformalGroup
from sim.agents.leadership import Demand, Leadership
from sim.agents.ngos import NGOFocus, WesternNGO
from sim.agents.outside import OutsideGovernment

__all__ = [
    "Bureaucracy",
    "BureaucracyFaction",
    "Demand",
    "InformalGroup",
    "Leadership",
    "NGOFocus",
    "OutsideGovernment",
    "WesternNGO",
]
