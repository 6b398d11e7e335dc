"""Gather a sweep: every job's outcomes into one file, and a manifest of what ran and how.

Run by the sweep callback after a multirun, or by hand on any sweep folder:

    reform-sim-aggregate multirun/strategy_comparison/2026-11-29_10-00-00
    python -m experiments.aggregate SWEEP_DIR

Writes ``outcomes.parquet`` (one row per replication of every finished job, with a ``job``
column and the swept parameters) and ``timeseries.parquet`` when jobs recorded series, both
streamed a row group at a time (memory grows only as the square root of the rows), and
``sweep.json`` (jobs, status, errors, seeds, versions, timings). A job counts as finished only
when it is in the sweep's plan, the plan's launch computed or re-checked it (its ``.plan_id``),
and its outcomes read back with the rows its metadata records; failed, incomplete, damaged,
stale (finished under an earlier launch, not re-checked), missing and foreign (not in the plan)
jobs are listed by name, never aggregated, never fatal here. A job that failed for want of disk
space is ``disk_full``.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import yaml

from experiments.results import (
    CHECKED,
    DISK_FULL_ADVICE,
    ERROR,
    MANIFEST,
    META,
    OUTCOMES,
    PLAN,
    SERIES,
    PartsDisagreeError,
    UnreadablePartError,
    code_version,
    concat_parquet,
    disk_full,
    fsync_folder,
    move_aside_stale,
    versions,
    write_metadata,
)

REQUIRED = ("replication", "seed", "strategy", "scenario", "rollback")
# Every status a job can have in sweep.json; only "finished" jobs are aggregated.
STATUSES = (
    "finished",
    "failed",
    "disk_full",
    "incomplete",
    "damaged",
    "stale",
    "missing",
    "foreign",
)


class SweepError(Exception):
    """The folder is not a sweep folder, or its results are not what a sweep writes."""


def _read_json(path: Path) -> dict[str, Any]:
    """A record the sweep wrote (error, metadata, plan): a JSON object, or SweepError."""
    try:
        record = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as err:
        raise SweepError(f"{path}: unreadable ({err})") from err
    if not isinstance(record, dict):
        raise SweepError(f"{path}: unreadable (not a JSON object)")
    return record


def job_overrides(job: Path) -> list[str]:
    path = job / ".hydra" / "overrides.yaml"
    return list(yaml.safe_load(path.read_text()) or []) if path.exists() else []


def job_dirs(sweep_dir: Path) -> list[Path]:
    """Job folders: subfolders holding Hydra's record of a job or our result files."""
    return sorted(
        p
        for p in sweep_dir.iterdir()
        if p.is_dir()
        and not p.name.startswith(".")
        and any((p / n).exists() for n in (".hydra", META, OUTCOMES, ERROR))
    )


def job_record(job: Path) -> dict[str, Any]:
    rec: dict[str, Any] = {"job": job.name, "overrides": job_overrides(job)}
    if (job / ERROR).exists():  # its last attempt failed, whatever an earlier one left
        try:
            err = _read_json(job / ERROR)
        except SweepError as unreadable:  # the job failed all the same; the others stand
            return rec | {"status": "failed", "error": f"its error record: {unreadable}"}
        if err.get("disk_full"):  # nothing wrong with the job: it needs space, then a rerun
            rec |= {"status": "disk_full", "error": f"{err.get('message')}; {DISK_FULL_ADVICE}"}
        else:
            rec |= {"status": "failed", "error": f"{err.get('type')}: {err.get('message')}"}
    elif (job / OUTCOMES).exists() and (job / META).exists():
        try:
            meta = _read_json(job / META)
            rows = pq.ParquetFile(job / OUTCOMES).metadata.num_rows
        except Exception as err:  # pyarrow raises several types for a damaged file
            return rec | {"status": "damaged", "error": f"unreadable results ({err})"}
        if rows != meta.get("runs"):
            return rec | {
                "status": "damaged",
                "error": f"{rows} outcome rows where the metadata records {meta.get('runs')}",
            }
        rec |= {
            "status": "finished",
            "runs": meta.get("runs"),
            "root_seed": meta.get("root_seed"),
            "seeds": meta.get("replication_seeds"),
            "config_hash": meta.get("config_hash"),
            "elapsed_seconds": meta.get("elapsed_seconds"),
            "swept": meta.get("swept", {}),
        }
    else:
        rec["status"] = "incomplete"  # started but killed before it finished
    return rec


def _outcomes_file(job: Path) -> Path:
    """The job's outcomes, checked to be reform-sim's by their schema (the rows are streamed)."""
    path = job / OUTCOMES
    try:
        names = pq.read_schema(path).names
    except Exception as err:  # pyarrow raises several types for a damaged file
        raise SweepError(f"{path}: not a readable Parquet file ({err})") from err
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise SweepError(f"{path}: missing columns {missing}; not reform-sim outcomes")
    return path


def _stream(
    done: list[Path], records: dict[str, dict[str, Any]], sweep_dir: Path
) -> tuple[int, int]:
    """Concatenate the finished jobs' outcomes and series, a row group at a time with a ``job``
    column (memory stays bounded however many runs the sweep holds). Both are written beside
    their old versions and replace them together, only once both are complete: a failure
    (disk full, say) leaves the old pair. A job whose file turns out unreadable only here (its
    footer read, its data does not) becomes ``damaged``, its results are set aside to
    ``.stale/`` so a rerun recomputes it, and both files are written again without it.
    Returns the rows of each."""
    jobs = list(done)
    while True:
        outcomes = [_outcomes_file(j) for j in jobs]
        series = [j / SERIES for j in jobs if (j / SERIES).exists()]
        new = {name: sweep_dir / f".{name}.new" for name in (OUTCOMES, SERIES)}
        try:
            rows = [
                concat_parquet(files, new[name], label="job") if files else 0
                for files, name in ((outcomes, OUTCOMES), (series, SERIES))
            ]
        except BaseException as err:
            for path in new.values():  # a failed pair is never kept: the old one stands
                path.unlink(missing_ok=True)
            if isinstance(err, PartsDisagreeError):
                raise SweepError(f"the jobs' results do not agree: {err}") from err
            if not isinstance(err, UnreadablePartError):
                raise
            bad = err.path.parent
            jobs.remove(bad)  # a part is always a job's own file
            move_aside_stale(bad)
            rec = records[bad.name]  # as job_record would have it: nothing of a finished job's
            kept = {"job": rec["job"], "overrides": rec["overrides"]}
            rec.clear()
            why = f"unreadable results ({err}), set aside to .stale/; rerun to recompute it"
            rec |= kept | {"status": "damaged", "error": why}
            continue
        for (name, path), n in zip(new.items(), rows, strict=True):
            if n:
                os.replace(path, sweep_dir / name)
            else:
                path.unlink(missing_ok=True)
                (sweep_dir / name).unlink(missing_ok=True)  # never leave a stale aggregate
        fsync_folder(sweep_dir)
        return rows[0], rows[1]


def aggregate(sweep_dir: Path) -> dict[str, Any]:
    """Write the sweep's outcomes, series and manifest; return the manifest."""
    sweep_dir = Path(sweep_dir)
    if not sweep_dir.exists():
        raise SweepError(f"sweep folder {sweep_dir} does not exist")
    if not sweep_dir.is_dir():
        raise SweepError(f"{sweep_dir} is not a folder; expected a sweep folder (hydra.sweep.dir)")
    plan = _read_json(sweep_dir / PLAN) if (sweep_dir / PLAN).exists() else {}
    jobs = job_dirs(sweep_dir)
    if not jobs and not plan:
        raise SweepError(
            f"{sweep_dir} holds no job folders: expected the folder of a `reform-sim -m` sweep"
        )
    records = [job_record(j) for j in jobs]
    planned = {tuple(sorted(o)) for o in plan.get("jobs", [])}
    folders = set(plan.get("folders", []))  # a plan of named folders (experiments.api)
    for j, r in zip(jobs, records, strict=True):
        if (planned and tuple(sorted(r["overrides"])) not in planned) or (
            folders and j.name not in folders
        ):
            r["status"] = "foreign"  # a folder of another plan (an older sweep in the place)
        elif r["status"] == "finished" and plan.get("id"):
            checked = (j / CHECKED).read_text().strip() if (j / CHECKED).exists() else None
            if checked != plan["id"]:  # finished under an earlier launch, not re-checked
                r["status"] = "stale"
                r["error"] = "finished under an earlier plan; rerun the sweep to check it"
    done = [j for j, r in zip(jobs, records, strict=True) if r["status"] == "finished"]
    _, series_rows = _stream(done, {r["job"]: r for r in records}, sweep_dir)
    seen = {tuple(sorted(r["overrides"])) for r in records}
    missing = [o for o in plan.get("jobs", []) if tuple(sorted(o)) not in seen]
    records += [{"job": None, "overrides": o, "status": "missing"} for o in missing]
    names = {j.name for j in jobs}
    records += [{"job": f, "overrides": [], "status": "missing"} for f in folders - names]
    # counted against the plan, job by job: each planned job that has no finished folder
    unfinished = [
        ",".join(o) or "(no overrides)"
        for o in plan.get("jobs", [])
        if not any(
            r["status"] == "finished" and sorted(r["overrides"]) == sorted(o) for r in records
        )
    ] + sorted(
        f for f in folders if not any(r["status"] == "finished" and r["job"] == f for r in records)
    )
    counts = {s: sum(r["status"] == s for r in records) for s in STATUSES}
    manifest = {
        "sweep_dir": str(sweep_dir.resolve()),
        "sweep_name": plan.get("sweep_name"),
        "root_seed": plan.get("root_seed"),
        "jobs_planned": plan.get("total", len(folders) or len(records)),
        **{f"jobs_{k}": v for k, v in counts.items()},
        "unfinished": unfinished
        if plan
        else [r["job"] for r in records if r["status"] != "finished"],
        "runs": int(sum(r.get("runs") or 0 for r in records)),
        "timeseries_rows": series_rows,
        "timings": {
            "wall_seconds": round(time.time() - plan["started"], 3) if "started" in plan else None,
            "job_seconds": round(sum(r.get("elapsed_seconds") or 0 for r in records), 3),
        },
        "versions": versions(),
        "code": code_version(),
        "jobs": records,
    }
    write_metadata(manifest, sweep_dir / MANIFEST)
    return manifest


def describe(manifest: dict[str, Any]) -> str:
    m = manifest
    lines = [
        f"sweep {m['sweep_dir']}: {m['jobs_finished']}/{m['jobs_planned']} jobs finished, "
        f"{m['runs']} runs"
    ]
    for r in m["jobs"]:
        if r["status"] != "finished":
            name = r["job"] or ",".join(r["overrides"])
            lines.append(
                f"  {r['status']}: {name}" + (f" ({r['error']})" if r.get("error") else "")
            )
    lines.append(
        f"outcomes: {Path(m['sweep_dir']) / OUTCOMES}; manifest: {Path(m['sweep_dir']) / MANIFEST}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="reform-sim-aggregate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("sweep_dir", type=Path, help="the folder of a sweep (hydra.sweep.dir)")
    args = parser.parse_args(argv)
    try:
        manifest = aggregate(args.sweep_dir)
    except SweepError as err:
        print(f"reform-sim-aggregate: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        if not disk_full(err):
            raise
        print(f"reform-sim-aggregate: error: disk full: {err}; free space, rerun", file=sys.stderr)
        return 1
    print(describe(manifest))
    return 1 if manifest["unfinished"] else 0


if __name__ == "__main__":
    sys.exit(main())
