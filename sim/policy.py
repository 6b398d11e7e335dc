"""Policy dimensions with practice levels and codified floors, and the reform items (the ratchet).

Practice ``p_d`` is what the state does now and can be cut by decree; the floor ``f_d`` is what
law or procedure has locked in. Crackdowns cut practice down to the floor cheaply and below it
only under hardline dominance (memo ¶5, ¶7, ¶15). Enacting an item raises floors for good.
"""

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from sim.cases import CaseCategory
from sim.params import DIMENSIONS, PolicyParams
from sim.params.vocabulary import ITEM_KEYS

DIM_INDEX = {d: i for i, d in enumerate(DIMENSIONS)}


class ItemState(IntEnum):
    NONE = 0
    PROMISED = 1
    DRAFTED = 2
    ENACTED = 3


_NONE, _ENACTED = int(ItemState.NONE), int(ItemState.ENACTED)  # plain ints compare faster


@dataclass(frozen=True)
class ReformItem:
    """A discrete legal or procedural change the outside world presses for (memo ¶5, ¶7, ¶16)."""

    key: str
    floor_increments: dict[str, float]
    resolves: dict[CaseCategory, float]  # share of open cases of a category resolved on enactment
    memo: str


REFORM_ITEMS: tuple[ReformItem, ...] = (
    ReformItem("end_internal_exile", {"arrest_restraint": 0.1}, {}, "¶5"),
    ReformItem(
        "psychiatric_to_health_ministry",
        {"arrest_restraint": 0.05, "prisoner_release": 0.05},
        {},
        "¶5",
    ),
    ReformItem(
        "repeal_relatives_permission", {"emigration": 0.25}, {CaseCategory.REFUSENIK: 0.4}, "¶5 ¶7"
    ),
    ReformItem(
        "codify_security_refusals", {"emigration": 0.3}, {CaseCategory.REFUSENIK: 0.5}, "¶5 ¶7 ¶16"
    ),
    ReformItem(
        "repeal_political_articles",
        {"arrest_restraint": 0.4, "expression": 0.4, "religion": 0.2},
        {},
        "¶7 ¶16",
    ),
    ReformItem(
        "release_all_prisoners",
        {"prisoner_release": 0.5},
        {CaseCategory.POLITICAL: 1.0, CaseCategory.RELIGIOUS: 1.0, CaseCategory.PSYCHIATRIC: 1.0},
        "¶7",
    ),
    ReformItem("end_jamming", {"foreign_broadcasts": 0.6}, {}, "¶4 ¶7"),
    ReformItem("religious_freedoms", {"religion": 0.5}, {CaseCategory.RELIGIOUS: 0.5}, "¶7"),
    ReformItem("law_on_associations", {"association": 0.5}, {}, "¶4"),
    ReformItem("law_on_demonstrations", {"protest_tolerance": 0.5}, {}, "¶4 ¶6"),
)
assert tuple(item.key for item in REFORM_ITEMS) == ITEM_KEYS  # one list of names (vocabulary)


def floor_matrix(scale: float) -> np.ndarray:
    """Items x dimensions matrix of floor increments."""
    m = np.zeros((len(REFORM_ITEMS), len(DIMENSIONS)))
    for i, item in enumerate(REFORM_ITEMS):
        for dim, inc in item.floor_increments.items():
            m[i, DIM_INDEX[dim]] = inc * scale
    return m


class PolicyState:
    """Practice levels, floors and item states: the ratchet at the heart of institutionalisation."""

    def __init__(self, scenario: PolicyParams, increments: np.ndarray) -> None:
        """``increments`` (items x dimensions) is what enacting each item adds to the floors:
        the ratchet (M2, ``sim.mechanisms.m02_ratchet``) decides it."""
        self.practice = np.array([scenario.initial_practice[d] for d in DIMENSIONS], dtype=float)
        self.base_floor = np.array([scenario.initial_floor[d] for d in DIMENSIONS], dtype=float)
        w = np.array([scenario.dimension_weights[d] for d in DIMENSIONS], dtype=float)
        self.weights = w / w.sum() if w.sum() > 0 else np.full(len(DIMENSIONS), 1 / len(DIMENSIONS))
        self.sensitivity = np.array([scenario.crackdown_sensitivity[d] for d in DIMENSIONS])
        self._increments = increments
        self.items = np.zeros(len(REFORM_ITEMS), dtype=np.int8)
        for name in scenario.items_promised_at_start:
            self.items[ITEM_KEYS.index(name)] = ItemState.PROMISED
        for name in scenario.items_enacted_at_start:
            self.items[ITEM_KEYS.index(name)] = ItemState.ENACTED
        self.in_force_at_start = self.items == ItemState.ENACTED
        # The week each item was (last) enacted; items in force at week 0 are older (M15).
        self.enacted_week = np.where(
            self.items == ItemState.ENACTED, -scenario.initial_law_age, -1
        ).astype(np.int64)
        # The week each item was first enacted in the run: 0 if in force at the start, -1 never.
        self.first_enacted_week = np.where(self.in_force_at_start, 0, -1).astype(np.int64)
        self.floor = self._compute_floor()
        self.practice = np.maximum(self.practice, self.floor)

    def _compute_floor(self) -> np.ndarray:
        enacted = (self.items == ItemState.ENACTED).astype(float)
        return np.minimum(1.0, self.base_floor + enacted @ self._increments)

    @property
    def liberalization(self) -> float:
        """Index L: weighted mean of practice levels."""
        return float(self.practice @ self.weights)

    @property
    def codified(self) -> float:
        """Index F: weighted mean of floors."""
        return float(self.floor @ self.weights)

    def advance(self, index: int, week: int = 0) -> ItemState:
        """Move an item one stage along none -> promised -> drafted -> enacted."""
        if self.items[index] < ItemState.ENACTED:
            self.items[index] += 1
            if self.items[index] == ItemState.ENACTED:
                self.enacted_week[index] = week
                if self.first_enacted_week[index] < 0:
                    self.first_enacted_week[index] = week
                self.floor = self._compute_floor()
                # Law is implemented: practice rises to the new floor (memo ¶15).
                self.practice = np.maximum(self.practice, self.floor)
        return ItemState(int(self.items[index]))

    def repeal(self, index: int) -> None:
        """An enacted item is repealed or hollowed out: back to a draft, its floors fall (M15).
        Practice is not lifted back: only a later crackdown or reform moves it."""
        if self.items[index] == ItemState.ENACTED:
            self.items[index] = ItemState.DRAFTED
            self.floor = self._compute_floor()

    def pending_mask(self) -> np.ndarray:
        """Items promised or drafted but not enacted."""
        return (self.items > _NONE) & (self.items < _ENACTED)

    def reform(self, step: float, ceiling: np.ndarray) -> None:
        """Raise practice by a small step toward the leadership's per-dimension ceiling (¶6)."""
        target = np.maximum(ceiling, self.floor)
        self.practice = np.where(
            self.practice < target, np.minimum(target, self.practice + step), self.practice
        )

    def crack_down(self, depth: float, breach: float) -> float:
        """Cut practice toward the floors; ``breach`` > 0 lets part of the cut pierce them.

        Returns how far the floors were pierced in total (a cost the leadership pays).
        """
        cut = depth * self.sensitivity
        above = np.maximum(self.practice - cut, self.floor)
        pierced = np.maximum(self.floor - (self.practice - cut), 0.0) * breach
        new = np.maximum(above - pierced, 0.0)
        breached = float(np.maximum(self.floor - new, 0.0).sum())
        self.practice = np.minimum(self.practice, new)
        return breached

    def restore_floor(self, rate: float) -> None:
        """Practice pushed below floors drifts back as law reasserts itself."""
        gap = np.maximum(self.floor - self.practice, 0.0)
        self.practice += rate * gap

    def pending_count(self) -> int:
        """Items promised or drafted but not yet enacted: what NGOs expect to see kept (¶11)."""
        return int(np.count_nonzero(self.pending_mask()))

    def enacted_since_start(self) -> int:
        """Items in force now that were not at week 0 (a repealed week-0 item is not counted)."""
        return int(np.count_nonzero((self.items == _ENACTED) & ~self.in_force_at_start))

    def enacted_count(self) -> int:
        return int(np.count_nonzero(self.items == _ENACTED))
