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
from sim.params import ParameterError, ScenarioParams, leaf_fields, replace_paths

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
def _load(path: Path, digest: str) -> pd.DataFrame:
    frame = pd.read_parquet(path)
    fields = leaf_fields(ScenarioParams)
    unknown = [c for c in frame.columns if c != WEIGHT and c not in fields]
    w = frame.get(WEIGHT)
    if unknown or w is None or len(frame) == 0 or not np.isclose(w.sum(), 1.0) or (w < 0).any():
        raise ParameterError(
            f"{path}: not a posterior (expected columns of scenario parameter paths and a "
            f"'{WEIGHT}' column of non-negative weights summing to 1; unknown columns {unknown})"
        )
    return frame


def fingerprint(name: str) -> str:
    """The posterior's content: a recalibrated posterior makes resumed jobs recompute."""
    return hashlib.sha256(posterior_path(name).read_bytes()).hexdigest() if name else ""


def load_posterior(name: str) -> pd.DataFrame:
    path = posterior_path(name)
    return _load(path.resolve(), fingerprint(name))


def draw_index(posterior: pd.DataFrame, seed: int) -> int:
    rng = np.random.default_rng([seed, DRAW_STREAM])
    return int(rng.choice(len(posterior), p=posterior[WEIGHT].to_numpy()))


def draw(name: str, seed: int) -> tuple[int, dict[str, float]]:
    """The particle a run with this seed takes, and its parameter values."""
    posterior = load_posterior(name)
    i = draw_index(posterior, seed)
    row = posterior.drop(columns=WEIGHT).iloc[i]
    fields = leaf_fields(ScenarioParams)
    return i, {k: (round(v) if fields[k].type is int else float(v)) for k, v in row.items()}


def set_by_user(scenario: ScenarioParams) -> set[str]:
    """Calibrated parameters a user set: pinned on the command line, or given a value other
    than the default by a preset. A draw never overwrites them."""
    default = ScenarioParams()
    differ = {
        path
        for path, f in leaf_fields(ScenarioParams).items()
        if f.type in (int, float)
        and operator.attrgetter(path)(scenario) != operator.attrgetter(path)(default)
    }
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
