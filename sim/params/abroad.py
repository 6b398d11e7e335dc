"""Parameters of the outside world the state faces: cases and lists, fora, NGOs, allies."""

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from sim.params.schema import ParameterError, Params, param
from sim.params.vocabulary import FORUM_NAMES


@dataclass
class CaseParams(Params):
    """Cases and representation lists (memo ¶6-7, ¶18-20; M4, M5)."""

    PREFIX: ClassVar[str] = "scenario.cases"

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
    priority_receptivity_factor: float = param(
        1.1, 1.0, 2.0, help="receptivity kept by prioritised lists (multiplier)", memo="¶19"
    )
    receptivity_adjust: float = param(0.2, 0.0, 1.0, help="speed of receptivity toward its target")


CALENDARS = Path(__file__).resolve().parent.parent / "data" / "calendars"


def calendar_path(name: str) -> Path:
    """The CSV file of a dated calendar: a name in ``sim/data/calendars`` or a path."""
    path = Path(name) if name.endswith(".csv") else CALENDARS / f"{name}.csv"
    if not path.is_file():
        known = sorted(p.stem for p in CALENDARS.glob("*.csv"))
        raise ParameterError(
            f"scenario.fora.calendar = {name!r}: no such calendar; expected 'periodic', one of "
            f"{known} (sim/data/calendars) or the path of a CSV file"
        )
    return path


@dataclass
class ForaParams(Params):
    """The fora and how a meeting turns attention into pressure (memo ¶9, ¶17; M8, M16)."""

    PREFIX: ClassVar[str] = "scenario.fora"

    calendar: str = param(
        "fora_1987_1989",
        help="the meetings: a dated calendar (sim/data/calendars, or a CSV path) or 'periodic' "
        "(every <forum>_interval weeks)",
        memo="¶9 ¶17",
    )
    summit_interval: int = param(
        26, 0, 520, help="weeks between summits in a periodic calendar (0 = none)", memo="¶17"
    )
    ministerial_interval: int = param(
        0,
        0,
        520,
        help="weeks between foreign ministers' meetings in a periodic calendar (0 = none)",
        memo="¶9 ¶17",
    )
    review_commission_interval: int = param(
        13, 0, 520, help="weeks between Bilateral Review Commissions", memo="¶17"
    )
    case_review_interval: int = param(
        4, 0, 520, help="weeks between case-review sessions", memo="¶17"
    )
    csce_interval: int = param(6, 0, 520, help="weeks between CSCE follow-up plenaries", memo="¶17")
    forum_weights: dict[str, float] = param(
        {
            "summit": 3.0,
            "ministerial": 1.5,
            "review_commission": 1.5,
            "case_review": 0.5,
            "csce": 1.0,
        },
        0.0,
        100.0,
        keys=FORUM_NAMES,
        help="weight of each forum's meetings",
        memo="¶9 ¶17",
    )
    coordination_gain: float = param(
        0.6, 0.0, 5.0, help="pressure lost to inconsistent signals", memo="¶17"
    )
    list_duplication: float = param(
        0.5, 0.0, 5.0, help="extra lists per uncoordinated forum", memo="¶17 ¶19"
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
    conference_decision_week: int = param(
        108,
        0,
        520,
        help="week from which the allies decide, at a CSCE meeting, on the Moscow conference "
        "(108: the Vienna meeting closes; 0 = never on the table) (M16)",
        memo="¶9",
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.calendar != "periodic":
            calendar_path(self.calendar)


@dataclass
class NGOParams(Params):
    """Western NGOs: expectations, disappointment and their push (memo ¶11, ¶23; M10)."""

    PREFIX: ClassVar[str] = "scenario.ngos"

    n_ngos: int = param(4, 0, 1000, help="number of western NGOs", memo="¶11")
    case_focus_share: float = param(0.5, 0.0, 1.0, help="share of NGOs focused on cases")
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
    publicity_push: float = param(
        0.3, 0.0, 1.0, help="publicity added by disappointed NGOs", memo="¶11 ¶23"
    )
    public_diplomacy_effect: float = param(
        0.1,
        0.0,
        1.0,
        help="weekly narrowing of the expectation gap per unit of public diplomacy",
        memo="¶23",
    )
    arrest_outrage: float = param(
        0.1,
        0.0,
        1.0,
        help="rise of NGO expectations per known_arrest_scale known arrests seen abroad (M13)",
        memo="¶11",
    )
    practice_weight: float = param(
        0.5,
        0.0,
        1.0,
        help="weight of practice gains (against the NGO's own focus) in the progress it sees",
        memo="¶11",
    )


@dataclass
class OutsideParams(Params):
    """The outside government's environment: allied cohesion (memo ¶22; M9)."""

    PREFIX: ClassVar[str] = "scenario.outside"

    cohesion_initial: float = param(0.8, 0.0, 1.0, help="initial allied cohesion", memo="¶22")
    cohesion_cost: float = param(
        0.1, 0.0, 1.0, help="cohesion lost per unit of unframed bilateral deal", memo="¶22"
    )
    cohesion_recovery: float = param(0.01, 0.0, 1.0, help="weekly recovery of allied cohesion")
