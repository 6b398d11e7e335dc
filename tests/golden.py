"""Golden outputs: bit-exact fingerprints of runs over every scenario and strategy.

Recorded once from the model before a refactor (``python tests/golden.py --write``) and compared
by ``test_golden.py`` after it, so a change of structure that claims "outputs unchanged" is held
to that claim bit for bit. Outcomes are stored as exact ``repr`` values (readable in a diff);
each weekly series as a hash of its bytes and dtype, so a failure names the series that moved.

Rewrite the file only when a change of the model's behaviour is intended, and say so in the
commit.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

GOLDEN = Path(__file__).parent / "data" / "golden_outputs.json"
SCENARIOS = ("baseline_1987", "hardline_surge", "committed_reformer", "mobilization_wave")
STRATEGIES = (
    "institutionalization",
    "case_focus",
    "balanced",
    "memo_recommended",
    "status_quo_1987",
    "no_pressure",
)
SEEDS = (11, 2026, 90_210)
# Paths the presets rarely reach: floors pierced under hardline dominance, ties to everyone.
# The overrides use today's config names; the recorded values do not depend on them.
STRESS = {
    "breach": ("strategy=memo_recommended", "scenario.factions.hardline_threshold=0.3"),
    "complete_network": ("strategy=case_focus", "scenario.groups.network_kind=complete"),
}


def cases() -> dict[str, tuple[str, ...]]:
    """Label -> overrides of every golden configuration.

    The fingerprints were recorded with 0.2; today's model is 0.2 with the paths added since
    switched off (``experiments/legacy.py``), which these overrides do.
    """
    from experiments.legacy import MODEL_0_2 as LEGACY
    from experiments.legacy import SCENARIOS_0_2

    out = {
        f"{sc}/{st}": (f"scenario={sc}", f"strategy={st}", *LEGACY, *SCENARIOS_0_2.get(sc, ()))
        for sc in SCENARIOS
        for st in STRATEGIES
    }
    out |= {f"stress/{k}": (*v, *LEGACY) for k, v in STRESS.items()}
    return out


def fingerprint(result) -> dict:
    """Exact outcomes and per-series hashes of one run."""
    outcomes = {k: repr(v) for k, v in sorted(result.outcomes.items())}
    series = {}
    for name in result.timeseries.columns:
        col = result.timeseries[name].to_numpy()
        digest = hashlib.sha256(str(col.dtype).encode() + col.tobytes()).hexdigest()[:20]
        series[name] = digest
    return {"outcomes": outcomes, "series": series}


def compute() -> dict[str, dict]:
    from experiments.config import compose_run_config
    from sim.model import ReformModel

    out = {}
    for label, overrides in cases().items():
        cfg = compose_run_config(list(overrides))
        for seed in SEEDS:
            out[f"{label}/{seed}"] = fingerprint(ReformModel(cfg, rng=seed).run())
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    if "--write" not in sys.argv:
        sys.exit("usage: python tests/golden.py --write   (records the current model's outputs)")
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(compute(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {GOLDEN}")
