"""The run configuration: the model's own parameter dataclasses plus what a job needs.

``RunConfig`` extends ``ModelParams`` (so ``steps`` and ``rollback_threshold`` keep their single
definition) with the job's seed, replications, design and recording options. The same class is
registered as Hydra's structured-config schema, so YAML files are type-checked against it, and
``to_run_config`` turns a composed config into validated dataclasses.
"""

import dataclasses
import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from hydra import compose, initialize_config_dir
from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from experiments.design import DesignConfig
from sim.params import ModelParams, param

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


@dataclass
class RunConfig(ModelParams):
    """One Hydra job: a parameter point (or a chunk of design points) run for R seeds."""

    seed: int = param(
        1987, 0, 2**63 - 1, help="root seed; replication r uses a seed from (seed, r)"
    )
    replications: int = param(1, 1, 1_000_000, help="replications of each parameter point")
    record_timeseries: bool = param(False, help="also write one row per replication and week")
    sweep_name: str = param("single", help="label of the experiment, used in folder names")
    checkpoint_every: int = param(
        25, 1, 1_000_000, help="runs between checkpoints, so a killed job resumes where it was"
    )
    design: DesignConfig = dataclasses.field(default_factory=DesignConfig)


def _remainder(*shares: float) -> float:
    """1 minus the given shares: keeps attention shares summing to 1 in swept configs."""
    return round(1.0 - sum(float(s) for s in shares), 12)


def register_configs() -> None:
    """Make the schema and resolvers known to Hydra and OmegaConf (idempotent)."""
    ConfigStore.instance().store(name="run_schema", node=RunConfig)
    if not OmegaConf.has_resolver("remainder"):
        OmegaConf.register_new_resolver("remainder", _remainder)
    if not OmegaConf.has_resolver("or_default"):
        OmegaConf.register_new_resolver("or_default", lambda s: s or "default")


def to_run_config(cfg: DictConfig) -> RunConfig:
    """Instantiate the dataclasses, which validate every field (raises ParameterError)."""
    return OmegaConf.to_object(cfg)  # type: ignore[return-value]


@functools.cache
def code_fingerprint() -> str:
    """Hash of the code that determines results (the model, seeds, designs, the runner), so a
    rerun after the model changed recomputes instead of reusing old results."""
    root = Path(__file__).resolve().parent.parent
    files = sorted((root / "sim").glob("*.py"))
    files += [root / "experiments" / n for n in ("seeds.py", "design.py", "runner.py")]
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.name.encode() + f.read_bytes())
    return digest.hexdigest()[:16]


def config_hash(cfg: RunConfig) -> str:
    """Identity of a job's work: equal hashes mean equal results (used to resume)."""
    work = dataclasses.asdict(cfg)
    for label in ("checkpoint_every", "sweep_name"):  # how, not what, is computed
        work.pop(label)
    text = json.dumps(work, sort_keys=True, default=str) + code_fingerprint()
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def compose_run_config(overrides: list[str] | None = None) -> RunConfig:
    """Compose the configs as the command line would, from a notebook or a test."""
    register_configs()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose(config_name="config", overrides=list(overrides or []))
    return to_run_config(cfg)
