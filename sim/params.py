"""Typed, self-validating parameters: the one definition of every model parameter.

Each field carries its range, its one-line meaning and the memo paragraph it comes from in the
dataclass metadata. Hydra's structured configs (``experiments/``) are built from these same
classes, ``docs/ODD.md`` tables are generated from them, and ``validate`` checks them, so a
parameter's name, type, default, range and meaning are written exactly once.
"""

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

DIMENSIONS: tuple[str, ...] = (
    "emigration",
    "prisoner_release",
    "protest_tolerance",
    "expression",
    "foreign_broadcasts",
    "association",
    "arrest_restraint",
    "religion",
)
FACTIONS: tuple[str, ...] = (
    "reformers",
    "party_conservatives",
    "security_organs",
    "legal_ministries",
)
HARDLINE_FACTIONS: tuple[str, ...] = ("party_conservatives", "security_organs")
GROUP_KINDS: tuple[str, ...] = (
    "environmentalists",
    "preservationists",
    "refuseniks",
    "nationalists",
    "cultural_clubs",
    "religious_believers",
)
NETWORK_KINDS: tuple[str, ...] = ("small_world", "complete")


class ParameterError(ValueError):
    """A parameter is of the wrong type or outside its allowed range."""


def param(
    default: Any,
    lo: float | None = None,
    hi: float | None = None,
    *,
    help: str,
    memo: str = "",
    choices: tuple[str, ...] | None = None,
    keys: tuple[str, ...] | None = None,
) -> Any:
    """A dataclass field whose metadata records range, meaning and memo source."""
    meta = {"lo": lo, "hi": hi, "help": help, "memo": memo, "choices": choices, "keys": keys}
    if isinstance(default, (dict, list)):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


def _dim(**values: float) -> dict[str, float]:
    assert set(values) == set(DIMENSIONS), set(values) ^ set(DIMENSIONS)
    return {d: values[d] for d in DIMENSIONS}


@dataclass
class ScenarioParams:
    """The world the outside pressure acts on: leadership, factions, groups, cases, fora."""

    name: str = param("baseline_1987", help="scenario label written into results")
    # --- informal groups and their network (memo ¶4, ¶6)
    n_groups: int = param(2000, 1, 10_000_000, help="number of informal groups", memo="¶4")
    network_kind: str = param("small_world", help="social network of groups", choices=NETWORK_KINDS)
    network_degree: int = param(6, 0, 200, help="mean ties per group (small world)", memo="¶4")
    network_rewiring: float = param(0.1, 0.0, 1.0, help="Watts-Strogatz rewiring probability")
    group_kind_shares: dict[str, float] = param(
        {
            "environmentalists": 0.15,
            "preservationists": 0.15,
            "refuseniks": 0.1,
            "nationalists": 0.15,
            "cultural_clubs": 0.35,
            "religious_believers": 0.1,
        },
        0.0,
        1.0,
        keys=GROUP_KINDS,
        help="share of groups of each kind",
        memo="¶4",
    )
    grievance_mean: float = param(0.3, 0.0, 1.0, help="mean baseline grievance", memo="¶4")
    grievance_sd: float = param(0.12, 0.0, 1.0, help="spread of baseline grievance")
    nationalist_grievance_boost: float = param(
        0.1, 0.0, 1.0, help="extra grievance of nationalist groups", memo="¶4"
    )
    risk_aversion_mean: float = param(0.5, 0.0, 1.0, help="mean risk aversion of groups")
    risk_aversion_sd: float = param(0.15, 0.0, 1.0, help="spread of risk aversion")
    threshold_mean: float = param(0.5, -1.0, 2.0, help="mean action threshold (Granovetter)")
    threshold_sd: float = param(0.1, 0.0, 1.0, help="spread of action thresholds")
    contagion: float = param(
        0.4, 0.0, 5.0, help="weight of neighbours' activity on the drive to act"
    )
    meeting_margin: float = param(
        0.2, 0.0, 1.0, help="how far below the demonstration bar a group still meets"
    )
    repression_risk: float = param(
        0.8, 0.0, 5.0, help="perceived risk of acting when protest is not tolerated", memo="¶6"
    )
    visibility_share: float = param(0.1, 0.0, 1.0, help="share of groups known abroad", memo="¶15")
    visibility_protection: float = param(
        0.5, 0.0, 1.0, help="how much outside visibility shields a group's leaders"
    )
    deterrence_shock: float = param(
        1.0, 0.0, 10.0, help="rise of deterrence after a crackdown", memo="¶6"
    )
    deterrence_retention: float = param(0.92, 0.0, 1.0, help="weekly retention of deterrence")
    backlash: float = param(0.1, 0.0, 1.0, help="grievance rise of groups hit by a crackdown")
    backlash_neighbour_share: float = param(
        0.5, 0.0, 1.0, help="share of the backlash felt by neighbours of hit groups"
    )
    grievance_relaxation: float = param(
        0.02, 0.0, 1.0, help="weekly return of grievance toward its baseline"
    )
    glasnost_grievance: float = param(
        0.001,
        0.0,
        0.1,
        help="weekly rise of baseline grievance per unit of free expression",
        memo="¶4",
    )
    shock_rate: float = param(
        0.03, 0.0, 1.0, help="weekly chance of a grievance shock to one kind of group", memo="¶4 ¶6"
    )
    shock_size: float = param(0.1, 0.0, 1.0, help="grievance added by a shock")
    harassment_penalty: float = param(
        0.15, 0.0, 1.0, help="drop in drive to act of a group whose leader is harassed", memo="¶6"
    )
    harassment_end_rate: float = param(0.05, 0.0, 1.0, help="weekly chance harassment stops")
    # --- leadership (memo ¶6, ¶9-10, ¶12-13)
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
    reactance_sensitivity: float = param(
        0.6, 0.0, 5.0, help="rise of resistance per unit of public accusatory pressure", memo="¶10"
    )
    reactance_retention: float = param(0.9, 0.0, 1.0, help="weekly retention of reactance")
    counterattack_appetite: float = param(
        0.35,
        0.0,
        1.0,
        help="share of forum time the leadership claims for counter-charges",
        memo="¶9 ¶13",
    )
    crackdown_depth: float = param(
        0.14, 0.0, 1.0, help="cut in practice levels per crackdown", memo="¶6"
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
    floor_breach_depth: float = param(
        0.5,
        0.0,
        1.0,
        help="share of a cut that pierces the floors under hardline dominance",
        memo="¶5",
    )
    floor_breach_cost: float = param(
        0.3, 0.0, 1.0, help="outside approval lost when floors are breached"
    )
    concession_cases: float = param(
        40.0,
        0.0,
        10_000.0,
        help="known cases resolved per unit of institutional pressure deflected",
        memo="¶12 ¶18",
    )
    floor_restoration: float = param(
        0.05,
        0.0,
        1.0,
        help="weekly repair of a floor breach once hardliners lose dominance",
        memo="¶15",
    )
    arrest_known_share: float = param(
        0.5, 0.0, 1.0, help="share of arrests of non-visible leaders that become known abroad"
    )
    approval_gain: float = param(
        0.15, 0.0, 1.0, help="outside approval per unit of non-accusatory engagement", memo="¶9"
    )
    cheap_concession_bias: float = param(
        0.6,
        0.0,
        1.0,
        help="share of institutional pressure answered with case resolutions",
        memo="¶12 ¶18",
    )
    enactment_cost: float = param(
        0.5,
        0.0,
        1.0,
        help="reluctance to enact permanent law (lowers enactment hazard)",
        memo="¶12",
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
    enactment_support_threshold: float = param(
        0.4, 0.0, 1.0, help="faction support below which drafts stall", memo="¶22"
    )
    # --- bureaucracy factions (memo ¶22)
    faction_position: dict[str, float] = param(
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
    faction_influence: dict[str, float] = param(
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
    faction_fidelity: dict[str, float] = param(
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
        0.55, 0.0, 1.0, help="hardline influence above which floors can be breached", memo="¶5 ¶22"
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
    # --- policy dimensions: practice and codified floors (memo ¶4-5)
    initial_practice: dict[str, float] = param(
        _dim(
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
        _dim(
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
        _dim(
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
        _dim(
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
    # --- cases (memo ¶6-7, ¶18-20)
    known_prisoners: int = param(
        600, 0, 10_000_000, help="political/religious prisoners known abroad", memo="¶6"
    )
    unknown_prisoners: int = param(
        2400, 0, 10_000_000, help="prisoners unknown abroad (estimates)", memo="¶6 ¶15"
    )
    religious_prisoner_share: float = param(
        0.25, 0.0, 1.0, help="share of prisoners held for religion"
    )
    psychiatric_share: float = param(
        0.05, 0.0, 1.0, help="share of prisoners in psychiatric detention", memo="¶7"
    )
    known_refuseniks: int = param(
        2000, 0, 10_000_000, help="refusenik cases known abroad", memo="¶7"
    )
    priority_share: float = param(
        0.1,
        0.0,
        1.0,
        help="share of known cases of particular interest to the outside government",
        memo="¶19",
    )
    release_hazard: float = param(
        0.003,
        0.0,
        1.0,
        help="weekly release chance of a prisoner at full release practice",
        memo="¶4",
    )
    refusenik_hazard: float = param(
        0.004,
        0.0,
        1.0,
        help="weekly exit chance of a refusenik at full emigration practice",
        memo="¶4",
    )
    case_resolution_rate: float = param(
        0.1, 0.0, 1.0, help="share of listed cases a fully receptive review resolves", memo="¶18"
    )
    reply_falsity: float = param(
        0.3, 0.0, 1.0, help="false 'resolved' replies per true one on lists", memo="¶18"
    )
    receptivity_initial: float = param(
        0.8, 0.0, 1.0, help="initial receptivity to lists", memo="¶18"
    )
    list_fatigue_count: float = param(
        0.06, 0.0, 5.0, help="receptivity lost per extra list", memo="¶19"
    )
    list_fatigue_size: float = param(
        0.15, 0.0, 5.0, help="receptivity lost per 1,000 listed entries", memo="¶19"
    )
    inaccuracy_penalty: float = param(
        1.5, 0.0, 20.0, help="receptivity lost per share of bad entries", memo="¶19"
    )
    receptivity_adjust: float = param(0.2, 0.0, 1.0, help="speed of receptivity toward its target")
    emigration_full_monthly: float = param(
        1200.0, 0.0, 1e7, help="monthly emigration at full emigration practice", memo="¶4"
    )
    # --- environment: fora and allies (memo ¶17, ¶22)
    summit_interval: int = param(
        26, 0, 520, help="weeks between high-level meetings (0 = none)", memo="¶17"
    )
    review_commission_interval: int = param(
        13, 0, 520, help="weeks between Bilateral Review Commissions", memo="¶17"
    )
    case_review_interval: int = param(
        4, 0, 520, help="weeks between case-review sessions", memo="¶17"
    )
    csce_interval: int = param(6, 0, 520, help="weeks between CSCE follow-up plenaries", memo="¶17")
    cohesion_initial: float = param(0.8, 0.0, 1.0, help="initial allied cohesion", memo="¶22")
    cohesion_cost: float = param(
        0.1, 0.0, 1.0, help="cohesion lost per unit of unframed bilateral deal", memo="¶22"
    )
    cohesion_recovery: float = param(0.01, 0.0, 1.0, help="weekly recovery of allied cohesion")
    coordination_gain: float = param(
        0.6, 0.0, 5.0, help="pressure lost to inconsistent signals", memo="¶17"
    )
    list_duplication: float = param(
        0.5, 0.0, 5.0, help="extra lists per uncoordinated forum", memo="¶17 ¶19"
    )
    forum_weights: dict[str, float] = param(
        {"summit": 3.0, "review_commission": 1.5, "case_review": 0.5, "csce": 1.0},
        0.0,
        100.0,
        keys=("summit", "review_commission", "case_review", "csce"),
        help="weight of each forum's meetings",
        memo="¶9 ¶17",
    )
    publicity_salience: float = param(
        0.3, 0.0, 5.0, help="extra weight public pressure gives a demand", memo="¶10"
    )
    statement_transfer: float = param(
        0.5,
        0.0,
        1.0,
        help="share of case time a category statement turns into reform pressure",
        memo="¶20",
    )
    # --- western NGOs (memo ¶11, ¶23)
    n_ngos: int = param(4, 0, 1000, help="number of western NGOs", memo="¶11")
    ngo_case_focus_share: float = param(0.5, 0.0, 1.0, help="share of NGOs focused on cases")
    expectation_gain: float = param(
        0.05, 0.0, 1.0, help="rise of expectations per promise or early gain", memo="¶11"
    )
    expectation_extrapolation: float = param(
        1.5, 0.0, 10.0, help="how far expectations run ahead of observed gains", memo="¶11 ¶2"
    )
    document_expectation: float = param(
        0.03, 0.0, 1.0, help="rise of expectations per cooperation document", memo="¶22"
    )
    disappointment_pressure: float = param(
        0.5, 0.0, 5.0, help="extra outside pressure per unit of NGO disappointment", memo="¶11"
    )
    ngo_publicity_push: float = param(
        0.3, 0.0, 1.0, help="publicity added by disappointed NGOs", memo="¶11 ¶23"
    )
    public_diplomacy_effect: float = param(
        0.1,
        0.0,
        1.0,
        help="weekly narrowing of the expectation gap per unit of public diplomacy",
        memo="¶23",
    )

    def __post_init__(self) -> None:
        validate(self, "scenario")


@dataclass
class StrategyParams:
    """The outside government's strategy: data, not code (MODEL.md section 6)."""

    name: str = param("status_quo_1987", help="strategy label written into results")
    pressure: float = param(
        1.0, 0.0, 1.0, help="share of the attention budget spent (0 = no pressure)"
    )
    share_institutions: float = param(
        0.3, 0.0, 1.0, help="forum time on law and procedure", memo="¶15"
    )
    share_cases: float = param(0.6, 0.0, 1.0, help="forum time on case lists", memo="¶18")
    share_cooperation: float = param(
        0.1, 0.0, 1.0, help="forum time on cooperation projects", memo="¶21"
    )
    n_lists: int = param(8, 0, 100, help="number of representation lists", memo="¶19")
    list_size: int = param(300, 0, 100_000, help="entries per list", memo="¶19")
    list_accuracy: float = param(0.8, 0.0, 1.0, help="share of accurate list entries", memo="¶19")
    prioritized: bool = param(
        False, help="lists rank the cases of particular interest first", memo="¶19"
    )
    category_statements: bool = param(
        False, help="present whole categories as statements, not read-outs", memo="¶20"
    )
    coordination: float = param(
        0.3, 0.0, 1.0, help="consistency of signals across fora", memo="¶17"
    )
    sidetrack_resistance: float = param(
        0.2, 0.0, 1.0, help="share of counter-charges sent to expert channels", memo="¶14"
    )
    public_diplomacy: float = param(
        0.2, 0.0, 1.0, help="effort to explain results to NGOs", memo="¶23"
    )
    publicity: float = param(
        0.4, 0.0, 1.0, help="how public and accusatory pressure is", memo="¶10"
    )
    multilateral_framing: float = param(
        0.5, 0.0, 1.0, help="cooperation framed as a base for multilateral work", memo="¶22"
    )
    document_emphasis: float = param(
        0.5, 0.0, 1.0, help="cooperation spent producing documents, not implementation", memo="¶22"
    )

    def __post_init__(self) -> None:
        validate(self, "strategy")
        total = self.share_institutions + self.share_cases + self.share_cooperation
        if self.pressure > 0 and not math.isclose(total, 1.0, abs_tol=1e-6):
            raise ParameterError(
                f"strategy.share_institutions + share_cases + share_cooperation = {total:g}: "
                "the attention shares must sum to 1 when strategy.pressure > 0"
            )


@dataclass
class ModelParams:
    """Everything one model run needs: scenario, strategy, horizon, outcome definition."""

    scenario: ScenarioParams = field(default_factory=ScenarioParams)
    strategy: StrategyParams = field(default_factory=StrategyParams)
    steps: int = param(156, 1, 100_000, help="weeks simulated")
    rollback_threshold: float = param(
        0.10, 0.0, 1.0, help="fall of L below its running peak that counts as rollback"
    )

    def __post_init__(self) -> None:
        validate(self, "")


def _type_ok(value: Any, ftype: Any) -> bool:
    if ftype is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if ftype is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if ftype in (str, bool):
        return isinstance(value, ftype)
    return True  # containers are checked entry by entry below


def _num(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:g}"


def _allowed(meta: dict[str, Any], ftype: Any = None) -> str:
    lo, hi = meta["lo"], meta["hi"]
    if meta["choices"]:
        return f"one of {', '.join(meta['choices'])}"
    if lo is not None and hi is not None:
        return f"a value in [{_num(lo)}, {_num(hi)}]"
    if ftype is bool:
        return "true or false"
    if ftype == list[str]:
        return "names of reform items (docs/ODD.md)"
    return "any text" if ftype is str else "a valid value"


def _check_number(name: str, value: Any, meta: dict[str, Any], kind: type) -> None:
    if not _type_ok(value, kind) or (isinstance(value, float) and math.isnan(value)):
        raise ParameterError(f"{name} = {value!r}: expected {kind.__name__}, {_allowed(meta)}")
    lo, hi = meta["lo"], meta["hi"]
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ParameterError(f"{name} = {value!r}: out of range, expected {_allowed(meta)}")


def validate(obj: Any, prefix: str) -> None:
    """Check every field against its declared type and range; raise one clear ParameterError."""
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        name = f"{prefix}.{f.name}" if prefix else f.name
        meta = dict(f.metadata)
        if not meta:
            continue
        if meta["choices"] and value not in meta["choices"]:
            raise ParameterError(f"{name} = {value!r}: not allowed, expected {_allowed(meta)}")
        if isinstance(value, dict):
            _check_mapping(name, value, meta)
        elif isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                raise ParameterError(f"{name} = {value!r}: expected a list of names")
        elif f.type in (int, float):
            _check_number(name, value, meta, f.type)
        elif not _type_ok(value, f.type):
            raise ParameterError(f"{name} = {value!r}: expected {f.type.__name__}")


def _check_mapping(name: str, value: dict[str, Any], meta: dict[str, Any]) -> None:
    keys = meta["keys"]
    if keys and set(value) != set(keys):
        raise ParameterError(f"{name} has keys {sorted(value)}: expected exactly {list(keys)}")
    for k, v in value.items():
        _check_number(f"{name}.{k}", v, meta, float)


def field_docs(cls: type) -> list[dict[str, Any]]:
    """Name, default, range, meaning and memo source of each field, for docs and dashboards."""
    rows = []
    for f in dataclasses.fields(cls):
        if not f.metadata:
            continue
        m = f.metadata
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
        rows.append(
            {
                "name": f.name,
                "type": getattr(f.type, "__name__", str(f.type)),
                "default": default,
                "allowed": _allowed(dict(m), f.type),
                "help": m["help"],
                "memo": m["memo"],
            }
        )
    return rows
