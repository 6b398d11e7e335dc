"""Hydra's joblib launcher, sending each worker the config the plan check built.

Hydra's own sends each worker the job's overrides and the worker composes the job's config
(about 0.1 s a job), although the plan check has composed it before launch. This launcher
sends each job the plan check built as that check's composition of its config groups and its
other overrides (``experiments.job_payload.CheckedJob``): the job's config is derived from
them where it runs, and the job is run as Hydra's ``execute_job`` does: each such job is
composed once in all. A job the plan check did not build goes to its worker as Hydra's
launcher sends it, to be composed there. What every job gets alike is pickled once per launch
and unpickled once per worker, and a worker scans Hydra's plugins once, not before each job
(``experiments.job_payload``).
Options are Hydra's joblib launcher's, and ``start_method``: ``forkserver`` (the default)
forks the workers from a server that has imported the model once, started before Hydra
composes the sweep (``experiments.warm_workers``); ``loky`` starts each afresh as Hydra's does.
``hydra/launcher=joblib`` goes back to Hydra's launcher.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig
from hydra.core.singleton import Singleton
from hydra.core.utils import JobReturn, configure_log, filter_overrides, run_job, setup_globals
from hydra_plugins.hydra_joblib_launcher._core import process_joblib_cfg
from hydra_plugins.hydra_joblib_launcher.config import JobLibLauncherConf
from hydra_plugins.hydra_joblib_launcher.joblib_launcher import JoblibLauncher
from joblib import Parallel, delayed, effective_n_jobs
from omegaconf import open_dict

from experiments.job_payload import CheckedJob, SharedArgs, set_state
from experiments.warm_workers import LAUNCHER, started_by

log = logging.getLogger(__name__)


@dataclass
class ComposedJoblibLauncherConf(JobLibLauncherConf):
    _target_: str = LAUNCHER
    # how loky starts its workers: forked from a server that imported the model once, or
    # each a fresh Python, as Hydra's (experiments/warm_workers.py)
    start_method: str = "forkserver"


ConfigStore.instance().store(
    group="hydra/launcher",
    name="composed_joblib",
    node=ComposedJoblibLauncherConf,
    provider="reform-sim",
)


def joblib_options(launcher: Any) -> dict[str, Any]:
    """The ``joblib.Parallel`` options of this launcher's config, as Hydra's joblib launcher
    makes them."""
    options = {k: v for k, v in dict(launcher).items() if k not in ("_target_", "start_method")}
    options["backend"] = "loky"  # as Hydra's: threads are incompatible with Hydra
    process_joblib_cfg(options)
    return options


def execute_composed(idx: int, job: CheckedJob | Sequence[str], shared: SharedArgs) -> JobReturn:
    """Hydra's joblib ``execute_job``, given the job as the plan check built it or, as Hydra's,
    its overrides; ``shared``: Hydra's context, the multirun's config, the task and Hydra's
    singleton state."""
    hydra_context, config, task_function, singleton_state = shared.objects
    setup_globals()
    set_state(singleton_state)
    if isinstance(job, CheckedJob):
        sweep_config = job.config()
    else:
        sweep_config = hydra_context.config_loader.load_sweep_config(config, list(job))
    with open_dict(sweep_config):
        sweep_config.hydra.job.id = f"{sweep_config.hydra.job.name}_{idx}"
        sweep_config.hydra.job.num = idx
    HydraConfig.instance().set_config(sweep_config)
    return run_job(
        hydra_context=hydra_context,
        config=sweep_config,
        task_function=task_function,
        job_dir_key="hydra.sweep.dir",
        job_subdir_key="hydra.sweep.subdir",
    )


class ComposedJoblibLauncher(JoblibLauncher):
    """Hydra's joblib launcher (``hydra_joblib_launcher._core.launch``), composing here."""

    def launch(
        self, job_overrides: Sequence[Sequence[str]], initial_job_idx: int
    ) -> Sequence[JobReturn]:
        from experiments.callbacks import checked_job

        setup_globals()
        assert self.config is not None
        assert self.task_function is not None
        assert self.hydra_context is not None
        configure_log(self.config.hydra.hydra_logging, self.config.hydra.verbose)
        sweep_dir = Path(str(self.config.hydra.sweep.dir))
        sweep_dir.mkdir(parents=True, exist_ok=True)
        joblib_cfg = joblib_options(self.joblib)
        start_method = self.joblib.get("start_method", "loky")
        log.info(
            "Joblib.Parallel({}) is launching {} jobs".format(
                ",".join(f"{k}={v}" for k, v in joblib_cfg.items()), len(job_overrides)
            )
        )
        log.info(f"Launching jobs, sweep output dir : {sweep_dir}")
        for idx, overrides in enumerate(job_overrides):
            log.info("\t#{} : {}".format(idx, " ".join(filter_overrides(overrides))))
        shared = SharedArgs(
            self.hydra_context, self.config, self.task_function, Singleton.get_state()
        )

        def job(overrides: Sequence[str]) -> CheckedJob | Sequence[str]:
            checked = checked_job(self.config, overrides)
            return overrides if checked is None else checked

        workers = effective_n_jobs(joblib_cfg["n_jobs"])
        with started_by(start_method, workers):
            runs = Parallel(**joblib_cfg)(
                delayed(execute_composed)(initial_job_idx + idx, job(overrides), shared)
                for idx, overrides in enumerate(job_overrides)
            )
        assert all(isinstance(run, JobReturn) for run in runs)
        return runs
