"""The run configuration: the model's own parameter dataclasses plus what a job needs.

``RunConfig`` extends ``ModelParams`` (so ``steps`` and ``rollback_threshold`` keep their single
definition) with the job's seed, number of replications and whether to record time series. The
same class is registered as Hydra's structured-config schema, so YAML files are type-checked
against it, and ``to_run_config`` turns a composed config into validated dataclasses.
"""

from dataclasses import dataclass
from pathlib import Path

from hydra import compose, initialize_config_dir
from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from sim.params import ModelParams, param

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


@dataclass
class RunConfig(ModelParams):
    """One Hydra job: a parameter point run for ``replications`` seeds."""

    seed: int = param(
        1987, 0, 2**63 - 1, help="root seed; replication r uses a seed from (seed, r)"
    )
    replications: int = param(1, 1, 1_000_000, help="replications of this parameter point")
    record_timeseries: bool = param(False, help="also write one row per replication and week")


def register_configs() -> None:
    """Make the dataclass schema known to Hydra (idempotent)."""
    ConfigStore.instance().store(name="run_schema", node=RunConfig)


def to_run_config(cfg: DictConfig) -> RunConfig:
    """Instantiate the dataclasses, which validate every field (raises ParameterError)."""
    return OmegaConf.to_object(cfg)  # type: ignore[return-value]


def compose_run_config(overrides: list[str] | None = None) -> RunConfig:
    """Compose the configs as the command line would, from a notebook or a test."""
    register_configs()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose(config_name="config", overrides=overrides or [])
    return to_run_config(cfg)
