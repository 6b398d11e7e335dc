"""docs/ODD.md stays in step with the code: its parameter tables are the generated ones."""

from pathlib import Path

from experiments.param_tables import markdown
from sim.policy import REFORM_ITEMS

ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"


def test_parameter_tables_match_the_dataclasses():
    assert markdown() in ODD.read_text(encoding="utf-8"), "run `make docs` to regenerate"


def test_every_reform_item_is_described():
    text = ODD.read_text(encoding="utf-8")
    for item in REFORM_ITEMS:
        assert f"| {item.key} |" in text


def test_calibration_table_matches_the_spec_and_the_posterior():
    from experiments.param_tables import calibration_table

    assert calibration_table() in ODD.read_text(encoding="utf-8"), "run `make docs`"
