"""Run a calibration and keep it: the posterior file and the record of how it was made."""

import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

from experiments.calibration.abc import calibrate
from experiments.calibration.spec import CalibrationSpec
from experiments.config import code_fingerprint
from experiments.results import code_version, versions, write_metadata, write_parquet


def record_path(posterior: Path) -> Path:
    return posterior.with_suffix(".json")


def calibrate_and_save(
    spec: CalibrationSpec, out: Path, workers: int, limits: dict[str, int], argv: list[str]
) -> dict[str, Any]:
    """Calibrate, then write the record and the posterior atomically (the posterior last)."""
    code = code_version() | {"fingerprint": code_fingerprint()}  # the code that ran, at launch
    work = Path(tempfile.mkdtemp(prefix="reform-calibrate-"))
    try:
        result = calibrate(spec, workers, work, progress=True, **limits)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    w = result.posterior["weight"]
    from importlib import metadata

    meta = {
        "command": ["reform-calibrate", *argv],
        "spec": str(spec.source.name),
        "spec_sha256": hashlib.sha256(spec.source.read_bytes()).hexdigest(),
        "seed": spec.seed,
        "workers": workers,
        "limits": limits,
        "particles": len(result.posterior),
        "effective_sample_size": round(float(1 / (w**2).sum()), 1),
        "simulations": result.simulations,
        "model_runs": result.simulations * spec.replications,
        "seconds": round(result.seconds, 1),
        "generations": result.generations.to_dict(orient="records"),
        "versions": versions() | {"pyabc": metadata.version("pyabc")},
        "code": code,
    }
    write_metadata(meta, record_path(out))
    write_parquet(result.posterior, out)
    return meta
