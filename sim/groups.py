"""The informal groups' shared state: one row per group, plus their network (memo ¶4).

Groups are many, so their state is columns of numpy arrays; each group is still a Mesa agent
(``sim.agents.groups.InformalGroup``) that reads its row. Other agents change this state only
through the few methods below: leaders come back, are harassed or arrested; grievances rise.
"""

from enum import IntEnum

import numpy as np
from scipy import sparse


class Activity(IntEnum):
    DORMANT = 0
    MEETING = 1
    DEMONSTRATING = 2


class LeaderStatus(IntEnum):
    FREE = 0
    HARASSED = 1
    ARRESTED = 2


_FREE, _HARASSED, _ARRESTED = (int(s) for s in LeaderStatus)  # plain ints compare faster


class GroupArrays:
    """Columnar state of all informal groups, their network in CSR form, and the deterrence
    a crackdown leaves behind (a climate every group reads)."""

    def __init__(self, n: int, neighbours: sparse.csr_array | None) -> None:
        self.n = n
        self.kind = np.zeros(n, dtype=np.int8)
        self.baseline_grievance = np.zeros(n)
        self.grievance = np.zeros(n)
        self.risk_aversion = np.zeros(n)
        self.threshold = np.zeros(n)
        self.visible = np.zeros(n, dtype=bool)
        self.leader = np.zeros(n, dtype=np.int8)
        self.activity = np.zeros(n, dtype=np.int8)
        self.case = np.full(n, -1, dtype=np.int64)
        self.deterrence = 0.0
        self.neighbours = neighbours  # None means ties to everyone
        if neighbours is not None:
            self.degree = np.diff(neighbours.indptr).astype(float)
        else:
            self.degree = np.full(n, float(max(n - 1, 0)))

    # ---- what the state reads
    def share(self, activity: Activity) -> float:
        """Share of groups in one activity this week."""
        return float(np.count_nonzero(self.activity == int(activity))) / self.n

    def count(self, activity: Activity) -> int:
        return int(np.count_nonzero(self.activity == int(activity)))

    # ---- what other agents do to the groups
    def raise_grievance(self, everyone: float, nationalists: float, nationalist_kind: int) -> None:
        """A mobilisation wave: lasting grievances rise, more for the nationalist groups."""
        rise = everyone + nationalists * (self.kind == nationalist_kind)
        np.minimum(self.baseline_grievance + rise, 1.0, out=self.baseline_grievance)
        np.minimum(self.grievance + rise, 1.0, out=self.grievance)

    def free_released_leaders(self, case_open: np.ndarray) -> None:
        """Leaders come back when their case is resolved."""
        arrested = (self.leader == _ARRESTED).nonzero()[0]
        if len(arrested) == 0:
            return
        back = arrested[~case_open[self.case[arrested]]]
        self.leader[back] = _FREE

    def harass(self, mask: np.ndarray) -> None:
        """Harass the free leaders among ``mask`` (memo ¶6: 'stepped up harassment')."""
        self.leader[mask & (self.leader == _FREE)] = _HARASSED

    def arrest(self, idx: np.ndarray, case_ids: np.ndarray) -> None:
        """Arrest the leaders of groups ``idx``; each becomes the given case."""
        self.case[idx] = case_ids
        self.leader[idx] = LeaderStatus.ARRESTED

    def neighbours_of(self, hit: np.ndarray) -> np.ndarray:
        """Groups with at least one tie to a group in ``hit`` (none without a network)."""
        if self.neighbours is None:
            return np.zeros(self.n, bool)
        return self.neighbours @ hit.astype(float) > 0
