"""The one definition of every model parameter, grouped by submodel (docs/ODD.md, section 5).

Each field carries its range, its one-line meaning and the memo paragraph it comes from in the
dataclass metadata. Hydra's structured configs (``experiments/``) are built from these classes,
the ODD tables and the dashboard controls are generated from them, and every object validates
itself when built and is immutable afterwards.

Config keys follow the groups: ``scenario.leadership.reform_commitment``,
``scenario.groups.contagion``, ``mechanisms.M3``. The flat names of version 0.1
(``scenario.reform_commitment``) are refused with the new name (``legacy_key_message``).
"""

import dataclasses
import operator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sim.params.abroad import CaseParams, ForaParams, NGOParams, OutsideParams
from sim.params.schema import (
    FrozenDict,
    ParameterError,
    Params,
    allowed,
    field_docs,
    leaf_fields,
    numeric_paths,
    outside_range,
    param,
    validate,
)
from sim.params.society import GroupParams, ReleaseParams
from sim.params.state import FactionParams, LeadershipParams, PolicyParams, ShockParams
from sim.params.strategy import StrategyParams
from sim.params.switches import MechanismSwitches
from sim.params.vocabulary import (
    DIMENSIONS,
    FACTIONS,
    FORUM_NAMES,
    GROUP_KINDS,
    HARDLINE_FACTIONS,
    NETWORK_KINDS,
)

__all__ = [
    "DIMENSIONS",
    "FACTIONS",
    "FORUM_NAMES",
    "GROUP_KINDS",
    "HARDLINE_FACTIONS",
    "NETWORK_KINDS",
    "SCENARIO_GROUPS",
    "CaseParams",
    "FactionParams",
    "ForaParams",
    "FrozenDict",
    "GroupParams",
    "LeadershipParams",
    "MechanismSwitches",
    "ModelParams",
    "NGOParams",
    "OutsideParams",
    "ParameterError",
    "Params",
    "PhaseParams",
    "PolicyParams",
    "ReleaseParams",
    "ScenarioParams",
    "ShockParams",
    "StrategyParams",
    "allowed",
    "field_docs",
    "leaf_fields",
    "legacy_key_message",
    "numeric_paths",
    "outside_range",
    "param",
    "replace_paths",
    "validate",
]


@dataclass
class ScenarioParams(Params):
    """The world the outside pressure acts on, one group per submodel of ODD section 5."""

    PREFIX: ClassVar[str] = "scenario"

    name: str = param("baseline_1987", help="scenario label written into results")
    groups: GroupParams = field(default_factory=GroupParams)
    leadership: LeadershipParams = field(default_factory=LeadershipParams)
    factions: FactionParams = field(default_factory=FactionParams)
    policy: PolicyParams = field(default_factory=PolicyParams)
    cases: CaseParams = field(default_factory=CaseParams)
    fora: ForaParams = field(default_factory=ForaParams)
    ngos: NGOParams = field(default_factory=NGOParams)
    outside: OutsideParams = field(default_factory=OutsideParams)
    releases: ReleaseParams = field(default_factory=ReleaseParams)
    shock: ShockParams = field(default_factory=ShockParams)
    calibration: str = param(
        "",
        help="posterior of the uncertain parameters (configs/calibration/<name>.parquet): each "
        "replication draws its values from it; empty: the values as set",
    )
    pinned: list[str] = param(
        [],
        help="calibrated parameters kept at their set values, not drawn: those set on the "
        "command line (filled in for you) and any a preset sets away from its default",
        allows="paths of numeric scenario parameters (leadership.crackdown_depth)",
    )
    shifts: dict[str, float] = param(
        {},
        -1e9,
        1e9,
        help="added to these parameters' (drawn) values, then clipped to their range: how the "
        "scenario differs from the calibrated baseline",
        allows="path: amount, for numeric scenario parameters",
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        numeric = numeric_paths(ScenarioParams)
        for path in self.pinned:
            if path not in numeric:
                raise ParameterError(
                    f"scenario.pinned contains {path!r}: not a numeric scenario parameter"
                )
        for path in self.shifts:
            if path not in numeric:
                raise ParameterError(
                    f"scenario.shifts.{path}: not a numeric scenario parameter, expected a path "
                    "such as leadership.reform_commitment (docs/ODD.md section 8)"
                )

    def with_shifts(self) -> "ScenarioParams":
        """The scenario with its shifts added (clipped to each parameter's range), once."""
        if not self.shifts:
            return self
        fields = leaf_fields(ScenarioParams)
        point: dict[str, Any] = {}
        for path, delta in self.shifts.items():
            meta = fields[path].metadata
            value = operator.attrgetter(path)(self) + delta
            value = value if meta["lo"] is None else max(value, meta["lo"])
            value = value if meta["hi"] is None else min(value, meta["hi"])
            point[path] = round(value) if fields[path].type is int else round(float(value), 12)
        return dataclasses.replace(replace_paths(self, point), shifts={})


SCENARIO_GROUPS: tuple[str, ...] = (
    "groups",
    "leadership",
    "factions",
    "policy",
    "cases",
    "fora",
    "ngos",
    "outside",
    "releases",
    "shock",
)


@dataclass
class PhaseParams(Params):
    """Where the spiral-model phases begin (Risse, Ropp and Sikkink 1999; docs/ODD.md 5.9)."""

    PREFIX: ClassVar[str] = "phase"

    repression_below: float = param(
        0.25, 0.0, 1.0, help="L below which a week is labelled repression"
    )
    denial_below: float = param(0.4, 0.0, 1.0, help="L below which a week is labelled denial")
    denial_reactance: float = param(
        0.6, 0.0, 1.0, help="reactance from which the leadership is in denial", memo="¶10"
    )
    tactical_durable_below: float = param(
        0.5, 0.0, 1.0, help="codified share F/L below which concessions are tactical", memo="¶5"
    )
    prescriptive_durable_below: float = param(
        0.85, 0.0, 1.0, help="F/L below which the state is at most in prescriptive status"
    )
    rule_consistent_from: float = param(
        0.7, 0.0, 1.0, help="L from which rule-consistent behaviour is possible"
    )


@dataclass
class ModelParams(Params):
    """Everything one run needs: scenario, strategy, switches, horizon, outcome definitions."""

    scenario: ScenarioParams = field(default_factory=ScenarioParams)
    strategy: StrategyParams = field(default_factory=StrategyParams)
    mechanisms: MechanismSwitches = field(default_factory=MechanismSwitches)
    phase: PhaseParams = field(default_factory=PhaseParams)
    steps: int = param(156, 1, 100_000, help="weeks simulated")
    spinup_weeks: int = param(
        26,
        0,
        520,
        help="weeks before 1987 in which groups act and the leadership watches them, reform "
        "held: 1987 starts from a state the dynamics produce (ODD 5.1)",
    )
    rollback_threshold: float = param(
        0.10, 0.0, 1.0, help="fall of L below its running peak that counts as rollback"
    )
    rollback_persistence: int = param(
        26,
        1,
        100_000,
        help="weeks the fall must last to count as rollback (a shorter one is a dip)",
        memo="¶2 ¶15",
    )


_RENAMED = {
    "faction_position": "position",
    "faction_influence": "influence",
    "faction_fidelity": "fidelity",
    "ngo_case_focus_share": "case_focus_share",
    "ngo_publicity_push": "publicity_push",
    "group_kind_shares": "kind_shares",
}


def _legacy_names() -> dict[str, str]:
    """Flat scenario names of version 0.1 -> their grouped path."""
    new = {path.split(".", 1)[1]: path for path in leaf_fields(ScenarioParams) if "." in path}
    return new | {flat: new[short] for flat, short in _RENAMED.items()}


LEGACY_NAMES: dict[str, str] = _legacy_names()


def legacy_key_message(key: str) -> str | None:
    """If ``key`` uses a flat 0.1 name (``scenario.reform_step``), say what it is called now."""
    key = key.lstrip("+~")
    parts = key.split(".")
    if len(parts) < 2 or parts[0] != "scenario" or parts[1] not in LEGACY_NAMES:
        return None
    if parts[1] in SCENARIO_GROUPS:
        return None
    new = ".".join(["scenario", LEGACY_NAMES[parts[1]], *parts[2:]])
    return (
        f"{key}: scenario parameters are grouped by submodel since 0.2; "
        f"this one is now {new} (docs/ODD.md, section 8)"
    )


def replace_paths[P](obj: P, values: dict[str, Any]) -> P:
    """A copy of ``obj`` with dotted paths set (``{"leadership.reform_step": 0.02}``), validated."""
    if not values:
        return obj
    direct: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    for path, value in values.items():
        head, _, rest = path.partition(".")
        if rest:
            nested.setdefault(head, {})[rest] = value
        else:
            direct[head] = value
    for head, sub in nested.items():
        direct[head] = replace_paths(getattr(obj, head), sub)
    return dataclasses.replace(obj, **direct)  # type: ignore[type-var]
