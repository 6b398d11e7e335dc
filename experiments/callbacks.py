"""Hydra callback: plan a sweep before it starts, aggregate it when it ends."""

import dataclasses
import json
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from copy import deepcopy
from pathlib import Path
from typing import Any

from hydra._internal.config_loader_impl import ConfigLoaderImpl, get_overrides_dirname
from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf, open_dict, read_write

from experiments.aggregate import aggregate, describe
from experiments.compose_many import sharing
from experiments.config import RunConfig, job_strategies, to_run_config
from experiments.job_payload import CheckedJob
from experiments.overrides import GROUPS
from experiments.results import DISK_FULL_ADVICE, PLAN, disk_full, write_text
from experiments.run_params import check_job
from experiments.warm_workers import (
    LauncherOptionError,
    release_workers,
    stop_server,
    warm_up,
)
from sim.params import ParameterError, StrategyParams

# The last plan check in this process: the multirun's config it checked (the very object Hydra
# hands the sweeper and the launcher), the jobs it built, and its composition of each choice of
# config groups (Hydra's node included). The sweeper need not compose those jobs again to validate
# them (hydra_plugins/reform_sim), nor the launcher to run them (CheckedConfigLoader).
_CHECKED: tuple[DictConfig | None, frozenset[tuple[str, ...]], dict] = (None, frozenset(), {})


def plan_checked(config: DictConfig, job: Sequence[str]) -> bool:
    """Whether the last plan check built this job of this multirun (the same config object)."""
    checked, jobs, _ = _CHECKED
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


def _groups(parsed: list[Override]) -> tuple[str, ...]:
    return tuple(o.input_line for o in parsed if _composes(o))


def job_config(base: DictConfig, parsed: Sequence[Override], copy: bool = True) -> DictConfig:
    """The job's whole config (Hydra's node included) from the composition of its config groups:
    its values set on a copy (or on ``base`` itself, when it is the caller's own), and Hydra's
    record of the job's overrides, as Hydra's own ``load_sweep_config`` ends
    (``_load_configuration_impl``: values applied after composing, then ``hydra.overrides.task``
    and ``hydra.job.override_dirname`` from every override)."""
    cfg = deepcopy(base) if copy else base
    ConfigLoaderImpl._apply_overrides_to_config([o for o in parsed if not _composes(o)], cfg)
    task = [o for o in parsed if not o.is_hydra_override()]
    naming = cfg.hydra.job.config.override_dirname
    with read_write(cfg.hydra), open_dict(cfg.hydra):
        cfg.hydra.overrides.task = [o.input_line for o in task]
        cfg.hydra.job.override_dirname = get_overrides_dirname(
            overrides=task,
            exclude_keys=list(naming.exclude_keys),
            item_sep=naming.item_sep,
            kv_sep=naming.kv_sep,
        )
    return cfg


def checked_job(config: DictConfig, job: Sequence[str]) -> CheckedJob | None:
    """This job of this multirun as the last plan check built it (its composition and its
    overrides, nothing copied); None when that check did not build it."""
    if not plan_checked(config, job):
        return None
    parsed = OverridesParser.create().parse_overrides(list(job))
    return CheckedJob(_CHECKED[2][_groups(parsed)], parsed)


def checked_job_config(config: DictConfig, job: Sequence[str]) -> DictConfig | None:
    """The config Hydra would compose for this job of this multirun, derived from the plan
    check's composition of its config groups (a copy, about 0.02 s against 0.1 s to compose);
    None when the last plan check did not build this job."""
    checked = checked_job(config, job)
    return None if checked is None else checked.config()


class CheckedConfigLoader:
    """Hydra's config loader, answering ``load_sweep_config`` for the jobs the plan check built
    from that check's compositions, so each job is composed once, not once to check and once
    more to launch. Anything else goes to Hydra's loader. The compositions stay in this process:
    a launcher that ships this loader to its workers ships only Hydra's."""

    def __init__(self, delegate: Any) -> None:
        self.delegate = delegate

    def load_sweep_config(self, master_config: DictConfig, sweep_overrides: list[str]):
        cfg = checked_job_config(master_config, sweep_overrides)
        if cfg is None:
            return self.delegate.load_sweep_config(master_config, sweep_overrides)
        return cfg

    def __getattr__(self, name: str) -> Any:
        if name == "delegate":  # not yet set (unpickling): never recurse
            raise AttributeError(name)
        return getattr(self.delegate, name)


def job_configs(
    config: DictConfig, jobs: list[list[str]], bases: dict | None = None
) -> Iterator[RunConfig | Exception]:
    """Each job's RunConfig, built as its launch will build it, or the error it raises.

    Hydra composes every job from scratch (about 0.1 s each); here each distinct choice of
    config groups is composed once (into ``bases``, which the launch then reuses) and each job's
    values are then set on a copy, which is what Hydra does after composing."""
    loader = sharing(GlobalHydra.instance().config_loader())  # each file read once
    parser = OverridesParser.create()
    bases = {} if bases is None else bases
    parsed_jobs: list[list[Override] | Exception] = []
    for job in jobs:
        try:
            parsed_jobs.append(parser.parse_overrides(job))
        except Exception as err:  # the job would fail the same way once launched
            parsed_jobs.append(err)
    uses = Counter(_groups(p) for p in parsed_jobs if not isinstance(p, Exception))
    task_bases: dict[tuple[str, ...], DictConfig | Exception] = {}
    for job, parsed in zip(jobs, parsed_jobs, strict=True):
        try:
            if isinstance(parsed, Exception):
                raise parsed
            groups = _groups(parsed)
            if groups not in task_bases:
                try:
                    bases[groups] = loader.load_sweep_config(config, list(groups))
                    task_bases[groups] = _without_hydra(bases[groups])
                except Exception as err:  # every job with these groups fails the same way
                    task_bases[groups] = err
            base = task_bases[groups]
            if isinstance(base, Exception):
                raise base
            # a choice of presets that only this job makes: its copy is the job's own
            cfg = base if uses[groups] == 1 else deepcopy(base)
            values = [o for o in parsed if not _composes(o)]
            ConfigLoaderImpl._apply_overrides_to_config(values, cfg)
            yield to_run_config(cfg, job, own_copy=True)
        except Exception as err:  # the job would fail the same way once launched
            yield err


def _without_hydra(cfg: DictConfig) -> DictConfig:
    """A copy of a composed config as Hydra hands it to a job: without Hydra's node (which is
    not copied, only to be deleted: a third of the copy's cost)."""
    task = deepcopy(cfg, {id(cfg._get_node("hydra")): DictConfig({})})
    with read_write(task), open_dict(task):
        del task["hydra"]
    return task


def check_plan(config: DictConfig, jobs: list[list[str]]) -> None:
    """Build every job's parameters (every design point included) before any job starts, so
    rules between parameters (attention shares summing to 1, a design chunk within its
    chunks, a shock week from 1) refuse the plan whole: one ParameterError naming each bad
    point and the rule it breaks."""
    global _CHECKED
    _CHECKED = (None, frozenset(), {})  # nothing is vouched for until this plan passes
    bad, bases, good = [], {}, []
    for built, name in zip(job_configs(config, jobs, bases), _point_names(jobs), strict=True):
        try:
            if isinstance(built, Exception):
                raise built
            presets = job_strategies(built)  # read once: hashed here, compared in _run_twice
            check_job(built, presets)
            good.append((name, built, presets))
        except ParameterError as err:
            bad.append(f"  {name}: {err}")
        except Exception as err:  # the job would fail the same way once launched
            bad.append(f"  {name}: {type(err).__name__}: {err}")
    bad += _run_twice(good)
    if bad:
        raise ParameterError(
            f"{len(bad)} of {len(jobs)} sweep points are invalid, so no job was started:\n"
            + "\n".join(bad)
        )
    _CHECKED = (config, frozenset(tuple(job) for job in jobs), bases)


def _run_twice(built: list[tuple[str, RunConfig, dict[str, StrategyParams]]]) -> list[str]:
    """Jobs of a sweep mixing ``strategies=[...]`` with single strategies that would run one
    strategy twice on the same scenario, seeds and parameters (``strategies=[a,status_quo_1987],
    []``: the empty list runs the default): its runs would be counted twice and could not be
    paired one to one."""
    if not any(cfg.strategies for _, cfg, _ in built):
        return []
    seen: dict[tuple[str, str], str] = {}
    problems = []
    for name, cfg, presets in built:
        rest = dataclasses.replace(cfg, strategy=StrategyParams(), strategies=())
        world = json.dumps(dataclasses.asdict(rest), sort_keys=True, default=str)
        for strategy, params in presets.items():
            # the same preset with other values (a swept strategy.*) is an arm of its own
            run = json.dumps(dataclasses.asdict(params), sort_keys=True, default=str)
            first = seen.setdefault((world, run), name)
            if first != name:
                problems.append(
                    f"  {name}: runs strategy {strategy!r}, which {first} also runs on the same "
                    "scenario, seeds and parameters; run each strategy in one job only"
                )
    return problems


def _quietly(stop: Any) -> None:
    """Stop the workers' server (or release its workers): the results matter more, so a
    failure here is said, not raised."""
    try:
        stop()
    except Exception as err:
        print(f"reform-sim: the workers' fork server: {err}", file=sys.stderr, flush=True)


class SweepCallback(Callback):
    """Writes the sweep plan (for progress and missing jobs) and the aggregated results."""

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(config.hydra.sweep.dir)
        jobs = planned_jobs(config)
        try:
            warm_up(config)  # the server the workers fork from imports beside the plan check
            check_plan(config, jobs)  # before the plan or any job folder is written
        except (ParameterError, LauncherOptionError) as err:
            stop_server(kill=True)  # no job will run
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
        global _CHECKED
        _CHECKED = (None, frozenset(), {})  # every job has run: free the compositions
        _quietly(release_workers)  # they exit while the results are aggregated
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
        finally:
            _quietly(stop_server)  # and the workers' fork server, reaped with its workers
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
