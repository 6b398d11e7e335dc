"""Command-line overrides checked against the parameter schema before anything runs.

Hydra accepts ``+scenario.arest_rate=0.2`` (a typo with the ``+`` it suggests) by adding a key
no model reads, and reports ``steps=ten`` in OmegaConf's words. Here every override key must
name a declared parameter (the nearest valid name is suggested), and every value of a sweep is
checked against its parameter's type and range, so an invalid plan is refused whole, naming
each bad point, before a job starts. Rules between parameters (attention shares summing to 1)
need each point's whole config: the sweep callback checks them, also before a job starts
(``experiments.callbacks.check_plan``).
"""

import dataclasses
import difflib
import functools
import math
from typing import Any

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override

from sim.params import ParameterError
from sim.params.schema import allowed

GROUPS = frozenset({"experiment", "scenario", "strategy"})  # config groups: chosen by name


@functools.cache
def parameter_paths(root: type) -> dict[str, dataclasses.Field | None]:
    """Every settable dotted path under ``root``: leaf fields, and the keys of per-key fields
    (``scenario.factions.influence.reformers``). Free-form mappings map ``path.*`` to None."""
    out: dict[str, dataclasses.Field | None] = {}

    def walk(cls: type, prefix: str) -> None:
        for f in dataclasses.fields(cls):
            path = f"{prefix}{f.name}"
            if isinstance(f.type, type) and dataclasses.is_dataclass(f.type):
                walk(f.type, f"{path}.")
                continue
            out[path] = f
            keys = f.metadata.get("keys") if f.metadata else None
            if keys:
                out.update({f"{path}.{k}": None for k in keys})
            elif getattr(f.type, "__origin__", None) is dict:
                out[f"{path}.*"] = None

    walk(root, "")
    return out


def _known(key: str, paths: dict[str, Any]) -> bool:
    parts = key.split(".")
    return key in paths or any(".".join(parts[:i]) + ".*" in paths for i in range(1, len(parts)))


def suggestion(key: str, paths: dict[str, Any]) -> str:
    """The nearest declared name: by its last part (a typo, or a group left out), else by the
    whole path."""
    names = [p for p in paths if not p.endswith(".*")]
    last = key.rsplit(".", 1)[-1]
    by_last: dict[str, list[str]] = {}
    for p in names:
        by_last.setdefault(p.rsplit(".", 1)[-1], []).append(p)
    close = [
        difflib.get_close_matches(key, by_last[m], n=1, cutoff=0.0)[0]
        for m in difflib.get_close_matches(last, list(by_last), n=1, cutoff=0.75)
    ]
    close = close or difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""


def _values(override: Override) -> list[Any]:
    if override.is_sweep_override():
        return list(override.sweep_iterator())
    return [override.value()]


def _check_value(key: str, value: Any, f: dataclasses.Field) -> str | None:
    """Why ``value`` is not allowed for field ``f``, or None."""
    if isinstance(value, str) and "${" in value:
        return None  # an interpolation: checked once resolved, when the job's config is built
    meta = dict(f.metadata) if f.metadata else {}
    if meta.get("check"):
        why = meta["check"](value)
        return f"{key} = {value!r}: {why}" if why else None
    if f.type in (int, float):
        ok = (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and (f.type is float or isinstance(value, int))
            and not (isinstance(value, float) and math.isnan(value))
        )
        if not ok:
            return f"{key} = {value!r}: expected {f.type.__name__}, {allowed(meta, f.type)}"
        lo, hi = meta.get("lo"), meta.get("hi")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            return f"{key} = {value!r}: out of range, expected {allowed(meta, f.type)}"
    elif f.type is bool and not isinstance(value, bool):
        return f"{key} = {value!r}: expected true or false"
    elif meta.get("choices") and value not in meta["choices"]:
        return f"{key} = {value!r}: not allowed, expected {allowed(meta, f.type)}"
    return None


def _check_entry(key: str, value: Any, parent: dataclasses.Field) -> str | None:
    """One entry of a per-key mapping (``scenario.factions.influence.reformers``): a number in
    the mapping's range."""
    meta = dict(parent.metadata)
    if isinstance(value, str) and "${" in value:
        return None
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value != value:
        return f"{key} = {value!r}: expected a number, {allowed(meta)}"
    lo, hi = meta.get("lo"), meta.get("hi")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        return f"{key} = {value!r}: out of range, expected {allowed(meta)}"
    return None


def experiment_sweep(overrides: list[str], config_dir) -> list[str]:
    """The sweep of the experiment named in ``overrides`` (``hydra.sweeper.params`` of its
    file) as overrides, so its points are checked before launch like command-line ones. A
    swept key also set on the command line is the command line's."""
    import yaml

    names = [o.split("=", 1)[1] for o in overrides if o.split("=", 1)[0] == "experiment"]
    if not names:
        return []
    path = config_dir / "experiment" / f"{names[-1]}.yaml"
    if not path.exists():
        return []  # Hydra names a missing experiment itself
    data = yaml.safe_load(path.read_text()) or {}
    params = ((data.get("hydra") or {}).get("sweeper") or {}).get("params") or {}
    given = {o.split("=", 1)[0].lstrip("+~") for o in overrides}
    return [f"{k}={v}" for k, v in params.items() if k not in given]


def check_overrides(overrides: list[str], root: type) -> None:
    """Refuse unknown keys (with or without ``+``) and values outside their parameter's type
    or range, every value of a sweep included: one ParameterError naming every bad one."""
    paths = parameter_paths(root)
    parser = OverridesParser.create()
    parsed = []
    for item in overrides:
        try:
            parsed += parser.parse_overrides([item])
        except Exception:  # Hydra's own message about the syntax is the clearer one
            continue
    problems = []
    for o in parsed:
        key = o.key_or_group
        if key.startswith("hydra") or key in GROUPS or "/" in key or o.is_delete():
            continue
        if not _known(key, paths):
            problems.append(f"{key}: no such parameter{suggestion(key, paths)}")
            continue
        f = paths.get(key)
        parent = paths.get(key.rsplit(".", 1)[0]) if f is None and "." in key else None
        for value in _values(o):
            if f is not None:
                why = _check_value(key, value, f)
            elif parent is not None and parent.metadata.get("keys"):
                why = _check_entry(key, value, parent)  # one key of a per-key parameter
            else:
                why = None
            if why:
                problems.append(why)
    if problems:
        more = "" if len(problems) == 1 else f" ({len(problems)} problems)"
        raise ParameterError("; ".join(problems) + more)
