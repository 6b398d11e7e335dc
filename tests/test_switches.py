"""Each mechanism switch does what docs/ODD.md section 4 says "off" means.

Every test runs the same seeds with the switch on and off (one lever per arm) and checks the
quantity the definition of "off" names: zero where the mechanism is the only source of it, and
non-zero with the switch on in the same runs, so a switch that does nothing fails.
"""

import dataclasses

import numpy as np

from conftest import config, model_of
from sim.agents import BureaucracyFaction
from sim.params import MechanismSwitches
from sim.params.vocabulary import ITEM_KEYS
from sim.policy import REFORM_ITEMS, ItemState

SEEDS = (0, 1, 2)


def runs(*overrides: str, steps: int = 104):
    """(model, result) for each seed."""
    cfg = config(*overrides, f"steps={steps}")
    out = []
    for seed in SEEDS:
        model = model_of(cfg, rng=seed)
        out.append((model, model.run()))
    return out


def outcome(results, name: str) -> np.ndarray:
    return np.array([r.outcomes[name] for _, r in results], dtype=float)


def series(results, name: str) -> list[np.ndarray]:
    return [r.timeseries[name].to_numpy() for _, r in results]


def test_there_is_one_switch_per_mechanism_all_on_by_default():
    names = [f.name for f in dataclasses.fields(MechanismSwitches)]
    assert names == [f"M{k}" for k in range(1, 18)]
    assert all(getattr(MechanismSwitches(), name) is True for name in names)


def test_m1_off_no_crackdown_and_reform_to_the_ceiling():
    on, off = runs(), runs("mechanisms.M1=false")
    assert (outcome(on, "crackdowns") > 0).all()
    assert (outcome(off, "crackdowns") == 0).all()
    assert (outcome(off, "first_crackdown_week") == -1).all()
    for model, _ in off:
        assert (model.leadership.limits == 1.0).all()  # no limit was learned
    assert (outcome(off, "final_liberalization") > outcome(on, "final_liberalization")).all()


def test_m2_off_enacted_items_raise_no_floors():
    on = runs("strategy=memo_recommended")
    off = runs("strategy=memo_recommended", "mechanisms.M2=false")
    assert (outcome(off, "items_enacted") > 0).all()  # items are still enacted
    assert (outcome(off, "final_codified") == 0.0).all()  # initial floors are 0 by default
    assert all((s == 0).all() for s in series(off, "codified"))
    assert (outcome(on, "final_codified") > 0.0).all()  # off: exactly 0, above


def test_m3_off_no_pressure_is_deflected_into_releases():
    on = runs("strategy=institutionalization")
    off = runs("strategy=institutionalization", "mechanisms.M3=false")
    assert (outcome(on, "concession_cases") > 100).all()
    assert (outcome(off, "concession_cases") == 0).all()


def test_m4_off_receptivity_stays_and_replies_are_true():
    on = runs("strategy=case_focus")
    off = runs("strategy=case_focus", "mechanisms.M4=false")
    assert (outcome(on, "listed_cases_reported") > outcome(on, "listed_cases_resolved")).all()
    assert (outcome(off, "listed_cases_reported") == outcome(off, "listed_cases_resolved")).all()
    initial = config("strategy=case_focus").scenario.cases.receptivity_initial
    assert all((s == initial).all() for s in series(off, "receptivity"))
    assert all(s.min() < initial - 0.05 for s in series(on, "receptivity"))


def test_m5_off_statements_act_as_lists_and_resolve_no_category():
    on = runs("strategy=memo_recommended")
    off = runs("strategy=memo_recommended", "mechanisms.M5=false")
    # on: statements resolve whole categories in most worlds (one posterior draw of three
    # enacts no category item: 0, 1,050 and 2,922 cases); off: in none
    assert (outcome(on, "category_cases_resolved") > 100).sum() >= 2
    assert (outcome(off, "category_cases_resolved") == 0).all()
    # ... although items that resolve whole categories were enacted in those runs
    category_items = [i for i, item in enumerate(REFORM_ITEMS) if item.resolves]
    enacted = sum(int((m.policy.items[category_items] == ItemState.ENACTED).sum()) for m, _ in off)
    assert enacted > 0


def test_m6_off_no_forum_time_is_lost_to_counter_charges():
    on, off = runs(), runs("mechanisms.M6=false")
    assert (outcome(on, "counterattack_time") > 1).all()
    assert (outcome(off, "counterattack_time") == 0).all()


def test_m7_off_public_pressure_breeds_no_reactance():
    on, off = runs("strategy=case_focus"), runs("strategy=case_focus", "mechanisms.M7=false")
    assert all(s.max() > 0.05 for s in series(on, "reactance"))
    assert all((s == 0).all() for s in series(off, "reactance"))


def test_m8_off_is_exactly_full_coordination():
    """Off means no dilution and no duplicated lists: the same run as coordination = 1."""
    now = "strategy.start_week=0"  # the strategy (not the 1987 status quo) from week 0
    off = runs(now, "mechanisms.M8=false")
    full = runs(now, "strategy.coordination=1.0")
    partial = runs(now)  # status quo: coordination 0.3
    for (_, a), (_, b), (_, c) in zip(off, full, partial, strict=True):
        assert a.timeseries.equals(b.timeseries)
        assert not a.timeseries.equals(c.timeseries)


def test_m9_off_cooperation_moves_no_faction_and_costs_no_cohesion():
    on, off = runs("strategy=balanced"), runs("strategy=balanced", "mechanisms.M9=false")
    start = config("strategy=balanced").scenario.factions.position
    for model, result in off:
        for f in model.agents_by_type[BureaucracyFaction]:
            assert f.position == start[f.name]
        assert (np.diff(result.timeseries["cohesion"].to_numpy()) >= 0).all()
    moved = [
        f.position > start[f.name]
        for model, _ in on
        for f in model.agents_by_type[BureaucracyFaction]
        if f.name != "reformers"
    ]
    assert all(moved)


def test_m10_off_no_disappointment_and_no_push():
    on, off = runs(), runs("mechanisms.M10=false")
    assert (outcome(on, "mean_disappointment") > 0.05).all()
    assert all((s == 0).all() for s in series(off, "disappointment"))


def test_m11_off_groups_stay_dormant():
    on, off = runs(), runs("mechanisms.M11=false")
    assert all(s.sum() > 0 for s in series(on, "demonstrations"))
    assert all((s == 0).all() for s in series(off, "demonstrations"))
    assert all((s == 0).all() for s in series(off, "meetings"))
    assert (outcome(off, "crackdowns") == 0).all()


def test_m12_off_influence_fixed_and_floors_never_pierced():
    threshold = 0.0  # hardliners always dominate: floors can be pierced whenever M12 is on
    # Every item in force from the start gives floors to pierce; repeal (M15) would lower the
    # very floors this test watches, so it is held fixed (off) in both arms.
    items = "[" + ",".join(ITEM_KEYS) + "]"
    base = (
        "strategy=no_pressure",
        f"scenario.policy.items_enacted_at_start={items}",
        f"scenario.factions.hardline_threshold={threshold}",
        "mechanisms.M15=false",
    )
    on, off = runs(*base), runs(*base, "mechanisms.M12=false")
    assert all(np.ptp(s) > 0 for s in series(on, "hardline_share"))
    assert all(np.ptp(s) == 0 for s in series(off, "hardline_share"))

    def pierced(results):
        return [
            (
                r.timeseries.filter(like="floor_").to_numpy()
                - r.timeseries.filter(like="practice_").to_numpy()
            ).max()
            for _, r in results
        ]

    assert max(pierced(on)) > 0.01  # hardline dominance (threshold 0) pierces floors when on
    assert max(pierced(off)) <= 1e-12


def test_m13_off_linkage_has_no_effect():
    """Off: crackdowns cost nothing abroad, so how credibly repression is linked is moot."""
    for seed in SEEDS[:2]:
        runs_ = [
            model_of(config(f"strategy.linkage={v}", f"mechanisms.M13={m}", "steps=80"), rng=seed)
            .run()
            .timeseries
            for m in ("false", "true")
            for v in (0.0, 0.9)
        ]
        off_low, off_high, on_low, on_high = runs_
        assert off_low.equals(off_high)
        assert not on_low.equals(on_high)


def test_m14_off_fixed_deflection_and_no_own_programme():
    base = ("strategy=institutionalization", "mechanisms.M14=false")
    cheap = runs(*base, "scenario.leadership.case_release_cost=0.05")
    dear = runs(*base, "scenario.leadership.case_release_cost=1.0")
    assert all(
        a.timeseries.equals(b.timeseries) for (_, a), (_, b) in zip(cheap, dear, strict=True)
    )
    quiet = runs("strategy=no_pressure", "strategy.start_week=0", "mechanisms.M14=false")
    assert (outcome(quiet, "items_enacted") == 0).all()


def test_m15_off_no_repeal_and_limits_never_recover():
    # Repeals frequent enough to see in 3 seeds: likely, slow to entrench, nothing linked.
    base = (
        "scenario=hardline_shock",
        "strategy=no_pressure",
        "scenario.policy.repeal_hazard=0.5",
        "scenario.policy.entrenchment_weeks=1000",
    )
    on, off = runs(*base, steps=156), runs(*base, "mechanisms.M15=false", steps=156)
    assert outcome(on, "items_repealed").sum() > 0
    assert (outcome(off, "items_repealed") == 0).all()
    for on_off, rises in (("true", True), ("false", False)):
        model = model_of(config(f"mechanisms.M15={on_off}", "steps=104"), rng=1)
        before, rose = model.leadership.limits.copy(), False
        for _ in range(104):
            model.step()
            rose |= bool((model.leadership.limits > before + 1e-12).any())
            before = model.leadership.limits.copy()
        assert rose is rises


def test_m16_off_no_conference_and_conditionality_is_moot():
    """Off: no conference on the table, so how strictly consent is tied to the record is moot."""
    for seed in SEEDS[:2]:
        runs_ = [
            model_of(
                config(
                    f"strategy.conference_conditionality={c}",
                    "scenario.leadership.conference_value=1.0",
                    f"mechanisms.M16={m}",
                    "steps=120",
                ),
                rng=seed,
            ).run()
            for m in ("false", "true")
            for c in (0.0, 1.0)
        ]
        off_low, off_high, on_low, on_high = runs_
        assert off_low.timeseries.equals(off_high.timeseries)
        assert off_low.outcomes["conference_week"] == off_high.outcomes["conference_week"] == -1
        assert on_low.outcomes["conference_week"] == 108  # unconditional: at the Vienna close
        assert not on_low.timeseries.equals(on_high.timeseries)


def test_m17_off_emigration_is_supply_only():
    """Off: applicants, refusals and the refusenik stock play no part; the 0.2 Poisson draw."""
    base = ("strategy=status_quo_1987", "steps=52")
    for seed in SEEDS[:2]:
        few = model_of(config(*base, "scenario.releases.application_rate=10"), rng=seed)
        many = model_of(config(*base, "scenario.releases.application_rate=500"), rng=seed)
        off_few = model_of(
            config(*base, "scenario.releases.application_rate=10", "mechanisms.M17=false"), rng=seed
        )
        off_many = model_of(
            config(*base, "scenario.releases.application_rate=500", "mechanisms.M17=false"),
            rng=seed,
        )
        a, b, c, d = (m.run().timeseries for m in (few, many, off_few, off_many))
        assert c.equals(d)
        assert (c["refusals"] == 0).all() and (c["exit_applications"] == 0).all()
        assert b["emigration"].sum() > a["emigration"].sum()  # on: demand sets emigration
