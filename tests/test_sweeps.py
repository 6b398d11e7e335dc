"""Sweeps end to end: aggregation, paired seeds, resume after SIGKILL, failures, launchers."""

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from conftest import config

pytestmark = pytest.mark.slow


def sweep(sweep_dir, *overrides, timeout=600):
    cmd = [sys.executable, "-m", "experiments", "-m", f"hydra.sweep.dir={sweep_dir}", *overrides]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def outcomes(sweep_dir):
    return pd.read_parquet(sweep_dir / "outcomes.parquet")


def manifest(sweep_dir):
    return json.loads((sweep_dir / "sweep.json").read_text())


@pytest.fixture(scope="module")
def smoke_basic(tmp_path_factory):
    """The reference: the smoke sweep run one job after another, each job composed by Hydra
    itself (its own sweeper and launcher, not the plan check's compositions)."""
    d = tmp_path_factory.mktemp("basic")
    proc = sweep(d, "experiment=smoke", "hydra/sweeper=basic", "hydra/launcher=basic")
    assert proc.returncode == 0, proc.stderr
    return d


def test_smoke_sweep_aggregates_every_job_with_paired_seeds(smoke_basic):
    df = outcomes(smoke_basic)
    assert len(df) == 4 * 3
    assert df.groupby(["scenario", "strategy"]).size().eq(3).all()
    # Paired seeds: replication r has the same seed in every job.
    assert df.groupby("replication")["seed"].nunique().eq(1).all()
    m = manifest(smoke_basic)
    assert m["jobs_planned"] == m["jobs_finished"] == 4
    assert m["runs"] == 12 and m["root_seed"] == 1987
    assert all(j["seeds"] == m["jobs"][0]["seeds"] for j in m["jobs"])
    assert m["versions"]["mesa"].startswith("3.5")


def job_records(sweep_dir):
    """Each job's folder, the overrides Hydra recorded for it and the config it ran."""
    return {
        (p.parent.parent.name, p.name): p.read_text()
        for name in ("overrides.yaml", "config.yaml")
        for p in sweep_dir.glob(f"*/.hydra/{name}")
    }


LOCAL = ["hydra/launcher=local", "hydra.launcher.n_jobs=2"]


@pytest.mark.parametrize(
    "launcher",
    [
        LOCAL,  # workers forked from the server (experiments/warm_workers.py)
        [*LOCAL, "hydra.launcher.start_method=loky"],  # workers started as Hydra's
        # jobs in this process, where Hydra's set_state scans (and re-executes) its plugins
        # before each job, so the plan check's configs hold classes no longer importable
        ["hydra/launcher=local", "hydra.launcher.n_jobs=1"],
        ["hydra/launcher=joblib"],
        ["hydra/launcher=submitit_local"],
    ],
    ids=["local", "local-loky", "local-1-worker", "joblib", "submitit_local"],
)
def test_same_results_on_every_launcher(tmp_path, smoke_basic, launcher):
    """``local`` derives each job's config from the plan check's compositions; the reference
    is composed by Hydra itself, job by job: the same folders, the same recorded overrides and
    configs, the same outcomes."""
    proc = sweep(tmp_path, "experiment=smoke", *launcher)
    assert proc.returncode == 0, proc.stderr
    assert outcomes(tmp_path).equals(outcomes(smoke_basic))
    assert job_records(tmp_path) == job_records(smoke_basic) != {}


def _multirun_config(sweep_dir, *overrides):
    from hydra import compose, initialize_config_dir

    from experiments.config import CONFIG_DIR, register_configs

    register_configs()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return compose(
            "config",
            overrides=[*overrides, f"hydra.sweep.dir={sweep_dir}", "hydra.launcher.n_jobs=2"],
            return_hydra_config=True,
        )


@pytest.mark.parametrize(
    ("argv", "started"),
    [
        (["-m", "experiment=smoke", "hydra.launcher.n_jobs=2"], [2]),
        (["--multirun", "hydra.launcher.n_jobs=3"], [3]),
        (["-m", "experiment=smoke"], "per core"),  # the local launcher's preset
        (["experiment=smoke", "hydra.launcher.n_jobs=2"], []),  # one run, no workers
        (["-m", "hydra.launcher.n_jobs=1"], []),  # jobs in this process
        (["-m", "hydra/launcher=basic", "hydra.launcher.n_jobs=2"], []),
        (["-m", "hydra.launcher.start_method=loky", "hydra.launcher.n_jobs=2"], []),
        (["-m", "hydra.launcher.n_jobs=two"], []),  # Hydra will say what is wrong
    ],
)
def test_the_server_starts_early_only_when_the_command_line_says_workers_will_fork(
    monkeypatch, argv, started
):
    """Before Hydra composes anything, the command line alone decides whether to start the
    workers' server early; anything that could rule forked workers out leaves it to warm_up."""
    from joblib import effective_n_jobs

    from experiments import warm_workers

    calls = []
    monkeypatch.setattr(warm_workers, "start_server", calls.append)
    warm_workers.start_early(argv)
    if started == "per core":
        started = [effective_n_jobs(-1)] if effective_n_jobs(-1) > 1 else []
    assert calls == started


def test_warm_up_keeps_an_early_server_that_fits_and_replaces_or_stops_one_that_does_not(
    tmp_path, monkeypatch
):
    """The composed config has the last word on a server started early: kept when its workers'
    thread limits are those the sweep needs, restarted when they are not, stopped when the
    sweep will not fork its workers."""
    from multiprocessing import forkserver

    import psutil
    from hydra import compose, initialize_config_dir

    from experiments import warm_workers
    from experiments.config import CONFIG_DIR, register_configs

    def config(n_jobs):
        register_configs()
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
            overrides = ["experiment=smoke", f"hydra.launcher.n_jobs={n_jobs}"]
            return compose("config", overrides=overrides, return_hydra_config=True)

    def server():
        return forkserver._forkserver._forkserver_pid

    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    try:
        warm_workers.start_early(["-m", "experiment=smoke", "hydra.launcher.n_jobs=2"])
        early = server()
        assert early is not None and psutil.pid_exists(early)
        warm_workers.warm_up(config(2))
        assert server() == early  # the same limits: kept
        monkeypatch.setenv("OMP_NUM_THREADS", "3")  # loky passes a limit already set
        warm_workers.warm_up(config(2))
        again = server()
        assert again not in (None, early) and not psutil.pid_exists(early)
        warm_workers.warm_up(config(1))  # jobs in this process: no server
        assert server() is None and not psutil.pid_exists(again)
        warm_workers.start_early(["-m", "experiment=smoke", "hydra.launcher.n_jobs=2"])
        early = server()
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
            other = compose("config", ["experiment=smoke", "hydra/launcher=basic"], True)
        warm_workers.warm_up(other)  # an experiment file may choose another launcher
        assert early is not None and server() is None and not psutil.pid_exists(early)
    finally:
        warm_workers.stop_server(kill=True)


def test_a_server_that_failed_to_start_is_started_again(monkeypatch):
    """A failed start (early, and silent) must not be taken for a running server: the next
    start tries again, so the workers are forked from a server with the sweep's limits."""
    from multiprocessing import forkserver

    from experiments import warm_workers

    real = forkserver.ensure_running

    def fails():
        raise OSError("no server today")

    monkeypatch.setattr(forkserver, "ensure_running", fails)
    warm_workers.start_early(["-m", "experiment=smoke", "hydra.launcher.n_jobs=2"])
    assert not warm_workers._started
    monkeypatch.setattr(forkserver, "ensure_running", real)
    try:
        assert warm_workers._start_or_say(2)
        assert warm_workers._started and forkserver._forkserver._forkserver_pid is not None
    finally:
        warm_workers.stop_server(kill=True)


def test_a_command_that_ends_before_its_sweep_stops_the_early_server(monkeypatch):
    """``reform-sim -m ... --help``, or a config that does not compose, ends before any callback
    runs: the server started early for it must not outlive the command (orphaned, it would
    finish its imports on a core of its own and its CPU time would be counted nowhere)."""
    import psutil

    from experiments import app, warm_workers

    started = []

    def ends_early():
        from multiprocessing import forkserver

        started.append(forkserver._forkserver._forkserver_pid)
        raise SystemExit(0)  # as Hydra does after printing its help

    monkeypatch.setattr(app, "_main", ends_early)
    argv = ["reform-sim", "-m", "experiment=smoke", "hydra.launcher.n_jobs=2", "--help"]
    monkeypatch.setattr("sys.argv", argv)
    try:
        with pytest.raises(SystemExit):
            app.main()
        [server] = started
        assert server is not None and not psutil.pid_exists(server)
        assert not warm_workers._started
    finally:
        warm_workers.stop_server(kill=True)


def test_the_sweep_callback_starts_the_fork_server_and_stops_it(tmp_path, monkeypatch):
    """The plan check's callback starts the workers' server as the check starts and stops and
    reaps it when the sweep ends (left running, its workers' CPU time would never be counted);
    a refused plan kills it at once."""
    from multiprocessing import forkserver

    import psutil
    from hydra import initialize_config_dir

    from experiments import callbacks, warm_workers
    from experiments.config import CONFIG_DIR

    callback = callbacks.SweepCallback()
    cfg = _multirun_config(tmp_path / "ok", "experiment=smoke")
    try:
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
            callback.on_multirun_start(cfg)
        server = forkserver._forkserver._forkserver_pid
        assert server is not None and psutil.pid_exists(server)
        with pytest.raises(SystemExit):  # no job ran: the sweep is reported unfinished
            callback.on_multirun_end(cfg)
        assert forkserver._forkserver._forkserver_pid is None and not psutil.pid_exists(server)
        assert (tmp_path / "ok" / "sweep.json").exists()

        stops = []

        def stop(kill=False):
            stops.append((kill, forkserver._forkserver._forkserver_pid))
            warm_workers.stop_server(kill=kill)

        monkeypatch.setattr(callbacks, "stop_server", stop)
        bad = _multirun_config(tmp_path / "bad", "experiment=smoke", "scenario.shock.week=0")
        with (
            initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"),
            pytest.raises(SystemExit) as refused,
        ):
            callback.on_multirun_start(bad)
        assert refused.value.code == 2
        [(killed, started)] = stops
        assert killed and started is not None and not psutil.pid_exists(started)
        assert forkserver._forkserver._forkserver_pid is None
    finally:
        warm_workers.stop_server(kill=True)


def _worker_record(seconds: float) -> dict:
    """Who a worker is, who started it, its thread limit, and its CPU time after some work."""
    start = time.process_time()
    while time.process_time() - start < seconds:
        pass
    return {
        "pid": os.getpid(),
        "parent": os.getppid(),
        "omp": os.environ.get("OMP_NUM_THREADS"),
        "cpu": time.process_time(),
    }


@pytest.mark.parametrize("released", [False, True], ids=["stopped", "released-then-stopped"])
def test_forked_workers_come_from_the_server_and_are_reaped_with_their_cpu_time(
    monkeypatch, released
):
    """The local launcher's workers are forked from a server started before them, not started
    by loky; they get the thread limit loky gives its own; and once the sweep ends they and the
    server are gone, their CPU time counted among this process's children (the benchmarks'
    CPU figures read it there: a server left unreaped would hide every job's CPU time), also
    when the workers were released to exit while the results were aggregated."""
    import resource
    from multiprocessing import forkserver

    import psutil
    from joblib import Parallel, cpu_count, delayed

    from experiments import warm_workers

    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)  # else the workers inherit it anyway
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        with warm_workers.started_by("forkserver", 2):
            server = forkserver._forkserver._forkserver_pid
            work = (delayed(_worker_record)(0.2) for _ in "ab")
            records = Parallel(n_jobs=2, backend="loky")(work)
        assert "OMP_NUM_THREADS" not in os.environ  # the limit went to the server only
        if released:  # the workers exit of themselves, the server waiting for stop_server
            warm_workers.release_workers()
            workers = [psutil.Process(r["pid"]) for r in records]
            _, alive = psutil.wait_procs(workers, timeout=30)
            assert alive == [] and psutil.pid_exists(server)
    finally:
        warm_workers.stop_server()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert server is not None and server != os.getpid()
    assert {r["parent"] for r in records} == {server}
    assert {r["omp"] for r in records} == {str(max(cpu_count() // 2, 1))}
    assert forkserver._forkserver._forkserver_pid is None
    assert not any(psutil.pid_exists(pid) for pid in [server, *(r["pid"] for r in records)])
    reaped = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert reaped >= sum(r["cpu"] for r in records) > 0.4


# packages whose modules a worker must not import after the fork server has imported PRELOAD
HEAVY = {"analysis", "experiments", "hydra", "hydra_plugins", "mesa", "networkx", "numpy"}
HEAVY |= {"omegaconf", "pyarrow", "scipy", "sim", "statsmodels"}


def test_a_job_in_a_forked_worker_imports_nothing_heavy_the_server_did_not(tmp_path):
    """The fork server imports the modules a job needs once, for every worker: a job run after
    importing only those must not import more from a heavy package (each worker would pay for
    it before its first job ends; scipy.stats alone is 0.3 s)."""
    script = f"""
import json, sys
from experiments.warm_workers import PRELOAD
for name in PRELOAD:
    __import__(name)
from experiments.config import compose_run_config
cfg = compose_run_config(["experiment=smoke", "record_timeseries=true"])
before = set(sys.modules)
from experiments.runner import run_point
run_point(cfg, __import__("pathlib").Path({str(tmp_path)!r}))
print(json.dumps(sorted(set(sys.modules) - before)))
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "outcomes.parquet").exists()
    new = json.loads(proc.stdout.splitlines()[-1])
    assert [m for m in new if m.split(".")[0] in HEAVY] == []


def test_a_forked_workers_first_job_arguments_import_nothing_heavy_nor_scan_plugins(tmp_path):
    """A launch's shared arguments (Hydra's context, with the sweep's callback and config
    loader, the config, the task, Hydra's singleton state), made as the parent makes them and
    unpickled where only the server's modules are imported, must not import more from a heavy
    package, and setting Hydra's state must keep the plugins the server scanned (a worker's
    first job paid 0.15 s for both). What the server imported must be frozen, all of it (a
    preload after the freeze would leave its objects to every collection in every worker)."""
    payload = tmp_path / "shared.pkl"
    parent = f"""
import pickle
from hydra import compose, initialize_config_dir
from hydra._internal.callbacks import Callbacks
from hydra.core.global_hydra import GlobalHydra
from hydra.core.singleton import Singleton
from hydra.types import HydraContext
import experiments.app
from experiments.callbacks import CheckedConfigLoader
from experiments.config import CONFIG_DIR, register_configs
from experiments.job_payload import SharedArgs
register_configs()
with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
    cfg = compose("config", ["experiment=smoke"], return_hydra_config=True)
    loader = CheckedConfigLoader(GlobalHydra.instance().config_loader())
    context = HydraContext(config_loader=loader, callbacks=Callbacks(cfg))
    shared = SharedArgs(context, cfg, experiments.app._main.__wrapped__, Singleton.get_state())
    open({str(payload)!r}, "wb").write(pickle.dumps(shared))
"""
    worker = f"""
import gc, json, pickle, sys
from experiments.warm_workers import PRELOAD
for name in PRELOAD:
    __import__(name)
unfrozen = len(gc.get_objects())  # the server's imports, frozen, are not among them
assert gc.get_freeze_count() > 50_000 and unfrozen < 5_000, (gc.get_freeze_count(), unfrozen)
from hydra.core.plugins import Plugins
from hydra.core.singleton import Singleton
scanned = Singleton._instances.get(Plugins)
assert scanned is not None, "the server did not scan Hydra's plugins"
before = set(sys.modules)
from experiments.job_payload import set_state
shared = pickle.loads(open({str(payload)!r}, "rb").read())
set_state(shared.objects[3])
assert Plugins.instance() is scanned, "plugins scanned again"
print(json.dumps(sorted(set(sys.modules) - before)))
"""
    for script in (parent, worker):
        proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
    new = json.loads(proc.stdout.splitlines()[-1])
    assert [m for m in new if m.split(".")[0] in HEAVY] == []


def test_the_sweeps_parent_checks_the_plan_without_importing_the_model():
    """The parent of a sweep composes and checks every job but runs none: it must not import
    Mesa or the model (0.5 s before the plan check, on every sweep's critical path); the
    workers, forked from a server that imports them, do."""
    script = """
import json, sys
import experiments.app, experiments.callbacks, hydra_plugins.reform_sim.composed_launcher
from hydra import compose, initialize_config_dir
from experiments.callbacks import check_plan, planned_jobs
from experiments.config import CONFIG_DIR, register_configs
register_configs()
with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
    master = compose("config", ["experiment=strategy_comparison"], return_hydra_config=True)
    jobs = planned_jobs(master)
    check_plan(master, jobs)
print(json.dumps([len(jobs), sorted(m for m in sys.modules if m.split(".")[0] in
    ("mesa", "networkx") or m in ("sim.model", "experiments.runner"))]))
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    n_jobs, model_modules = json.loads(proc.stdout.splitlines()[-1])
    assert n_jobs == 30
    assert model_modules == []


def test_ray_on_a_local_instance(tmp_path, smoke_basic):
    proc = sweep(
        tmp_path, "experiment=smoke", "hydra/launcher=ray", "+hydra.launcher.ray.init.num_cpus=2"
    )
    assert proc.returncode == 0, proc.stderr
    assert outcomes(tmp_path).equals(outcomes(smoke_basic))


def test_rerun_skips_finished_jobs(tmp_path):
    args = ("experiment=smoke", "hydra/launcher=basic", "strategy=case_focus")
    assert sweep(tmp_path, *args).returncode == 0
    first = outcomes(tmp_path)
    again = sweep(tmp_path, *args)
    assert again.returncode == 0
    assert again.stdout.count("finished earlier, skipped") == 2
    assert outcomes(tmp_path).equals(first)


def test_resume_after_sigkill_gives_the_uninterrupted_results(tmp_path):
    args = (
        "experiment=smoke",
        "hydra/launcher=basic",
        "replications=12",
        "checkpoint_every=2",
        "steps=40",
        "scenario.groups.n_groups=1000",
    )
    whole = tmp_path / "whole"
    assert sweep(whole, *args).returncode == 0
    cut = tmp_path / "cut"
    cmd = [sys.executable, "-m", "experiments", "-m", f"hydra.sweep.dir={cut}", *args]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.time() + 120
    while time.time() < deadline:  # kill once a job has finished and another is mid-way
        finished = list(cut.glob("*/metadata.json"))  # written last: the job is finished
        partial = list(cut.glob("*/.partial-*/outcomes-*.parquet"))
        if finished and partial:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert finished and partial, "the sweep was not caught mid-way"
    assert not (cut / "outcomes.parquet").exists()
    resumed = sweep(cut, *args)
    assert resumed.returncode == 0, resumed.stderr
    assert "finished earlier, skipped" in resumed.stdout
    assert outcomes(cut).equals(outcomes(whole))


def faulty_sweep(sweep_dir, file, job, mode, *overrides):
    """A sweep whose writes of ``file`` in job folders matching ``job`` fail
    (tests/faulty_writes.py)."""
    script = Path(__file__).parent / "faulty_writes.py"
    cmd = [sys.executable, str(script), file, job, mode]
    cmd += ["-m", f"hydra.sweep.dir={sweep_dir}", *overrides]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def test_a_failed_job_is_recorded_and_the_rest_aggregated(tmp_path):
    proc = faulty_sweep(
        tmp_path,
        "outcomes.parquet",
        "replications=4",
        "bug",  # the jobs of 4 replications fail as they run
        "experiment=smoke",
        "hydra/launcher=basic",
        "strategy=case_focus",
        "replications=3,4",
    )
    assert proc.returncode != 0
    assert "2 of 4 jobs did not finish" in proc.stderr
    m = manifest(tmp_path)
    assert m["jobs_finished"] == 2 and m["jobs_failed"] == 2
    failed = [j for j in m["jobs"] if j["status"] == "failed"]
    assert len(failed) == 2 and all("RuntimeError: injected fault" in j["error"] for j in failed)
    assert all("replications=4" in j["job"] for j in failed)
    df = outcomes(tmp_path)
    assert len(df) == 2 * 3 and set(df["replication"]) == {0, 1, 2}


def test_unknown_experiment_is_refused(tmp_path):
    proc = sweep(tmp_path, "experiment=everything")
    assert proc.returncode != 0
    assert "Could not find 'experiment/everything'" in proc.stderr
    assert "strategy_comparison" in proc.stderr  # the allowed options are listed


def aggregate_cli(*args):
    cmd = [sys.executable, "-m", "experiments.aggregate", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_aggregate_by_hand_matches_the_callback(tmp_path, smoke_basic):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(smoke_basic, copy)
    (copy / "outcomes.parquet").unlink()
    proc = aggregate_cli(copy)
    assert proc.returncode == 0, proc.stderr
    assert outcomes(copy).equals(outcomes(smoke_basic))


@pytest.mark.parametrize("case", ["missing", "file", "empty", "no_results", "malformed"])
def test_aggregate_bad_folders_get_one_clear_message(tmp_path, case):
    target = tmp_path / "sweep"
    if case == "file":
        target.write_text("not a folder")
    elif case == "empty":
        target.mkdir()
    elif case == "no_results":
        (target / "notes").mkdir(parents=True)
    elif case == "malformed":
        job = target / "job"
        (job / ".hydra").mkdir(parents=True)
        pd.DataFrame({"x": [1]}).to_parquet(job / "outcomes.parquet")  # not our columns
        (job / "metadata.json").write_text('{"runs": 1}')
    proc = aggregate_cli(target)
    assert proc.returncode == 2
    assert proc.stderr.startswith("reform-sim-aggregate: error:")
    assert "Traceback" not in proc.stderr
    assert str(target) in proc.stderr


def test_a_kill_before_the_metadata_never_passes_old_or_new_outcomes_as_finished(
    tmp_path, monkeypatch
):
    from experiments import runner
    from experiments.aggregate import job_record
    from experiments.config import config_hash
    from experiments.results import ERROR

    job = tmp_path / "job"
    old = config("steps=3", "replications=2", "scenario=baseline_1987_hand")
    runner.run_point(old, job)
    assert runner.finished(job, config_hash(old), old)
    new = config("steps=4", "replications=2", "scenario=baseline_1987_hand")

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the process dies before the metadata is written

    monkeypatch.setattr(runner, "write_metadata", killed)
    with pytest.raises(KeyboardInterrupt):
        runner.run_point(new, job)
    assert not runner.finished(job, config_hash(new), new)  # new outcomes, no metadata yet
    assert not runner.finished(job, config_hash(old), old)  # the old job's results moved aside
    aside = list((job / ".stale").glob("*/outcomes.parquet"))
    assert len(aside) == 1 and pd.read_parquet(aside[0])["replication"].tolist() == [0, 1]
    monkeypatch.undo()
    result = runner.run_point(new, job)
    assert not result.skipped and runner.finished(job, config_hash(new), new)
    (job / ERROR).write_text('{"type": "ParameterError", "message": "bad value"}')
    assert job_record(job)["status"] == "failed"  # a later failure is not hidden by outcomes


def test_an_ad_hoc_sweep_of_seeds_gets_its_own_folders_plan_and_progress(tmp_path):
    """No experiment=: the callback still plans, reports progress and records the root seed;
    and seed, a key that changes results, names the job folder like any swept key."""
    proc = sweep(tmp_path, "strategy=case_focus", "seed=11,12", "replications=2", "steps=3")
    assert proc.returncode == 0, proc.stderr
    assert "Input cfg is not an OmegaConf" not in proc.stderr
    assert "2 jobs into" in proc.stdout and "2/2 jobs done" in proc.stdout
    m = manifest(tmp_path)
    assert m["jobs_planned"] == m["jobs_finished"] == 2 and m["unfinished"] == []
    folders = sorted(j["job"] for j in m["jobs"])
    assert len(set(folders)) == 2 and all("seed=1" in f for f in folders)
    assert m["root_seed"] == [11, 12]
    assert sorted(j["root_seed"] for j in m["jobs"]) == [11, 12]
    df = outcomes(tmp_path)
    assert df["seed"].nunique() == 4  # two root seeds, two replications each


def test_resume_recomputes_a_finished_job_whose_outcomes_are_damaged(tmp_path):
    """Resume reads a finished job's outcomes back, not only their names: a truncated file,
    or one with rows missing, is moved aside and the job recomputed to the same results."""
    from experiments import runner
    from experiments.config import config_hash

    cfg = config("steps=3", "replications=3", "scenario=baseline_1987_hand")
    digest = config_hash(cfg)
    job = tmp_path / "job"
    first = runner.run_point(cfg, job).outcomes
    assert runner.finished(job, digest, cfg)
    assert not runner.finished(
        job, digest, replace(cfg, replications=4)
    )  # the plan asks for more runs than were made
    path = job / "outcomes.parquet"
    for damage in (
        lambda: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2]),
        lambda: first.iloc[:2].to_parquet(path),  # readable, one run short
    ):
        damage()
        assert not runner.finished(job, digest, cfg)
        again = runner.run_point(cfg, job)
        assert not again.skipped
        pd.testing.assert_frame_equal(again.outcomes, first)
        assert runner.finished(job, digest, cfg)
    assert len(list((job / ".stale").glob("*/outcomes.parquet"))) == 2  # both damaged files kept


def test_damaged_and_foreign_job_folders_are_named_and_never_aggregated(tmp_path, smoke_basic):
    """A job whose outcomes lost rows, one whose outcomes are unreadable, and a folder left by
    another plan: each gets its own status, none enters the outcomes, and the exit says so."""
    import shutil

    target = tmp_path / "sweep"
    shutil.copytree(smoke_basic, target)
    jobs = sorted(p for p in target.iterdir() if (p / "metadata.json").exists())
    short, broken = jobs[0], jobs[1]
    pd.read_parquet(short / "outcomes.parquet").iloc[:1].to_parquet(short / "outcomes.parquet")
    (broken / "outcomes.parquet").write_bytes(b"PAR1 not parquet")
    foreign = target / "strategy=balanced"
    shutil.copytree(jobs[2], foreign)
    (foreign / ".hydra" / "overrides.yaml").write_text("- strategy=balanced\n")
    proc = aggregate_cli(target)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    m = manifest(target)
    status = {j["job"]: j["status"] for j in m["jobs"]}
    assert status[short.name] == status[broken.name] == "damaged"
    assert status[foreign.name] == "foreign"
    assert m["jobs_finished"] == 2 and len(m["unfinished"]) == 2
    assert f"damaged: {short.name}" in proc.stdout and f"foreign: {foreign.name}" in proc.stdout
    kept = set(outcomes(target)["job"])
    assert kept == {j.name for j in jobs[2:]}  # neither the damaged nor the foreign job


class Killed(BaseException):
    """The process dies here: no cleanup of ours runs (a BaseException, as SIGKILL is final)."""


def _sweep_in_process(root, kill_at=None, torn=False):
    """Two jobs run by the runner and aggregated, as a sweep does; the write numbered
    ``kill_at`` (counting every file write of jobs and aggregation) is where the process dies:
    before it starts, or (``torn``) with half a temporary file left on disk."""
    from experiments import aggregate as agg
    from experiments import results, runner

    real = results.atomic_write
    count = [0]

    def dying(path, write):
        count[0] += 1
        if count[0] == kill_at:
            if torn:
                tmp = path.parent / f".{path.name}.999.dead.tmp"
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp.write_bytes(b"PAR1 half a file")
            raise Killed
        real(path, write)

    base = ("steps=3", "replications=4", "checkpoint_every=2", "record_timeseries=true")
    base += ("scenario=baseline_1987_hand", "scenario.groups.n_groups=60")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(results, "atomic_write", dying)  # every writer, the aggregation's too
        for strategy in ("institutionalization", "case_focus"):
            runner.run_point(config(*base, f"strategy={strategy}"), root / strategy)
        agg.aggregate(root)
    return count[0]


def test_a_kill_at_every_file_write_then_resume_gives_the_uninterrupted_results(tmp_path):
    """Fault injection at every write of a sweep (checkpoints, series, config, outcomes,
    metadata, and the aggregation's three files), each both before the write and with a torn
    temporary file left behind: the resumed sweep's outcomes and series equal the
    uninterrupted sweep's, and every job reads as finished."""
    whole = tmp_path / "whole"
    writes = _sweep_in_process(whole)
    assert writes == 2 * 8 + 3  # per job: 2 checkpoints of 2 files, series, config, outcomes, meta
    want_o = pd.read_parquet(whole / "outcomes.parquet")
    want_s = pd.read_parquet(whole / "timeseries.parquet")
    for torn in (False, True):  # 2 x 19 kill points
        for k in range(1, writes + 1):
            d = tmp_path / f"kill-{k}-{torn}"
            with pytest.raises(Killed):
                _sweep_in_process(d, kill_at=k, torn=torn)
            _sweep_in_process(d)  # the same command again: resume
            pd.testing.assert_frame_equal(pd.read_parquet(d / "outcomes.parquet"), want_o)
            pd.testing.assert_frame_equal(pd.read_parquet(d / "timeseries.parquet"), want_s)
            m = manifest(d)
            assert m["jobs_finished"] == 2 and m["unfinished"] == [], (k, torn)


def test_jobs_not_rechecked_by_the_current_launch_are_stale_until_it_checks_them(
    tmp_path, smoke_basic
):
    """A relaunch that is killed before it reaches some jobs leaves them with results of an
    earlier launch (perhaps of other code or config): aggregation by hand must not pass them
    as this launch's. Rerunning the launch checks them (skipped if unchanged) and they count."""
    import shutil

    target = tmp_path / "sweep"
    shutil.copytree(smoke_basic, target)
    plan = json.loads((target / ".sweep_plan.json").read_text())
    plan["id"] = "a-new-launch"  # what the killed relaunch wrote before its jobs ran
    (target / ".sweep_plan.json").write_text(json.dumps(plan))
    proc = aggregate_cli(target)
    assert proc.returncode == 1
    m = manifest(target)
    assert m["jobs_stale"] == 4 and m["jobs_finished"] == 0
    assert not (target / "outcomes.parquet").exists()  # nothing unchecked is aggregated
    proc = sweep(target, "experiment=smoke", "hydra/launcher=basic")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("finished earlier, skipped") == 4
    m = manifest(target)
    assert m["jobs_finished"] == 4 and m["jobs_stale"] == 0


def test_run_points_ignores_folders_an_earlier_call_left_in_the_same_place(tmp_path):
    from experiments.api import load_params, run_points

    small = {"scenario.groups.n_groups": 100}
    first = [load_params("baseline_1987_hand", s, small, steps=5) for s in ("case_focus",)]
    run_points(
        [first[0], load_params("baseline_1987_hand", "balanced", small, steps=5)],
        replications=2,
        out=tmp_path,
    )
    again = [
        load_params("baseline_1987_hand", s, small, steps=5) for s in ("no_pressure", "case_focus")
    ]
    run_points(again, replications=2, out=tmp_path)
    m = manifest(tmp_path)
    status = {j["job"]: j["status"] for j in m["jobs"]}
    assert status["strategy=balanced"] == "foreign"
    assert set(pd.read_parquet(tmp_path / "outcomes.parquet")["strategy"]) == {
        "no_pressure",
        "case_focus",
    }


def test_a_checkpoint_damaged_on_disk_is_set_aside_and_its_runs_redone(tmp_path, monkeypatch):
    from experiments import runner

    cfg = config("steps=3", "replications=4", "checkpoint_every=2", "scenario=baseline_1987_hand")
    whole = runner.run_point(cfg, tmp_path / "whole").outcomes
    job = tmp_path / "job"

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # dies before the final files: the checkpoints stay

    monkeypatch.setattr(runner, "write_metadata", killed)
    with pytest.raises(KeyboardInterrupt):
        runner.run_point(cfg, job)
    monkeypatch.undo()
    (checkpoint,) = [p for p in job.glob(".partial-*/outcomes-000000000.parquet")]
    checkpoint.write_bytes(b"PAR1 damaged")
    again = runner.run_point(cfg, job)
    pd.testing.assert_frame_equal(again.outcomes, whole)
    assert list((job / ".stale").glob("*/.partial-*/outcomes-000000000.parquet"))


TINY = ("hydra/launcher=basic", "scenario=baseline_1987_hand", "steps=4", "replications=1")
TINY += ("scenario.groups.n_groups=60",)


def refused_points(stderr):
    """The points a refused plan names: one indented ``point: rule`` line each."""
    lines = [line.strip() for line in stderr.splitlines() if line.startswith("  ")]
    return dict(line.split(": ", 1) for line in lines)


@pytest.mark.parametrize(
    ("args", "bad", "rule", "existing"),
    [
        (  # all three shares set: two of the swept values break the sum
            (
                *TINY,
                "strategy=case_focus",
                "strategy.share_institutions=0.1,0.45,0.8",
                "strategy.share_cases=0.2",
                "strategy.share_cooperation=0.0",
            ),
            {"strategy.share_institutions=0.1", "strategy.share_institutions=0.45"},
            "the attention shares must sum to 1",
            False,
        ),
        (  # the experiment file's sweep: cases would take a negative remainder
            ("hydra/launcher=basic", "experiment=smoke", "strategy.share_cooperation=0.35"),
            {
                "scenario=baseline_1987,strategy=institutionalization",
                "scenario=hardline_surge,strategy=institutionalization",
            },
            "strategy.share_cases = -0.05: out of range",
            True,
        ),
        (  # a rule of one field the schema's range cannot say: weeks count from 1
            (*TINY, "scenario.shock.week=-1,0,5"),
            {"scenario.shock.week=0"},
            "scenario.shock.week = 0: weeks are counted from 1",
            True,
        ),
    ],
    ids=["shares-sum", "experiment-sweep", "shock-week"],
)
def test_a_sweep_with_invalid_points_is_refused_whole_naming_each(
    tmp_path, args, bad, rule, existing
):
    """Rules between parameters are checked for every point before any job starts: exit 2,
    one message naming exactly the bad points, and nothing written to the sweep folder."""
    target = tmp_path / "sweep"
    if existing:  # an earlier sweep's folder: left exactly as it was
        target.mkdir()
        (target / "notes.txt").write_text("mine")
    proc = sweep(target, *args)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "reform-sim: invalid configuration:" in proc.stderr
    assert "so no job was started" in proc.stderr
    named = refused_points(proc.stderr)
    assert set(named) == bad, proc.stderr
    assert all(rule in why for why in named.values()), proc.stderr
    assert "Traceback" not in proc.stderr and "Launching" not in proc.stdout + proc.stderr
    if existing:
        assert [p.name for p in target.iterdir()] == ["notes.txt"]
    else:
        assert not target.exists()


def test_a_sweep_whose_points_are_all_valid_still_launches(tmp_path):
    """The pre-launch check builds each point as its job does: a share set alone gives its
    remainder to cases (0.8, and 0 at the edge), so neither point is refused."""
    proc = sweep(tmp_path, *TINY, "strategy=balanced", "strategy.share_institutions=0.1,0.9")
    assert proc.returncode == 0, proc.stderr
    m = manifest(tmp_path)
    assert m["jobs_planned"] == m["jobs_finished"] == 2
    assert sorted(outcomes(tmp_path)["strategy.share_institutions"]) == [0.1, 0.9]


DISK = ("hydra/launcher=basic", "strategy=case_focus,institutionalization", "replications=4")
DISK += ("scenario=baseline_1987_hand", "steps=4", "checkpoint_every=2")
DISK += ("scenario.groups.n_groups=60",)


@pytest.fixture(scope="module")
def disk_reference(tmp_path_factory):
    """The disk-full sweep run with space to spare."""
    d = tmp_path_factory.mktemp("roomy")
    proc = sweep(d, *DISK)
    assert proc.returncode == 0, proc.stderr
    return outcomes(d)


@pytest.mark.parametrize(
    ("file", "mode"),
    [
        ("outcomes-000000002.parquet", "once"),  # the second checkpoint of the job
        ("metadata.json", "once"),  # its last write: outcomes written, not yet finished
        ("outcomes-000000000.parquet", "stays"),  # and no write succeeds after that
    ],
)
def test_a_full_disk_is_a_named_status_and_a_rerun_resumes_to_the_same_results(
    tmp_path, disk_reference, file, mode
):
    """A write of the case_focus job fails with ENOSPC (half a temporary file on disk): the
    job is named disk_full (or, when not even its error record can be written, the sweep says
    the disk is full), the exit is non-zero, no half or unfinished file passes as a result,
    and rerunning once there is space gives the results of an uninterrupted sweep."""
    proc = faulty_sweep(tmp_path, file, "strategy=case_focus", mode, *DISK)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    job = next(p for p in tmp_path.iterdir() if p.name.endswith("strategy=case_focus"))
    assert f"job {job.name} failed: disk full: [Errno 28]" in proc.stderr
    assert not list(tmp_path.rglob("*.tmp"))  # the half-written temporary file is gone
    if mode == "once":
        m = manifest(tmp_path)
        status = {j["job"]: j["status"] for j in m["jobs"]}
        assert status[job.name] == "disk_full" and m["jobs_disk_full"] == 1
        assert m["jobs_finished"] == 1 and len(m["unfinished"]) == 1
        assert set(outcomes(tmp_path)["strategy"]) == {"institutionalization"}
    else:
        assert "reform-sim: disk full: the sweep's results could not be written" in proc.stderr
        assert not (tmp_path / "sweep.json").exists()
        assert not (tmp_path / "outcomes.parquet").exists()
    if file.startswith("outcomes-"):
        assert not (job / "outcomes.parquet").exists()
    if file == "outcomes-000000002.parquet":  # the first checkpoint survives, to resume from
        assert list(job.glob(".partial-*/outcomes-000000000.parquet"))
    again = sweep(tmp_path, *DISK)
    assert again.returncode == 0, again.stderr
    pd.testing.assert_frame_equal(outcomes(tmp_path), disk_reference)
    m = manifest(tmp_path)
    assert m["jobs_finished"] == 2 and m["jobs_disk_full"] == 0


def test_an_unreadable_error_record_marks_its_job_failed_and_keeps_the_others(tmp_path):
    """A job's error.json cut short (a disk that filled mid-write on an old version, a hand
    edit) must not cost the sweep its aggregation: that job reads as failed, the others'
    outcomes are kept."""
    from experiments import aggregate as agg
    from experiments import runner
    from experiments.results import ERROR

    base = ("steps=3", "replications=2", "scenario=baseline_1987_hand")
    for strategy in ("institutionalization", "case_focus"):
        runner.run_point(config(*base, f"strategy={strategy}"), tmp_path / strategy)
    for record in ('{"type": "ParameterError", "mess', "[]"):  # cut short; not an object
        (tmp_path / "case_focus" / ERROR).write_text(record)
        m = agg.aggregate(tmp_path)
        status = {j["job"]: (j["status"], j.get("error", "")) for j in m["jobs"]}
        assert status["institutionalization"] == ("finished", "")
        assert status["case_focus"][0] == "failed" and "unreadable" in status["case_focus"][1]
        assert outcomes(tmp_path)["strategy"].unique().tolist() == ["institutionalization"]


def test_series_of_jobs_with_different_columns_aggregate_as_pandas_would_concatenate_them(
    tmp_path,
):
    """A job on the hand-set scenario has no posterior_draw column: the streamed series file
    holds every column in order of first appearance, empty where a job lacks it (as
    pandas.concat gives), instead of failing the aggregation."""
    from experiments import aggregate as agg
    from experiments import runner

    base = ("steps=3", "replications=2", "record_timeseries=true")
    for scenario in ("baseline_1987", "baseline_1987_hand"):
        runner.run_point(config(*base, f"scenario={scenario}"), tmp_path / scenario)
    m = agg.aggregate(tmp_path)
    assert m["jobs_finished"] == 2
    for name, hand_rows in (("timeseries.parquet", 8), ("outcomes.parquet", 2)):
        got = pd.read_parquet(tmp_path / name)
        parts = []
        for scenario in ("baseline_1987", "baseline_1987_hand"):
            part = pd.read_parquet(tmp_path / scenario / name)
            part.insert(0, "job", scenario)
            parts.append(part)
        want = pd.concat(parts, ignore_index=True)
        assert list(got.columns) == list(want.columns)
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
        hand = got[got["job"] == "baseline_1987_hand"]
        assert len(hand) == hand_rows and hand["posterior_draw"].isna().all()


def test_concatenation_writes_few_large_row_groups_and_the_rows_unchanged(tmp_path):
    """A row group per checkpoint made the writer's footer, and so aggregation's memory, grow
    with the runs (516 MB at 100,000 runs): the parts' rows are gathered into groups of at
    least row_group_rows, in order, unchanged."""
    from experiments.results import concat_parquet, row_group_rows

    rng = np.random.default_rng(3)
    files, frames = [], []
    for i in range(40):  # 40 checkpoints of 1,000 rows, as a job's parts are written
        df = pd.DataFrame({"x": rng.normal(size=1_000), "k": rng.integers(0, 9, 1_000)})
        files.append(tmp_path / f"p{i:02d}" / "part.parquet")
        files[-1].parent.mkdir()
        df.to_parquet(files[-1], index=False)
        frames.append(df.assign(job=f"p{i:02d}")[["job", "x", "k"]])
    out = tmp_path / "all.parquet"
    assert concat_parquet(files, out, label="job") == 40_000
    pd.testing.assert_frame_equal(pd.read_parquet(out), pd.concat(frames, ignore_index=True))
    meta = pq.ParquetFile(out).metadata
    sizes = [meta.row_group(g).num_rows for g in range(meta.num_row_groups)]
    assert 1 < len(sizes) <= 40_000 // row_group_rows(40_000) + 1, sizes
    assert min(sizes[:-1]) >= row_group_rows(40_000), sizes


@pytest.mark.parametrize("damaged", ["outcomes.parquet", "timeseries.parquet"])
def test_a_job_whose_data_is_damaged_is_named_and_left_out_of_both_files(tmp_path, damaged):
    """A job whose file's footer reads but whose data does not (a disk fault) is found only
    while the files are streamed: it becomes ``damaged``, and the outcomes and the series are
    both written without it, even over an earlier aggregate that held it (never one file with
    a job the other lacks)."""
    from experiments import aggregate as agg
    from experiments import runner

    base = ("steps=3", "replications=2", "scenario=baseline_1987_hand", "record_timeseries=true")
    for strategy in ("institutionalization", "case_focus"):
        runner.run_point(config(*base, f"strategy={strategy}"), tmp_path / strategy)
    assert agg.aggregate(tmp_path)["jobs_finished"] == 2  # the earlier aggregate, both jobs
    part = tmp_path / "case_focus" / damaged
    data = bytearray(part.read_bytes())
    data[4:40] = b"\xff" * 36  # the first page header, after the magic bytes
    part.write_bytes(bytes(data))
    proc = aggregate_cli(tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # a job did not finish
    assert "damaged: case_focus" in proc.stdout and f"{part}: not a readable" in proc.stdout
    m = manifest(tmp_path)
    status = {j["job"]: j["status"] for j in m["jobs"]}
    assert status == {"institutionalization": "finished", "case_focus": "damaged"}
    assert m["runs"] == 2 and m["jobs_damaged"] == 1
    for name in ("outcomes.parquet", "timeseries.parquet"):
        assert set(pd.read_parquet(tmp_path / name)["job"]) == {"institutionalization"}, name
    assert not list(tmp_path.glob(".*.tmp")) and not list(tmp_path.glob(".*.new"))
    again = runner.run_point(config(*base, "strategy=case_focus"), tmp_path / "case_focus")
    assert not again.skipped  # set aside, so the rerun recomputes it
    assert agg.aggregate(tmp_path)["jobs_finished"] == 2


def test_parts_whose_columns_are_typed_otherwise_are_named(tmp_path):
    """An int column among floats is promoted, as pandas.concat would; a column that is text
    in one part and numbers in the others cannot be: the parts that disagree are named (not
    marked damaged: the files are whole, the sweep is inconsistent)."""
    from experiments.results import PartsDisagreeError, concat_parquet

    files = []
    for i, v in enumerate([1, 1.5, "x"]):
        files.append(tmp_path / f"j{i}" / "part.parquet")
        files[-1].parent.mkdir()
        pd.DataFrame({"v": [v, v]}).to_parquet(files[-1], index=False)
    assert concat_parquet(files[:2], tmp_path / "two.parquet") == 4
    assert pd.read_parquet(tmp_path / "two.parquet")["v"].tolist() == [1.0, 1.0, 1.5, 1.5]
    # the first part, and the first that disagrees with it: named whichever comes first
    for order, odd in ((files, files[2]), (files[::-1], files[1])):
        with pytest.raises(PartsDisagreeError, match="types a column otherwise") as caught:
            concat_parquet(order, tmp_path / "three.parquet")
        assert str(caught.value).startswith(f"{odd} types a column otherwise than {order[0]}")
        assert not (tmp_path / "three.parquet").exists()


def test_row_groups_grow_as_the_square_root_of_the_rows():
    """Fixed-size groups make the footer grow with the runs, and groups as large as the file
    make the buffer grow: between the bounds, four times the rows give twice the group."""
    from experiments.results import row_group_rows

    for rows in (1_000_000, 5_000_000, 40_000_000):
        assert abs(row_group_rows(4 * rows) - 2 * row_group_rows(rows)) <= 1  # whole rows
    assert row_group_rows(10) == 4_096 and row_group_rows(10**12) == 1_048_576
