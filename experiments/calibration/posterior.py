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
    check_value,
    leaf_fields,
    numeric_paths,
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
    unknown = [c for c in frame.columns if c != WEIGHT and c not in fields]
    w = frame.get(WEIGHT)
    if unknown or w is None or len(frame) == 0 or not np.isclose(w.sum(), 1.0) or (w < 0).any():
        raise ParameterError(
            f"{path}: not a posterior (expected columns of scenario parameter paths and a "
            f"'{WEIGHT}' column of non-negative weights summing to 1; unknown columns {unknown})"
        )
    values = frame.drop(columns=WEIGHT)
    numeric = values.apply(pd.to_numeric, errors="coerce")  # text becomes NaN, refused below
    finite = np.isfinite(numeric.to_numpy(dtype=float))
    if not finite.all():
        row, col = map(int, np.argwhere(~finite)[0])
        bad = values.iat[row, col]
        bad = bad.item() if isinstance(bad, np.generic) else bad
        raise ParameterError(
            f"{path}: particle {row}: scenario.{values.columns[col]} = {bad!r}: "
            "expected a finite number"
        )
    particles = tuple(
        {k: (round(v) if fields[k].type is int else float(v)) for k, v in row.items()}
        for row in numeric.to_dict("records")
    )
    # every particle within its parameters' ranges, so a bad file is refused when a sweep is
    # planned (its first draw reads it), not by whichever run happens to draw the bad row
    for i, particle in enumerate(particles):
        for k, v in particle.items():
            try:
                check_value(f"scenario.{k}", v, fields[k])
            except ParameterError as err:
                raise ParameterError(f"{path}: particle {i}: {err}") from None
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
