"""Hydra's basic sweeper, without composing every job a second time before the launch.

Before a multirun starts, ``experiments.callbacks.check_plan`` builds every job's
configuration and refuses an invalid plan whole. Hydra's ``BasicSweeper`` would then compose
every job again just to see that it composes (about 0.1 s a job, one after another, before
any job starts; the launcher composes each once more to run it). This sweeper expands and
launches exactly as the basic one does, and skips that second pass for the jobs the plan check
has built for this very multirun; any other job (a sweep run without the plan check) is
validated as Hydra does. ``hydra/sweeper=basic`` goes back to Hydra's own.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.config_store import ConfigStore


@dataclass
class CheckedSweeperConf:
    _target_: str = "hydra_plugins.reform_sim_sweeper.checked_sweeper.CheckedSweeper"
    max_batch_size: int | None = None
    params: dict[str, str] | None = None


ConfigStore.instance().store(
    group="hydra/sweeper", name="checked", node=CheckedSweeperConf, provider="reform-sim"
)


class CheckedSweeper(BasicSweeper):
    """The basic sweeper, trusting the plan check for the jobs it checked."""

    def validate_batch_is_legal(self, batch: Sequence[Sequence[str]]) -> None:
        from experiments.callbacks import plan_checked

        unchecked = [job for job in batch if not plan_checked(self.config, job)]
        super().validate_batch_is_legal(unchecked)
