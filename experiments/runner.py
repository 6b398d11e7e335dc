"""Run one job (a parameter point, or a chunk of design points) for R replications in-process.

This replaces ``mesa.batch_run`` (removed in Mesa 4, holds everything in memory): results stream
to disk in checkpoints of ``checkpoint_every`` runs, so a job killed at any moment resumes where
it stopped and gives exactly the results of an uninterrupted one; a finished job whose config is
unchanged is skipped.
"""

import dataclasses
import json
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import yaml
from tqdm import tqdm

from experiments.config import RunConfig, config_hash, job_strategies
from experiments.design import design_points
from experiments.precision import first_stop, half_width, next_stop
from experiments.results import (
    META,
    OUTCOMES,
    SERIES,
    aside_folder,
    code_version,
    concat_parquet,
    move_aside_stale,
    versions,
    write_metadata,
    write_parquet,
    write_text,
)
from experiments.run_params import model_params
from experiments.seeds import replication_seed
from sim.model import ReformModel
from sim.shared_start import run_strategies


@dataclasses.dataclass
class JobResult:
    """What a job produced, and whether it was computed now or found finished."""

    outcomes: pd.DataFrame
    skipped: bool
    elapsed: float


# (design point, its scenario values, replication, the strategies run on that seed)
Run = tuple[int | None, dict[str, float], int, tuple[str, ...]]


def strategy_names(cfg: RunConfig) -> tuple[str, ...]:
    """The strategies a job runs: its ``strategies`` presets, or its own strategy."""
    return tuple(cfg.strategies) or (cfg.strategy.name,)


def planned_runs(cfg: RunConfig) -> list[Run]:
    """Every (design point, its scenario values, replication, strategies) of a job with a fixed
    number of replications, in a fixed order."""
    names = strategy_names(cfg)
    return [(i, v, r, names) for i, v in design_points(cfg.design) for r in range(cfg.replications)]


def planned_rows(cfg: RunConfig) -> int:
    """Outcome rows of a job with a fixed number of replications: a row per strategy run."""
    return sum(len(names) for *_, names in planned_runs(cfg))


def _cell(done: pd.DataFrame, point: int | None, name: str) -> pd.DataFrame:
    """The rows of one (design point, strategy) cell, in run order."""
    mine = done if point is None else done[done["design_point"] == point]
    return mine[mine["strategy"] == name]


def adaptive(cfg: RunConfig) -> bool:
    return cfg.replications == "auto"


def next_runs(cfg: RunConfig, done: pd.DataFrame | None) -> list[Run]:
    """The runs of a job still to do, given those done: all of the plan for a fixed number of
    replications; with ``replications=auto``, the rest of the current batch of the first point
    with a strategy whose interval is not yet narrow enough (``experiments.precision``), run
    for those strategies only, or nothing. Each (point, strategy) cell stops where it would
    stop alone: the rule reads that cell's outcomes only."""
    names = strategy_names(cfg)
    if not adaptive(cfg):  # every run writes a row for each strategy, in run order
        return planned_runs(cfg)[(0 if done is None else len(done)) // len(names) :]
    p = cfg.precision  # its outcome was checked when the config was built
    binary = done is None or done[p.outcome].dtype == bool
    for i, v in design_points(cfg.design):
        pending = {}
        for name in names:
            cell = None if done is None else _cell(done, i, name)
            values = np.array([]) if cell is None else cell[p.outcome].to_numpy(dtype=float)
            stop = next_stop(p, values, binary)
            if stop > len(values):
                pending[name] = range(len(values), stop)
        if pending:
            first = min(todo.start for todo in pending.values())
            last = max(todo.stop for todo in pending.values())
            runs = [
                (i, v, r, tuple(n for n in pending if r in pending[n])) for r in range(first, last)
            ]
            return [run for run in runs if run[3]]
    return []


def stops_where_it_ran(cfg: RunConfig, done: pd.DataFrame) -> bool:
    """Whether every point of an adaptive job ends exactly where the stopping rule, replayed
    from the minimum, first stops: not short of it, and not past it (runs made under another
    rule are not this job's answer)."""
    p = cfg.precision
    if p.outcome not in done:
        return False
    binary = done[p.outcome].dtype == bool
    for i, _ in design_points(cfg.design):
        for name in strategy_names(cfg):
            mine = _cell(done, i, name)
            if mine["replication"].tolist() != list(range(len(mine))):
                return False
            if first_stop(p, mine[p.outcome].to_numpy(dtype=float), binary) != len(mine):
                return False
    return True


# What identifies a run: a column a caller adds (a varied root seed, say) never replaces these.
RUN_IDS = ("replication", "seed", "strategy", "scenario")


def own_columns(cfg: RunConfig, columns: dict[str, Any]) -> dict[str, Any]:
    """The columns a caller adds to every row, as plain values: none that would replace a run's
    identity (a varied root seed is kept as ``root_seed``), none of a strategy a job given
    ``strategies`` does not run, and a list of names as one text."""
    out = {}
    for k, v in columns.items():
        if cfg.strategies and k.split(".")[0] in ("strategy", "strategies"):
            continue
        k = "root_seed" if k == "seed" else k
        if k in RUN_IDS:
            continue
        out[k] = ",".join(map(str, v)) if isinstance(v, (list, tuple)) else v
    return out


def run_block(
    cfg: RunConfig,
    runs: list[Run],
    columns: dict[str, Any],
    progress=None,
    *,
    presets: dict[str, Any],
):
    """Outcome rows (and weekly frames) of a block of runs: a row per strategy run on each
    seed, in the order the job names its strategies (``presets``, as the job read them once:
    ``job_strategies``)."""
    rows, frames = [], []
    columns = own_columns(cfg, columns)
    # a job's own strategy is constant over its rows (its folder says which); a job running
    # several strategies keeps the column in its series too
    constant = ("scenario", "seed") if cfg.strategies else ("strategy", "scenario", "seed")
    for point, values, r, names in runs:
        seed = replication_seed(cfg.seed, r)
        params, draw = model_params(cfg, values, seed)
        if cfg.strategies:
            results = run_strategies(params, [presets[n] for n in names], seed)
        else:
            results = [ReformModel(params, rng=seed).run()]
        for name, result in zip(names, results, strict=True):
            ids = {
                "replication": r,
                "seed": seed,
                "strategy": name,
                "scenario": cfg.scenario.name,
                **columns,
            }
            if draw is not None:
                ids["posterior_draw"] = draw
            if point is not None:
                ids |= {"design_point": point, **values}
            rows.append(ids | result.outcomes)
            if cfg.record_timeseries:
                ts = result.timeseries
                for k, v in reversed(list(ids.items())):
                    if k not in constant:
                        ts.insert(0, k, v)
                frames.append(ts)
            if progress is not None:
                progress.update(1)
    return pd.DataFrame(rows), (pd.concat(frames, ignore_index=True) if frames else None)


def run_replications(cfg: RunConfig, columns: dict[str, Any] | None = None):
    """All runs of a job in memory (for notebooks and tests): (outcomes, timeseries or None)."""
    done, frames = None, []
    presets = job_strategies(cfg)  # read once: every block runs the same presets
    while runs := next_runs(cfg, done):
        outcomes, series = run_block(cfg, runs, columns or {}, presets=presets)
        done = outcomes if done is None else pd.concat([done, outcomes], ignore_index=True)
        frames += [series] if series is not None else []
    return done, (pd.concat(frames, ignore_index=True) if frames else None)


def replications_used(cfg: RunConfig, outcomes: pd.DataFrame) -> dict[str, Any]:
    """Per design point (or for the job): the replications run and the half-width reached on
    ``precision.outcome``, the report's account of what ``replications=auto`` did."""
    p = cfg.precision
    if p.outcome not in outcomes:
        return {}
    binary = outcomes[p.outcome].dtype == bool
    groups = outcomes.groupby("design_point") if "design_point" in outcomes else [(None, outcomes)]
    used = {}
    for i, g in groups:
        for name, h in g.groupby("strategy", sort=False) if cfg.strategies else [(None, g)]:
            key = " ".join(str(k) for k in (i, name) if k is not None) if name else str(i)
            used[key] = {"n": len(h), "half_width": round(half_width(h[p.outcome], binary), 6)}
    return used


def finished(out_dir: Path, digest: str, cfg: RunConfig) -> bool:
    """A job is finished when its metadata names the same config and its outcomes file reads
    back whole: every planned run, no more and no fewer (with ``replications=auto``: exactly the
    runs at which the stopping rule stops). Files are never trusted by name."""
    meta = out_dir / META
    if not (out_dir / OUTCOMES).exists() or not meta.exists():
        return False
    try:
        recorded = json.loads(meta.read_text())
        if recorded.get("config_hash") != digest:
            return False
        rows = pq.ParquetFile(out_dir / OUTCOMES).metadata.num_rows
        if rows != recorded.get("runs"):
            return False
        if not adaptive(cfg):
            return rows == planned_rows(cfg)
        return stops_where_it_ran(cfg, pd.read_parquet(out_dir / OUTCOMES))
    except Exception:  # unreadable JSON or Parquet (pyarrow raises several types): recompute
        return False


def _checkpoints(partial: Path, out_dir: Path) -> pd.DataFrame | None:
    """Outcomes of the runs in readable checkpoints, in run order (None when there are none).
    A checkpoint damaged on disk (atomic writes make that a disk fault, not a kill) sends the
    whole partial folder to ``.stale/``: its runs are redone rather than trusted."""
    done = sorted(partial.glob("outcomes-*.parquet")) if partial.exists() else []
    if not done:
        return None
    try:
        return pd.concat([pd.read_parquet(p) for p in done], ignore_index=True)
    except Exception:  # pyarrow raises several types for a damaged file
        partial.replace(aside_folder(out_dir) / partial.name)
        return None


def run_point(cfg: RunConfig, out_dir: Path, columns: dict[str, Any] | None = None) -> JobResult:
    """Run a job with checkpoints, then write outcomes, series, config and metadata atomically."""
    start = time.perf_counter()
    presets = job_strategies(cfg)  # read once: the job hashes and runs these
    digest = config_hash(cfg, presets)
    if finished(out_dir, digest, cfg):
        return JobResult(pd.read_parquet(out_dir / OUTCOMES), True, 0.0)
    move_aside_stale(out_dir)
    partial = out_dir / f".partial-{digest}"
    done = _checkpoints(partial, out_dir)
    total = None if adaptive(cfg) else planned_rows(cfg)
    initial = 0 if done is None else len(done)
    with tqdm(
        total=total, initial=initial, desc=out_dir.name, unit="run", disable=None, leave=False
    ) as bar:
        while runs := next_runs(cfg, done):
            # checkpoints are named by the number of runs before them, so they sort in run order
            for lo in range(0, len(runs), cfg.checkpoint_every):
                n_done = 0 if done is None else len(done)
                block = runs[lo : lo + cfg.checkpoint_every]
                outcomes, series = run_block(cfg, block, columns or {}, bar, presets=presets)
                if series is not None:
                    write_parquet(series, partial / f"series-{n_done:09d}.parquet")
                write_parquet(outcomes, partial / f"outcomes-{n_done:09d}.parquet")
                done = outcomes if done is None else pd.concat([done, outcomes], ignore_index=True)
    outcomes = pd.concat(
        [pd.read_parquet(p) for p in sorted(partial.glob("outcomes-*"))], ignore_index=True
    )
    series_parts = sorted(partial.glob("series-*"))
    if cfg.record_timeseries and series_parts:  # streamed: a job's memory does not grow with R
        concat_parquet(series_parts, out_dir / SERIES)
    elapsed = time.perf_counter() - start
    recorded = recorded_config(cfg, presets)
    write_text(config_yaml(recorded), out_dir / "config.yaml")
    write_parquet(outcomes, out_dir / OUTCOMES)
    # last: metadata with this config's hash marks the job finished, so a kill before it
    # leaves a job that is recomputed, never old outcomes under the new hash
    meta = _metadata(cfg, recorded, outcomes, digest, columns or {}, elapsed)
    write_metadata(meta, out_dir / META)
    shutil.rmtree(partial, ignore_errors=True)
    return JobResult(outcomes, False, elapsed)


def recorded_config(cfg: RunConfig, presets: dict[str, Any]) -> dict[str, Any]:
    """The job's resolved config as plain data; a job running several strategies also records
    each preset as it read and ran it (``strategy_presets``), since its ``strategy`` field runs
    in none of them and a preset file may change after the job."""

    def plain(params: Any) -> dict[str, Any]:
        return json.loads(json.dumps(dataclasses.asdict(params), default=list))

    recorded = plain(cfg)
    if cfg.strategies:
        recorded["strategy_presets"] = {name: plain(p) for name, p in presets.items()}
    return recorded


def config_yaml(recorded: dict[str, Any]) -> str:
    """The recorded config as YAML. Plain data, not OmegaConf.structured, which costs a few
    tenths of a second a job (it re-validates the whole schema); written by libyaml where
    PyYAML has it (2 ms against 8 ms): the same data, and the same text but for where a very
    long string is folded."""
    return yaml.dump(recorded, Dumper=_SAFE_DUMPER, sort_keys=False)


_SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _metadata(
    cfg: RunConfig,
    recorded: dict[str, Any],
    outcomes: pd.DataFrame,
    digest: str,
    columns: dict[str, Any],
    elapsed: float,
) -> dict[str, Any]:
    return {
        "config_hash": digest,
        "root_seed": cfg.seed,
        "replication_seeds": [
            replication_seed(cfg.seed, r) for r in range(int(outcomes["replication"].max()) + 1)
        ],
        "replications": cfg.replications,
        "replications_used": replications_used(cfg, outcomes),
        "runs": len(outcomes),
        "steps": cfg.steps,
        "scenario": cfg.scenario.name,
        "strategy": ",".join(strategy_names(cfg)),
        "swept": own_columns(cfg, columns),
        "config": recorded,
        "versions": versions(),
        "code": code_version(),
        "elapsed_seconds": round(elapsed, 3),
    }


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
    return table.to_string(float_format=lambda v: f"{v:,.3f}", na_rep="-")  # sd of one run
