"""What an agent may read and change: the shared state of the world and this week's record.

Agents are handed the model as a ``World``: the parameters, the generator, the week, and the
shared state (``policy``, ``groups``, ``cases``) with its narrow methods, plus the event log they
report to. They do not know the model class; the agents they deal with directly (the leadership
its bureaucracy, the outside government the leadership) are handed to them when built. So the
picture of who imports whom runs one way: model -> agents -> mechanisms -> state -> params.
"""

from typing import Any, Protocol

import numpy as np

from sim.cases import CaseRegistry
from sim.events import EventLog
from sim.groups import GroupArrays
from sim.params import ModelParams
from sim.policy import PolicyState


class World(Protocol):
    params: ModelParams
    rng: np.random.Generator
    policy: PolicyState
    groups: GroupArrays
    cases: CaseRegistry
    log: EventLog
    initial_liberalization: float
    initial_known_cases: int
    agents_by_type: Any  # Mesa's agent sets by class

    @property
    def week(self) -> int: ...
