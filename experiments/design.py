"""Designs over uncertain scenario parameters: a Saltelli/Sobol sample (SALib) for Sobol
indices, or a Latin hypercube (scipy.stats.qmc) for scenario discovery.

The design is drawn deterministically from its own seed, so every Hydra job of a sweep draws the
same points and runs only its chunk; results carry ``design_point`` (the row of the design) so
that analysis can compute Sobol indices, or find PRIM boxes, from the aggregated outcomes. A
Saltelli design's rows are not an i.i.d. sample (most of them mix two base points one parameter
at a time), which is why scenario discovery has a design of its own.
"""

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.params import LEGACY_NAMES, ParameterError, ScenarioParams, leaf_fields, param

DESIGN_KINDS = ("none", "sobol", "lhs")


@dataclass
class DesignConfig:
    """Which design points a job runs: one (none) or a chunk of a Sobol or Latin-hypercube
    design."""

    kind: str = param("none", help="design of parameter points", choices=DESIGN_KINDS)
    n_base: int = param(
        64,
        1,
        1_048_576,
        help="N: Saltelli base samples (sobol: N (D + 2) points) or points (lhs: N points)",
    )
    second_order: bool = param(False, help="also sample for second-order indices")
    seed: int = param(2026, 0, 2**32 - 1, help="seed of the design (not of the model runs)")
    chunks: int = param(1, 1, 100_000, help="number of chunks the design is split into")
    chunk: int = param(0, 0, 100_000, help="the chunk this job runs")
    parameters: dict[str, list[float]] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        from sim.params import validate

        validate(self, "design")
        if self.chunk >= self.chunks:
            raise ParameterError(
                f"design.chunk = {self.chunk}: out of range, expected 0 to {self.chunks - 1}"
            )
        if self.kind != "none":
            check_parameters(self.parameters)


def check_parameters(parameters: dict[str, list[float]]) -> None:
    """Each uncertain parameter is a float scenario parameter (``leadership.crackdown_depth``),
    with [lo, hi] inside its declared range."""
    if not parameters:
        raise ParameterError("design.parameters is empty: a design needs parameters")
    fields = leaf_fields(ScenarioParams)
    for name, bounds in parameters.items():
        f = fields.get(name)
        if f is None or f.type is not float:
            if name in LEGACY_NAMES:
                raise ParameterError(
                    f"design.parameters.{name}: scenario parameters are grouped by submodel "
                    f"since 0.2; this one is now {LEGACY_NAMES[name]}"
                )
            allowed = ", ".join(n for n, g in fields.items() if g.type is float)
            raise ParameterError(
                f"design.parameters.{name}: not a float scenario parameter, "
                f"expected one of {allowed}"
            )
        if len(bounds) != 2 or not bounds[0] < bounds[1]:
            raise ParameterError(
                f"design.parameters.{name} = {list(bounds)}: expected [lo, hi], lo < hi"
            )
        lo, hi = f.metadata["lo"], f.metadata["hi"]
        if bounds[0] < lo or bounds[1] > hi:
            raise ParameterError(
                f"design.parameters.{name} = {list(bounds)}: outside the allowed [{lo:g}, {hi:g}]"
            )


def problem(design: DesignConfig) -> dict[str, Any]:
    """The SALib problem definition (also what analysis needs to compute the indices)."""
    names = list(design.parameters)
    return {
        "num_vars": len(names),
        "names": names,
        "bounds": [list(map(float, design.parameters[n])) for n in names],
    }


def sample(design: DesignConfig) -> np.ndarray:
    """Every point of the design, one row each, in the parameters' order."""
    # Imported here: SALib and scipy.stats take half a second to import, and every job process
    # imports this module, most of them to run no design at all.
    if design.kind == "lhs":
        from scipy.stats import qmc

        bounds = np.array(problem(design)["bounds"])
        unit = qmc.LatinHypercube(d=len(bounds), seed=design.seed).random(design.n_base)
        return qmc.scale(unit, bounds[:, 0], bounds[:, 1])
    from SALib.sample import sobol

    return sobol.sample(
        problem(design), design.n_base, calc_second_order=design.second_order, seed=design.seed
    )


def chunk_rows(n_points: int, chunks: int) -> list[np.ndarray]:
    """The design rows of each chunk (contiguous, sizes differing by at most one): the runner
    takes its chunk's rows from here and the analysis names missing chunks from here."""
    return np.array_split(np.arange(n_points), chunks)


def design_points(design: DesignConfig) -> list[tuple[int | None, dict[str, float]]]:
    """(design index, scenario values) for each point this job runs."""
    if design.kind == "none":
        return [(None, {})]
    x = sample(design)
    names = list(design.parameters)
    rows = chunk_rows(len(x), design.chunks)[design.chunk]
    return [(int(i), {n: float(v) for n, v in zip(names, x[i], strict=True)}) for i in rows]
