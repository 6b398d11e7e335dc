"""Hydra callback: plan a sweep before it starts, aggregate it when it ends."""

import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

from experiments.aggregate import aggregate, describe
from experiments.results import DISK_FULL_ADVICE, PLAN, disk_full, write_text


def planned_jobs(config: DictConfig) -> list[list[str]]:
    """The overrides of every job, expanded as Hydra's basic sweeper expands them."""
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper

    swept = config.hydra.sweeper.get("params")  # None in an ad-hoc sweep (no experiment=)
    params = OmegaConf.to_container(swept, resolve=True) if swept else {}
    arguments = [f"{k}={v}" for k, v in params.items()]
    arguments += list(config.hydra.overrides.task)
    parsed = OverridesParser.create().parse_overrides(arguments)
    return [list(job) for batch in BasicSweeper.split_arguments(parsed, None) for job in batch]


class SweepCallback(Callback):
    """Writes the sweep plan (for progress and missing jobs) and the aggregated results."""

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(config.hydra.sweep.dir)
        jobs = planned_jobs(config)
        swept_seeds = sorted({int(o[5:]) for job in jobs for o in job if o.startswith("seed=")})
        plan = {
            "id": uuid.uuid4().hex,  # each launch is a new plan; jobs record which checked them
            "sweep_name": config.get("sweep_name"),
            # one root seed, or the list of them when the sweep varies it (`-m seed=1,2,3`)
            "root_seed": swept_seeds or config.get("seed"),
            "total": len(jobs),
            "jobs": jobs,
            "started": time.time(),
        }
        write_text(json.dumps(plan, indent=2), sweep_dir / PLAN)
        print(f"[{plan['sweep_name']}] {len(jobs)} jobs into {sweep_dir}", flush=True)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        try:
            manifest = aggregate(Path(config.hydra.sweep.dir))
        except Exception as err:  # Hydra would turn it into a warning and exit 0
            if disk_full(err):
                print(
                    f"reform-sim: disk full: the sweep's results could not be written ({err}); "
                    f"{DISK_FULL_ADVICE}",
                    file=sys.stderr,
                    flush=True,
                )
            else:
                print(f"reform-sim: aggregation failed: {err}", file=sys.stderr, flush=True)
            sys.exit(1)
        print(describe(manifest), flush=True)
        bad = len(manifest["unfinished"])
        if bad:
            # Hydra turns exceptions in callbacks into warnings; the exit status must say it.
            print(
                f"reform-sim: {bad} of {manifest['jobs_planned']} jobs did not finish (see "
                "sweep.json); rerun the same command into the same hydra.sweep.dir to run "
                "them",
                file=sys.stderr,
                flush=True,
            )
            sys.exit(1)
