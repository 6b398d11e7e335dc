"""Scenario discovery through the path the report takes: a Latin-hypercube design, paired runs
of both strategies, ``discover`` (paired difference per point, PRIM) and the report section."""

import numpy as np
import pandas as pd
import pytest

from analysis.discovery import discover, paired_difference
from analysis.load import AnalysisError
from analysis.report import Report, discovery_section
from experiments.design import DesignConfig, design_points
from experiments.seeds import replication_seed

PARAMS = {
    "leadership.reform_commitment": [0.5, 0.95],
    "groups.contagion": [0.2, 0.6],
    "policy.enactment_cost": [0.2, 0.8],
    "leadership.crackdown_depth": [0.08, 0.2],
}
NAMES = list(PARAMS)


def runs(inside_box, n: int = 600, reps: int = 5, seed: int = 3) -> pd.DataFrame:
    """Outcome rows as the runner writes them for a Latin-hypercube sweep of both strategies:
    rollback of institutionalisation 0.8 and of case focus 0.2 inside the planted region,
    0.3 and 0.5 outside (``inside_box`` None: both 0.4 everywhere, pure noise)."""
    design = DesignConfig(kind="lhs", n_base=n, seed=7, parameters=PARAMS)
    rng = np.random.default_rng(seed)
    rows = []
    for point, values in design_points(design):
        inside = inside_box(values) if inside_box else False
        p = {"institutionalization": 0.8, "case_focus": 0.2} if inside else {}
        if inside_box and not inside:
            p = {"institutionalization": 0.3, "case_focus": 0.5}
        for r in range(reps):
            for strategy in ("institutionalization", "case_focus"):
                rows.append(
                    {
                        "replication": r,
                        "seed": replication_seed(1987, r),
                        "strategy": strategy,
                        "scenario": "baseline_1987",
                        "design_point": point,
                        **values,
                        "rollback": int(rng.random() < p.get(strategy, 0.4)),
                    }
                )
    return pd.DataFrame(rows)


def planted(values: dict[str, float]) -> bool:
    return values["groups.contagion"] > 0.45 and values["policy.enactment_cost"] < 0.5


def test_prim_recovers_a_planted_box_on_a_latin_hypercube():
    found = discover(runs(planted), NAMES, "rollback")
    box = found.box
    assert len(found.difference) == 600 and found.replications == 5
    assert set(box.limits) == {"groups.contagion", "policy.enactment_cost"}
    assert box.limits["groups.contagion"][0] == pytest.approx(0.45, abs=0.03)
    assert box.limits["policy.enactment_cost"][1] == pytest.approx(0.5, abs=0.04)
    assert all(p < 1e-6 for p in box.quasi_p.values())
    assert box.significant and box.holdout_density > 0.8 and box.holdout_pvalue < 1e-6


def test_prim_on_pure_noise_is_reported_not_significant(tmp_path):
    df = runs(None)
    found = discover(df, NAMES, "rollback")
    assert not found.box.significant
    rep = Report(tmp_path)
    discovery_section(rep, df, NAMES, tmp_path / "figures", tmp_path / "tables", "rollback")
    text = "\n".join(rep.parts)
    assert "**Not significant**" in text and "The box holds" not in text
    for name in ("prim_trajectory", "scenario_discovery_box"):
        assert (tmp_path / "figures" / f"{name}.png").stat().st_size > 1000
        assert (tmp_path / "figures" / f"{name}.pdf").exists()


def test_the_planted_box_is_reported_as_holding(tmp_path):
    rep = Report(tmp_path)
    df = runs(planted)
    discovery_section(rep, df, NAMES, tmp_path / "figures", tmp_path / "tables", "rollback")
    text = "\n".join(rep.parts)
    assert "The box holds" in text and "Not significant" not in text
    table = pd.read_csv(tmp_path / "tables" / "scenario_discovery.csv")
    assert set(table["parameter"]) == {"groups.contagion", "policy.enactment_cost"}


def test_the_difference_is_averaged_over_paired_replications_and_needs_every_pair():
    df = runs(planted, n=20, reps=3)
    x, diff, reps = paired_difference(df, NAMES, "rollback")
    point = df[df.design_point == 4]
    by = point.groupby("strategy")["rollback"].mean()
    assert reps == 3 and diff[4] == pytest.approx(by["institutionalization"] - by["case_focus"])
    assert x.loc[4, NAMES[0]] == point[NAMES[0]].iloc[0]
    unpaired = df.drop(index=df[(df.design_point == 7) & (df.strategy == "case_focus")].index[:1])
    with pytest.raises(AnalysisError, match=r"no paired run .* design points \[7\]"):
        paired_difference(unpaired, NAMES, "rollback")
    with pytest.raises(AnalysisError, match="needs both"):
        paired_difference(df[df.strategy == "case_focus"], NAMES, "rollback")


def test_the_latin_hypercube_puts_one_point_in_each_stratum_of_every_parameter():
    design = DesignConfig(kind="lhs", n_base=50, seed=7, parameters=PARAMS)
    x = pd.DataFrame([v for _, v in design_points(design)])
    for name, (lo, hi) in PARAMS.items():
        strata = np.floor((x[name] - lo) / (hi - lo) * 50).astype(int)
        assert sorted(strata) == list(range(50))


def test_cart_and_feature_scores_see_the_planted_region_as_a_second_view():
    from analysis.discovery import cart_leaves, feature_scores

    found = discover(runs(planted), NAMES, "rollback")
    leaves = cart_leaves(found.x, found.wins)
    assert len(leaves) >= 1 and leaves["density"].is_monotonic_decreasing
    best = leaves.iloc[0]
    assert best["density"] > 0.8 > found.wins.mean() + 0.3  # far above the base rate
    assert "groups.contagion" in best["limits"] and "policy.enactment_cost" in best["limits"]
    scores = feature_scores(found.x, found.wins)
    assert set(scores.index[:2]) == {"groups.contagion", "policy.enactment_cost"}
    assert scores.sum() == pytest.approx(1.0)
    noise = discover(runs(None), NAMES, "rollback")
    flat = feature_scores(noise.x, noise.wins)
    assert flat.max() < 0.4  # no parameter stands out in noise (the planted two take ~0.8)
    assert scores.iloc[:2].sum() > 0.6


def test_the_report_gives_the_second_view_beside_the_box(tmp_path):
    rep = Report(tmp_path)
    discovery_section(
        rep, runs(planted), NAMES, tmp_path / "figures", tmp_path / "tables", "rollback"
    )
    text = "\n".join(rep.parts)
    assert "CART" in text and "feature scores" in text
    cart = pd.read_csv(tmp_path / "tables" / "discovery_cart.csv")
    assert len(cart) >= 1 and (cart["density"] > 0.5).any()
    scores = pd.read_csv(tmp_path / "tables" / "discovery_feature_scores.csv")
    assert set(scores["parameter"]) == set(NAMES)
    assert set(scores["parameter"][:2]) == {"groups.contagion", "policy.enactment_cost"}
