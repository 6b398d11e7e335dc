# Set-up and everyday commands. Python 3.12 comes from .python-version (pyenv).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv test lint demo bench bench-full docs clean

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

# About 10 minutes on 2 cores: the model, then our sweeps against mesa.batch_run (time to
# answer at +-0.1 here; the issue-scale figures at +-0.03 and the memory growth: make bench-full).
bench: venv
	$(BIN)/python benchmarks/bench_model.py
	$(BIN)/python benchmarks/sweep_vs_batch_run.py --halfwidth 0.1
	@$(BIN)/python benchmarks/summary.py

# About 1.5 hours here: time to answer at +-0.03 and memory at 1,000 and 10,000 runs with weekly
# series (add 100,000: python benchmarks/sweep_memory.py --runs 1000 10000 100000).
bench-full: venv
	$(BIN)/python benchmarks/sweep_vs_batch_run.py --halfwidth 0.03 --repeats 1
	$(BIN)/python benchmarks/sweep_memory.py
	@$(BIN)/python benchmarks/summary.py

docs: venv
	$(BIN)/python -m experiments.param_tables --write docs/ODD.md

clean:
	rm -rf $(VENV) outputs multirun .pytest_cache .ruff_cache .hypothesis
