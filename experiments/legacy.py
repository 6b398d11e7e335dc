"""The model of version 0.2 as overrides of today's: the paths added since switched off.

0.2 had no price of repression (M13), moved law only under outside pressure with a fixed share
deflected (M14), never reversed law or learned limits (M15), had no Moscow conference (M16) and
no applicants for emigration (M17), met at invented regular intervals instead of the dated
1987-1989 calendar, let items codify no more than the practice they started from, and let
every strategy act from week 0 on every reform item, with the same agenda at every forum. With
these overrides today's model reproduces 0.2 bit for bit (``tests/test_golden.py``), so any
result can be compared with what 0.2 said.
"""

from sim.params.vocabulary import ITEM_KEYS

MODEL_0_2: tuple[str, ...] = (
    "spinup_weeks=0",
    "scenario.calibration=''",
    "mechanisms.M13=false",
    "mechanisms.M14=false",
    "mechanisms.M15=false",
    "mechanisms.M16=false",
    "mechanisms.M17=false",
    "scenario.fora.calendar=periodic",
    "scenario.policy.item_floor_margin=0.0",
    "strategy.start_week=0",
    "strategy.agenda_focus=0.0",
    "strategy.asks=[" + ",".join(ITEM_KEYS) + "]",
)

# Scenarios whose definition changed since 0.2, as 0.2 defined them (on top of MODEL_0_2): the
# mobilisation wave was present from week 0 instead of arriving in week 78.
SCENARIOS_0_2: dict[str, tuple[str, ...]] = {
    "mobilization_wave": (
        "scenario.shock.week=-1",
        "scenario.shock.grievance_rise=0.0",
        "scenario.shock.nationalist_grievance_rise=0.0",
        "scenario.groups.grievance_mean=0.38",
        "scenario.groups.nationalist_grievance_boost=0.2",
    ),
}
