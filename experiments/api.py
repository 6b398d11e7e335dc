"""The Python API: presets by name, parameter points run on paired seeds, the report.

For notebooks and for drivers that run the model many times (the EMA Workbench, an optimiser):
``load_params`` reads the same YAML presets the command line composes, without Hydra's
compose or its launcher plugins, in milliseconds, and validates the result exactly as a job
does. ``run_points`` runs a list of parameter points with the sweep's paired seeds and returns
their outcomes, or writes them as a sweep folder that ``report`` (and ``reform-analyze``)
reads::

    from experiments.api import load_params, run_points, report
    points = [load_params("baseline_1987", s, steps=104) for s in ("institutionalization",
              "case_focus")]
    outcomes = run_points(points, replications=50, out="my_sweep")
    report("my_sweep")
"""

import copy
import dataclasses
import functools
import json
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from experiments.aggregate import aggregate
from experiments.config import (
    CONFIG_DIR,
    RunConfig,
    check_strategy_overrides,
    presets,
    remainder_share,
)
from experiments.overrides import check_overrides
from experiments.results import PLAN, mark_checked, write_text
from experiments.runner import run_point, run_replications
from sim.params import ParameterError, ScenarioParams, numeric_paths


@functools.cache
def _yaml(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _preset(group: str, name: str) -> dict[str, Any]:
    path = CONFIG_DIR / group / f"{name}.yaml"
    if not path.exists():
        raise ParameterError(
            f"{group} = {name!r}: no such preset; expected one of {presets(group)}"
        )
    return _yaml(path)


def _main_values() -> dict[str, Any]:
    """The top-level values of configs/config.yaml (what the command line starts from)."""
    data = dict(_yaml(CONFIG_DIR / "config.yaml"))
    return {k: v for k, v in data.items() if k not in ("defaults", "hydra")}


def load_params(
    scenario: str = "baseline_1987",
    strategy: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    **values: Any,
) -> RunConfig:
    """A validated run config from preset names, equal to what ``reform-sim scenario=...
    strategy=...`` composes. ``overrides`` takes dotted keys (``{"strategy.n_lists": 4}``),
    keyword arguments top-level ones (``steps=52``); scenario values set here are pinned, as
    on the command line: never replaced by a posterior draw. Unknown names are refused, and so
    is a ``strategy`` beside ``strategies`` (it would name a preset that never runs). Without
    either, the strategy is the status quo.

    Built from plain dicts and the dataclasses, not OmegaConf: a structured config costs
    about 0.1 s to create, more than the short runs a driver makes."""
    items = {**(overrides or {}), **values}
    typed = [f"{k}={_hydra_value(v)}" for k, v in items.items()]
    check_overrides(typed, RunConfig)
    data = copy.deepcopy(_defaults())
    _merge(data, _main_values())
    _merge(data, {"scenario": _preset("scenario", scenario)})
    _merge(data, {"strategy": _preset("strategy", strategy or "status_quo_1987")})
    for key, value in items.items():
        *path, last = key.split(".")
        node = data
        for part in path:
            node = node.setdefault(part, {})
        if isinstance(value, Mapping) and isinstance(node.get(last), dict):
            _merge(node[last], value)  # a mapping merges key by key, as OmegaConf merges it
        else:
            node[last] = _parsed(key, value)
    remainder_share(data["strategy"], {k.removeprefix("strategy.") for k in items})
    numeric = numeric_paths(ScenarioParams)
    pins = {k.removeprefix("scenario.") for k in items if k.removeprefix("scenario.") in numeric}
    if pins:
        data["scenario"]["pinned"] = sorted(set(data["scenario"].get("pinned") or []) | pins)
    run = _build(RunConfig, data)
    named = [f"strategy={strategy}"] if strategy is not None else []
    check_strategy_overrides(run, named + [f"{k}={v}" for k, v in items.items()])
    return run


@functools.cache
def _defaults() -> dict[str, Any]:
    return _plain(dataclasses.asdict(RunConfig()))


def _plain(v: Any) -> Any:
    """Plain dicts and lists (the validated parameters hold read-only mappings)."""
    if isinstance(v, Mapping):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


def _merge(into: dict[str, Any], new: Mapping[str, Any]) -> None:
    """Merge nested mappings as OmegaConf does: mappings key by key, anything else replaced."""
    for k, v in new.items():
        if isinstance(v, Mapping) and isinstance(into.get(k), dict):
            _merge(into[k], v)
        else:
            into[k] = copy.deepcopy(v)


def _build(cls: type, data: Mapping[str, Any]) -> Any:
    """The dataclass tree from nested dicts; each class validates itself when built. An int
    where a float is declared becomes a float, as OmegaConf converts it."""
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        v = data[f.name]
        if isinstance(f.type, type) and dataclasses.is_dataclass(f.type):
            v = _build(f.type, v)
        elif f.type is float and isinstance(v, int) and not isinstance(v, bool):
            v = float(v)
        elif getattr(f.type, "__args__", None) == (str, float) and isinstance(v, Mapping):
            v = {
                k: float(x) if isinstance(x, int) and not isinstance(x, bool) else x
                for k, x in v.items()
            }
        kwargs[f.name] = v
    return cls(**kwargs)


def _parsed(key: str, value: Any) -> Any:
    """A string value read as the command line reads it ("0.5" is a number, "true" a bool)."""
    if not isinstance(value, str):
        return value
    from hydra.core.override_parser.overrides_parser import OverridesParser

    try:
        return OverridesParser.create().parse_overrides([f"{key}={value}"])[0].value()
    except Exception:  # not valid override syntax: left as text, for validation to name
        return value


def _hydra_value(value: Any) -> str:
    """A Python value as the override grammar writes it (for the shared checks)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_hydra_value(v) for v in value) + "]"
    return str(value)


def run_points(
    points: Sequence[RunConfig],
    replications: int | str | None = None,
    out: str | Path | None = None,
) -> pd.DataFrame:
    """Outcomes of every point on the same paired seeds (replication r takes the seed of
    (root seed, r) at every point), with a ``point`` column and a column for each parameter
    that differs between the points. With ``out``, each point is a job folder of a sweep
    there (checkpointed, resumable, with metadata) and the sweep is aggregated for the
    report."""
    if not points:
        raise ParameterError("points = []: expected at least one parameter point")
    if replications is not None:
        points = [dataclasses.replace(p, replications=replications) for p in points]
    varied = _varied(points)
    columns = [{k: v[i] for k, v in varied.items()} for i in range(len(points))]
    names = []
    for i, cols in enumerate(columns):
        name = ",".join(f"{k}={v}" for k, v in cols.items())
        names.append(name if 0 < len(name) <= 150 else f"point={i}")  # file names have a limit
    if out is not None:  # a plan, as a sweep has: other folders in ``out`` are not ours
        plan = {"id": uuid.uuid4().hex, "sweep_name": "api", "folders": names}
        plan |= {"root_seed": sorted({p.seed for p in points}), "total": len(points)}
        write_text(json.dumps(plan, indent=2), Path(out) / PLAN)
    frames = []
    for i, p in enumerate(points):
        if out is None:
            df = run_replications(p, columns[i])[0]
        else:
            df = run_point(p, Path(out) / names[i], columns[i]).outcomes
            mark_checked(Path(out) / names[i])
        frames.append(df.assign(point=i))
    if out is not None:
        aggregate(Path(out))
    return pd.concat(frames, ignore_index=True)


def _varied(points: Sequence[RunConfig]) -> dict[str, list[Any]]:
    """The columns a sweep would record for its swept keys: the preset names where they
    differ, and each parameter that differs between points of the same preset (a value a
    preset sets is told by the preset's name)."""
    flat = [_flatten(dataclasses.asdict(p)) for p in points]
    names = {"scenario.name": "scenario", "strategy.name": "strategy"}
    out: dict[str, list[Any]] = {}
    for k in flat[0]:
        values = [f.get(k) for f in flat]
        if k.startswith(("scenario.pinned", "scenario.shifts")) or len(set(map(repr, values))) == 1:
            continue
        group = k.split(".", 1)[0]
        if group in ("scenario", "strategy") and k not in names:
            same_preset: dict[Any, set[str]] = {}
            for f in flat:
                same_preset.setdefault(f[f"{group}.name"], set()).add(repr(f.get(k)))
            if all(len(v) == 1 for v in same_preset.values()):
                continue
        kinds = {
            "number" if isinstance(v, (int, float)) and not isinstance(v, bool) else type(v)
            for v in values
            if v is not None
        }
        if len(kinds) > 1:  # a column of one type (replications 10 and "auto": text)
            values = [None if v is None else str(v) for v in values]
        out[names.get(k, k)] = values
    return out


def _flatten(d: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        if isinstance(v, Mapping):
            out.update(_flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def report(sweep_dir: str | Path, out: str | Path | None = None, headline: str = "rollback"):
    """The report of a sweep folder (what ``reform-analyze`` writes); returns its Report."""
    from analysis.load import check_headline, load_sweep
    from analysis.report import build

    sweep = load_sweep(Path(sweep_dir))
    check_headline(sweep.outcomes, headline)
    return build(sweep, Path(out) if out else Path(sweep_dir) / "report", headline)
