"""The path table: how each strategy lever moves L, F, crackdowns and rollback, with intervals.

    python -m analysis.paths [--reps 30] [--steps 156] [--scenario baseline_1987] [--out FILE]

From the 1987 status quo, each lever is moved alone (one lever per arm) on the same paired seeds,
and the paired difference of each outcome is reported as a mean with a 95% t interval, for
today's model ("now") and for the model of 0.2 ("0.2": ``experiments/legacy.py``). Both let the
strategy act from week 0, so the two columns differ only by the causal paths added since 0.2.
"""

import argparse
import sys
from pathlib import Path

import pandas as pd

from analysis.stats import paired_effect
from experiments.config import compose_run_config
from experiments.legacy import MODEL_0_2, SCENARIOS_0_2
from experiments.runner import run_replications
from sim.params.strategy import MEMO_ASKS
from sim.params.vocabulary import ITEM_KEYS

OUTCOMES = {
    "final_liberalization": "final L",
    "final_codified": "final F",
    "crackdowns": "crackdowns",
    "rollback": "rollback",
}
# (label, overrides that move one lever away from the status quo)
LEVERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pressure 1 -> 0 (no pressure)", ("strategy.pressure=0.0",)),
    (
        "share_institutions 0.3 -> 0.7 (cases 0.6 -> 0.2)",
        ("strategy.share_institutions=0.7", "strategy.share_cases=0.2"),
    ),
    ("n_lists 8 -> 1", ("strategy.n_lists=1",)),
    ("list_size 300 -> 100", ("strategy.list_size=100",)),
    ("list_accuracy 0.8 -> 0.95", ("strategy.list_accuracy=0.95",)),
    ("prioritized no -> yes", ("strategy.prioritized=true",)),
    ("category_statements no -> yes", ("strategy.category_statements=true",)),
    ("coordination 0.3 -> 0.9", ("strategy.coordination=0.9",)),
    ("sidetrack_resistance 0.2 -> 0.8", ("strategy.sidetrack_resistance=0.8",)),
    ("public_diplomacy 0.2 -> 0.7", ("strategy.public_diplomacy=0.7",)),
    ("publicity 0.4 -> 0.1", ("strategy.publicity=0.1",)),
    ("multilateral_framing 0.5 -> 0.9", ("strategy.multilateral_framing=0.9",)),
    ("document_emphasis 0.5 -> 0.2", ("strategy.document_emphasis=0.2",)),
    ("agenda_focus 0 -> 0.8", ("strategy.agenda_focus=0.8",)),
    ("linkage 0.2 -> 0.8", ("strategy.linkage=0.8",)),
    ("conference_conditionality 0.5 -> 1", ("strategy.conference_conditionality=1.0",)),
    ("conference_conditionality 0.5 -> 0", ("strategy.conference_conditionality=0.0",)),
    ("asks: the items of ¶7 -> every item", ("strategy.asks=[" + ",".join(ITEM_KEYS) + "]",)),
)
NOW = ("strategy.start_week=0", "strategy.asks=[" + ",".join(MEMO_ASKS) + "]")


def _outcomes(overrides: tuple[str, ...], reps: int, steps: int) -> pd.DataFrame:
    cfg = compose_run_config([*overrides, f"replications={reps}", f"steps={steps}"])
    return run_replications(cfg)[0]


def path_table(reps: int, steps: int, scenario: str) -> pd.DataFrame:
    """One row per lever; per outcome the effect now and in 0.2 (lever unknown to 0.2: '-')."""
    rows = []
    models = {"now": NOW, "0.2": (*MODEL_0_2, *SCENARIOS_0_2.get(scenario, ()))}
    bases = {
        name: _outcomes((f"scenario={scenario}", "strategy=status_quo_1987", *extra), reps, steps)
        for name, extra in models.items()
    }
    for label, lever in LEVERS:
        row = {"lever": label}
        for name, extra in models.items():
            new_only = lever[0].startswith(
                (
                    "strategy.linkage",
                    "strategy.asks",
                    "strategy.agenda_focus",
                    "strategy.conference",
                )
            )
            if name == "0.2" and new_only:
                for col in OUTCOMES.values():
                    row[f"{col} ({name})"] = "-"
                continue
            base = bases[name]
            arm = _outcomes(
                (f"scenario={scenario}", "strategy=status_quo_1987", *extra, *lever), reps, steps
            )
            assert (arm["seed"].to_numpy() == base["seed"].to_numpy()).all()
            for col, short in OUTCOMES.items():
                diff = arm[col].astype(float).to_numpy() - base[col].astype(float).to_numpy()
                row[f"{short} ({name})"] = str(paired_effect(diff))
        rows.append(row)
    order = ["lever"] + [f"{c} ({m})" for c in OUTCOMES.values() for m in models]
    return pd.DataFrame(rows)[order]


def markdown(table: pd.DataFrame) -> str:
    head = "| " + " | ".join(table.columns) + " |"
    rule = "|" + "---|" * len(table.columns)
    body = ["| " + " | ".join(str(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--steps", type=int, default=156)
    parser.add_argument("--scenario", default="baseline_1987")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if args.reps < 2:
        parser.error(f"--reps = {args.reps}: at least 2 paired replications are needed")
    text = markdown(path_table(args.reps, args.steps, args.scenario))
    if args.out:
        args.out.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
