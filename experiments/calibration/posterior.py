"""The posterior as the runs read it: replication r of every job draws the same particle.

A posterior is a Parquet file of particles (one column per calibrated parameter, by its path
under ``scenario.``) and their normalised ``weight``, written by ``reform-calibrate``. The
particle a run takes is a weighted draw from a generator seeded by the run's own seed, so the
draw depends on the root seed and the replication index alone: strategies (and scenarios) stay
paired on both the world and the parameters.
"""

import dataclasses
import functools
import hashlib
import operator
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.calibration.spec import CALIBRATION_DIR
from sim.params import (
    ParameterError,
    ScenarioParams,
    allowed,
    leaf_fields,
    numeric_paths,
    outside_range,
    replace_paths,
)

WEIGHT = "weight"
DRAW_STREAM = 0x5EED_ABC  # keeps the draw's stream apart from the model's


def posterior_path(name: str) -> Path:
    """``baseline_1987`` names configs/calibration/baseline_1987.parquet; a path is itself."""
    path = Path(name)
    if path.suffix != ".parquet":
        path = CALIBRATION_DIR / f"{name}.parquet"
    if not path.is_file():
        known = sorted(p.stem for p in CALIBRATION_DIR.glob("*.parquet"))
        raise ParameterError(
            f"scenario.calibration = {name!r}: no posterior file {path}; expected one of "
            f"{', '.join(known) or 'none (run reform-calibrate)'}, a path to a .parquet file, "
            "or '' for the values as set"
        )
    return path


@functools.cache
def _load(path: Path, stamp: tuple[int, int]) -> tuple[pd.DataFrame, tuple[dict, ...]]:
    """The posterior and its particles as parameter values, read once per file version."""
    frame = pd.read_parquet(path)
    fields = leaf_fields(ScenarioParams)
    unknown = [c for c in frame.columns if c != WEIGHT and c not in numeric_paths(ScenarioParams)]
    w = frame.get(WEIGHT)
    if unknown or w is None or len(frame) == 0:
        raise ParameterError(
            f"{path}: not a posterior (expected columns of numeric scenario parameter paths and "
            f"a '{WEIGHT}' column; unknown or non-numeric columns {unknown})"
        )
    w = pd.to_numeric(w, errors="coerce").to_numpy(dtype=float)
    if not np.isfinite(w).all() or (w < 0).any() or not np.isclose(w.sum(), 1.0):
        raise ParameterError(f"{path}: the '{WEIGHT}' column must be finite, >= 0 and sum to 1")
    values = frame.drop(columns=WEIGHT)
    numeric = values.apply(pd.to_numeric, errors="coerce")  # what is not a number becomes NaN
    # every particle within its parameters' ranges, so a bad file is refused when a sweep is
    # planned (its first draw reads it), not by whichever run happens to draw the bad row
    for col in values.columns:
        bad = outside_range(numeric[col].to_numpy(dtype=float), fields[col])
        if bad.any():
            i = int(np.argmax(bad))
            value = values[col].iloc[i]
            value = value.item() if isinstance(value, np.generic) else value
            meta = fields[col].metadata
            raise ParameterError(
                f"{path}: particle {i} (its row, counted from 0): scenario.{col} = {value!r}: "
                f"expected {fields[col].type.__name__}, {allowed(dict(meta))}"
            )
    particles = tuple(
        {k: (round(v) if fields[k].type is int else float(v)) for k, v in row.items()}
        for row in numeric.to_dict("records")
    )
    return frame, particles


def _loaded(name: str) -> tuple[pd.DataFrame, tuple[dict, ...]]:
    path = posterior_path(name).resolve()
    st = path.stat()
    return _load(path, (st.st_mtime_ns, st.st_size))


def fingerprint(name: str) -> str:
    """The posterior's content: a recalibrated posterior makes resumed jobs recompute."""
    return hashlib.sha256(posterior_path(name).read_bytes()).hexdigest() if name else ""


def load_posterior(name: str) -> pd.DataFrame:
    return _loaded(name)[0]


def draw_index(posterior: pd.DataFrame, seed: int) -> int:
    rng = np.random.default_rng([seed, DRAW_STREAM])
    return int(rng.choice(len(posterior), p=posterior[WEIGHT].to_numpy()))


def draw(name: str, seed: int) -> tuple[int, dict[str, float]]:
    """The particle a run with this seed takes, and its parameter values."""
    posterior, particles = _loaded(name)
    i = draw_index(posterior, seed)
    return i, dict(particles[i])


@functools.cache
def _defaults() -> dict[str, float]:
    default = ScenarioParams()
    return {p: operator.attrgetter(p)(default) for p in numeric_paths(ScenarioParams)}


def set_by_user(scenario: ScenarioParams) -> set[str]:
    """Calibrated parameters a user set: pinned on the command line, or given a value other
    than the default by a preset. A draw never overwrites them."""
    differ = {p for p, v in _defaults().items() if operator.attrgetter(p)(scenario) != v}
    return differ | set(scenario.pinned)


def resolve_scenario(
    scenario: ScenarioParams, seed: int, values: dict[str, float] | None = None
) -> tuple[ScenarioParams, int | None]:
    """The scenario one run uses, and the posterior particle it drew (None without one).

    The particle's values, each moved by the scenario's shift, except where the user set a
    value (on the command line, in a preset, or as a design point's value): that value is
    final, neither drawn nor shifted. The result carries no shifts and no calibration."""
    index, drawn = draw(scenario.calibration, seed) if scenario.calibration else (None, {})
    final = set_by_user(scenario) | set(values or {})
    point = {k: v for k, v in drawn.items() if k not in final}
    shifts = {k: v for k, v in scenario.shifts.items() if k not in final}
    resolved = dataclasses.replace(
        replace_paths(scenario, point), shifts=shifts, calibration=""
    ).with_shifts()
    return replace_paths(resolved, values or {}), index
