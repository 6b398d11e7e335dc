"""Experiment files compose into the sweeps they promise; designs and checkpoints behave."""

import copy
import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from hydra import compose, initialize_config_dir

from experiments.callbacks import planned_jobs
from experiments.config import (
    CONFIG_DIR,
    compose_run_config,
    config_hash,
    fingerprint_files,
    register_configs,
)
from experiments.design import DesignConfig, design_points, sample
from experiments.runner import run_point, run_replications
from sim.params import ParameterError


def composed(*overrides):
    register_configs()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return compose("config", overrides=list(overrides), return_hydra_config=True)


@pytest.mark.parametrize("experiment", ["smoke", "pressure_grid", "sensitivity", "knockouts"])
def test_the_pre_launch_check_builds_each_job_as_its_launch_composes_it(experiment):
    """The plan check composes once per choice of presets and sets each job's values on a
    copy: the RunConfig it builds must be the one Hydra's full compose gives that job (derived
    attention shares, pinned scenario values, design chunks and knock-outs included)."""
    from hydra.core.global_hydra import GlobalHydra

    from experiments.callbacks import job_configs

    register_configs()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        master = compose(
            "config",
            overrides=[f"experiment={experiment}", "scenario.leadership.arrest_rate=0.05"],
            return_hydra_config=True,
        )
        jobs = planned_jobs(master)
        jobs = jobs[:2] + jobs[-2:]  # the first and last points of the sweep
        built = list(job_configs(master, jobs))
    assert not GlobalHydra.instance().is_initialized()
    for job, cfg in zip(jobs, built, strict=True):
        assert cfg == compose_run_config(job), job


@pytest.mark.parametrize(
    ("experiment", "jobs"),
    [
        ("smoke", 4),
        ("strategy_comparison", 30),
        ("pressure_grid", 35),
        ("sensitivity", 16),
        ("sensitivity_cluster", 1024),
        ("discovery", 16),
        ("forecast", 2),
        ("knockouts", 26),
    ],
)
def test_experiments_plan_their_jobs(experiment, jobs):
    cfg = composed(f"experiment={experiment}")
    planned = planned_jobs(cfg)
    assert len(planned) == jobs
    assert len({tuple(sorted(j)) for j in planned}) == jobs


def test_strategy_comparison_runs_every_strategy_in_every_scenario():
    cfg = composed("experiment=strategy_comparison")
    assert cfg.replications == 100
    planned = planned_jobs(cfg)
    strategies = {o.split("=")[1] for j in planned for o in j if o.startswith("strategy=")}
    assert strategies == {
        "institutionalization",
        "case_focus",
        "balanced",
        "memo_recommended",
        "status_quo_1987",
        "no_pressure",
    }


def test_pressure_grid_keeps_attention_shares_summing_to_one():
    for inst in (0.0, 0.45, 0.9):
        cfg = compose_run_config(
            ("experiment=pressure_grid", f"strategy.share_institutions={inst}")
        )
        st = cfg.strategy
        assert st.share_institutions == inst
        assert st.share_institutions + st.share_cases + st.share_cooperation == pytest.approx(1)


@pytest.mark.parametrize(
    ("experiment", "kind", "per_base"),
    [("sensitivity", "sobol", 12), ("sensitivity_cluster", "sobol", 12), ("discovery", "lhs", 1)],
)
def test_designs_have_eight_or_more_parameters_and_chunks_cover_them_once(
    experiment, kind, per_base
):
    cfg = compose_run_config([f"experiment={experiment}"])
    d = cfg.design
    assert d.kind == kind and len(d.parameters) >= 8
    total = len(sample(d))
    assert total == d.n_base * per_base
    seen = []
    for k in range(d.chunks):
        seen += [i for i, _ in design_points(dataclasses.replace(d, chunk=k))]
    assert sorted(seen) == list(range(total))


def test_presets_share_one_set_of_ranges_and_the_cluster_one_is_publication_sized():
    laptop, cluster, lhs = (
        compose_run_config([f"experiment={e}"])
        for e in ("sensitivity", "sensitivity_cluster", "discovery")
    )
    assert cluster.design.parameters == laptop.design.parameters == lhs.design.parameters
    assert cluster.design.n_base >= 1024 and cluster.replications >= 10
    assert laptop.replications >= 10 and lhs.replications >= 2


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"kind": "sobol", "parameters": {}}, "design.parameters is empty"),
        ({"kind": "sobol", "parameters": {"groups.n_groups": [1.0, 2.0]}}, "not a float scen"),
        ({"kind": "sobol", "parameters": {"leadership.nope": [0.1, 0.2]}}, "not a float scen"),
        (
            {"kind": "sobol", "parameters": {"arrest_rate": [0.1, 0.2]}},
            "this one is now leadership.arrest_rate",
        ),
        (
            {"kind": "sobol", "parameters": {"leadership.arrest_rate": [0.5, 1.5]}},
            "outside the allowed",
        ),
        ({"kind": "sobol", "parameters": {"leadership.arrest_rate": [0.5, 0.1]}}, "lo < hi"),
        ({"chunks": 2, "chunk": 2}, "design.chunk = 2"),
        ({"kind": "latin"}, "design.kind = 'latin'"),
    ],
)
def test_bad_designs_are_refused(kwargs, fragment):
    with pytest.raises(ParameterError, match=fragment):
        DesignConfig(**kwargs)


def test_design_runs_carry_design_point_and_values():
    cfg = compose_run_config(
        (
            "experiment=sensitivity",
            "design.n_base=2",
            "design.chunks=1",
            "steps=5",
            "scenario.groups.n_groups=100",
            "replications=3",
        )
    )
    out, _ = run_replications(cfg)
    # every point of the design, each with its three replications on three seeds
    assert sorted(out["design_point"]) == sorted(list(range(2 * 12)) * 3)
    assert out.groupby("design_point")["seed"].nunique().eq(3).all()
    assert out["groups.contagion"].between(0.2, 0.6).all()


def test_interrupted_job_resumes_from_its_checkpoints(tmp_path):
    cfg = compose_run_config(
        ["replications=7", "steps=15", "scenario.groups.n_groups=200", "checkpoint_every=3"]
    )
    whole = run_point(cfg, tmp_path / "whole")
    # A job killed after its first checkpoint: only the first block of results is on disk.
    cut = tmp_path / "cut"
    partial = cut / f".partial-{config_hash(cfg)}"
    partial.mkdir(parents=True)
    first, _ = run_replications(dataclasses.replace(cfg, replications=3))
    first.to_parquet(partial / "outcomes-000000000.parquet")
    resumed = run_point(cfg, cut)
    assert not resumed.skipped
    assert resumed.outcomes.equals(whole.outcomes)
    assert not partial.exists()
    assert run_point(cfg, cut).skipped
    assert pd.read_parquet(cut / "outcomes.parquet").equals(whole.outcomes)


def test_changed_config_is_not_skipped(tmp_path):
    cfg = compose_run_config(("replications=2", "steps=5", "scenario.groups.n_groups=100"))
    run_point(cfg, tmp_path)
    before = pd.read_parquet(tmp_path / "outcomes.parquet")
    other = dataclasses.replace(cfg, steps=6)
    assert not run_point(other, tmp_path).skipped
    after = pd.read_parquet(tmp_path / "outcomes.parquet")
    pd.testing.assert_frame_equal(after, run_replications(other)[0])  # the new config's runs
    assert not after.equals(before)


@pytest.mark.parametrize(
    ("launcher", "target", "setting"),
    [
        ("local", "JoblibLauncher", ("n_jobs", -1)),
        ("slurm", "SlurmLauncher", ("array_parallelism", 256)),
        ("ray_cluster", "RayLauncher", ("ray.init.address", "auto")),
    ],
)
def test_shipped_launcher_configs_compose(launcher, target, setting):
    from omegaconf import OmegaConf

    cfg = composed("experiment=smoke", f"hydra/launcher={launcher}")
    assert cfg.hydra.launcher._target_.endswith(target)
    assert OmegaConf.select(cfg.hydra.launcher, setting[0]) == setting[1]


def test_local_joblib_is_the_default_launcher():
    assert composed().hydra.launcher._target_.endswith("JoblibLauncher")


def test_changed_model_code_is_not_skipped(tmp_path, monkeypatch):
    import experiments.config

    cfg = compose_run_config(["replications=2", "steps=5", "scenario.groups.n_groups=100"])
    run_point(cfg, tmp_path)
    assert run_point(cfg, tmp_path).skipped
    monkeypatch.setattr(experiments.config, "code_fingerprint", lambda: "another model")
    assert not run_point(cfg, tmp_path).skipped


def test_code_fingerprint_covers_every_module_of_the_model():
    """A change anywhere in sim/ (a mechanism, an agent) must make resumed jobs recompute."""
    root = CONFIG_DIR.parent
    hashed = {p.relative_to(root).as_posix() for p in fingerprint_files()}
    for must in (
        "sim/model.py",
        "sim/mechanisms/m03_cheap_concessions.py",
        "sim/agents/leadership.py",
        "sim/params/state.py",
        "experiments/runner.py",
    ):
        assert must in hashed
    assert {p.relative_to(root).as_posix() for p in (root / "sim").rglob("*.py")} <= hashed
    assert "sim/data/calendars/fora_1987_1989.csv" in hashed  # the calendar is an input


def test_editing_a_users_calendar_file_changes_the_job_identity(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("forum,start,end,repeat,event\nsummit,1987-03-05,1987-03-06,once,a\n")
    cfg = compose_run_config(["steps=5", f"scenario.fora.calendar={path}"])
    before = config_hash(cfg)
    path.write_text("forum,start,end,repeat,event\nsummit,1987-04-05,1987-04-06,once,a\n")
    assert config_hash(cfg) != before


def test_a_change_of_library_version_changes_the_job_identity(monkeypatch):
    import experiments.config

    cfg = compose_run_config(["steps=5"])
    before = config_hash(cfg)
    monkeypatch.setattr(experiments.config, "library_fingerprint", lambda: "numpy==9.9")
    assert config_hash(cfg) != before


def test_atomic_writes_are_durable_and_leave_the_umask_alone(tmp_path, monkeypatch):
    import os
    import stat

    from experiments import results

    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(
        os, "fsync", lambda fd: synced.append(os.readlink(f"/proc/self/fd/{fd}")) or real_fsync(fd)
    )
    old = os.umask(0o027)
    try:
        results.write_text("hello", tmp_path / "a.txt")
        assert os.umask(0o027) == 0o027  # the process umask is what it was
    finally:
        os.umask(old)
    assert (tmp_path / "a.txt").read_text() == "hello"
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o640  # 0o666 less the umask
    # the data reached the disk before the rename, and the rename before the call returned
    assert synced[0].endswith(".tmp") and synced[-1] == str(tmp_path)

    def fails(tmp):
        Path(tmp).write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        results.atomic_write(tmp_path / "b.txt", fails)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # no half file, no temp


@pytest.mark.parametrize(
    ("experiment", "extra"),
    [("strategy_comparison", []), ("smoke", ["hydra.searchpath=[pkg://hydra.conf]"])],
)
def test_the_plan_checks_loader_composes_as_hydra_reading_each_file_once(
    experiment, extra, monkeypatch
):
    """The plan check composes every choice of presets of a sweep with the config files read
    once for all, resuming each from the merge of the defaults they all begin with
    (experiments.compose_many): each composition must still be Hydra's own, value for value with
    Hydra's node (the choices it records), node types and flags included, whether or not the
    primary config's search path is extended; and no file may be read twice (or the sharing is
    not happening)."""
    from collections import Counter

    from hydra._internal.config_repository import ConfigRepository
    from hydra.core.global_hydra import GlobalHydra
    from omegaconf import OmegaConf

    from experiments.compose_many import SharingLoader

    register_configs()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        master = compose(
            "config", overrides=[f"experiment={experiment}", *extra], return_hydra_config=True
        )
        jobs = planned_jobs(master)
        hydra_loader = GlobalHydra.instance().config_loader()
        expected = [hydra_loader.load_sweep_config(master, job) for job in jobs]
        reads, real = Counter(), ConfigRepository.load_config

        def counted(self, config_path):
            reads[config_path] += 1
            return real(self, config_path)

        monkeypatch.setattr(ConfigRepository, "load_config", counted)
        merged, merge = Counter(), SharingLoader._load_single_config

        def merging(self, default, repo):
            merged[default.config_path] += 1
            return merge(self, default, repo)

        monkeypatch.setattr(SharingLoader, "_load_single_config", merging)
        loader = SharingLoader(hydra_loader)
        shared = [loader.load_sweep_config(master, job) for job in jobs]
    assert len(jobs) > 1 and len(reads) >= 8
    assert max(reads.values()) == 1, reads
    # Hydra's own configs begin every composition: merged for the first few only (until the
    # defaults all compositions begin with are known), where the primary config is every time
    assert merged["hydra/config"] <= 3 < len(jobs) == merged["config"], merged
    for job, ours, theirs in zip(jobs, shared, expected, strict=True):
        mine = OmegaConf.to_container(ours, resolve=False)
        assert mine == OmegaConf.to_container(theirs, resolve=False), job
        assert node_differences(ours, theirs) == [], job


def node_differences(a, b, path: str = "") -> list[str]:
    """Where two configs differ node by node: the node's class, its metadata (its flags, such
    as struct or readonly, and its types) or its value; to_container sees only the values."""
    from omegaconf import DictConfig, ListConfig

    if type(a) is not type(b):
        return [f"{path}: {type(a).__name__} against {type(b).__name__}"]
    fields = ("object_type", "ref_type", "key_type", "element_type", "optional", "flags")
    out = [
        f"{path}: {f} {getattr(a._metadata, f, None)!r} against {getattr(b._metadata, f, None)!r}"
        for f in fields
        if getattr(a._metadata, f, None) != getattr(b._metadata, f, None)
    ]
    if isinstance(a, DictConfig | ListConfig) and not (a._is_none() or a._is_missing()):
        keys = list(a.keys()) if isinstance(a, DictConfig) else list(range(len(a)))
        other = list(b.keys()) if isinstance(b, DictConfig) else list(range(len(b)))
        if keys != other:
            return [*out, f"{path}: keys {keys} against {other}"]
        for k in keys:
            out += node_differences(a._get_node(k), b._get_node(k), f"{path}.{k}")
    elif not isinstance(a, DictConfig | ListConfig) and a._value() != b._value():
        out.append(f"{path}: {a._value()!r} against {b._value()!r}")
    return out


def test_the_sharing_loader_composes_a_config_whose_class_pickle_cannot_find():
    """A loaded config is copied by pickling; one holding a class pickle cannot find by name (a
    local class here; a plugin's class after Hydra's plugin scan has defined it again) must be
    deep-copied instead, and compose as Hydra composes it."""
    from dataclasses import dataclass

    from hydra.core.config_store import ConfigStore
    from hydra.core.global_hydra import GlobalHydra
    from omegaconf import OmegaConf

    from experiments.compose_many import SharingLoader

    @dataclass
    class Local:
        _target_: str = "a launcher of this test's own"
        value: int = 3

    store = ConfigStore.instance()
    store.store(group="hydra/launcher", name="local_test", node=Local)
    try:
        register_configs()
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
            master = compose("config", overrides=["experiment=smoke"], return_hydra_config=True)
            hydra_loader = GlobalHydra.instance().config_loader()
            job = ["hydra/launcher=local_test", "hydra.launcher.value=5", "seed=7"]
            theirs = hydra_loader.load_sweep_config(master, job)
            loader = SharingLoader(hydra_loader)
            ours = [loader.load_sweep_config(master, job) for _ in range(2)]
    finally:
        store.repo["hydra"]["launcher"].pop("local_test.yaml", None)
    assert theirs.hydra.launcher.value == 5 and theirs.seed == 7
    for cfg in ours:
        mine = OmegaConf.to_container(cfg, resolve=False)
        assert mine == OmegaConf.to_container(theirs, resolve=False)
        assert OmegaConf.get_type(cfg.hydra.launcher) is Local


def test_the_plan_check_composes_through_the_sharing_loader(monkeypatch, fresh_plan_check):
    """check_plan itself must compose with each config file read once (30 compositions of the
    strategy comparison), not through Hydra's loader, which reads every file again each time."""
    from collections import Counter

    from hydra._internal.config_repository import ConfigRepository

    from experiments.callbacks import check_plan

    reads, real = Counter(), ConfigRepository.load_config

    def counted(self, config_path):
        reads[config_path] += 1
        return real(self, config_path)

    register_configs()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose(
            "config", overrides=["experiment=strategy_comparison"], return_hydra_config=True
        )
        monkeypatch.setattr(ConfigRepository, "load_config", counted)
        check_plan(cfg, planned_jobs(cfg))
    assert reads["scenario/baseline_1987"] == 1 and max(reads.values()) == 1, reads


@pytest.fixture
def fresh_plan_check():
    """The plan check's record is process-wide: leave it as it was found."""
    from experiments import callbacks

    before = callbacks._CHECKED
    yield
    callbacks._CHECKED = before


@pytest.mark.parametrize("experiment", ["smoke", "strategy_comparison", "sensitivity"])
def test_the_sweeper_composes_again_only_what_the_plan_check_did_not_build(
    experiment, fresh_plan_check
):
    """Hydra's basic sweeper composes every job once more before the launch (0.1 s a job,
    serially); ours skips the jobs the plan check built for this multirun, which are exactly
    the jobs it expands (the same overrides, string for string, expanded here as Hydra's
    sweep() does), and still validates any other, and every job of another multirun."""
    from hydra._internal.callbacks import Callbacks
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.core.plugins import Plugins
    from hydra.core.utils import JobReturn
    from hydra.types import HydraContext
    from omegaconf import OmegaConf

    from experiments.callbacks import check_plan

    class Loader:
        def __init__(self):
            self.composed = []

        def load_sweep_config(self, master_config, sweep_overrides):
            self.composed.append(list(sweep_overrides))

    register_configs()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("config", overrides=[f"experiment={experiment}"], return_hydra_config=True)
        check_plan(cfg, planned_jobs(cfg))
        loader = Loader()
        context = HydraContext(config_loader=loader, callbacks=Callbacks(cfg))
        sweeper = Plugins.instance().instantiate_sweeper(
            hydra_context=context, task_function=lambda c: JobReturn(), config=cfg
        )
    assert not GlobalHydra.instance().is_initialized()
    arguments = sweeper._parse_config()
    arguments += OmegaConf.to_container(cfg.hydra.overrides.task, resolve=False)
    overrides = OverridesParser.create(config_loader=loader).parse_overrides(arguments)
    batch = [job for b in sweeper.split_arguments(overrides, None) for job in b]
    unplanned = [*batch[0], "seed=424242"]
    sweeper.validate_batch_is_legal([*batch, unplanned])
    assert len(batch) == len(planned_jobs(cfg)) > 1
    assert loader.composed == [unplanned]
    sweeper.config = copy.deepcopy(cfg)  # another multirun with the same overrides
    sweeper.validate_batch_is_legal(batch)
    assert loader.composed[1:] == batch


@pytest.mark.parametrize(
    ("experiment", "extra"),
    [
        ("smoke", ["steps=12"]),
        ("strategy_comparison", ["hydra.job.config.override_dirname.kv_sep=:"]),
        ("sensitivity", ["scenario.leadership.arrest_rate=0.05"]),
        ("knockouts", []),
    ],
)
def test_the_launch_gets_the_config_hydra_would_compose_for_each_checked_job(
    experiment, extra, fresh_plan_check
):
    """The launcher no longer composes the jobs the plan check built: it derives each from the
    plan check's composition of its config groups. The derived config must be Hydra's own
    composition of that job, its Hydra node included (the overrides it records and the folder
    name made of them), value for value; and a job the plan check did not build is composed."""
    from hydra.core.global_hydra import GlobalHydra
    from omegaconf import OmegaConf

    from experiments.callbacks import CheckedConfigLoader, check_plan

    class Counting:
        def __init__(self, loader):
            self.loader, self.composed = loader, []

        def load_sweep_config(self, master_config, sweep_overrides):
            self.composed.append(list(sweep_overrides))
            return self.loader.load_sweep_config(master_config, sweep_overrides)

    register_configs()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose(
            "config", overrides=[f"experiment={experiment}", *extra], return_hydra_config=True
        )
        jobs = planned_jobs(cfg)
        check_plan(cfg, jobs)
        hydra_loader = GlobalHydra.instance().config_loader()
        loader = CheckedConfigLoader(Counting(hydra_loader))
        for job in jobs[:2] + jobs[-2:]:
            derived = OmegaConf.to_container(loader.load_sweep_config(cfg, job), resolve=False)
            expected = hydra_loader.load_sweep_config(cfg, job)
            assert derived == OmegaConf.to_container(expected, resolve=False), job
            assert derived["hydra"]["overrides"]["task"] == [o for o in job if o[:5] != "hydra"]
        assert loader.delegate.composed == []
        unplanned = [*jobs[0], "seed=424242"]
        loader.load_sweep_config(cfg, unplanned)
        loader.load_sweep_config(copy.deepcopy(cfg), jobs[0])  # another multirun
    assert loader.delegate.composed == [unplanned, jobs[0]]


def test_the_shared_arguments_are_pickled_once_and_unpickled_once_per_worker(monkeypatch):
    """What every job of a launch gets alike is pickled once, however many jobs are sent; a
    worker unpickles it at its first job and hands its later jobs the same objects (as a
    one-worker launch does); a new launch is unpickled anew."""
    import pickle

    from joblib.externals import cloudpickle

    from experiments import job_payload

    dumps, real = [], cloudpickle.dumps
    monkeypatch.setattr(cloudpickle, "dumps", lambda obj: dumps.append(1) or real(obj))
    monkeypatch.setattr(job_payload, "_RECEIVED", {})
    objects = ({"state": [1, 2]}, lambda cfg: cfg)  # a local function, as Hydra's resolvers
    shared = job_payload.SharedArgs(*objects)
    sent = [pickle.dumps(("job", i, shared)) for i in range(5)]
    assert len(dumps) == 1
    received = [pickle.loads(s)[2].objects for s in sent]
    assert all(r is received[0] for r in received)
    assert received[0][0] == objects[0] and received[0][1](7) == 7
    again = pickle.loads(pickle.dumps(job_payload.SharedArgs(*objects)))
    assert again.objects is not received[0]  # another launch: its own objects
    # in the launching process: the objects themselves
    assert all(a is b for a, b in zip(shared.objects, objects, strict=True))


def test_a_worker_keeps_its_scanned_plugins_across_jobs():
    """Hydra's set_state scans (and re-executes) every plugin module before each job, since it
    leaves the plugins out of the state it pickles; ours keeps the scan this process made."""
    from hydra.core.plugins import Plugins
    from hydra.core.singleton import Singleton

    from experiments.job_payload import set_state

    scanned = Plugins.instance()
    before = Singleton.get_state()
    try:
        set_state(Singleton.get_state())
        assert Plugins.instance() is scanned
        assert Plugins.instance().class_name_to_class == scanned.class_name_to_class != {}
    finally:
        Singleton.set_state(before)


def test_a_checked_job_is_derived_on_a_copy_here_and_on_its_own_copy_once_sent(
    fresh_plan_check,
):
    """The launching process keeps each composition for the other jobs that share it, so a job
    derived there must leave it untouched; a job sent to a worker arrives as that worker's own
    copy and is derived on it. Both are the config Hydra composes for the job."""
    import pickle

    from hydra.core.global_hydra import GlobalHydra
    from omegaconf import OmegaConf

    from experiments.callbacks import check_plan, checked_job

    register_configs()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        overrides = ["experiment=smoke", "seed=5", "+hydra.sweeper.params.steps='6,7'"]
        cfg = compose("config", overrides=overrides, return_hydra_config=True)
        jobs = planned_jobs(cfg)
        check_plan(cfg, jobs)
        hydra_loader = GlobalHydra.instance().config_loader()
        expected = hydra_loader.load_sweep_config(cfg, jobs[1])
        twins = hydra_loader.load_sweep_config(cfg, jobs[0]), expected
    here = checked_job(cfg, jobs[1])
    composed = OmegaConf.to_container(here.base, resolve=False)
    derived = here.config()
    assert OmegaConf.to_container(here.base, resolve=False) == composed  # left as it was
    sent = pickle.loads(pickle.dumps(here))
    in_worker = sent.config()
    assert in_worker is sent.base  # derived on the worker's own copy, not copied again
    want = OmegaConf.to_container(expected, resolve=False)
    assert OmegaConf.to_container(derived, resolve=False) == want
    assert OmegaConf.to_container(in_worker, resolve=False) == want
    assert want["seed"] == 5 != composed["seed"]  # the job's value, set by the derivation
    # joblib may send several jobs in one pickle (its batches), where a composition two jobs
    # share would be unpickled once: each job must still derive on a copy of its own
    pair = [checked_job(cfg, job) for job in jobs[:2]]
    assert pair[0].base is pair[1].base and set(jobs[0]) ^ set(jobs[1]) == {"steps=6", "steps=7"}
    batch = [job.config() for job in pickle.loads(pickle.dumps(pair))]
    for derived_twin, hydra_twin in zip(batch, twins, strict=True):
        wanted = OmegaConf.to_container(hydra_twin, resolve=False)
        assert OmegaConf.to_container(derived_twin, resolve=False) == wanted
