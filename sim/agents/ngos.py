"""Western human-rights NGOs (memo ¶11, ¶23): document promises, expect them kept, press when
let down. Their expectations and disappointment are M10 (``sim.mechanisms.m10_expectations``)."""

from __future__ import annotations

import functools
from enum import IntEnum

import mesa
import numpy as np

from sim.mechanisms import m10_expectations as m10
from sim.mechanisms import m13_repression_price
from sim.params import StrategyParams
from sim.world import World


class NGOFocus(IntEnum):
    CASES = 0
    INSTITUTIONS = 1


class WesternNGO(mesa.Agent):
    """An NGO with a focus on cases or on institutions."""

    def __init__(self, model: World, focus: NGOFocus) -> None:
        super().__init__(model)  # type: ignore[arg-type]
        self.focus = focus
        self.progress = self.observe()
        s, on = model.params.scenario.ngos, model.params.mechanisms.M10
        self.expectation = m10.initial_expectation(
            self.progress, model.policy.pending_count(), s, on
        )
        self.disappointment = self.expectation - self.progress

    def observe(self, seen: Seen | None = None) -> float:
        """Progress as this NGO sees it: practice gains and its own focus (reported cases, law),
        from what every NGO sees this week (``seen``, read now if not given)."""
        gain, cases, law = seen if seen is not None else observed(self.model)
        own = cases if self.focus is NGOFocus.CASES else law
        return m10.progress(gain, own, self.model.params.scenario.ngos)

    def step(self, strategy: StrategyParams, seen: Seen | None = None) -> None:
        """A week of observing, expecting and being let down, under the strategy in force."""
        m = self.model
        week = m.log.week
        before = self.progress
        self.progress = self.observe(seen)
        self.expectation = m10.updated_expectation(
            self.expectation,
            self.progress,
            max(0.0, self.progress - before),
            week.promises,
            week.documents,
            strategy,
            m.params.scenario.ngos,
            m.params.mechanisms.M10,
        )
        self.expectation = min(
            1.0,
            self.expectation
            + m13_repression_price.outrage(
                week.known_arrests,
                m.params.scenario.ngos,
                m.params.scenario.leadership.known_arrest_scale,
                m.params.mechanisms.M13 and m.params.mechanisms.M10,
            ),
        )
        self.disappointment = max(0.0, self.expectation - self.progress)


Seen = tuple[float, float, float]


def observed(m: World) -> Seen:
    """What every NGO sees of the state, whatever its focus: the practice gain, the reported
    resolutions of known cases, the enacted share of the law in play. The NGOs' own steps do
    not change it, so the model reads it once a week for all of them."""
    policy = m.policy
    gain = max(0.0, policy.liberalization - m.initial_liberalization) / max(
        1e-9, 1.0 - m.initial_liberalization
    )
    cases = m.log.total.listed_reported / max(1, m.initial_known_cases)
    enacted = policy.enacted_since_start()
    law = enacted / max(1, enacted + policy.pending_count())
    return gain, cases, law


def mean_disappointment(ngos: mesa.agent.AgentSet | None) -> float:
    """What the NGOs together press their government with (0 without NGOs)."""
    return _mean(tuple([n.disappointment for n in ngos])) if ngos else 0.0


def mean_expectation(ngos: mesa.agent.AgentSet | None) -> float:
    return _mean(tuple([n.expectation for n in ngos])) if ngos else 0.0


@functools.lru_cache(maxsize=16)
def _mean(values: tuple[float, ...]) -> float:
    """numpy's mean, computed once per set of values: disappointment is read at every forum
    and by the recorder, and changes once a week. np.mean is numpy's sum (add.reduce) divided
    by the count; calling the reduction directly gives the same float without its overhead."""
    return float(np.add.reduce(np.array(values, dtype=float))) / len(values)
