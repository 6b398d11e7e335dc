"""Load a sweep folder's aggregated results, refusing anything that is not one."""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

REQUIRED = (
    "replication",
    "seed",
    "strategy",
    "scenario",
    "rollback",
    "time_to_rollback",
    "max_drawdown",
    "final_liberalization",
    "final_codified",
)


class AnalysisError(Exception):
    """The input is not a sweep that can be analysed; the message says why."""


@dataclass
class Sweep:
    """One sweep's results: outcomes, optional weekly series, and its manifest."""

    path: Path
    outcomes: pd.DataFrame
    manifest: dict[str, Any] = field(default_factory=dict)
    timeseries: pd.DataFrame | None = None
    job_config: dict[str, Any] = field(default_factory=dict)

    @property
    def failed_jobs(self) -> list[dict[str, Any]]:
        return [j for j in self.manifest.get("jobs", []) if j.get("status") != "finished"]

    @property
    def horizon(self) -> int:
        return int(self.job_config.get("steps") or self.outcomes["time_to_rollback"].max())


def check_headline(outcomes: pd.DataFrame, name: str) -> None:
    """The headline compares a 0/1 outcome (a harm that happens or not in a run)."""
    ids = {"replication", "seed", "design_point", "posterior_draw", "job"}
    binary = [
        c
        for c in outcomes.columns
        if c not in ids
        and pd.api.types.is_numeric_dtype(outcomes[c])
        and outcomes[c].isin([0, 1]).all()
    ]
    if name not in binary:
        raise AnalysisError(
            f"--headline = {name!r}: not a 0/1 outcome of these results; expected one of "
            f"{', '.join(sorted(binary))}"
        )


def load_sweep(path: Path, with_series: bool = True) -> Sweep:
    """Read ``outcomes.parquet``, ``sweep.json`` and, if present, ``timeseries.parquet``."""
    path = Path(path)
    if not path.exists():
        raise AnalysisError(f"{path} does not exist")
    if not path.is_dir():
        raise AnalysisError(f"{path} is not a folder; expected a sweep folder")
    if not any(path.iterdir()):
        raise AnalysisError(f"{path} is empty; expected the folder of a `reform-sim -m` sweep")
    file = path / "outcomes.parquet"
    if not file.exists():
        raise AnalysisError(
            f"{path} holds no outcomes.parquet: run the sweep, or "
            f"`reform-sim-aggregate {path}` if it was interrupted"
        )
    try:
        outcomes = pd.read_parquet(file)
    except Exception as err:  # pyarrow raises several types for a damaged file
        raise AnalysisError(f"{file} is not a readable Parquet file ({err})") from err
    missing = [c for c in REQUIRED if c not in outcomes.columns]
    if missing:
        raise AnalysisError(f"{file} lacks the columns {missing}: not reform-sim outcomes")
    if outcomes.empty:
        raise AnalysisError(f"{file} has no rows")
    manifest = {}
    if (path / "sweep.json").exists():
        manifest = json.loads((path / "sweep.json").read_text())
    series = None
    if with_series and (path / "timeseries.parquet").exists():
        import pyarrow.parquet as pq

        from analysis.forecast import SERIES_NEEDED

        have = set(pq.read_schema(path / "timeseries.parquet").names)
        cols = ["job", "replication", "step", "liberalization", "codified"]
        cols += [c for c in ("strategy", "design_point", *SERIES_NEEDED) if c in have]
        series = pd.read_parquet(path / "timeseries.parquet", columns=cols)
    return Sweep(path, outcomes, manifest, series, _first_job_config(path, outcomes))


def series_cells(series: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """The weekly rows with their scenario and strategy. A job's folder names its one
    strategy, so its series leave it out; a job that ran several (``strategies``) writes a
    strategy column, empty in a sweep's other jobs' rows. Rows of such a job without it cannot
    be told apart, and are refused."""
    jobs = outcomes.drop_duplicates("job").set_index("job")[["strategy", "scenario"]]
    per_job = outcomes.groupby("job")["strategy"].nunique()
    several = set(per_job[per_job > 1].index)
    has_column = "strategy" in series.columns
    named = series["strategy"].notna() if has_column else pd.Series(False, index=series.index)
    bad = sorted(set(series.loc[~named, "job"].unique()) & several)
    if bad:
        raise AnalysisError(
            f"the weekly series of job {bad[0]} have no strategy column, but the job ran "
            f"{per_job[bad[0]]} strategies: its rows cannot be told apart"
        )
    if not has_column:
        return series.join(jobs, on="job")
    s = series.join(jobs.rename(columns={"strategy": "strategy_of_job"}), on="job")
    s["strategy"] = s["strategy"].where(named, s.pop("strategy_of_job"))
    return s


def _first_job_config(path: Path, outcomes: pd.DataFrame) -> dict[str, Any]:
    """The resolved config of one job (steps, design) from its metadata."""
    if "job" not in outcomes.columns:
        return {}
    job = path / str(outcomes["job"].iloc[0])
    if not (job / "metadata.json").exists():
        return {}
    config = json.loads((job / "metadata.json").read_text()).get("config", {})
    return _design_in_order(config, job / "config.yaml")


def _design_in_order(config: dict[str, Any], yaml_file: Path) -> dict[str, Any]:
    """The metadata's JSON sorts keys, so its design parameters come alphabetically, not in
    the design's order (the order of its columns, which the indices are named by); the job's
    config.yaml keeps the order."""
    design = config.get("design") or {}
    if not design.get("parameters") or not yaml_file.exists():
        return config
    import yaml

    written = (yaml.safe_load(yaml_file.read_text()) or {}).get("design") or {}
    order = list(written.get("parameters") or {})
    if sorted(order) != sorted(design["parameters"]):
        return config
    return config | {"design": design | {"parameters": {k: design["parameters"][k] for k in order}}}
