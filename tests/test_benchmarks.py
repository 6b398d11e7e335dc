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
