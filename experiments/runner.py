"""Run one parameter point for R replications in-process and keep its results.

This replaces ``mesa.batch_run`` (removed in Mesa 4, holds everything in memory): each
replication's outcomes are one row; time series, when asked for, one row per week.
"""

import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import OmegaConf

from experiments.config import RunConfig
from experiments.results import code_version, versions, write_metadata, write_parquet, write_text
from experiments.seeds import replication_seed
from sim.model import ReformModel
from sim.params import ModelParams


def model_params(cfg: RunConfig) -> ModelParams:
    return ModelParams(
        scenario=cfg.scenario,
        strategy=cfg.strategy,
        steps=cfg.steps,
        rollback_threshold=cfg.rollback_threshold,
    )


def run_replications(cfg: RunConfig) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Outcomes (one row per replication) and, if asked, the weekly series of every run."""
    params = model_params(cfg)
    rows: list[dict[str, Any]] = []
    frames: list[pd.DataFrame] = []
    for r in range(cfg.replications):
        seed = replication_seed(cfg.seed, r)
        result = ReformModel(params, rng=seed).run()
        rows.append(
            {
                "replication": r,
                "seed": seed,
                "strategy": cfg.strategy.name,
                "scenario": cfg.scenario.name,
                **result.outcomes,
            }
        )
        if cfg.record_timeseries:
            ts = result.timeseries
            ts.insert(0, "replication", r)
            frames.append(ts)
    outcomes = pd.DataFrame(rows)
    timeseries = pd.concat(frames, ignore_index=True) if frames else None
    return outcomes, timeseries


def run_point(cfg: RunConfig, out_dir: Path) -> pd.DataFrame:
    """Run, then write outcomes, time series, resolved config and metadata atomically."""
    start = time.perf_counter()
    outcomes, timeseries = run_replications(cfg)
    elapsed = time.perf_counter() - start
    if timeseries is not None:
        write_parquet(timeseries, out_dir / "timeseries.parquet")
    write_text(OmegaConf.to_yaml(OmegaConf.structured(cfg)), out_dir / "config.yaml")
    meta = {
        "root_seed": cfg.seed,
        "replication_seeds": outcomes["seed"].tolist(),
        "replications": cfg.replications,
        "steps": cfg.steps,
        "scenario": cfg.scenario.name,
        "strategy": cfg.strategy.name,
        "config": asdict(cfg),
        "versions": versions(),
        "code": code_version(),
        "elapsed_seconds": round(elapsed, 3),
    }
    write_metadata(meta, out_dir / "metadata.json")
    # Outcomes last: their presence marks the job as finished.
    write_parquet(outcomes, out_dir / "outcomes.parquet")
    return outcomes


SUMMARY_COLUMNS = (
    "rollback",
    "max_drawdown",
    "final_liberalization",
    "final_codified",
    "crackdowns",
    "items_enacted",
    "listed_cases_resolved",
    "prisoners_released",
    "emigration_total",
)


def summary_table(outcomes: pd.DataFrame) -> str:
    """Mean, sd, min and max of the headline outcomes over replications."""
    cols = [c for c in SUMMARY_COLUMNS if c in outcomes]
    table = outcomes[cols].astype(float).agg(["mean", "std", "min", "max"]).T
    return table.to_string(float_format=lambda v: f"{v:,.3f}")
