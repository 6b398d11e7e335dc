"""Parameters of the state: leadership, bureaucratic factions, policy and reform items."""

from dataclasses import dataclass
from typing import ClassVar

from sim.params.schema import ParameterError, Params, param
from sim.params.vocabulary import DIMENSIONS, FACTIONS, ITEM_KEYS, by_dimension


@dataclass
class LeadershipParams(Params):
    """The leadership: experiments, crackdowns, answers at the fora (¶6, ¶9-13; M1, M3, M6, M7)."""

    PREFIX: ClassVar[str] = "scenario.leadership"

    reform_commitment: float = param(
        0.75, 0.0, 1.0, help="leadership's commitment: the ceiling of its experiments", memo="¶6"
    )
    mobilization_tolerance: float = param(
        0.05, 0.0, 1.0, help="share of groups demonstrating the leadership tolerates", memo="¶6"
    )
    reform_caution: float = param(
        0.8,
        0.0,
        1.0,
        help="share of its tolerance at which the leadership stops experimenting",
        memo="¶6",
    )
    ceiling_base: float = param(
        0.5,
        0.0,
        2.0,
        help="reform ceiling with no bureaucratic support, as a share of commitment",
        memo="¶6 ¶22",
    )
    tested_sensitivity: float = param(
        0.5,
        0.0,
        1.0,
        help="crackdown sensitivity from which a freedom counts as tested (limits learned, held)",
        memo="¶6",
    )
    threat_meeting_weight: float = param(
        0.1, 0.0, 1.0, help="weight of a meeting group in perceived threat (demonstration = 1)"
    )
    threat_smoothing: float = param(0.5, 0.0, 1.0, help="weight of last week's perceived threat")
    reform_step: float = param(
        0.015, 0.0, 0.5, help="weekly step of practice under reform", memo="¶6"
    )
    approval_sensitivity: float = param(
        0.5, 0.0, 5.0, help="how much outside approval speeds reform", memo="¶6"
    )
    approval_retention: float = param(0.95, 0.0, 1.0, help="weekly retention of outside approval")
    approval_gain: float = param(
        0.15, 0.0, 1.0, help="outside approval per unit of non-accusatory engagement", memo="¶9"
    )
    reactance_sensitivity: float = param(
        0.6, 0.0, 5.0, help="rise of resistance per unit of public accusatory pressure", memo="¶10"
    )
    reactance_pressure_scale: float = param(
        10.0,
        0.1,
        1000.0,
        help="units of forum pressure that, fully public, add reactance_sensitivity to reactance",
        memo="¶10",
    )
    reactance_retention: float = param(0.9, 0.0, 1.0, help="weekly retention of reactance")
    counterattack_appetite: float = param(
        0.35,
        0.0,
        1.0,
        help="share of forum time the leadership claims for counter-charges",
        memo="¶9 ¶13",
    )
    counterattack_max: float = param(
        0.8,
        0.0,
        1.0,
        help="most forum time counter-charges can claim, however resentful",
        memo="¶13",
    )
    crackdown_depth: float = param(
        0.14, 0.0, 1.0, help="cut in practice levels per crackdown", memo="¶6"
    )
    depth_base: float = param(
        0.5,
        0.0,
        2.0,
        help="crackdown depth multiplier before hardline influence is added",
        memo="¶22",
    )
    overshoot_cap: float = param(
        2.0,
        1.0,
        10.0,
        help="most a crackdown deepens when threat overshoots tolerance (in multiples)",
        memo="¶6",
    )
    limit_learning: float = param(
        0.5,
        0.0,
        5.0,
        help="how far below the provoking level a learned limit is set (in cuts)",
        memo="¶6",
    )
    crackdown_pause_weeks: int = param(8, 0, 520, help="weeks without reform after a crackdown")
    arrest_rate: float = param(
        0.3, 0.0, 1.0, help="share of demonstrating groups whose leader is arrested", memo="¶6"
    )
    harass_rate: float = param(
        0.4, 0.0, 1.0, help="share of active groups whose leader is harassed", memo="¶6"
    )
    arrest_known_share: float = param(
        0.5, 0.0, 1.0, help="share of arrests of non-visible leaders that become known abroad"
    )
    floor_breach_cost: float = param(
        0.3, 0.0, 1.0, help="outside approval lost when floors are breached"
    )
    cheap_concession_bias: float = param(
        0.6,
        0.0,
        1.0,
        help="share of institutional pressure answered with case resolutions",
        memo="¶12 ¶18",
    )
    case_release_cost: float = param(
        0.25,
        0.01,
        5.0,
        help="cost of releasing known cases, against enacting law, when all are still held (M14)",
        memo="¶12",
    )
    repression_price: float = param(
        1.0,
        0.0,
        20.0,
        help="how far expected losses abroad raise the unrest tolerated before a crackdown (M13)",
        memo="¶9 ¶23",
    )
    standing_stake: float = param(
        0.5,
        0.0,
        1.0,
        help="what the relationship is worth beyond approval: summit tone, trade",
        memo="¶9",
    )
    conference_value: float = param(
        0.25,
        0.0,
        5.0,
        help="what the Moscow conference is worth to the leadership, in units of outside "
        "approval (M16)",
        memo="¶9",
    )
    arrest_approval_cost: float = param(
        0.2,
        0.0,
        1.0,
        help="outside approval lost per unit linkage when known people are arrested (M13)",
        memo="¶6 ¶11",
    )
    known_arrest_scale: float = param(
        10.0, 1.0, 10_000.0, help="known arrests in a crackdown at which its cost abroad is full"
    )
    limit_recovery: float = param(
        0.01,
        0.0,
        1.0,
        help="weekly recovery of learned limits toward 1 in calm weeks of reform (M15)",
        memo="¶6",
    )
    concession_cases: float = param(
        40.0,
        0.0,
        10_000.0,
        help="known cases resolved per unit of institutional pressure deflected",
        memo="¶12 ¶18",
    )


@dataclass
class FactionParams(Params):
    """Bureaucratic factions: positions, influence, the hardline coalition (memo ¶22; M9, M12)."""

    PREFIX: ClassVar[str] = "scenario.factions"

    position: dict[str, float] = param(
        {
            "reformers": 0.85,
            "party_conservatives": 0.3,
            "security_organs": 0.1,
            "legal_ministries": 0.5,
        },
        0.0,
        1.0,
        keys=FACTIONS,
        help="position of each faction on reform",
        memo="¶22",
    )
    influence: dict[str, float] = param(
        {
            "reformers": 0.35,
            "party_conservatives": 0.25,
            "security_organs": 0.2,
            "legal_ministries": 0.2,
        },
        0.0,
        1.0,
        keys=FACTIONS,
        help="initial influence weight of each faction",
        memo="¶22",
    )
    fidelity: dict[str, float] = param(
        {
            "reformers": 0.9,
            "party_conservatives": 0.6,
            "security_organs": 0.5,
            "legal_ministries": 0.8,
        },
        0.0,
        1.0,
        keys=FACTIONS,
        help="share of a decision each faction carries out",
    )
    hardline_threshold: float = param(
        0.55,
        0.0,
        1.0,
        help="hardline influence above which hardliners dominate (floors breached, M12)",
        memo="¶5 ¶6 ¶22",
    )
    influence_shift: float = param(
        0.005,
        0.0,
        1.0,
        help="influence moved to security by unrest, to reformers by calm",
        memo="¶22",
    )
    security_push: float = param(
        0.5, 0.0, 1.0, help="how far security organs lower the leadership's tolerance", memo="¶6"
    )
    cooperation_effect: float = param(
        0.02, 0.0, 1.0, help="pull of cooperation projects on opposed factions", memo="¶22"
    )
    floor_breach_depth: float = param(
        0.5,
        0.0,
        1.0,
        help="share of a cut that pierces the floors under hardline dominance",
        memo="¶5",
    )
    dominance_tolerance_cut: float = param(
        0.6,
        0.0,
        1.0,
        help="share of the tolerated unrest lost under hardline dominance",
        memo="¶6",
    )
    routine_arrest_rate: float = param(
        0.02,
        0.0,
        1.0,
        help="weekly chance an acting group's leader is arrested under hardline dominance",
        memo="¶6",
    )


@dataclass
class PolicyParams(Params):
    """Policy dimensions, codified floors and the reform items (memo ¶4-5, ¶7, ¶15-16; M2)."""

    PREFIX: ClassVar[str] = "scenario.policy"

    initial_practice: dict[str, float] = param(
        by_dimension(
            emigration=0.15,
            prisoner_release=0.3,
            protest_tolerance=0.25,
            expression=0.4,
            foreign_broadcasts=0.6,
            association=0.35,
            arrest_restraint=0.4,
            religion=0.2,
        ),
        0.0,
        1.0,
        keys=DIMENSIONS,
        help="practice level of each dimension at week 0",
        memo="¶4",
    )
    initial_floor: dict[str, float] = param(
        by_dimension(
            emigration=0.0,
            prisoner_release=0.0,
            protest_tolerance=0.0,
            expression=0.0,
            foreign_broadcasts=0.0,
            association=0.0,
            arrest_restraint=0.0,
            religion=0.0,
        ),
        0.0,
        1.0,
        keys=DIMENSIONS,
        help="codified floor before any reform item",
        memo="¶5",
    )
    dimension_weights: dict[str, float] = param(
        by_dimension(
            emigration=1.0,
            prisoner_release=1.0,
            protest_tolerance=1.0,
            expression=1.0,
            foreign_broadcasts=1.0,
            association=1.0,
            arrest_restraint=1.0,
            religion=1.0,
        ),
        0.0,
        100.0,
        keys=DIMENSIONS,
        help="weight of each dimension in the index L",
    )
    crackdown_sensitivity: dict[str, float] = param(
        by_dimension(
            emigration=0.2,
            prisoner_release=0.3,
            protest_tolerance=1.0,
            expression=0.6,
            foreign_broadcasts=0.3,
            association=1.0,
            arrest_restraint=1.0,
            religion=0.4,
        ),
        0.0,
        1.0,
        keys=DIMENSIONS,
        help="share of a crackdown cut each dimension takes",
        memo="¶6",
    )
    floor_increment_scale: float = param(
        1.0, 0.0, 5.0, help="scale of the floor rise from enacting an item", memo="¶7 ¶15"
    )
    item_floor_margin: float = param(
        0.1,
        0.0,
        1.0,
        help="least rise of each floor an item enacted in the run sets above the dimension's "
        "starting practice (0: the item table as is)",
        memo="¶7 ¶15",
    )
    items_enacted_at_start: list[str] = param(
        ["end_internal_exile", "psychiatric_to_health_ministry"],
        help="items in force at week 0",
        memo="¶5",
    )
    items_promised_at_start: list[str] = param(
        ["repeal_relatives_permission", "codify_security_refusals", "repeal_political_articles"],
        help="items promised at week 0",
        memo="¶5 ¶16",
    )
    floor_restoration: float = param(
        0.05,
        0.0,
        1.0,
        help="weekly repair of a floor breach once hardliners lose dominance",
        memo="¶15",
    )
    promise_rate: float = param(
        1.5, 0.0, 10.0, help="hazard of promising an item per unit pressure", memo="¶16"
    )
    draft_rate: float = param(
        1.0, 0.0, 10.0, help="hazard of drafting a promised item per unit pressure"
    )
    enact_rate: float = param(
        1.0, 0.0, 10.0, help="hazard of enacting a drafted item per unit pressure"
    )
    enactment_cost: float = param(
        0.5,
        0.0,
        1.0,
        help="reluctance to enact permanent law (lowers enactment hazard)",
        memo="¶12",
    )
    enactment_support_threshold: float = param(
        0.4, 0.0, 1.0, help="faction support below which drafts stall", memo="¶22"
    )
    domestic_drive: float = param(
        0.03,
        0.0,
        1.0,
        help="weekly pressure of its own programme on its promised and drafted items (M14)",
        memo="¶5 ¶8 ¶16",
    )
    approval_incentive: float = param(
        1.0,
        0.0,
        10.0,
        help="how much outside approval speeds the leadership's own programme (M14)",
        memo="¶16",
    )
    repeal_hazard: float = param(
        0.1,
        0.0,
        1.0,
        help="chance a new, unknown law is repealed in a crackdown under full hardline sway (M15)",
        memo="¶2 ¶15",
    )
    entrenchment_weeks: float = param(
        52.0,
        1.0,
        10_000.0,
        help="weeks over which a law becomes harder to reverse (protection 1 - exp(-age / this))",
        memo="¶15",
    )
    initial_law_age: int = param(
        26, 0, 10_000, help="age in weeks at week 0 of the items enacted at start", memo="¶5"
    )
    repeal_cost: float = param(
        0.2,
        0.0,
        1.0,
        help="outside approval lost per repeal, per unit linkage (M15)",
        memo="¶15",
    )
    advanced_item_focus: float = param(
        3.0,
        1.0,
        100.0,
        help="weight of pressure on an item per stage it has advanced (promised, drafted)",
        memo="¶16",
    )

    def __post_init__(self) -> None:
        for key in ("items_enacted_at_start", "items_promised_at_start"):
            for name in getattr(self, key):
                if name not in ITEM_KEYS:
                    raise ParameterError(
                        f"{self.PREFIX}.{key} contains {name!r}: not a reform item, expected "
                        f"names from {', '.join(ITEM_KEYS)}"
                    )
        super().__post_init__()


@dataclass
class ShockParams(Params):
    """A mid-run shock: hardliners gain, commitment falls (M15's stress test), or grievances
    rise (a mobilisation wave)."""

    PREFIX: ClassVar[str] = "scenario.shock"

    week: int = param(
        -1,
        -1,
        100_000,
        help="week of the shock, from 1 (-1: none; a week past the horizon never comes)",
        memo="¶2 ¶6",
    )
    hardline_boost: float = param(
        0.0,
        0.0,
        10.0,
        help="relative rise of the hardline factions' influence at the shock",
        memo="¶22",
    )
    commitment_drop: float = param(
        0.0, 0.0, 1.0, help="fall of the leadership's reform commitment at the shock", memo="¶6"
    )
    grievance_rise: float = param(
        0.0, 0.0, 1.0, help="rise of every group's lasting grievance at the shock", memo="¶4"
    )
    nationalist_grievance_rise: float = param(
        0.0,
        0.0,
        1.0,
        help="further rise of the nationalist groups' lasting grievance at the shock",
        memo="¶4",
    )

    def __post_init__(self) -> None:
        if self.week == 0:
            raise ParameterError(
                "scenario.shock.week = 0: weeks are counted from 1 (the first step), expected -1 "
                "(no shock) or a week from 1"
            )
        super().__post_init__()
