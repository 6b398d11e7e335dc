"""The EMA Workbench drives the model through the Python API (README, "From Python").

Each experiment is one parameter point run on paired seeds; the Workbench samples the points
(Latin hypercube) and collects the outcomes. Run: ``python docs/examples/ema_workbench.py``.
"""

from ema_workbench import Model, RealParameter, ScalarOutcome, perform_experiments

from experiments.api import load_params, run_points


def reform(tolerance: float, depth: float, replications: int = 20, steps: int = 104) -> dict:
    """Share of runs rolled back, and final liberalisation, under institutionalisation."""
    point = load_params(
        "baseline_1987_hand",
        "institutionalization",
        {
            "scenario.leadership.mobilization_tolerance": tolerance,
            "scenario.leadership.crackdown_depth": depth,
        },
        steps=steps,
    )
    runs = run_points([point], replications=replications)
    return {
        "rollback": runs["rollback"].mean(),
        "final_liberalization": runs["final_liberalization"].mean(),
    }


def workbench_model(**fixed) -> Model:
    model = Model("reform", function=lambda tolerance, depth: reform(tolerance, depth, **fixed))
    model.uncertainties = [
        RealParameter("tolerance", 0.03, 0.08),
        RealParameter("depth", 0.08, 0.2),
    ]
    model.outcomes = [ScalarOutcome("rollback"), ScalarOutcome("final_liberalization")]
    return model


if __name__ == "__main__":
    experiments, outcomes = perform_experiments(
        workbench_model(), scenarios=20, uncertainty_sampling_kwargs={"rng": 1987}
    )
    print(experiments[["tolerance", "depth"]].assign(**outcomes).round(3).to_string())
