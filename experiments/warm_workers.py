"""Workers forked from a server that has imported the model once (multiprocessing's forkserver).

loky, which Hydra's joblib launcher uses, starts each worker as a fresh Python that imports
Hydra, Mesa, pandas and the model before its first job: about 2 s of CPU a worker, all of it
after the plan check and before the first job. With ``start_method: forkserver`` (the default
of ``hydra/launcher=local``) loky forks its workers from one server process that has imported
these modules once (and scanned Hydra's plugins), and the server is started as soon as the
command line says the sweep will fork its workers (``start_early``, from ``app.main``; else as
the plan check starts), so its imports run beside Hydra's start-up and the plan check rather
than after them. The workers get the thread limits loky gives its own
(``OMP_NUM_THREADS`` and the like: cores // workers, unless already set) from the server's
environment, since loky passes them only to workers it starts itself. Results do not depend on
it: every run is seeded. ``start_method: loky`` starts workers as Hydra's launcher does, and is
used wherever the platform has no forkserver (Windows) or the server cannot be started.

The server is not a bare Python: once it has imported pandas it holds pyarrow's allocator
thread (jemalloc's background thread, which jemalloc's own fork handlers make safe to fork
from, as ``mesa.batch_run``'s forked pool does from a parent holding the same thread). A server
started with other thread limits than the sweep's workers need is replaced. The server is
stopped at the end of each multirun, once its workers, released as the results are aggregated,
have exited; killed at once if the plan check refuses the sweep, and at the exit of a command
that ends before its sweep starts (``--help``, a config that does not compose).
"""

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator
from multiprocessing import forkserver

import yaml
from joblib import effective_n_jobs
from joblib._parallel_backends import LokyBackend
from joblib.externals.loky import reusable_executor
from joblib.externals.loky.backend.context import get_start_method, set_start_method
from omegaconf import DictConfig

from experiments.config import CONFIG_DIR

START_METHODS = ("forkserver", "loky")
# The launcher that forks its workers (hydra/launcher=local); kept here, outside the plugin
# modules, which Hydra's plugin scan executes again (resetting their state)
LAUNCHER = "hydra_plugins.reform_sim.composed_launcher.ComposedJoblibLauncher"

# What a job's worker imports: the task (experiments.app: Hydra, pandas; the runner: Mesa and the
# model, which the sweep's parent never imports), the function the launcher sends, loky's worker
# loop; what the first job's arguments import as they are unpickled (the sweep's callback); and
# what a job imports on first use: the precision of its outcomes (scipy.stats) and the reading
# back of its Parquet files. Without the last three a worker's first job took 0.55 s longer.
# Last, experiments.fork_ready scans Hydra's plugins and freezes the garbage collector's view of
# all of it (a worker's first unpickling of its arguments: 0.25 s on two busy cores before).
# Tests unpickle a launch's arguments and run a job after importing these and fail if either
# imports anything more from a heavy package, or if the imports are not frozen.
PRELOAD = [
    "experiments.app",
    "experiments.runner",
    "experiments.callbacks",
    "hydra_plugins.reform_sim.composed_launcher",
    "joblib.externals.loky.process_executor",
    "analysis.stats",
    "pyarrow.dataset",
    "pyarrow.pandas_compat",
    "experiments.fork_ready",  # last
]


class LauncherOptionError(ValueError):
    """A launcher option with a value the launcher does not have."""


def check_start_method(method: str) -> None:
    if method not in START_METHODS:
        raise LauncherOptionError(
            f"hydra.launcher.start_method = {method!r}: expected one of {list(START_METHODS)}"
        )


def forked(method: str, workers: int) -> bool:
    """Whether the workers of this launch are forked from the server."""
    check_start_method(method)
    return (
        method == "forkserver"
        and workers > 1
        and "forkserver" in multiprocessing.get_all_start_methods()
    )


_started = False  # whether this process started the fork server (and so stops it)
_limits: dict[str, str] = {}  # the thread limits the running server was started with
_exiting: list[threading.Thread] = []  # loky's threads that wait for released workers


def start_server(workers: int) -> None:
    """Start the fork server, its modules imported, with loky's worker thread limits for this
    many workers in its environment; returns at once (the server imports in the background).
    A server already running with these limits is kept; one with others (started early, before
    the config was known) is replaced."""
    global _started, _limits
    limits = LokyBackend()._prepare_worker_env(n_jobs=workers)
    if _started and limits == _limits:
        return
    stop_server(kill=True)  # nothing has been forked from it yet
    forkserver.set_forkserver_preload(PRELOAD)
    saved = {k: os.environ.get(k) for k in limits}
    os.environ.update(limits)  # the server inherits the environment it is started with
    try:
        forkserver.ensure_running()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    _started, _limits = True, limits  # only once it runs: a failed start is tried again


def start_early(argv: list[str]) -> None:
    """Start the server before Hydra composes anything, when the command line alone says the
    sweep will fork its workers: ``-m`` and no launcher, start method or one worker that rules
    it out. Its imports then run beside the parent's own and Hydra's start-up, and it is ready
    when the plan check ends (about 1 s sooner than when started by ``warm_up``, which then
    keeps it, restarts it for another number of workers, or stops it). Best effort and silent:
    whatever is uncertain is left to ``warm_up``."""
    if not {"-m", "--multirun"} & set(argv):
        return
    values = dict(a.split("=", 1) for a in argv if "=" in a and not a.startswith("-"))
    if values.get("hydra/launcher", "local") != "local" or any(
        k.startswith("hydra.launcher.") and k != "hydra.launcher.n_jobs" for k in values
    ):
        return
    try:
        n_jobs = values.get("hydra.launcher.n_jobs") or _local_n_jobs()
        workers = effective_n_jobs(int(n_jobs))
        if forked(_default_start_method(), workers):
            start_server(workers)
    except Exception:
        return


def _local_n_jobs() -> int:
    """The local launcher's number of workers, as its preset sets it."""
    preset = CONFIG_DIR / "hydra" / "launcher" / "local.yaml"
    return int(yaml.safe_load(preset.read_text())["n_jobs"])


def _default_start_method() -> str:
    from hydra_plugins.reform_sim.composed_launcher import ComposedJoblibLauncherConf

    return ComposedJoblibLauncherConf.start_method


@contextlib.contextmanager
def started_by(method: str, workers: int) -> Iterator[None]:
    """loky's start method for the worker pools made inside; as it was afterwards. A server
    that cannot be started leaves loky's own way of starting workers."""
    if not (forked(method, workers) and _start_or_say(workers)):
        yield
        return
    pool = reusable_executor._executor  # one left by an earlier launch of this process
    if pool is not None and pool._context.get_start_method() != "forkserver":
        pool.shutdown(wait=True)  # else loky would reuse its workers, started afresh
    previous = get_start_method()
    set_start_method("forkserver", force=True)
    try:
        yield
    finally:
        set_start_method(previous, force=True)


def warm_up(config: DictConfig) -> None:
    """Start the server the workers of this sweep will be forked from, if they will be (or keep
    the one ``start_early`` started, if its thread limits fit), and stop one they will not be:
    called as the plan check starts, so that a server not started early imports beside it.
    Raises only for a bad ``start_method``."""
    launcher = config.hydra.launcher
    if launcher.get("_target_") != LAUNCHER:
        stop_server(kill=True)  # one started early for a sweep another launcher runs
        return
    method = launcher.get("start_method", "loky")
    check_start_method(method)  # a bad value refuses the sweep; nothing else here may
    try:
        workers = effective_n_jobs(launcher.n_jobs)
    except Exception as err:
        stop_server(kill=True)
        _say(err)
        return
    if forked(method, workers):
        _start_or_say(workers)
    else:
        stop_server(kill=True)  # started early for a sweep that will not fork


def _start_or_say(workers: int) -> bool:
    """Start the server, or say why not: the workers then start as loky starts them (a
    sweep does not fail for want of a faster start)."""
    try:
        start_server(workers)
    except Exception as err:
        _say(err)
        return False
    return True


def _say(err: Exception) -> None:
    print(
        f"reform-sim: the workers' fork server did not start ({type(err).__name__}: {err}); "
        "workers will start as loky starts them",
        file=sys.stderr,
        flush=True,
    )


def release_workers() -> None:
    """Tell the workers to exit, and return at once: they exit while this process aggregates
    the sweep's results (0.3 to 0.6 s each here); ``stop_server`` then waits for them."""
    pool = reusable_executor._executor
    if not _started or pool is None:
        return
    waiter = pool._executor_manager_thread  # loky forgets it when not told to wait
    pool.shutdown(wait=False)
    if waiter is not None:
        _exiting.append(waiter)


def stop_server(kill: bool = False) -> None:
    """Stop the workers (or wait for those released), then the server they were forked from,
    and reap it (the server reaps them): their CPU time then counts among this process's
    children, as loky's own workers' does, and neither outlives the sweep. ``kill``: no job has
    run (the plan was refused), so do not wait for the server to finish its imports. Nothing to
    do if this process did not start a server."""
    global _started
    if not _started:
        return
    _started = False
    _limits.clear()
    pool = reusable_executor._executor
    if pool is not None:
        pool.shutdown(wait=True)
    while _exiting:
        _exiting.pop().join()
    server = forkserver._forkserver._forkserver_pid
    if kill and server is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(server, signal.SIGTERM)
    forkserver._forkserver._stop()  # closes its pipe and waits for it
