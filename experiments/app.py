"""The Hydra app behind ``reform-sim`` (and ``python -m experiments``)."""

import json
import logging
import shutil
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

from experiments.config import (
    CONFIG_DIR,
    RunConfig,
    check_legacy_overrides,
    check_legacy_presets,
    register_configs,
    to_run_config,
)
from experiments.overrides import check_overrides, experiment_sweep
from experiments.results import (
    DISK_FULL_ADVICE,
    ERROR,
    OUTCOMES,
    PLAN,
    disk_full,
    mark_checked,
    write_text,
)
from experiments.warm_workers import start_early, stop_server
from sim.params import ParameterError

register_configs()
# Mesa logs every step at INFO; Hydra's default logging would print them all.
logging.getLogger("MESA").setLevel(logging.WARNING)

# Overrides that say how a job runs rather than which parameter point it is.
NOT_SWEPT = {
    "experiment",
    "scenario",
    "strategy",
    "seed",
    "steps",
    "replications",
    "record_timeseries",
    "checkpoint_every",
    "sweep_name",
}


def swept_columns(cfg: DictConfig, overrides: list[str]) -> dict[str, Any]:
    """The job's own parameter values (e.g. strategy.n_lists=4), as result columns."""
    cols = {}
    for item in overrides:
        key = item.split("=", 1)[0].lstrip("+~")
        value = OmegaConf.select(cfg, key, default=None)
        how = key in NOT_SWEPT or key.startswith("precision.")  # how many runs, not which world
        if not how and isinstance(value, (int, float, str, bool)):
            cols[key] = value
    return cols


def _discard_empty_run_dir(out_dir: Path) -> None:
    """On bad input leave nothing behind: drop the run folder Hydra made if it holds no results."""
    if any(out_dir.glob("*.parquet")):
        return
    shutil.rmtree(out_dir / ".hydra", ignore_errors=True)
    for log in out_dir.glob("*.log"):
        log.unlink(missing_ok=True)
    if out_dir.exists() and not any(out_dir.iterdir()):
        out_dir.rmdir()


def _record_failure(out_dir: Path, err: BaseException, overrides: list[str]) -> None:
    """A failed job leaves its error for the manifest and lets the sweep go on, even when the
    error cannot be recorded (a full disk): the folder then reads as incomplete."""
    full = disk_full(err) is not None
    record = {
        "type": type(err).__name__,
        "message": str(err),
        "disk_full": full,
        "overrides": overrides,
        "traceback": traceback.format_exc(),
    }
    reason = f"disk full: {err}; {DISK_FULL_ADVICE}" if full else f"{type(err).__name__}: {err}"
    try:
        write_text(json.dumps(record, indent=2), out_dir / ERROR)
    except OSError as unrecorded:
        reason += f" (its {ERROR} could not be written either: {unrecorded})"
    print(f"job {out_dir.name} failed: {reason}", file=sys.stderr, flush=True)


def _progress_line(out_dir: Path, status: str, elapsed: float) -> str:
    """One line per finished job: jobs done, total and a rough time left."""
    sweep_dir = out_dir.parent
    try:
        plan = json.loads((sweep_dir / PLAN).read_text())
    except (OSError, json.JSONDecodeError):
        return f"{out_dir.name}: {status} in {elapsed:.1f} s"
    done = sum(1 for p in sweep_dir.iterdir() if (p / OUTCOMES).exists() or (p / ERROR).exists())
    total = plan["total"]
    spent = time.time() - plan["started"]
    left = spent / max(done, 1) * max(total - done, 0)
    return (
        f"[{plan['sweep_name']}] {out_dir.name}: {status} in {elapsed:.1f} s; "
        f"{done}/{total} jobs done, about {left:.0f} s left"
    )


@hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")
def _main(cfg: DictConfig) -> None:
    hc = HydraConfig.get()
    out_dir = Path(hc.runtime.output_dir)
    multirun = hc.mode == RunMode.MULTIRUN
    overrides = list(hc.overrides.task)
    # here, not at the top: the sweep's parent, which imports this module, runs no model
    from experiments.runner import run_point, summary_table

    try:
        run_cfg = to_run_config(cfg, overrides)
        result = run_point(run_cfg, out_dir, swept_columns(cfg, overrides))
    except ParameterError as err:
        if multirun:
            return _record_failure(out_dir, err, overrides)
        _discard_empty_run_dir(out_dir)
        print(f"reform-sim: invalid configuration: {err}", file=sys.stderr)
        sys.exit(2)
    except Exception as err:
        if multirun:
            return _record_failure(out_dir, err, overrides)
        raise
    (out_dir / ERROR).unlink(missing_ok=True)  # a rerun that succeeds clears an old failure
    if multirun:
        mark_checked(out_dir)
        status = "finished earlier, skipped" if result.skipped else "finished"
        print(_progress_line(out_dir, status, result.elapsed), flush=True)
        return
    ran = (
        f"strategies={','.join(run_cfg.strategies)}"
        if run_cfg.strategies
        else f"strategy={run_cfg.strategy.name}"
    )
    print(
        f"scenario={run_cfg.scenario.name} {ran} replications={run_cfg.replications} "
        f"steps={run_cfg.steps} seed={run_cfg.seed}"
    )
    for strategy, rows in result.outcomes.groupby("strategy", sort=False):
        if run_cfg.strategies:  # one table per strategy: never pooled
            print(f"\n{strategy}:")
        print(summary_table(rows))
    print(f"results: {out_dir}")


def main() -> None:
    overrides = [a for a in sys.argv[1:] if "=" in a and not a.startswith("-")]
    try:
        check_legacy_overrides(overrides)
        check_legacy_presets(overrides)
        # every point of a sweep, the experiment file's included, before any job starts
        check_overrides(overrides + experiment_sweep(overrides, CONFIG_DIR), RunConfig)
    except ParameterError as err:
        print(f"reform-sim: invalid configuration: {err}", file=sys.stderr)
        sys.exit(2)
    start_early(sys.argv[1:])  # the workers' fork server, while Hydra starts
    try:
        _main()
    finally:  # a command that ended before its sweep (--help, a config that does not compose)
        stop_server(kill=True)


if __name__ == "__main__":
    main()
