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
    args = parser.parse_args(argv)
    try:
        sweep = load_sweep(args.sweep_dir)
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


if __name__ == "__main__":
    sys.exit(main())
