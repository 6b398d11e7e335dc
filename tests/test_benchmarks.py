"""The benchmarks compare equal work: batch_run's side must produce our runner's outcomes."""

import sys
from pathlib import Path

import pandas as pd
from mesa.batchrunner import batch_run

from conftest import config
from experiments.runner import run_replications
from experiments.seeds import replication_seed

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))


def test_batch_runs_side_gives_our_runners_outcomes_seed_for_seed():
    from batch_side import BatchReformModel

    # a calibrated scenario: each seed must take the same posterior draw on both sides
    cfg = config("scenario=hardline_shock", "strategy=case_focus", "steps=30", "replications=3")
    ours = run_replications(cfg)[0].set_index("seed")
    rows = batch_run(
        BatchReformModel,
        parameters={"params": [cfg], "series": [True]},
        rng=[replication_seed(cfg.seed, r) for r in range(3)],
        max_steps=cfg.steps,
        number_processes=1,
        display_progress=False,
    )
    assert len(rows) == 3
    for row in rows:
        mine = ours.loc[row["rng"]]
        theirs = row["outcomes"]
        shared = [k for k in theirs if k in mine.index]
        assert len(shared) >= 30  # every outcome, not a few reporters
        assert {k: theirs[k] for k in shared} == {k: mine[k] for k in shared}
        assert isinstance(row["timeseries"], pd.DataFrame) and len(row["timeseries"]) == 31


def test_timed_runs_are_not_sampled_and_sampled_runs_see_the_whole_trees_memory(monkeypatch):
    """procmem.run_measured: a timed run samples nothing (sampling slows the tree it samples),
    a sampled run finds memory held by a grandchild (PSS of the whole tree), and both count
    the grandchild's CPU time."""
    import procmem
    from procmem import run_measured

    samples = []
    real = procmem._pss
    monkeypatch.setattr(procmem, "_pss", lambda p: samples.append(p.pid) or real(p))

    child = (
        "import subprocess, sys; subprocess.run([sys.executable, '-c', "
        "'import time; x = bytearray(200_000_000); t = time.process_time(); "
        "[0 for _ in iter(lambda: time.process_time() - t > 0.3, True)]; time.sleep(0.5)'])"
    )
    timed = run_measured([sys.executable, "-c", child], memory=False)
    assert samples == []  # not one process sampled
    sampled = run_measured([sys.executable, "-c", child], interval=0.05)
    assert len(set(samples)) >= 2  # the child and the grandchild
    assert timed["peak_pss_total"] is None and timed["peak_pss_single"] is None
    assert sampled["peak_pss_total"] >= sampled["peak_pss_single"] >= 200_000_000
    assert min(timed["cpu"], sampled["cpu"]) >= 0.3


def test_the_memory_benchmark_measures_both_sides_and_their_growth(tmp_path):
    """benchmarks/sweep_memory.py (make bench-full) at a toy size: both sides' trees sampled
    (a peak for each run size), the growth per run printed, the JSON written."""
    import json
    import subprocess

    bench = Path(__file__).resolve().parent.parent / "benchmarks" / "sweep_memory.py"
    out = tmp_path / "memory.json"
    cmd = [sys.executable, str(bench), "--runs", "30", "60", "--steps", "3", "--json", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(out.read_text())
    assert [r["runs"] for r in rows] == [30, 60]
    for row in rows:
        for side in ("ours", "batch_run"):
            assert row[side]["peak_pss_total"] >= row[side]["peak_pss_single"] > 50 * 2**20
    assert "ours memory growth" in proc.stdout and "batch_run memory growth" in proc.stdout
