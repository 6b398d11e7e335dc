"""Hydra callback: plan a sweep before it starts, aggregate it when it ends."""

import copy
import json
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from hydra._internal.config_loader_impl import ConfigLoaderImpl
from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf, open_dict, read_write

from experiments.aggregate import aggregate, describe
from experiments.config import RunConfig, to_run_config
from experiments.overrides import GROUPS
from experiments.results import DISK_FULL_ADVICE, PLAN, disk_full, write_text
from experiments.runner import check_job
from sim.params import ParameterError

# The last plan check in this process: the multirun's config it checked (the very object Hydra
# hands the sweeper) and the jobs whose configuration it built; the sweeper need not compose those
# again to validate them (hydra_plugins/reform_sim_sweeper).
_CHECKED: tuple[DictConfig | None, frozenset[tuple[str, ...]]] = (None, frozenset())


def plan_checked(config: DictConfig, job: Sequence[str]) -> bool:
    """Whether the last plan check built this job of this multirun (the same config object)."""
    checked, jobs = _CHECKED
    return checked is config and tuple(job) in jobs


def planned_jobs(config: DictConfig) -> list[list[str]]:
    """The overrides of every job, expanded as Hydra's basic sweeper expands them."""
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper

    swept = config.hydra.sweeper.get("params")  # None in an ad-hoc sweep (no experiment=)
    params = OmegaConf.to_container(swept, resolve=True) if swept else {}
    arguments = [f"{k}={v}" for k, v in params.items()]
    arguments += list(config.hydra.overrides.task)
    parsed = OverridesParser.create().parse_overrides(arguments)
    return [list(job) for batch in BasicSweeper.split_arguments(parsed, None) for job in batch]


def _point_names(jobs: list[list[str]]) -> list[str]:
    """Each job by the overrides that tell it from the others (all of them for a lone job)."""
    varying = {o for job in jobs for o in job if not all(o in other for other in jobs)}
    return [",".join(o for o in job if o in varying or len(jobs) == 1) for job in jobs]


def _composes(override: Override) -> bool:
    """Whether Hydra needs to compose anew for this override: a config group (or Hydra's
    own settings); any other is a value set on the composed config."""
    key = override.key_or_group
    return key in GROUPS or "/" in key or key.startswith("hydra") or override.package is not None


def job_configs(config: DictConfig, jobs: list[list[str]]) -> Iterator[RunConfig | Exception]:
    """Each job's RunConfig, built as its launch will build it, or the error it raises.

    Hydra composes every job from scratch (about 0.2 s each); here each distinct choice of
    config groups is composed once and each job's values are then set on a copy, which is
    what Hydra does after composing (``_apply_overrides_to_config``)."""
    loader = GlobalHydra.instance().config_loader()
    parser = OverridesParser.create()
    composed: dict[tuple[str, ...], DictConfig | Exception] = {}
    for job in jobs:
        try:
            parsed = parser.parse_overrides(job)
            groups = tuple(o.input_line for o in parsed if _composes(o))
            if groups not in composed:
                try:
                    base = loader.load_sweep_config(config, list(groups))
                    with read_write(base), open_dict(base):
                        del base["hydra"]  # as Hydra hands a job its config
                    composed[groups] = base
                except Exception as err:  # every job with these groups fails the same way
                    composed[groups] = err
            base = composed[groups]
            if isinstance(base, Exception):
                raise base
            cfg = copy.deepcopy(base)
            values = [o for o in parsed if not _composes(o)]
            ConfigLoaderImpl._apply_overrides_to_config(values, cfg)
            yield to_run_config(cfg, job, own_copy=True)
        except Exception as err:  # the job would fail the same way once launched
            yield err


def check_plan(config: DictConfig, jobs: list[list[str]]) -> None:
    """Build every job's parameters (every design point included) before any job starts, so
    rules between parameters (attention shares summing to 1, a design chunk within its
    chunks, a shock week from 1) refuse the plan whole: one ParameterError naming each bad
    point and the rule it breaks."""
    global _CHECKED
    _CHECKED = (None, frozenset())  # nothing is vouched for until this plan passes
    bad = []
    for built, name in zip(job_configs(config, jobs), _point_names(jobs), strict=True):
        try:
            if isinstance(built, Exception):
                raise built
            check_job(built)
        except ParameterError as err:
            bad.append(f"  {name}: {err}")
        except Exception as err:  # the job would fail the same way once launched
            bad.append(f"  {name}: {type(err).__name__}: {err}")
    if bad:
        raise ParameterError(
            f"{len(bad)} of {len(jobs)} sweep points are invalid, so no job was started:\n"
            + "\n".join(bad)
        )
    _CHECKED = (config, frozenset(tuple(job) for job in jobs))


class SweepCallback(Callback):
    """Writes the sweep plan (for progress and missing jobs) and the aggregated results."""

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(config.hydra.sweep.dir)
        jobs = planned_jobs(config)
        try:
            check_plan(config, jobs)  # before the plan or any job folder is written
        except ParameterError as err:
            # Hydra turns exceptions in callbacks into warnings; the exit status must say it.
            print(f"reform-sim: invalid configuration: {err}", file=sys.stderr, flush=True)
            sys.exit(2)
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
