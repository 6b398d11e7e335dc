"""Hydra's basic sweeper, without composing every job again after the plan check.

Before a multirun starts, ``experiments.callbacks.check_plan`` builds every job's
configuration and refuses an invalid plan whole. Hydra's ``BasicSweeper`` would then compose
every job again just to see that it composes (about 0.1 s a job, one after another, before
any job starts), and the launcher would compose each once more to run it. This sweeper expands
and launches exactly as the basic one does, but skips that second pass for the jobs the plan
check has built for this very multirun, and hands the launcher a config loader that derives
those jobs' configs from the plan check's compositions (``CheckedConfigLoader``). Any other job
(a sweep run without the plan check) is validated and composed as Hydra does.
``hydra/sweeper=basic`` goes back to Hydra's own.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.config_store import ConfigStore
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig


@dataclass
class CheckedSweeperConf:
    _target_: str = "hydra_plugins.reform_sim.checked_sweeper.CheckedSweeper"
    max_batch_size: int | None = None
    params: dict[str, str] | None = None


ConfigStore.instance().store(
    group="hydra/sweeper", name="checked", node=CheckedSweeperConf, provider="reform-sim"
)


class CheckedSweeper(BasicSweeper):
    """The basic sweeper, trusting the plan check for the jobs it checked."""

    def setup(
        self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig
    ) -> None:
        from experiments.callbacks import CheckedConfigLoader

        loader = CheckedConfigLoader(hydra_context.config_loader)
        context = HydraContext(config_loader=loader, callbacks=hydra_context.callbacks)
        super().setup(hydra_context=context, task_function=task_function, config=config)

    def validate_batch_is_legal(self, batch: Sequence[Sequence[str]]) -> None:
        from experiments.callbacks import plan_checked

        unchecked = [job for job in batch if not plan_checked(self.config, job)]
        super().validate_batch_is_legal(unchecked)
