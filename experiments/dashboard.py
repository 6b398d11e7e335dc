"""The interactive dashboard: watch one run unfold and change strategy and scenario live.

``reform-dashboard`` serves a Mesa SolaraViz page. Its controls are generated from the same
dataclasses as the configs (``sim/params/``): type, default, range and the one-line meaning
shown under each control all come from there, and the presets are the YAML files the command
line uses. It lives in ``experiments/`` because it reads configs; the model stays a library.
"""

import argparse
import dataclasses
import inspect
import sys
from functools import cache
from pathlib import Path

from experiments.calibration.posterior import resolve_scenario
from experiments.config import compose_run_config
from sim.model import ReformModel
from sim.params import ScenarioParams, StrategyParams, leaf_fields, replace_paths
from sim.params.schema import field_docs

SCENARIOS = sorted(
    p.stem for p in (Path(__file__).resolve().parent.parent / "configs" / "scenario").glob("*.yaml")
)
STRATEGIES = sorted(
    p.stem for p in (Path(__file__).resolve().parent.parent / "configs" / "strategy").glob("*.yaml")
)
# The main levers shown as sliders; every other parameter comes from the chosen presets.
# Scenario levers by their config path; the page names each by its last part.
MAIN_SCENARIO = (
    "groups.n_groups",
    "leadership.mobilization_tolerance",
    "leadership.reform_commitment",
    "leadership.crackdown_depth",
    "groups.grievance_mean",
    "leadership.cheap_concession_bias",
    "factions.hardline_threshold",
)
SCENARIO_LEVER = {path.rsplit(".", 1)[1]: path for path in MAIN_SCENARIO}
MAIN_STRATEGY = (
    "pressure",
    "n_lists",
    "list_accuracy",
    "coordination",
    "sidetrack_resistance",
    "publicity",
    "public_diplomacy",
)
SLIDER_MAX = {"n_groups": 10_000}  # a browser cannot follow more groups than this
STEPS = 156


def _field(cls: type, path: str) -> dict:
    """Docs and metadata of a parameter given by its dotted path under ``cls``."""
    head, _, name = path.rpartition(".")
    owner = leaf_fields(cls)[path]
    group = cls
    for part in filter(None, head.split(".")):
        group = next(f.type for f in dataclasses.fields(group) if f.name == part)
    return next(d for d in field_docs(group) if d["name"] == name) | {"meta": owner.metadata}


def control(cls: type, path: str) -> dict:
    """A SolaraViz control for one parameter: its default, range and meaning."""
    name = path.rsplit(".", 1)[-1]
    d = _field(cls, path)
    lo, hi = d["meta"]["lo"], min(d["meta"]["hi"], SLIDER_MAX.get(name, d["meta"]["hi"]))
    is_int = d["type"] == "int"
    step = max(1, (hi - lo) // 100) if is_int else round((hi - lo) / 100, 6)
    return {
        "type": "SliderInt" if is_int else "SliderFloat",
        "value": d["default"],
        "min": lo,
        "max": hi,
        "step": step,
        "label": name.replace("_", " "),
        "help": d["help"],
        "memo": d["memo"],
    }


def explanations() -> str:
    """One line per control, for the page: what it means and where the memo says so."""
    lines = [
        "**Controls.** Presets set every parameter; a calibrated scenario takes the posterior "
        "draw of the seed, as a replication does (`baseline_1987_hand` is the fixed hand "
        "point). A slider moved away from its default overrides the preset and the draw; one "
        "left at its default shows the hand value, not the drawn one. Press Reset to apply."
    ]
    for spec in user_params().values():
        memo = f" (memo {spec['memo']})" if spec["memo"] else ""
        lines.append(f"- *{spec['label']}*: {spec['help']}{memo}")
    return "\n".join(lines)


def user_params() -> dict:
    """Every control of the page, generated from the parameter dataclasses."""
    params = {
        "scenario_name": {
            "type": "Select",
            "value": "baseline_1987",
            "values": SCENARIOS,
            "label": "Scenario",
            "help": "a preset of every scenario parameter (configs/scenario/)",
            "memo": "",
        },
        "strategy_name": {
            "type": "Select",
            "value": "status_quo_1987",
            "values": STRATEGIES,
            "label": "Strategy",
            "help": "a preset of the outside government's choices (configs/strategy/)",
            "memo": "¶13-23",
        },
        "rng": {
            "type": "SliderInt",
            "value": 1987,
            "min": 0,
            "max": 10_000,
            "step": 1,
            "label": "seed",
            "help": "the same seed gives the same run",
            "memo": "",
        },
    }
    params |= {p.rsplit(".", 1)[1]: control(ScenarioParams, p) for p in MAIN_SCENARIO}
    params |= {n: control(StrategyParams, n) for n in MAIN_STRATEGY}
    return params


@cache
def preset(scenario_name: str, strategy_name: str):
    return compose_run_config(
        [f"scenario={scenario_name}", f"strategy={strategy_name}", f"steps={STEPS}"]
    )


def build_params(scenario_name: str, strategy_name: str, levers: dict, seed: int = 1987):
    """The presets (a calibrated scenario takes the posterior draw of this seed, as replication
    runs do), with every slider moved away from its default laid over them."""
    cfg = preset(scenario_name, strategy_name)
    cfg = dataclasses.replace(cfg, scenario=resolve_scenario(cfg.scenario, seed)[0])
    defaults = {d["name"]: d["default"] for d in field_docs(StrategyParams)}
    defaults |= {k: _field(ScenarioParams, p)["default"] for k, p in SCENARIO_LEVER.items()}
    moved = {k: v for k, v in levers.items() if v != defaults[k]}
    scenario = replace_paths(
        cfg.scenario, {SCENARIO_LEVER[k]: v for k, v in moved.items() if k in SCENARIO_LEVER}
    )
    strategy = dataclasses.replace(
        cfg.strategy, **{k: v for k, v in moved.items() if k in MAIN_STRATEGY}
    )
    return dataclasses.replace(cfg, scenario=scenario, strategy=strategy)


class DashboardModel(ReformModel):
    """ReformModel built from the page's flat controls (SolaraViz passes keyword arguments)."""

    def __init__(
        self,
        scenario_name: str = "baseline_1987",
        strategy_name: str = "status_quo_1987",
        rng: int = 1987,
        **levers,
    ) -> None:
        super().__init__(build_params(scenario_name, strategy_name, levers, rng), rng=rng)


# SolaraViz inspects the signature to check controls: list each lever as a keyword parameter.
DashboardModel.__init__.__signature__ = inspect.Signature(
    [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    + [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=spec["value"])
        for name, spec in user_params().items()
    ]
)


def main(argv: list[str] | None = None) -> int:
    """Serve the page with Solara (``reform-dashboard --port 8765 --host 127.0.0.1``)."""
    parser = argparse.ArgumentParser(prog="reform-dashboard", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    try:
        from solara.__main__ import main as solara_main
    except ImportError:
        print(
            "reform-dashboard: the dashboard needs the [dashboard] extra: "
            "pip install 'reform-sim[dashboard]' (make test installs it)",
            file=sys.stderr,
        )
        return 2

    app = Path(__file__).resolve().parent / "dashboard_app.py"
    sys.argv = [
        "solara",
        "run",
        str(app),
        "--port",
        str(args.port),
        "--host",
        args.host,
        "--production",
        "--no-open",
    ]
    return solara_main()


if __name__ == "__main__":
    sys.exit(main())
