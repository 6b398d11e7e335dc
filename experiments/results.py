"""Result files a user can open: Parquet written atomically, plus metadata next to them."""

import json
import os
import platform
import subprocess
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

# The files of a job and of a sweep: one definition, read by the runner, the app and aggregation.
OUTCOMES, SERIES, META = "outcomes.parquet", "timeseries.parquet", "metadata.json"
PLAN, MANIFEST, ERROR = ".sweep_plan.json", "sweep.json", "error.json"

PACKAGES = ("mesa", "numpy", "scipy", "pandas", "pyarrow", "networkx", "hydra-core", "omegaconf")


def atomic_write(path: Path, write) -> None:
    """Write to a temporary file in the same folder, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    atomic_write(path, lambda tmp: df.to_parquet(tmp, index=False, engine="pyarrow"))


def write_text(text: str, path: Path) -> None:
    def _write(tmp: str) -> None:
        Path(tmp).write_text(text, encoding="utf-8")

    atomic_write(path, _write)


def code_version() -> dict[str, Any]:
    """The git commit of the code that ran, and whether the tree had local changes."""
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return {"commit": "unknown", "dirty": None}
    return {"commit": commit or "unknown", "dirty": bool(dirty)}


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    try:
        out["reform-sim"] = metadata.version("reform-sim")
    except metadata.PackageNotFoundError:
        out["reform-sim"] = "source"
    return out


def write_metadata(meta: dict[str, Any], path: Path) -> None:
    write_text(json.dumps(meta, indent=2, sort_keys=True, default=str) + "\n", path)
