"""Same config and seed: identical results. Another seed: different results."""

from conftest import config, model_of
from experiments.runner import run_replications
from experiments.seeds import replication_seed


def test_same_seed_same_run():
    cfg = config("steps=80", "strategy=memo_recommended")
    a = model_of(cfg, rng=42).run()
    b = model_of(cfg, rng=42).run()
    assert a.outcomes == b.outcomes
    assert a.timeseries.equals(b.timeseries)


def test_other_seed_other_run():
    cfg = config("steps=80")
    a = model_of(cfg, rng=1).run()
    b = model_of(cfg, rng=2).run()
    assert not a.timeseries.equals(b.timeseries)


def test_replication_seeds_depend_on_root_and_index_only():
    assert replication_seed(7, 3) == replication_seed(7, 3)
    assert len({replication_seed(7, r) for r in range(100)}) == 100
    assert replication_seed(7, 0) != replication_seed(8, 0)
    a, _ = run_replications(config("strategy=case_focus", "replications=3", "steps=10"))
    b, _ = run_replications(config("strategy=institutionalization", "replications=3", "steps=10"))
    assert a["seed"].tolist() == b["seed"].tolist() == [replication_seed(1987, r) for r in range(3)]


def test_replications_reproduce_exactly():
    cfg = config("replications=3", "steps=30", "record_timeseries=true")
    o1, t1 = run_replications(cfg)
    o2, t2 = run_replications(cfg)
    assert o1.equals(o2)
    assert t1.equals(t2)
