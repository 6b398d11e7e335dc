"""Bad analysis input gets a clear statement in the report or a clear error, never a wrong
number: one replication per cell, a scenario with one replication, no cases of interest,
counts that cannot be."""

import re

import numpy as np
import pandas as pd
import pytest
from test_analysis import synthetic

from analysis.load import Sweep
from analysis.report import build
from analysis.stats import newcombe_paired, wilson, wilson_sample_size


def report_of(df: pd.DataFrame, folder) -> str:
    build(Sweep(folder, df), folder / "rep")
    text = (folder / "rep" / "report.md").read_text()
    assert not re.search(r"\bnan\b", text, re.IGNORECASE)  # never a bare NaN
    return text


def test_one_replication_per_cell_is_said_not_computed(tmp_path):
    text = report_of(synthetic(n=1), tmp_path)
    assert "Headline: not produced; no scenario has 2 or more runs of both" in text
    assert "Paired comparisons: not produced; no pair of strategies has 2 or more" in text
    assert "Robustness verdict: not produced; a cell has a single replication" in text
    assert "(too few replications: 1 < 50)" in text  # a mean, and no interval around it
    assert "the sweep does not run both" not in text  # the old, wrong reason
    summary = pd.read_csv(tmp_path / "rep" / "tables" / "outcomes_by_strategy.csv")
    assert summary["max_drawdown_mean_ci_low"].isna().all() and len(summary) == 4
    assert summary["interval_note"].eq("too few replications: 1 < 50").all()


def test_a_scenario_with_one_replication_is_named_beside_the_headline(tmp_path):
    df = synthetic(n=40)
    df = df[(df["scenario"] == "baseline_1987") | (df["replication"] == 0)]
    text = report_of(df, tmp_path)
    head = pd.read_csv(tmp_path / "rep" / "tables" / "headline.csv")
    assert head["scenario"].tolist() == ["baseline_1987"]
    assert "No headline comparison in hardline_surge: fewer than 2 runs" in text


def test_no_cases_of_interest_gives_no_test_and_says_so(tmp_path):
    df = synthetic(n=60).assign(rollback=False, time_to_rollback=156)
    text = report_of(df, tmp_path)
    head = pd.read_csv(tmp_path / "rep" / "tables" / "headline.csv")
    assert len(head) == 2  # both scenarios, so the .all() below reads rows
    assert (head["institutionalization"] == 0).all() and (head["winner"] == "neither").all()
    assert (head["ci_low"] < 0).all() and (head["ci_high"] > 0).all()  # not [0, 0]
    surv = pd.read_csv(tmp_path / "rep" / "tables" / "survival_logrank.csv")
    assert len(surv) == 2
    assert surv["pvalue"].isna().all() and surv["pvalue_holm"].isna().all()
    assert surv["note"].eq("no run had rollback: nothing to test").all()
    assert surv["events_case_focus"].eq(0).all()
    assert "| no events | no events | no events |" in text and "> 156" in text


def test_impossible_counts_and_unpaired_outcomes_are_refused():
    with pytest.raises(ValueError, match=r"successes = 11: expected a count from 0 to n = 10"):
        wilson(11, 10)
    with pytest.raises(ValueError, match=r"half_width = 0.5: expected a value in \(0, 0.5\)"):
        wilson_sample_size(0.3, 0.5)
    with pytest.raises(ValueError, match="paired outcomes of lengths 3 and 2: expected equal"):
        newcombe_paired(np.ones(3, bool), np.ones(2, bool))
