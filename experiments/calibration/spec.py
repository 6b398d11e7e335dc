"""What a calibration is: the structure it calibrates, its priors and the ABC-SMC settings.

Read from ``configs/calibration/<name>.yaml`` and checked field by field, so a typo in a path or
a prior outside a parameter's declared range stops the command with one message before any run.
"""

import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sim.params import ParameterError, ScenarioParams, leaf_fields

CALIBRATION_DIR = Path(__file__).resolve().parents[2] / "configs" / "calibration"


@dataclass(frozen=True)
class Prior:
    """A uniform prior on one scenario parameter (named by its path under ``scenario.``)."""

    path: str
    lo: float
    hi: float
    why: str
    integer: bool = False

    def value(self, x: float) -> float | int:
        return round(x) if self.integer else float(x)


@dataclass(frozen=True)
class CalibrationSpec:
    name: str
    overrides: tuple[str, ...]  # the run the patterns are measured on (Hydra overrides)
    replications: int  # runs per particle: the patterns are medians and shares over runs
    population: int
    max_generations: int
    max_simulations: int
    min_acceptance_rate: float
    seed: int
    priors: tuple[Prior, ...]
    source: Path = field(compare=False)
    # "adaptive" (pyabc's QuantileEpsilon, median of the last generation, down to 0) or a fixed
    # list of tolerances ending at 0; [0] is one generation from the prior: rejection ABC.
    tolerance: str | tuple[float, ...] = "adaptive"

    @property
    def paths(self) -> list[str]:
        return [p.path for p in self.priors]


_INT_SETTINGS = {
    "replications": (1, 1000),
    "population": (2, 100_000),
    "max_generations": (1, 1000),
    "max_simulations": (1, 10**9),
    "seed": (0, 2**32 - 1),
}


def _setting(raw: dict[str, Any], key: str, where: Path) -> int:
    lo, hi = _INT_SETTINGS[key]
    value = raw.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise ParameterError(f"{where}: {key} = {value!r}: expected an integer in [{lo}, {hi}]")
    return value


def check_prior(path: str, bounds: Any, where: Path) -> Prior:
    fields = leaf_fields(ScenarioParams)
    f = fields.get(path)
    if f is None or f.type not in (float, int):
        allowed = ", ".join(n for n, g in fields.items() if g.type in (float, int))
        raise ParameterError(
            f"{where}: priors.{path}: not a numeric scenario parameter, expected one of {allowed}"
        )
    if (
        not isinstance(bounds, list)
        or len(bounds) != 3
        or not all(isinstance(b, (int, float)) and math.isfinite(b) for b in bounds[:2])
        or not bounds[0] < bounds[1]
        or not isinstance(bounds[2], str)
    ):
        raise ParameterError(
            f"{where}: priors.{path} = {bounds!r}: expected [lo, hi, reason], lo < hi"
        )
    lo, hi = f.metadata["lo"], f.metadata["hi"]
    if bounds[0] < lo or bounds[1] > hi:
        raise ParameterError(
            f"{where}: priors.{path} = {bounds[:2]}: outside the allowed [{lo:g}, {hi:g}]"
        )
    return Prior(path, float(bounds[0]), float(bounds[1]), bounds[2], f.type is int)


def load_spec(name_or_path: str | Path) -> CalibrationSpec:
    """A calibration spec by name (``baseline_1987``) or by path to its YAML file."""
    path = Path(name_or_path)
    if path.suffix != ".yaml":
        path = CALIBRATION_DIR / f"{name_or_path}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in CALIBRATION_DIR.glob("*.yaml"))
        raise ParameterError(
            f"calibration {str(name_or_path)!r}: no file {path}; known: {', '.join(known)}"
        )
    raw = yaml.safe_load(path.read_text()) or {}
    priors = raw.get("priors")
    if not isinstance(priors, dict) or not priors:
        raise ParameterError(f"{path}: priors: expected a map of parameter paths to [lo, hi, why]")
    rate = raw.get("min_acceptance_rate", 0.0)
    if not isinstance(rate, (int, float)) or not 0 <= rate < 1:
        raise ParameterError(f"{path}: min_acceptance_rate = {rate!r}: expected a value in [0, 1)")
    overrides = raw.get("overrides", [])
    if not isinstance(overrides, list) or not all(isinstance(o, str) for o in overrides):
        raise ParameterError(f"{path}: overrides = {overrides!r}: expected a list of strings")
    tolerance = raw.get("tolerance", "adaptive")
    if tolerance != "adaptive" and not (
        isinstance(tolerance, list)
        and tolerance
        and all(isinstance(t, (int, float)) and t >= 0 for t in tolerance)
        and tolerance[-1] == 0
        and all(a > b for a, b in itertools.pairwise(tolerance))
    ):
        raise ParameterError(
            f"{path}: tolerance = {tolerance!r}: expected 'adaptive' or a decreasing list of "
            "tolerances ending at 0"
        )
    return CalibrationSpec(
        tolerance=tolerance if tolerance == "adaptive" else tuple(map(float, tolerance)),
        name=str(raw.get("name", path.stem)),
        overrides=tuple(overrides),
        replications=_setting(raw, "replications", path),
        population=_setting(raw, "population", path),
        max_generations=_setting(raw, "max_generations", path),
        max_simulations=_setting(raw, "max_simulations", path),
        min_acceptance_rate=float(rate),
        seed=_setting(raw, "seed", path),
        priors=tuple(check_prior(k, v, path) for k, v in priors.items()),
        source=path,
    )
