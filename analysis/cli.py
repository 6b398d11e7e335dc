"""``reform-analyze SWEEP_DIR --out report/``: statistics, figures and a report from a sweep."""

import argparse
import sys
from pathlib import Path

from analysis.load import AnalysisError, check_headline, load_sweep


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="reform-analyze", description=__doc__)
    parser.add_argument("sweep_dir", type=Path, help="a sweep folder (hydra.sweep.dir)")
    parser.add_argument(
        "--out", type=Path, default=None, help="report folder (default SWEEP_DIR/report)"
    )
    parser.add_argument(
        "--headline",
        default="rollback",
        help="the 0/1 outcome the headline compares (default: rollback, the sustained "
        "reversal; also dip, floors_pierced, or any 0/1 column of the results)",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        help="rollback and dip at this fall below the peak instead of the run's "
        "rollback_threshold (from the recorded sustained drawdown; no series needed)",
    )
    parser.add_argument(
        "--persistence",
        type=int,
        help="weeks a fall must last to be rollback (recomputed from the weekly series)",
    )
    parser.add_argument(
        "--burn-in",
        type=int,
        help="weeks at the start not counted (recomputed from the weekly series)",
    )
    args = parser.parse_args(argv)
    try:
        sweep = load_sweep(args.sweep_dir)
        redefine(sweep, args.threshold, args.persistence, args.burn_in)
        check_headline(sweep.outcomes, args.headline)
    except AnalysisError as err:
        print(f"reform-analyze: error: {err}", file=sys.stderr)
        return 2
    from analysis.report import build  # matplotlib only once the input is known to be good

    out = args.out or args.sweep_dir / "report"
    rep = build(sweep, out, args.headline)
    print(
        f"report: {out / 'report.html'} (and report.md); {len(rep.figures)} figures in "
        f"{out / 'figures'}, tables in {out / 'tables'}"
    )
    if rep.absent:
        print("not produced (no data for them): " + ", ".join(rep.absent))
    return 0


def redefine(sweep, threshold: float | None, persistence: int | None, burn_in: int | None):
    """Apply outcome definitions chosen at analysis time to the sweep's outcomes."""
    from analysis.thresholds import at_threshold, from_series

    cfg = sweep.job_config
    if threshold is not None and not 0 < threshold < 1:
        raise AnalysisError(f"--threshold = {threshold}: expected a fall in (0, 1)")
    t = cfg.get("rollback_threshold", 0.10) if threshold is None else threshold
    if persistence is not None or burn_in is not None:
        p = cfg.get("rollback_persistence", 26) if persistence is None else persistence
        b = burn_in or 0
        sweep.outcomes = from_series(sweep.outcomes, sweep.timeseries, t, p, b)
        sweep.job_config = cfg | {"rollback_persistence": p, "burn_in": b}
    elif threshold is not None:
        sweep.outcomes = at_threshold(sweep.outcomes, t)
    sweep.job_config = sweep.job_config | {"rollback_threshold": t}


if __name__ == "__main__":
    sys.exit(main())
