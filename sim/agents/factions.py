"""Bureaucratic factions (memo ¶22) and the bureaucracy as the leadership sees it."""

from collections.abc import Callable
from typing import Any, Protocol

import mesa
import numpy as np

from sim.mechanisms import m09_cooperation, m12_factions
from sim.params import FactionParams


class LeadershipView(Protocol):
    """What a faction reads of the leadership's week."""

    in_campaign: bool
    threat: float
    reformed: bool

    def tolerated_unrest(self) -> float: ...


class BureaucracyFaction(mesa.Agent):
    """A faction with a position on reform, an influence weight and implementation fidelity."""

    def __init__(self, model: mesa.Model, name: str, s: FactionParams, shifts: bool) -> None:
        super().__init__(model)
        self.name = name
        self._readers: list[Callable[[], None]] = []  # told when influence or position change
        self.position = s.position[name]
        self.influence = s.influence[name]
        self.fidelity = s.fidelity[name]  # fixed
        self._s = s
        self._shifts = shifts

    @property
    def influence(self) -> float:
        return self._influence

    @influence.setter
    def influence(self, value: float) -> None:
        self._influence = value
        for changed in self._readers:
            changed()

    @property
    def position(self) -> float:
        return self._position

    @position.setter
    def position(self, value: float) -> None:
        self._position = value
        for changed in self._readers:
            changed()

    def read_unrest(self, leadership: LeadershipView) -> None:
        """Unrest shifts influence to opponents of reform; calm reform to its friends (M12)."""
        # Unrest is what the leadership itself would not tolerate (with M13, more than without).
        unrest = leadership.in_campaign or leadership.threat > leadership.tolerated_unrest()
        self.influence = m12_factions.shifted_influence(
            self.influence, self.position, unrest, leadership.reformed, self._s, self._shifts
        )

    def cooperate(self, pull: float) -> None:
        """Cooperation projects pull opposed factions toward reform (M9)."""
        self.position = m09_cooperation.pulled_position(self.position, pull)


class Bureaucracy:
    """The factions' weighted balance: what the leadership reads before it decides (¶22)."""

    def __init__(self, factions: mesa.agent.AgentSet, hardline: tuple[str, ...]) -> None:
        self.factions = factions
        self.hardline = hardline
        self._factions = list(factions)
        # positions in that order of the hardline factions and of the security organs
        self._hardline_at = [i for i, f in enumerate(self._factions) if f.name in hardline]
        self._security_at = [i for i, f in enumerate(self._factions) if f.name == "security_organs"]
        # What was computed from the influences and positions as they are; a faction clears it
        # when its influence or position changes.
        self._memo: dict[str, Any] = {}
        for f in self._factions:
            f._readers.append(self._forget)

    def _forget(self) -> None:
        self._memo = {}

    def _read(self, name: str) -> float:
        """One value of the balance, computed as before but only once for as long as no
        influence or position changed: it is read about a dozen times a week and changes a few
        times (each faction's weekly shift), and each value is computed only when asked."""
        memo = self._memo
        if name not in memo:
            self._compute(memo, name)
        return memo[name]

    def _compute(self, memo: dict[str, Any], name: str) -> None:
        if "weights" not in memo:
            memo["weights"] = self._weights()[1]
        memo[name] = getattr(self, "_" + name)(self._factions, memo["weights"])

    def _weights(self) -> tuple[list[BureaucracyFaction], np.ndarray]:
        """The factions (a fixed set, in a fixed order) and their normalised influence."""
        fs = self._factions
        w = np.array([f.influence for f in fs])
        total = w.sum()
        return fs, w / total if total > 0 else np.full(len(fs), 1 / len(fs))

    def support(self) -> float:
        """Influence-weighted position of the bureaucracy on reform."""
        return self._read("support")

    def _support(self, fs: list[BureaucracyFaction], w: np.ndarray) -> float:
        return float(w @ np.array([f.position for f in fs]))

    def implementation(self) -> float:
        """Share of a leadership decision the bureaucracy carries out."""
        return self._read("implementation")

    def _implementation(self, fs: list[BureaucracyFaction], w: np.ndarray) -> float:
        return float(w @ np.array([f.fidelity for f in fs]))

    def hardline_share(self) -> float:
        return self._read("hardline")

    def _hardline(self, fs: list[BureaucracyFaction], w: np.ndarray) -> float:
        # Python floats add exactly as numpy's scalars, in the factions' order
        wl = w.tolist()
        share = float(sum([wl[i] for i in self._hardline_at]))
        return min(1.0, share)  # a sum of normalised weights can exceed 1 by a rounding step

    def hardline_share_and_support(self) -> tuple[float, float]:
        """Both (the recorder reads both every week)."""
        return self._read("hardline"), self._read("support")

    def security_pressure(self) -> float:
        """How hard the security organs lean against reform."""
        return self._read("security")

    def _security(self, fs: list[BureaucracyFaction], w: np.ndarray) -> float:
        wl = w.tolist()
        return float(sum([wl[i] * (1 - fs[i].position) for i in self._security_at]))

    def security_and_hardline(self) -> tuple[float, float]:
        """Both: the leadership needs both whenever it weighs unrest, several times a week."""
        memo = self._memo
        for name in ("security", "hardline"):
            if name not in memo:
                self._compute(memo, name)
        return memo["security"], memo["hardline"]

    def shock(self, hardline_boost: float) -> None:
        """A hardline shock: the hardline factions' influence rises by the given share."""
        for faction in self.factions:
            if faction.name in self.hardline:
                faction.influence *= 1.0 + hardline_boost

    def keep_finite(self, bound: float = 1e12) -> None:
        """Influence is relative (weights are normalised when read): rescale the raw weights when
        they grow past ``bound``, so any horizon and any ``influence_shift`` stay finite."""
        total = sum(f.influence for f in self.factions)
        if total > bound:
            for f in self.factions:
                f.influence /= total

    def cooperate(self, pull: float) -> None:
        """Every faction but the reformers is pulled toward reform (M9)."""
        for faction in self.factions:
            if faction.name != "reformers":
                faction.cooperate(pull)
