"""Declared families of tests: the report's tables, read back from disk, adjust p-values
within the families they name, and the headline question reads the same everywhere."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests
from test_analysis import synthetic

from analysis.comparisons import HEADLINE
from analysis.load import Sweep
from analysis.report import build


def holm_reference(p: pd.Series) -> np.ndarray:
    return multipletests(p.to_numpy(), method="holm")[1]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """Three strategies in two scenarios on paired seeds: 24 paired comparisons, of which the
    headline question (institutionalisation against case focus on rollback) is two."""
    df = synthetic(n=30)
    third = df[df["strategy"] == "case_focus"].assign(strategy="balanced")
    third["max_drawdown"] += 0.01
    wide = pd.concat([df, third], ignore_index=True)
    out = tmp_path_factory.mktemp("families")
    build(Sweep(out, wide), out / "rep")
    return out / "rep"


def test_the_headline_and_the_paired_table_show_the_same_confirmatory_p(report):
    head = pd.read_csv(report / "tables" / "headline.csv")
    comps = pd.read_csv(report / "tables" / "paired_comparisons.csv")
    confirm = comps[comps["family"] == "confirmatory"]
    assert len(comps) == 24 and len(confirm) == 2
    assert set(zip(confirm["strategy_a"], confirm["strategy_b"], strict=True)) == {HEADLINE}
    assert set(confirm["outcome"]) == {"rollback"}
    both = head.merge(confirm, on="scenario", suffixes=("_head", "_table"))
    assert len(both) == 2
    assert both["pvalue_holm_head"].tolist() == both["pvalue_holm_table"].tolist()  # identical
    assert both["difference_head"].tolist() == both["difference_table"].tolist()  # same sign
    assert confirm["pvalue_holm"].to_numpy() == pytest.approx(holm_reference(confirm["pvalue"]))
    # what the report used to do, one family of every test, gives another p for the same
    # comparison: these data tell the two apart
    pooled = pd.Series(holm_reference(comps["pvalue"]), index=comps.index)[confirm.index]
    assert (pooled.to_numpy() > 2 * confirm["pvalue_holm"].to_numpy()).all()


def test_the_rest_is_one_exploratory_family_and_log_rank_one_of_its_own(report):
    comps = pd.read_csv(report / "tables" / "paired_comparisons.csv")
    explore = comps[comps["family"] == "exploratory"]
    assert len(explore) == 22 and set(comps["family"]) == {"confirmatory", "exploratory"}
    assert explore["pvalue_holm"].to_numpy() == pytest.approx(holm_reference(explore["pvalue"]))
    surv = pd.read_csv(report / "tables" / "survival_logrank.csv")
    assert len(surv) == 2 and surv["family"].str.startswith("survival").all()
    assert surv["pvalue_holm"].to_numpy() == pytest.approx(holm_reference(surv["pvalue"]))
    text = (report / "report.md").read_text()
    assert "### Confirmatory family (Holm across scenarios)" in text
    assert "**Exploratory** (22 tests" in text
    assert "Log-rank tests (chi-square, one degree of freedom)" in text
    assert "Holm-adjusted across scenarios (`pvalue_holm`)" in text


def test_another_headline_outcome_is_the_confirmatory_family_of_the_paired_table(tmp_path):
    """reform-analyze --headline dip: the paired table's confirmatory rows are the headline's
    comparisons on dip, with the same adjusted p, not an exploratory family that includes them."""
    df = synthetic(n=40)
    rng = np.random.default_rng(5)
    df["dip"] = df["rollback"] | (rng.random(len(df)) < 0.3)
    build(Sweep(tmp_path, df), tmp_path / "rep", outcome="dip")
    head = pd.read_csv(tmp_path / "rep" / "tables" / "headline.csv")
    comps = pd.read_csv(tmp_path / "rep" / "tables" / "paired_comparisons.csv")
    confirm = comps[comps["family"] == "confirmatory"]
    assert len(head) == 2 and len(confirm) == 2 and set(confirm["outcome"]) == {"dip"}
    both = head.merge(confirm, on="scenario", suffixes=("_head", "_table"))
    assert both["pvalue_holm_head"].tolist() == both["pvalue_holm_table"].tolist()
    explore = comps[comps["family"] == "exploratory"]
    assert len(explore) > 0 and "dip" not in set(explore["outcome"])
