# Set-up and everyday commands. Python 3.12 comes from .python-version (pyenv).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv test lint demo bench docs clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if v == (3, 12) else \
		f"Python 3.12 is required (Mesa 3.5), found {v[0]}.{v[1]}: install it with pyenv (see README)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev,cluster,dashboard]"
	@touch $(STAMP)

test: venv lint
	$(BIN)/pytest

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

DEMO := multirun/demo

# A modest strategy comparison (30 jobs x 50 replications, about 3 minutes on 2 cores), then its
# report. Rerunning resumes: finished jobs are skipped.
demo: venv
	$(BIN)/reform-sim -m experiment=strategy_comparison replications=50 record_timeseries=true \
		hydra.sweep.dir=$(DEMO)
	$(BIN)/reform-analyze $(DEMO) --out $(DEMO)/report
	@echo "demo report: $(DEMO)/report/report.html"

bench: venv
	$(BIN)/python benchmarks/bench_model.py

docs: venv
	$(BIN)/python -m experiments.param_tables --write docs/ODD.md

clean:
	rm -rf $(VENV) outputs multirun .pytest_cache .ruff_cache .hypothesis
