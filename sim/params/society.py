"""Parameters of the society the state governs: informal groups, releases and emigration."""

from dataclasses import dataclass
from typing import ClassVar

from sim.params.schema import Params, param
from sim.params.vocabulary import GROUP_KINDS, NETWORK_KINDS


@dataclass
class GroupParams(Params):
    """Informal groups and their network: who acts, and why (memo ¶4, ¶6; M11)."""

    PREFIX: ClassVar[str] = "scenario.groups"

    n_groups: int = param(2000, 1, 10_000_000, help="number of informal groups", memo="¶4")
    network_kind: str = param("small_world", help="social network of groups", choices=NETWORK_KINDS)
    network_degree: int = param(6, 0, 200, help="mean ties per group (small world)", memo="¶4")
    network_rewiring: float = param(0.1, 0.0, 1.0, help="Watts-Strogatz rewiring probability")
    kind_shares: dict[str, float] = param(
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


@dataclass
class ReleaseParams(Params):
    """Releases and emigration: what practice lets happen each week (memo ¶4, ¶7; M17)."""

    PREFIX: ClassVar[str] = "scenario.releases"

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
        help="weekly exit chance of a known refusenik case at full emigration practice",
        memo="¶4",
    )
    emigration_full_monthly: float = param(
        1200.0,
        0.0,
        1e7,
        help="monthly emigration at full emigration practice, with no demand side (M17 off)",
        memo="¶4",
    )
    applicants_initial: int = param(
        3000, 0, 10_000_000, help="exit applications pending at week 0 (M17)", memo="¶4 ¶7"
    )
    refuseniks_initial: int = param(
        10_000,
        0,
        10_000_000,
        help="people refused an exit visa at week 0, known abroad or not (M17)",
        memo="¶7",
    )
    application_rate: float = param(
        100.0,
        0.0,
        100_000.0,
        help="new exit applications a week while applicants expect the starting approval (M17)",
        memo="¶4",
    )
    application_elasticity: float = param(
        0.5,
        0.0,
        3.0,
        help="response of applications to the approval applicants expect, relative to the start "
        "(M17)",
        memo="¶4",
    )
    rules_confidence: float = param(
        1.0,
        0.0,
        10.0,
        help="extra applications per unit of codified emigration floor: rules people can rely on "
        "(M17)",
        memo="¶7",
    )
    decision_rate: float = param(
        0.05, 0.0, 1.0, help="weekly share of pending applications decided (M17)", memo="¶7"
    )
    reapply_rate: float = param(
        0.005,
        0.0,
        1.0,
        help="weekly share of refuseniks who apply again while applicants expect the starting "
        "approval (M17)",
        memo="¶7",
    )
    expectation_speed: float = param(
        0.1,
        0.0,
        1.0,
        help="weekly adjustment of the approval applicants expect toward the approval practice "
        "(M17)",
        memo="¶11",
    )
    refusal_visibility: float = param(
        0.02,
        0.0,
        1.0,
        help="share of new refusals that become refusenik cases known abroad (M17)",
        memo="¶7 ¶18",
    )
