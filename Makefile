# Two commands on a fresh machine (only python3 >= 3.11 needed):
#   make run    set up, plan a week on the bundled sample data, open the dashboard
#   make test   set up, lint, run the whole test suite
.PHONY: run test install lint bench clean

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "wfm needs Python >= 3.11, found " + sys.version.split()[0]'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# Two workers (one per core of the reference machine); an idle worker takes tests queued for the busy one.
test: lint
	$(PY) -m pytest -n 2 --dist worksteal

SAMPLE := data/sample_history.csv
AGENTS := $(wildcard data/agents.csv)

$(SAMPLE): data/generate.py $(STAMP)
	$(PY) data/generate.py --out $(SAMPLE)

PORT ?= 8501

# Plans the week after the sample history into out/<YYYY-Www>/ (exit 3 = some intervals short: still exported),
# then serves the dashboard on localhost until stopped with Ctrl-C.
run: install $(SAMPLE)
	$(VENV)/bin/wfm plan --history $(SAMPLE) --config data/example.toml $(if $(AGENTS),--agents $(AGENTS)) --out out \
		|| [ $$? -eq 3 ]
	@echo "wfm: the week's export is in out/ (summary.json, schedule.xlsx, report.html)"
	@echo "wfm: dashboard on http://localhost:$(PORT) (Ctrl-C stops it)"
	$(VENV)/bin/streamlit run dashboard/app.py --server.address localhost --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

bench: install $(SAMPLE)
	$(PY) bench/erlang.py
	$(PY) bench/scenarios.py --history $(SAMPLE) --config data/example.toml

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
