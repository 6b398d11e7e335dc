"""The run configuration: the model's own parameter dataclasses plus what a job needs.

``RunConfig`` extends ``ModelParams`` (so ``steps`` and ``rollback_threshold`` keep their single
definition) with the job's seed, replications, design and recording options. The same class is
registered as Hydra's structured-config schema, so YAML files are type-checked against it, and
``to_run_config`` turns a composed config into validated dataclasses.
"""

import copy
import dataclasses
import functools
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hydra import compose, initialize_config_dir
from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from experiments.design import DesignConfig
from experiments.overrides import check_overrides
from experiments.precision import PrecisionConfig, check_outcome, replications_problem
from sim.params import (
    LEGACY_NAMES,
    MechanismSwitches,
    ModelParams,
    ParameterError,
    ScenarioParams,
    StrategyParams,
    legacy_key_message,
    numeric_paths,
    param,
)

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


def _strategies_problem(names: Any) -> str | None:
    if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
        return (
            "expected a list of strategy preset names in brackets, e.g. "
            "strategies=[case_focus,institutionalization]"
        )
    known = presets("strategy")
    unknown = [n for n in names if n not in known]
    if unknown:
        return f"{unknown[0]!r} is not a strategy preset; expected names from {', '.join(known)}"
    twice = sorted({n for n in names if list(names).count(n) > 1})
    if twice:
        return f"{twice[0]!r} is named twice; expected each preset once"
    return None


@dataclass
class RunConfig(ModelParams):
    """One Hydra job: a parameter point (or a chunk of design points) run for R seeds."""

    seed: int = param(
        1987, 0, 2**63 - 1, help="root seed; replication r uses a seed from (seed, r)"
    )
    replications: Any = param(
        1,
        help="replications of each parameter point, or auto: batches until `precision` is met",
        allows="a whole number in [1, 1,000,000], or auto",
        check=replications_problem,
    )
    record_timeseries: bool = param(False, help="also write one row per replication and week")
    sweep_name: str = param("single", help="label of the experiment, used in folder names")
    checkpoint_every: int = param(
        25,
        1,
        1_000_000,
        help="runs between checkpoints, so a killed job resumes where it was (with strategies: "
        "seeds, each running every strategy)",
    )
    design: DesignConfig = dataclasses.field(default_factory=DesignConfig)
    precision: PrecisionConfig = dataclasses.field(default_factory=PrecisionConfig)
    strategies: list[str] = param(
        [],
        help="run these strategy presets on every seed, the weeks before they start computed "
        "once (sim.shared_start); empty: the job's own strategy alone",
        allows="names of strategy presets (configs/strategy), each once",
        check=_strategies_problem,
    )
    knockout: str = param(
        "none",
        help="switch this one mechanism off: the knock-out experiment sweeps it over M1-M12",
        choices=("none", *(f.name for f in dataclasses.fields(MechanismSwitches))),
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.replications == "auto":
            if self.design.kind != "none":
                raise ParameterError(
                    f"replications = 'auto': not with design.kind = {self.design.kind}; a "
                    "design's indices and boxes need the same replications at every point "
                    "(give a number)"
                )
            check_outcome(self.precision)


def strategy_preset(name: str) -> StrategyParams:
    """A strategy preset as ``strategy=<name>`` composes it: its YAML (a flat file, as every
    preset is) over the schema's defaults, validated. A job running several strategies builds
    them here, not by Hydra."""
    register_configs()
    path = CONFIG_DIR / "strategy" / f"{name}.yaml"
    try:
        written = OmegaConf.load(path)
        preset: StrategyParams = OmegaConf.to_object(  # type: ignore[assignment]
            OmegaConf.merge(OmegaConf.structured(StrategyParams), written)
        )
    except Exception as err:  # OmegaConf's errors name the key, not the file
        raise ParameterError(f"{path}: not a valid strategy preset ({err})") from err
    if preset.name != name:  # rows are labelled by the name a job was given
        raise ParameterError(f"{path}: name = {preset.name!r}; expected the file's name {name!r}")
    return preset


def job_strategies(cfg: "RunConfig") -> dict[str, StrategyParams]:
    """The strategies a job runs, by name: its ``strategies`` presets, read from their files
    now, or its own strategy. A job reads them once and hashes and runs what it read
    (``config_hash(cfg, presets)``, ``run_block(..., presets)``): a file edited while it runs
    changes nothing of it."""
    if not cfg.strategies:
        return {cfg.strategy.name: cfg.strategy}
    return {name: strategy_preset(name) for name in cfg.strategies}


def check_strategy_overrides(run: "RunConfig", keys: list[str]) -> None:
    """With ``strategies``, a strategy override would apply to no preset: refuse it."""
    own = [k for k in keys if k.split("=", 1)[0].split(".")[0] == "strategy"]
    if run.strategies and own:
        raise ParameterError(
            f"{own[0]}: not with strategies = {list(run.strategies)}; a job running several "
            "strategies runs each preset as its file says (to vary one strategy, sweep "
            "strategy=... without strategies)"
        )


def _remainder(*shares: float) -> float:
    """1 minus the given shares: keeps attention shares summing to 1 in swept configs."""
    return round(1.0 - sum(float(s) for s in shares), 12)


def presets(group: str) -> list[str]:
    """The preset names of a config group: ``scenario``, ``strategy`` or ``experiment``."""
    return sorted(p.stem for p in (CONFIG_DIR / group).glob("*.yaml"))


def register_configs() -> None:
    """Make the schema and resolvers known to Hydra and OmegaConf (idempotent)."""
    ConfigStore.instance().store(name="run_schema", node=RunConfig)
    if not OmegaConf.has_resolver("remainder"):
        OmegaConf.register_new_resolver("remainder", _remainder)
    if not OmegaConf.has_resolver("presets"):  # for --help: the preset names of a group
        OmegaConf.register_new_resolver("presets", lambda group: ", ".join(presets(group)))
    if not OmegaConf.has_resolver("strategy_label"):  # a run folder names what it ran
        OmegaConf.register_new_resolver(
            "strategy_label", lambda name, names: "+".join(names) if names else name
        )
    if not OmegaConf.has_resolver("or_default"):
        OmegaConf.register_new_resolver("or_default", lambda s: s or "default")


SHARES = ("share_institutions", "share_cases", "share_cooperation")


def derived_share(named: set[str]) -> str | None:
    """The attention share that takes the remainder when the user sets the others: with one
    share set, cases take the rest (institutions, if cases is the one set); with two, the
    third. None when all three (or none) are set."""
    named = named & set(SHARES)
    if len(named) == 1:
        return "share_institutions" if named == {"share_cases"} else "share_cases"
    if len(named) == 2:
        return next(s for s in SHARES if s not in named)
    return None


def remainder_share(strategy: dict, named: set[str]) -> None:
    """Set the derived share (``derived_share``) to 1 minus the other two, in place."""
    derived = derived_share(named)
    if derived is not None:
        strategy[derived] = _remainder(*(strategy[s] for s in SHARES if s != derived))


def to_run_config(
    cfg: DictConfig, overrides: list[str] | None = None, *, own_copy: bool = False
) -> RunConfig:
    """Instantiate the dataclasses, which validate every field (raises ParameterError).

    Scenario parameters set in ``overrides`` are pinned: a posterior draw never replaces a
    value the user typed. An attention share set alone makes another take the remainder
    (``derived_share``), so sweeping one share is one override. ``cfg`` is left as it is
    unless ``own_copy`` says it is the caller's throwaway copy (copying costs 0.05 s)."""
    numeric = numeric_paths(ScenarioParams)
    keys = [o.split("=", 1)[0].lstrip("+~") for o in overrides or []]
    pins = {k.removeprefix("scenario.") for k in keys if k.removeprefix("scenario.") in numeric}
    named = {k.removeprefix("strategy.") for k in keys if k.startswith("strategy.share_")}
    derive = derived_share(named) is not None and "strategy" in cfg
    if ((pins and "scenario" in cfg) or derive) and not own_copy:
        cfg = copy.deepcopy(cfg)
    if pins and "scenario" in cfg:
        cfg.scenario.pinned = sorted(set(cfg.scenario.pinned) | pins)
    if derive:
        shares = {s: cfg.strategy[s] for s in SHARES}
        remainder_share(shares, named)
        for s, v in shares.items():
            cfg.strategy[s] = v
    run: RunConfig = OmegaConf.to_object(cfg)  # type: ignore[assignment]
    check_strategy_overrides(run, [o.lstrip("+~") for o in overrides or []])
    return run


def fingerprint_files() -> list[Path]:
    """The files whose content determines results: all of the model and its data (the calendar
    of fora), seeds, designs, runner, and how a run takes its posterior draw."""
    root = Path(__file__).resolve().parent.parent
    files = sorted((root / "sim").rglob("*.py")) + sorted((root / "sim" / "data").rglob("*.csv"))
    assert files, f"no model code under {root / 'sim'}"
    own = ("seeds.py", "design.py", "precision.py", "runner.py", "calibration/posterior.py")
    return files + [root / "experiments" / n for n in own]


@functools.cache
def code_fingerprint() -> str:
    """Hash of the code that determines results, so a rerun after the model changed
    recomputes instead of reusing old results."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for f in fingerprint_files():
        digest.update(str(f.relative_to(root)).encode() + f.read_bytes())
    return digest.hexdigest()[:16]


# Libraries whose version can change the numbers a run gives (random streams, Mesa's shuffles,
# scipy's sparse products, SALib's design points): a resume never mixes results across their
# versions. The network is drawn with Python's own random (sim/network.py), so the Python version
# (always recorded) covers it; networkx only draws it in the dashboard. statsmodels computes the
# interval at which replications=auto stops.
RESULT_LIBRARIES = ("mesa", "numpy", "scipy", "SALib", "statsmodels")


@functools.cache
def library_fingerprint() -> str:
    from importlib import metadata

    found = [sys.version.split()[0]]
    for name in RESULT_LIBRARIES:
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} missing")
    return ";".join(found)


def config_hash(cfg: RunConfig, presets: dict[str, StrategyParams] | None = None) -> str:
    """Identity of a job's work: equal hashes mean equal results (used to resume)."""
    work = dataclasses.asdict(cfg)
    for label in ("checkpoint_every", "sweep_name"):  # how, not what, is computed
        work.pop(label)
    if cfg.replications != "auto":  # the precision target then decides nothing
        work.pop("precision")
    text = json.dumps(work, sort_keys=True, default=str) + code_fingerprint()
    text += library_fingerprint() + calendar_fingerprint(cfg.scenario.fora.calendar)
    text += posterior_fingerprint(cfg.scenario.calibration)
    if cfg.strategies:  # the presets as read: an edited preset is new work
        read = presets if presets is not None else job_strategies(cfg)
        text += json.dumps([dataclasses.asdict(s) for s in read.values()], default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def posterior_fingerprint(name: str) -> str:
    """A recalibrated posterior changes every run that draws from it."""
    from experiments.calibration.posterior import fingerprint

    return fingerprint(name)


def calendar_fingerprint(name: str) -> str:
    """A user's calendar file lives outside ``sim/``: its content, not its name, is the input,
    so an edited file makes a resumed job recompute."""
    if name == "periodic":
        return ""
    from sim.params.abroad import calendar_path

    return hashlib.sha256(calendar_path(name).read_bytes()).hexdigest()


def check_legacy_overrides(overrides: list[str]) -> None:
    """Refuse the flat scenario names of 0.1 with the grouped name that replaced them."""
    for item in overrides:
        message = legacy_key_message(item.split("=", 1)[0])
        if message:
            raise ParameterError(message)


def check_legacy_presets(overrides: list[str]) -> None:
    """A scenario preset written with flat 0.1 keys is refused by name, key and new name."""
    import yaml

    for item in overrides:
        key, _, value = item.partition("=")
        if key.lstrip("+~") != "scenario":
            continue
        for name in value.split(","):
            path = CONFIG_DIR / "scenario" / f"{name.strip()}.yaml"
            if not path.exists():
                continue
            data = yaml.safe_load(path.read_text()) or {}
            for k in data:
                if k in LEGACY_NAMES:
                    raise ParameterError(
                        f"{path.name}: key {k!r} is a flat 0.1 name; write it as "
                        f"{LEGACY_NAMES[k]} (scenario parameters are grouped by submodel)"
                    )


def compose_run_config(overrides: list[str] | None = None) -> RunConfig:
    """Compose the configs as the command line would, from a notebook or a test."""
    check_legacy_overrides(list(overrides or []))
    check_legacy_presets(list(overrides or []))
    check_overrides(list(overrides or []), RunConfig)
    register_configs()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose(config_name="config", overrides=list(overrides or []))
    return to_run_config(cfg, list(overrides or []))
