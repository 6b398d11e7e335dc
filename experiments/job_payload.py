"""What the local launcher sends its workers, made cheap to send and to receive.

Hydra's joblib launcher pickles, for every job, Hydra's context, the multirun's config, the task
and Hydra's singleton state (about 20 ms of the parent's CPU time, 160 kB), and each worker
unpickles them again (about 25 ms) and then, in ``Singleton.set_state``, scans and re-executes
every Hydra plugin module (25 to 50 ms), before its job starts. The parent and the workers
share two cores, so this costs the sweep about 1.5 s in 30 jobs. Here:

- ``SharedArgs`` is pickled once per launch; a worker unpickles it once and reuses it for each
  of its jobs, as the jobs of a one-worker launch share the very same objects.
- ``set_state`` is Hydra's, keeping the plugins this process has already scanned: the scan finds
  the same plugins each time.
- ``CheckedJob`` sends a job as the plan check's composition of its config groups and its other
  overrides: the worker sets them on the job's own unpickled copy, where the parent would
  otherwise copy the composition (about 17 ms) before pickling that copy.

Kept outside ``hydra_plugins``, whose modules Hydra's plugin scan executes again (resetting
their state). Results are the same whatever the launcher: a test holds the jobs' records and
outcomes to Hydra's own.
"""

from __future__ import annotations

import pickle
import uuid
from collections.abc import Sequence
from typing import Any

from hydra.core.override_parser.types import Override
from hydra.core.singleton import Singleton
from joblib.externals import cloudpickle
from omegaconf import DictConfig

# This worker's copy of the arguments of the launch it is running jobs of (one at a time).
_RECEIVED: dict[str, tuple[Any, ...]] = {}


class SharedArgs:
    """Arguments every job of a launch gets alike. In the launching process, the objects
    themselves; pickled, the bytes made once for all jobs (cloudpickle, as loky pickles them)."""

    def __init__(self, *objects: Any) -> None:
        self.objects = objects
        self._key = uuid.uuid4().hex
        self._blob: bytes | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        if self._blob is None:
            self._blob = cloudpickle.dumps(self.objects)
        return (_received, (self._key, self._blob))


def _received(key: str, blob: bytes) -> SharedArgs:
    """The shared arguments as a worker receives them: unpickled at the first job of a launch,
    then the same objects for its later jobs."""
    if key not in _RECEIVED:
        _RECEIVED.clear()  # an earlier launch's: this worker will not see it again
        _RECEIVED[key] = cloudpickle.loads(blob)
    shared = SharedArgs.__new__(SharedArgs)
    shared.objects, shared._key, shared._blob = _RECEIVED[key], key, blob
    return shared


def set_state(state: dict[str, Any]) -> None:
    """Hydra's ``Singleton.set_state``, with this process's scanned plugins kept: Hydra leaves
    them out of the state it pickles and scans them again, re-executing every plugin module."""
    from hydra.core.plugins import Plugins

    scanned = Singleton._instances.get(Plugins)
    if scanned is not None:
        state["instances"].setdefault(Plugins, scanned)
    Singleton.set_state(state)


class CheckedJob:
    """A job the plan check built: its composition of the job's config groups (Hydra's node
    included) and the job's overrides. Its config is derived where it runs: on a copy of the
    composition in the launching process (which keeps it for other jobs), on the composition
    itself once unpickled. Each job pickles its composition as bytes of its own, so that it
    unpickles as that job's own copy even when joblib sends several jobs sharing one
    composition in a single batch (one pickle, where a shared object is unpickled once)."""

    def __init__(self, base: DictConfig, overrides: Sequence[Override], own: bool = False) -> None:
        self.base, self.overrides, self.own = base, list(overrides), own

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _own_job,
            (pickle.dumps(self.base, protocol=pickle.HIGHEST_PROTOCOL), self.overrides),
        )

    def config(self) -> DictConfig:
        from experiments.callbacks import job_config

        return job_config(self.base, self.overrides, copy=not self.own)


def _own_job(base: bytes, overrides: list[Override]) -> CheckedJob:
    return CheckedJob(pickle.loads(base), overrides, own=True)
