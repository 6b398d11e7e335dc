"""The Hydra app behind ``reform-sim`` (and ``python -m experiments``)."""

import logging
import shutil
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from experiments.config import CONFIG_DIR, register_configs, to_run_config
from experiments.runner import run_point, summary_table
from sim.params import ParameterError

register_configs()
# Mesa logs every step at INFO; Hydra's default logging would print them all.
logging.getLogger("MESA").setLevel(logging.WARNING)


def _discard_empty_run_dir(out_dir: Path) -> None:
    """On bad input leave nothing behind: drop the run folder Hydra made if it holds no results."""
    if any(out_dir.glob("*.parquet")):
        return
    shutil.rmtree(out_dir / ".hydra", ignore_errors=True)
    for log in out_dir.glob("*.log"):
        log.unlink(missing_ok=True)
    if out_dir.exists() and not any(out_dir.iterdir()):
        out_dir.rmdir()


@hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")
def _main(cfg: DictConfig) -> None:
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    try:
        run_cfg = to_run_config(cfg)
    except ParameterError as err:
        _discard_empty_run_dir(out_dir)
        print(f"reform-sim: invalid configuration: {err}", file=sys.stderr)
        sys.exit(2)
    outcomes = run_point(run_cfg, out_dir)
    print(
        f"scenario={run_cfg.scenario.name} strategy={run_cfg.strategy.name} "
        f"replications={run_cfg.replications} steps={run_cfg.steps} seed={run_cfg.seed}"
    )
    print(summary_table(outcomes))
    print(f"results: {out_dir}")


def main() -> None:
    _main()


if __name__ == "__main__":
    main()
