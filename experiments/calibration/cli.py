"""``reform-calibrate``: ABC-SMC of a scenario to the 1987 patterns, then its predictive check.

    reform-calibrate                      # configs/calibration/baseline_1987.yaml, every core
    reform-calibrate --workers 8          # the same posterior, faster: it depends on the seed only
    reform-calibrate --check-only         # redo the posterior-predictive check from the file

Writes the posterior beside the spec (``<name>.parquet``, with ``<name>.json``: command, seed,
versions, tolerance schedule, wall time) and the check (table and figure) under ``--report``.
"""

import argparse
import json
import os
import sys
from pathlib import Path

from sim.params import ParameterError

DEFAULT_REPORT = Path("outputs") / "calibration"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reform-calibrate",
        description="Calibrate a scenario to the memo's 1987 patterns by ABC-SMC (pyabc).",
    )
    p.add_argument("spec", nargs="?", default="baseline_1987", help="name or path of the spec")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes")
    p.add_argument("--seed", type=int, help="override the spec's seed")
    p.add_argument("--population", type=int, help="override the particles per generation")
    p.add_argument("--max-generations", type=int, help="override the spec's limit")
    p.add_argument("--max-simulations", type=int, help="override the spec's limit")
    p.add_argument("--out", type=Path, help="posterior file (default: beside the spec)")
    p.add_argument("--report", type=Path, default=DEFAULT_REPORT, help="folder of the check")
    p.add_argument("--check-draws", type=int, default=100, help="posterior draws in the check")
    p.add_argument("--check-only", action="store_true", help="only the predictive check")
    return p


def _positive(name: str, value: int | None) -> None:
    if value is not None and value < 1:
        raise ParameterError(f"--{name} = {value}: expected a positive integer")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        for name in ("workers", "population", "max_generations", "max_simulations", "check_draws"):
            _positive(name.replace("_", "-"), getattr(args, name))
        from experiments.calibration.spec import load_spec

        spec = load_spec(args.spec)
        changed = [n for n in ("seed", "population", "max_generations", "max_simulations")
                   if getattr(args, n) is not None]  # fmt: skip
        if changed and args.out is None and not args.check_only:
            raise ParameterError(
                f"--{changed[0].replace('_', '-')} changes the calibration, so it needs --out: "
                f"{spec.source.with_suffix('.parquet')} stays the spec's own posterior"
            )
        out = args.out or spec.source.with_suffix(".parquet")
        if args.seed is not None:
            import dataclasses

            spec = dataclasses.replace(spec, seed=args.seed)
        if not args.check_only:
            from experiments.calibration.store import calibrate_and_save

            limits = {
                k: v
                for k, v in {
                    "population": args.population,
                    "max_generations": args.max_generations,
                    "max_simulations": args.max_simulations,
                }.items()
                if v is not None
            }
            meta = calibrate_and_save(spec, out, args.workers, limits, argv or sys.argv[1:])
            print(json.dumps({k: meta[k] for k in ("particles", "simulations", "seconds")}))
        from experiments.calibration.check import predictive_check

        table = predictive_check(spec, out, args.report, args.check_draws, args.workers)
        print(table.to_string(index=False))
        print(f"posterior: {out}\ncheck: {args.report}")
    except ParameterError as err:
        print(f"reform-calibrate: {err}", file=sys.stderr)
        return 2
    return 0
