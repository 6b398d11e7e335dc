"""The machinery behind every parameter: declared range, meaning and source; validation; freezing.

A parameter is declared once, with ``param``: its default, range, one-line meaning and memo
paragraph live in the dataclass field's metadata. ``Params`` subclasses validate themselves when
built and are immutable afterwards (change one with ``dataclasses.replace``), so a run can never
see a parameter that was edited after it was checked.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import field
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np


class ParameterError(ValueError):
    """A parameter is of the wrong type or outside its allowed range."""


def param(
    default: Any,
    lo: float | None = None,
    hi: float | None = None,
    *,
    help: str,
    memo: str = "",
    choices: tuple[str, ...] | None = None,
    keys: tuple[str, ...] | None = None,
    allows: str = "",
    check: Callable[[Any], str | None] | None = None,
) -> Any:
    """A dataclass field whose metadata records range, meaning and memo source (``allows``
    says in words what it accepts where its type and range do not; ``check`` returns why a
    value of such a field is refused, or None)."""
    meta = {"lo": lo, "hi": hi, "help": help, "memo": memo, "choices": choices, "keys": keys}
    meta |= {"allows": allows, "check": check}
    if isinstance(default, (dict, list)):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


class FrozenDict(dict):
    """A dict that refuses changes: per-dimension and per-faction parameters, once validated."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("parameters are immutable once validated; use dataclasses.replace")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]
    __ior__ = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type, tuple[dict]]:
        return FrozenDict, (dict(self),)


class Params:
    """Base of every parameter dataclass: validated on construction, immutable afterwards.

    ``PREFIX`` is the config path of the class (``scenario.groups``), so every message names
    the full key a user would type.
    """

    PREFIX: ClassVar[str] = ""

    def __post_init__(self) -> None:
        validate(self, self.PREFIX)
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, dict) and not isinstance(value, FrozenDict):
                object.__setattr__(self, f.name, FrozenDict(value))
            elif isinstance(value, list):
                object.__setattr__(self, f.name, tuple(value))
        object.__setattr__(self, "_frozen", True)

    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(self, "_frozen", False):
            raise dataclasses.FrozenInstanceError(
                f"{self.PREFIX or type(self).__name__}.{name}: parameters are immutable once "
                "validated; build a new object with dataclasses.replace"
            )
        object.__setattr__(self, name, value)


def _type_ok(value: Any, ftype: Any) -> bool:
    if ftype is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if ftype is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if ftype in (str, bool):
        return isinstance(value, ftype)
    return True  # containers are checked entry by entry below


def _num(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:g}"


def allowed(meta: dict[str, Any], ftype: Any = None) -> str:
    """What a field accepts, in words (used in every message and in the generated tables)."""
    lo, hi = meta["lo"], meta["hi"]
    if meta.get("allows"):
        return meta["allows"]
    if meta["choices"]:
        return f"one of {', '.join(meta['choices'])}"
    if lo is not None and hi is not None:
        return f"a value in [{_num(lo)}, {_num(hi)}]"
    if ftype is bool:
        return "true or false"
    if ftype == list[str]:
        return "names of reform items (docs/ODD.md)"
    return "any text" if ftype is str else "a valid value"


def _check_number(name: str, value: Any, meta: dict[str, Any], kind: type) -> None:
    if not _type_ok(value, kind) or (isinstance(value, float) and math.isnan(value)):
        raise ParameterError(f"{name} = {value!r}: expected {kind.__name__}, {allowed(meta)}")
    lo, hi = meta["lo"], meta["hi"]
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ParameterError(f"{name} = {value!r}: out of range, expected {allowed(meta)}")


def outside_range(values: np.ndarray, f: dataclasses.Field) -> np.ndarray:
    """Which of many values (floats, as read from a file: a posterior's particles) the numeric
    parameter ``f`` refuses, by the rules ``validate`` applies to one: not a finite number, not
    whole for an int, or outside its range. Returns the mask and leaves the message to the
    reader, which knows the file and the row (``allowed`` words what is accepted)."""
    meta = f.metadata
    bad = ~np.isfinite(values)
    if f.type is int:
        bad |= values != np.round(values)
    if meta["lo"] is not None:
        bad |= values < meta["lo"]
    if meta["hi"] is not None:
        bad |= values > meta["hi"]
    return bad


def validate(obj: Any, prefix: str) -> None:
    """Check every field against its declared type and range; raise one clear ParameterError."""
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        name = f"{prefix}.{f.name}" if prefix else f.name
        meta = dict(f.metadata)
        if not meta:
            continue
        if meta.get("check"):
            why = meta["check"](value)
            if why:
                raise ParameterError(f"{name} = {value!r}: {why}")
            continue
        if meta["choices"] and value not in meta["choices"]:
            raise ParameterError(f"{name} = {value!r}: not allowed, expected {allowed(meta)}")
        if isinstance(value, dict):
            _check_mapping(name, value, meta)
        elif isinstance(value, (list, tuple)):
            if not all(isinstance(v, str) for v in value):
                raise ParameterError(f"{name} = {list(value)!r}: expected a list of names")
        elif f.type in (int, float):
            _check_number(name, value, meta, f.type)
        elif not _type_ok(value, f.type):
            raise ParameterError(f"{name} = {value!r}: expected {f.type.__name__}")


def _check_mapping(name: str, value: dict[str, Any], meta: dict[str, Any]) -> None:
    keys = meta["keys"]
    if keys and set(value) != set(keys):
        raise ParameterError(f"{name} has keys {sorted(value)}: expected exactly {list(keys)}")
    for k, v in value.items():
        _check_number(f"{name}.{k}", v, meta, float)


def field_docs(cls: type) -> list[dict[str, Any]]:
    """Name, default, range, meaning and memo source of each field, for docs and dashboards."""
    rows = []
    for f in dataclasses.fields(cls):
        if not f.metadata:
            continue
        m = f.metadata
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
        rows.append(
            {
                "name": f.name,
                "type": getattr(f.type, "__name__", str(f.type)),
                "default": default,
                "allowed": allowed(dict(m), f.type),
                "help": m["help"],
                "memo": m["memo"],
            }
        )
    return rows


@functools.cache
def leaf_fields(cls: type, prefix: str = "") -> Mapping[str, dataclasses.Field]:
    """Every declared parameter under ``cls`` by its dotted path (``leadership.reform_step``).

    Cached and read-only: a run resolves its scenario through it, so it must not walk the
    dataclasses anew each time."""
    out: dict[str, dataclasses.Field] = {}
    for f in dataclasses.fields(cls):
        path = f"{prefix}{f.name}"
        if isinstance(f.type, type) and dataclasses.is_dataclass(f.type):
            out |= leaf_fields(f.type, f"{path}.")
        elif f.metadata:
            out[path] = f
    return MappingProxyType(out)


@functools.cache
def numeric_paths(cls: type) -> frozenset[str]:
    """Paths of the int and float parameters under ``cls``: those a posterior, a shift or a
    pin can name."""
    return frozenset(p for p, f in leaf_fields(cls).items() if f.type in (int, float))
