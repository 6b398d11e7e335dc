"""M10 Expectations (memo ¶11, ¶23).

"Non-governmental organizations have carefully documented Soviet statements on proposed reform
... and now expect these changes to be implemented. If progress levels off ... pressure from
these constituents to push the Soviets will increase" (¶11). Public diplomacy should "dispel
this notion" by explaining (¶23), never by inventing progress.

Each NGO's expectation rises with every documented promise, runs ahead of early gains
(``expectation_extrapolation`` > 1) and with cooperation documents (M9); public diplomacy
narrows the gap between expectation and observed progress. Disappointment, the unmet part,
makes the outside government press harder and more publicly.

Off (``mechanisms.M10=false``): expectations track observed progress, so there is no
disappointment and no extra push.
"""

from sim.params import NGOParams, StrategyParams


def progress(practice_gain: float, own: float, s: NGOParams) -> float:
    """Progress as an NGO sees it: practice gains and its own focus (cases or law)."""
    return s.practice_weight * practice_gain + (1 - s.practice_weight) * min(1.0, own)


def initial_expectation(observed: float, pending: int, s: NGOParams, on: bool) -> float:
    """Promises already on the table are expected to be kept."""
    return observed + s.expectation_gain * pending if on else observed


def updated_expectation(
    expectation: float,
    observed: float,
    gain: float,
    promises: float,
    documents: float,
    st: StrategyParams,
    s: NGOParams,
    on: bool,
) -> float:
    """Expectation after a week of promises, gains and documents, less what was explained."""
    if not on:
        return observed
    expectation += (
        s.expectation_gain * promises
        + s.expectation_extrapolation * gain
        + s.document_expectation * documents
    )
    gap = max(0.0, expectation - observed)
    expectation -= s.public_diplomacy_effect * st.public_diplomacy * st.pressure * gap
    return min(1.0, expectation)


def pressure_multiplier(pressure: float, disappointment: float, s: NGOParams) -> float:
    """Disappointed NGOs push their government to press harder."""
    return pressure * (1.0 + s.disappointment_pressure * disappointment)


def publicity(base: float, disappointment: float, s: NGOParams) -> float:
    """Disappointed NGOs make pressure more public."""
    return min(1.0, base + s.publicity_push * disappointment)
